"""Matching names and codes as people write them."""


def fold(text: str) -> str:
    """The form used to match names and codes: case and spacing do not count."""
    return " ".join(text.split()).casefold()
