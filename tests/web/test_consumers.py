"""The room websocket through the full ASGI stack, as daphne would call it."""

from __future__ import annotations

import json

import pytest
import pytest_asyncio
from channels.testing import WebsocketCommunicator

from playground.asgi import application
from playground.protocol import MAX_MESSAGE_BYTES

pytestmark = pytest.mark.asyncio

OUR_ORIGIN = b"http://localhost:8000"


def communicator(path="/ws/rooms/lobby/", origin=OUR_ORIGIN):
    return WebsocketCommunicator(application, path, headers=[(b"origin", origin)])


@pytest_asyncio.fixture
async def socket():
    room = communicator()
    connected, _ = await room.connect()
    assert connected
    yield room
    await room.disconnect()


async def test_ping_gets_pong(socket):
    await socket.send_json_to({"type": "ping", "id": 7})
    assert await socket.receive_json_from() == {"type": "pong", "id": 7}


@pytest.mark.parametrize(
    ("frame", "error"),
    [
        pytest.param("{not json", "not valid JSON", id="malformed JSON"),
        pytest.param("[1, 2]", 'JSON object with a string "type"', id="not an object"),
        pytest.param('{"id": 1}', 'JSON object with a string "type"', id="no type"),
        pytest.param('{"type": "dance"}', "Unknown message type 'dance'", id="unknown type"),
        pytest.param("[" * 100_000, "too large", id="oversized"),
        pytest.param("[" * 60_000, "nested too deeply", id="deeply nested"),
        pytest.param(
            json.dumps({"type": "ping", "pad": "x" * MAX_MESSAGE_BYTES}),
            "too large",
            id="just over",
        ),
    ],
)
async def test_bad_message_gets_an_error_and_the_socket_stays_open(socket, frame, error):
    await socket.send_to(text_data=frame)
    reply = await socket.receive_json_from()
    assert reply["type"] == "error"
    assert error in reply["message"]
    await socket.send_json_to({"type": "ping", "id": 1})
    assert await socket.receive_json_from() == {"type": "pong", "id": 1}


async def test_binary_frame_gets_an_error(socket):
    await socket.send_to(bytes_data=b"\x00\x01")
    assert (await socket.receive_json_from())["message"].startswith("Send messages as JSON text")


async def test_multibyte_text_is_measured_in_bytes(socket):
    # 30,000 three-byte characters: under the limit in characters, over it in bytes.
    await socket.send_json_to({"type": "ping", "pad": "€" * 30_000})
    assert "too large" in (await socket.receive_json_from())["message"]


async def test_foreign_origin_is_refused():
    room = communicator(origin=b"http://evil.example")
    connected, _ = await room.connect()
    assert not connected


async def test_room_code_must_be_a_slug():
    with pytest.raises(ValueError, match="No route found"):
        await communicator(path="/ws/rooms/Not A Slug/").connect()
