"""Matching names and codes as people write them."""

import unicodedata

# Word processors and Excel turn straight quotes into curly ones.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def fold(text: str) -> str:
    """The form used to match names and codes: case, spacing and curly quotes do not count."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split()).casefold()
