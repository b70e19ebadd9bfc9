"""Teams as an operator prepares them."""

from __future__ import annotations

from reviews import teams


def name_first_facilitator(factory, name: str, user: str = "UFAC") -> None:
    """As `qpr team NAME --facilitator USER` does: a team whose data is loaded is set up in
    Slack by a facilitator the operator named."""
    with factory.unit_of_work() as session:
        teams.name_facilitator(session, name, user)
