"""The use cases: what a person can do with the QPR, whatever they use to ask.

Each use case opens its own unit of work, checks who may do it and that every id it is
given belongs to the team and review the request comes from, records its audit, and owes
its follow-up posts (outbox rows) in the same transaction. It takes plain values (an
`Asker`, ids, text, dataclasses) and returns plain values or raises a `QprError`: never a
platform's payload. A front end (Slack today, the command line, the demo, the scheduler)
parses a request, calls one use case, and renders what comes back in its own way."""

from reviews.cases.context import Asker, Context

__all__ = ["Asker", "Context"]
