"""Domain errors: each says, in plain words a user can act on, what is wrong. They carry no
front end's markup: a name people typed is kept as they typed it, whoever could help is
given as `ask` (user ids), and the command to run next as `then` (its name and arguments,
standing in the message as {then}), for each front end to show its own way: a mention and
`/qpr agree` in Slack, a button or a link elsewhere."""

from __future__ import annotations

from collections.abc import Callable, Sequence

THEN = "{then}"


class QprError(Exception):
    """Something the user asked for cannot be done; the message says why."""

    def __init__(self, message: str, ask: Sequence[str] = (), then: str | None = None) -> None:
        self.template = message
        # What to do next, as the words of a command ("setup <team name>"), where {then}
        # stands in the message: written by the front end, never here.
        self.then = then
        self.message = self.said(lambda command: f"the '{command}' command")
        super().__init__(self.message)
        # People who can do it instead, by user id: named by the front end, never here.
        self.ask = tuple(ask)

    def said(self, command: Callable[[str], str]) -> str:
        """The message, with the command to run next written by `command`."""
        if self.then is None:
            return self.template
        return self.template.replace(THEN, command(self.then))


class Invalid(QprError):
    """Parts of a request that cannot be taken, each with why, by the name the request gave
    that part (a form's field), so the front end can show each beside its field."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(next(iter(fields.values()), "Something in that cannot be taken."))
        self.fields = dict(fields)


class UnknownTeam(QprError):
    def __init__(self, name: str, known: list[str]) -> None:
        listed = ", ".join(known) if known else "none yet"
        super().__init__(f"There is no team called '{name}'. Teams: {listed}.")


class NoTeamHere(QprError):
    def __init__(self) -> None:
        super().__init__(
            "This channel has no team yet. A facilitator can set one up with {then}.",
            then="setup <team name>",
        )


class NotFacilitator(QprError):
    def __init__(self, what: str, facilitators: list[str]) -> None:
        super().__init__(f"Only a facilitator can {what}.", ask=facilitators[:1])


class NoOpenReview(QprError):
    def __init__(self) -> None:
        super().__init__(
            "There is no review open in this channel. A facilitator can start one with {then}.",
            then="start",
        )


class NoReview(QprError):
    def __init__(self, team: str, period_label: str | None) -> None:
        which = f"of {period_label} " if period_label else ""
        super().__init__(f"{team} has no review {which}yet.")
