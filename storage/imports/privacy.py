"""Keeping personal details out of complaints and user views.

A column whose header names a personal identifier refuses the whole file: the safest copy
of a name is the one never loaded. Free text is checked for the identifiers that can be
recognised by their shape (email addresses, NHS numbers, phone numbers, postcodes).
"""

from __future__ import annotations

import re

_HEADER_WORDS = {
    "name": "a person's name",
    "names": "a person's name",
    "surname": "a person's name",
    "forename": "a person's name",
    "forenames": "a person's name",
    "firstname": "a person's name",
    "lastname": "a person's name",
    "fullname": "a person's name",
    "nhs": "an NHS number",
    "chi": "a CHI number",
    "address": "an address",
    "postcode": "an address",
    "street": "an address",
    "dob": "a date of birth",
    "birth": "a date of birth",
    "birthday": "a date of birth",
    "email": "an email address",
    "phone": "a phone number",
    "telephone": "a phone number",
    "mobile": "a phone number",
    "ni": "a National Insurance number",
    "insurance": "a National Insurance number",
    "client": "a person identifier",
    "patient": "a person identifier",
    "person": "a person identifier",
    "mosaic": "a person identifier",
    "complainant": "a person identifier",
    "customer": "a person identifier",
    "resident": "a person identifier",
    "initials": "a person's initials",
    "nino": "a National Insurance number",
}


_PHRASES = {
    "dateofbirth": "a date of birth",
    "nhsnumber": "an NHS number",
    "serviceuser": "a person identifier",
}
# "Team name", "Area code": names and codes of things, not of people.
NOT_PEOPLE = frozenset({"team", "area", "category", "theme", "indicator", "survey"})


def personal_column(header: str) -> str | None:
    """What kind of personal identifier a column header names, if any."""
    words = re.findall(r"[a-z]+", header.lower().replace("e-mail", "email"))
    joined = "".join(words)
    for phrase, what in _PHRASES.items():
        if phrase in joined:
            return what
    if words and words[0] in NOT_PEOPLE:
        return None
    for word in [*words, joined]:
        if word in _HEADER_WORDS:
            return _HEADER_WORDS[word]
    if len(words) > 1 and words[-1] == "id":
        return "a person identifier"
    return None


_TEXT_PATTERNS = [
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "an email address"),
    (re.compile(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b"), "an NHS number"),
    (re.compile(r"(?:\+44\s?|\b0)(?:\d\s?){9,10}\b"), "a phone number"),
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b"), "a postcode"),
]


def personal_detail_in_text(text: str) -> str | None:
    for pattern, what in _TEXT_PATTERNS:
        if pattern.search(text):
            return what
    return None
