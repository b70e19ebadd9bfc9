"""The worker's sending of owed posts, on both databases: once Slack says the app is gone,
no post is claimed after it, even by a round of sending that began before."""

from __future__ import annotations

from sqlmodel import select

from bot.shared.worker import Worker
from reviews import installation, outbox
from storage.models import Outbox
from tests.helpers.queues import add_rows


class StoppedWhileSending:
    """A platform that says the app was uninstalled while it takes the first post."""

    def __init__(self, factory):
        self.factory = factory
        self.sent: list[int] = []

    def send(self, post: outbox.OwedPost) -> str | None:
        self.sent.append(post.id)
        with self.factory.unit_of_work() as session:
            installation.stop(session, installation.UNINSTALLED)
        return None

    def tell(self, post: outbox.OwedPost, problem: str) -> None:
        raise AssertionError("nothing was refused")


def test_a_stop_while_one_post_is_sent_holds_back_the_posts_after_it(factory):
    first, *rest = add_rows(factory, "outbox", 3)
    platform = StoppedWhileSending(factory)
    assert Worker(factory, "here", threads=1).send_owed(platform)
    assert platform.sent == [first]
    with factory() as session:
        states = {r.id: r.state for r in session.exec(select(Outbox))}
    assert states == {first: "sent"} | dict.fromkeys(rest, "pending")  # kept
