"""Languages: the browser's Accept-Language, the switch's cookie, the JavaScript catalogue,
and the websocket answering in its viewer's language."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from playground import lessons, rooms
from playground.asgi import application
from playground.i18n import language_from_scope

pytestmark = pytest.mark.django_db


def test_the_browsers_language_chooses_the_page(client):
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.8").content.decode()
    assert '<html lang="en">' in english
    assert ">Lessons<" in english
    assert '<html lang="zh-Hans">' in chinese
    assert ">课程<" in chinese
    assert "服务（Service）与端点（Endpoints）" in chinese  # a lesson's own Chinese title
    assert ">Lessons<" not in chinese


def test_the_switch_persists_over_the_browsers_language(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-Hans">' in client.get("/").content.decode()


def test_the_switch_names_each_language_in_itself(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'value="en" class="small"\n                lang="en"' in page
    assert ">English</button>" in page
    assert ">简体中文</button>" in page


def test_the_javascript_catalogue_carries_the_browser_modules_strings(client):
    response = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response["Content-Type"].startswith("text/javascript")
    script = response.content.decode()
    step = json.dumps("第 %(step)s 步，共 %(steps)s 步")  # the catalogue is JSON, ASCII-escaped
    assert step in script
    assert json.dumps("演示给我看") not in script  # a template's string stays out of it
    assert step not in client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize(
    ("headers", "language"),
    [
        ([(b"accept-language", b"zh-CN,zh;q=0.9")], "zh-hans"),
        ([(b"accept-language", b"fr-FR, en;q=0.5")], "en"),
        ([(b"accept-language", b"zh-CN"), (b"cookie", b"django_language=en")], "en"),
        ([(b"cookie", b"django_language=zh-hans; other=1")], "zh-hans"),
        ([(b"cookie", b"django_language=xx"), (b"accept-language", b"zh-TW")], "zh-hans"),
        ([(b"cookie", b"\x00garbage;;=")], "en"),
        ([], "en"),
    ],
)
def test_a_websockets_language_from_its_handshake(headers, language):
    assert language_from_scope({"headers": headers}) == language


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_websocket_answers_in_its_viewers_language():
    room, _ = await sync_to_async(rooms.create_room)(lessons.lesson("nodeport").manifests)
    socket = WebsocketCommunicator(
        application,
        f"/ws/rooms/{room.code}/",
        headers=[(b"origin", b"http://localhost:8000"), (b"accept-language", b"zh-CN")],
    )
    assert (await socket.connect())[0]
    await socket.send_json_to({"type": "lesson", "id": 1, "action": "state"})
    for _ in range(20):
        message = await socket.receive_json_from(timeout=3)
        if message["type"] == "error":
            break
    assert message["message"] == "这个房间没有在进行课程。"
    await socket.send_json_to({"type": "nonsense"})
    for _ in range(20):
        message = await socket.receive_json_from(timeout=3)
        if message["type"] == "error":
            break
    assert message["message"].startswith("未知的消息类型 'nonsense'")
    await socket.disconnect()
    await rooms.reset()
