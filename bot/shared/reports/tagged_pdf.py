"""An HTML page printed by WeasyPrint as a tagged PDF (PDF/UA-1), finished so that a screen
reader meets nothing it cannot place.

WeasyPrint tags the page's content, but two things it leaves a reader with no way in:

- The running footer (the title and "page N of M", drawn in the page's margin boxes) is
  marked as content yet joined to no part of the structure tree, so assistive technology
  finds text that belongs nowhere. Repeated on every page, it is pagination, which PDF
  marks as an artifact: it is marked so here, and its loose structure elements dropped.
- A link's description (its annotation's /Contents) is its target: "team-1" for a link to
  a section, a bare address for one to the web. Here it says where the link goes, in the
  link's own words from the page."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pydyf  # WeasyPrint's PDF writer

PAGINATION = pydyf.Dictionary({"Type": "/Pagination"})


def tagged_pdf(html: str) -> bytes:
    """The page as an A4 PDF/UA-1 file (its size and margins are the page's own CSS)."""
    # Loaded here: WeasyPrint (and Pango under it) is needed only when a PDF is made.
    from weasyprint import HTML

    links = link_words(html)

    def finish(_document: Any, pdf: pydyf.PDF) -> None:
        mark_loose_content_as_artifacts(pdf)
        describe_links(pdf, links)

    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", finisher=finish)


def _objects(pdf: pydyf.PDF) -> dict[bytes, Any]:
    return {o.reference: o for o in pdf.objects if isinstance(o, pydyf.Object)}


def _reachable(root: Any, objects: dict[bytes, Any]) -> set[bytes]:
    """The structure elements reachable from the structure tree's root."""
    seen: set[bytes] = set()
    waiting = list(root["K"])
    while waiting:
        kid = waiting.pop()
        if not isinstance(kid, bytes) or kid in seen or kid not in objects:
            continue
        element = objects[kid]
        if isinstance(element, pydyf.Dictionary) and element.get("Type") == "/StructElem":
            seen.add(kid)
            waiting += [k for k in element.get("K", []) if isinstance(k, bytes)]
    return seen


def mark_loose_content_as_artifacts(pdf: pydyf.PDF) -> int:
    """Marks as pagination artifacts the marked content whose structure elements are not in
    the structure tree (the margin boxes'), drops those elements and their entries in the
    parent tree. Returns how many pieces of content it marked."""
    objects = _objects(pdf)
    root_ref = pdf.catalog.get("StructTreeRoot")
    if root_ref is None:
        return 0
    root = objects[root_ref]
    reachable = _reachable(root, objects)
    loose_elements = [
        o
        for ref, o in objects.items()
        if isinstance(o, pydyf.Dictionary)
        and o.get("Type") == "/StructElem"
        and ref not in reachable
    ]
    pages = {ref: i for i, ref in enumerate(pdf.page_references)}
    loose: dict[int, set[int]] = {}  # page number: its loose marked content ids
    for element in loose_elements:
        own = [k for k in element.get("K", []) if isinstance(k, int)]
        if own and element.get("Pg") in pages:
            loose.setdefault(pages[element["Pg"]], set()).update(own)
        element.free = "f"  # left out of the file
    marked = 0
    for number, ids in loose.items():
        page = objects[pdf.page_references[number]]
        marked += _mark_artifacts(objects[page["Contents"]], ids)
    _drop_from_parent_tree(objects[root["ParentTree"]], loose)
    return marked


def _mark_artifacts(stream: pydyf.Stream, ids: set[int]) -> int:
    """Turns `/Tag <</MCID n>> BDC` into `/Artifact <</Type /Pagination>> BDC` for each n."""
    items = stream.stream
    marked = 0
    for i in range(len(items) - 2):
        properties = items[i + 1]
        if (
            items[i + 2] == b"BDC"
            and isinstance(properties, pydyf.Dictionary)
            and properties.get("MCID") in ids
        ):
            items[i], items[i + 1] = "/Artifact", PAGINATION
            marked += 1
    return marked


def _drop_from_parent_tree(parent_tree: Any, loose: dict[int, set[int]]) -> None:
    nums = parent_tree["Nums"]
    for i in range(0, len(nums), 2):
        page, parents = nums[i], nums[i + 1]
        if page in loose and isinstance(parents, pydyf.Array):
            for mcid in loose[page]:
                if mcid < len(parents):
                    parents[mcid] = "null"
            while parents and parents[-1] == "null":
                parents.pop()


class _Links(HTMLParser):
    """Each link's target (a fragment without its "#") and its words on the page."""

    def __init__(self) -> None:
        super().__init__()
        self.words: dict[str, str] = {}
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            words = " ".join("".join(self._text).split())
            target = self._href.removeprefix("#")
            if self._href.startswith("#"):
                described = f"{words}: its section in this document"
            else:
                described = f"{words}: {self._href}"
            self.words.setdefault(target, described)
            self._href = None


def link_words(html: str) -> dict[str, str]:
    parser = _Links()
    parser.feed(html)
    return parser.words


def describe_links(pdf: pydyf.PDF, words: dict[str, str]) -> None:
    """Sets each link annotation's description to where it goes, in the page's words."""
    for o in pdf.objects:
        if not (isinstance(o, pydyf.Dictionary) and o.get("Subtype") == "/Link"):
            continue
        target = o.get("Dest") or (o.get("A") or {}).get("URI")
        key = _text(target)
        if key in words:
            o["Contents"] = pydyf.String(words[key])


def _text(value: Any) -> str:
    return value.string if isinstance(value, pydyf.String) else str(value or "")
