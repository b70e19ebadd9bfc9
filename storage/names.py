"""Matching names and codes as people write them."""

import difflib
import re
import unicodedata

# Word processors and Excel turn straight quotes into curly ones.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def fold(text: str) -> str:
    """The form used to match names and codes: case, spacing and curly quotes do not count."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split()).casefold()


# Names this alike are one team written two ways ("Older Peoples Services"), not two teams.
NEAR = 0.9


def _skeleton(text: str) -> str:
    """A name without its case, spacing, punctuation and plural or possessive s."""
    words = [w for w in re.findall(r"[a-z0-9]+", fold(text)) if w != "s"]
    return "".join(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words)


# Words that name one of a set of teams: "Team 10" and "Team 11", "Area A" and "Area B",
# "Mental Health East" and "West" are different teams, however alike the rest.
_COMPASS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
    ]
)


def _marks(text: str) -> set[str]:
    return {
        w
        for w in re.findall(r"[a-z0-9]+", fold(text))
        if w.isdigit() or (len(w) == 1 and w != "s") or w in _COMPASS
    }


def near_name(name: str, names: list[str]) -> str | None:
    """The one of `names` that `name` is all but the same as (a typo, a lost apostrophe),
    or None; a name equal to one of them once folded is not "near", it is the same, and
    names that differ in a number, a letter or a compass point are told apart."""
    key, skeleton, marks = fold(name), _skeleton(name), _marks(name)
    best, score = None, NEAR
    for other in names:
        if fold(other) == key:
            return None
        if _marks(other) != marks:
            continue
        other_skeleton = _skeleton(other)
        ratio = (
            1.0
            if other_skeleton == skeleton
            else difflib.SequenceMatcher(None, skeleton, other_skeleton).ratio()
        )
        if ratio >= score:
            best, score = other, ratio
    return best
