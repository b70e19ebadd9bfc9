"""Domain errors: each says, in words a user can act on, what is wrong."""


class QprError(Exception):
    """Something the user asked for cannot be done; the message says why. Messages are
    Slack mrkdwn: names that people typed go through `shown`."""


def shown(name: str) -> str:
    """A name people typed, made safe to show in Slack: its control characters escaped."""
    return name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class UnknownTeam(QprError):
    def __init__(self, name: str, known: list[str]):
        listed = ", ".join(shown(k) for k in known) if known else "none yet"
        super().__init__(f"There is no team called '{shown(name)}'. Teams: {listed}.")


class NoTeamHere(QprError):
    def __init__(self):
        super().__init__(
            "This channel has no team yet. A facilitator can set one up with "
            "`/qpr setup <team name>`."
        )


class NotFacilitator(QprError):
    def __init__(self, what: str, facilitators: list[str]):
        who = f"<@{facilitators[0]}>" if facilitators else "a facilitator"
        super().__init__(f"Only a facilitator can {what}. Please ask {who}.")


class NoOpenReview(QprError):
    def __init__(self):
        super().__init__(
            "There is no review open in this channel. A facilitator can start one "
            "with `/qpr start`."
        )


class NoReview(QprError):
    def __init__(self, team: str, period_label: str | None):
        which = f"of {period_label} " if period_label else ""
        super().__init__(f"{shown(team)} has no review {which}yet.")
