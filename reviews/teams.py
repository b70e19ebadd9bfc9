"""Team settings that operators keep: its council's area code and complaint response target."""

from __future__ import annotations

import re

from sqlmodel import Session

from reviews.errors import QprError, UnknownTeam
from storage import queries
from storage.models import Team

AREA_CODE = re.compile(r"^[A-Z]\d{8}$")


def update_team(
    session: Session, name: str, area_code: str | None = None, response_days: int | None = None
) -> Team:
    team = queries.team_by_name(session, name)
    if team is None:
        raise UnknownTeam(name, queries.team_names(session))
    if area_code is not None:
        code = area_code.strip().upper()
        if code and not AREA_CODE.match(code):
            raise QprError(f"'{area_code}' is not an ONS area code such as E08000009")
        team.area_code = code or None
    if response_days is not None:
        if not 1 <= response_days <= 365:
            raise QprError("the complaint response target is a number of days, 1 to 365")
        team.complaint_response_days = response_days
    session.add(team)
    return team
