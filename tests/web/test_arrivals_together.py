"""A class arriving at once: one view of the room per process, one snapshot request for all.

A view the registry does not keep hears no frame, so viewers arriving together must all join
the same one (a thousand followers on a second process once got nothing at all).
"""

from __future__ import annotations

import asyncio

import pytest

from playground import rooms
from tests.web.sockets import open_socket, receive

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("live_rooms_stopped"),
]


async def test_viewers_arriving_together_share_one_view(room):
    views = await asyncio.gather(*(rooms.open_room(room.code) for _ in range(20)))
    assert len({id(view) for view in views}) == 1
    assert rooms.view(room.code) is views[0]


async def test_a_class_arriving_together_asks_the_owner_for_one_snapshot(room, monkeypatch):
    view = await rooms.open_room(room.code)
    live = view.owner.live
    asked = []
    snapshot = live.snapshot

    async def counted():
        asked.append(1)
        return await snapshot()

    monkeypatch.setattr(live, "snapshot", counted)
    answers = await asyncio.gather(*(view._snapshot() for _ in range(12)))
    assert len(asked) == 1
    assert all(answer == answers[0] for answer in answers)
    # A viewer arriving later asks again: the snapshot it gets is the room's latest.
    await view._snapshot()
    assert len(asked) == 2


async def test_viewers_joining_together_all_hear_the_room(room):
    sockets = await asyncio.gather(*(open_socket(room.code) for _ in range(12)))
    for socket in sockets:
        await receive(socket, "snapshot")
    await sockets[0].send_json_to({"type": "command", "id": 1, "line": "kubectl get pods"})
    for socket in sockets:
        frame = await receive(socket, "frame")
        while "commands" not in frame:
            frame = await receive(socket, "frame")
        assert frame["commands"][0]["line"] == "kubectl get pods"
    for socket in sockets:
        await socket.disconnect()
