"""Domain errors: each says, in words a user can act on, what is wrong."""


class QprError(Exception):
    """Something the user asked for cannot be done; the message says why."""


class UnknownTeam(QprError):
    def __init__(self, name: str, known: list[str]):
        listed = ", ".join(known) if known else "none yet"
        super().__init__(f"There is no team called '{name}'. Teams: {listed}.")
