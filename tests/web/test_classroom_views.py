"""The classroom's pages: the presenter link, what followers are shown, forks, the class view.

The presenter's secret is a capability: these tests look for it (and its digest)
everywhere a follower can read, and find it only in the presenter's own page.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from playground import rooms
from playground.models import Room, RoomEvent
from tests.fixtures.rooms import make_room, manifest

pytestmark = pytest.mark.django_db(transaction=True)

roles = rooms.roles


def created_room(client: Client) -> tuple[Room, str]:
    """A room made through the home page's form; its presenter's secret from the cookie."""
    response = client.post("/rooms/", {"manifests": manifest("kubia")})
    assert response.status_code == 302
    code = re.fullmatch(r"/rooms/([a-z0-9]+)/", response["Location"]).group(1)
    room = Room.objects.get(code=code)
    secret = client.cookies[roles.cookie_name(room.presenter_key)].value
    return room, secret


def test_creating_a_room_makes_its_creator_the_presenter_by_cookie_not_url(client):
    response = client.post("/rooms/", {"manifests": manifest("kubia")})
    room = Room.objects.get()
    secret = client.cookies[roles.cookie_name(room.presenter_key)].value
    assert secret not in response["Location"]
    cookie = client.cookies[roles.cookie_name(room.presenter_key)]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    # The room keeps only the digest; the secret has 192 random bits.
    assert room.presenter_key == roles.digest(secret) != secret
    assert len(secret) >= 32
    page = client.get(f"/rooms/{room.code}/").content.decode()
    assert 'data-role="presenter"' in page
    assert f"/rooms/{room.code}/present/{secret}/" in page  # in the presenter's own share dialog
    assert "data-projector-toggle" in page


def test_followers_pages_frames_and_exports_never_hold_the_presenter_link(client):
    room, secret = created_room(client)
    follower = Client()
    page = follower.get(f"/rooms/{room.code}/")
    html = page.content.decode()
    assert 'data-role="follower"' in html
    assert secret not in html
    assert room.presenter_key not in html
    assert "/present/" not in html
    assert "data-projector-toggle" not in html
    # The follower becomes a participant by a cookie of their own.
    token = page.cookies[roles.PARTICIPANT_COOKIE].value
    assert roles.participant_id({roles.PARTICIPANT_COOKIE: token})
    export = follower.get(f"/rooms/{room.code}/export.yaml").content.decode()
    assert secret not in export
    assert room.presenter_key[:16] not in export
    # The class view and the timeline are the presenter's alone (404, as for no room).
    assert follower.get(f"/rooms/{room.code}/class/").status_code == 404
    assert follower.get(f"/rooms/{room.code}/timeline/").status_code == 404
    assert client.get(f"/rooms/{room.code}/class/").status_code == 200


def test_the_presenter_link_opens_the_room_as_presenter_on_another_device(client):
    room, secret = created_room(client)
    other = Client()
    response = other.get(f"/rooms/{room.code}/present/{secret}/")
    assert response.status_code == 302
    assert response["Location"] == f"/rooms/{room.code}/"  # the secret leaves the address bar
    assert other.cookies[roles.cookie_name(room.presenter_key)].value == secret
    assert 'data-role="presenter"' in other.get(f"/rooms/{room.code}/").content.decode()
    assert Client().get(f"/rooms/{room.code}/present/{secret[:-1]}x/").status_code == 404
    assert Client().get(f"/rooms/{room.code}/present/{room.presenter_key}/").status_code == 404


def test_a_room_made_before_roles_stays_open_to_everyone(client):
    room = make_room("kubia")  # no presenter key, as rooms stored before roles
    html = client.get(f"/rooms/{room.code}/").content.decode()
    assert 'data-role="viewer"' in html
    assert "can change it" in html
    assert 'id="tab-class"' not in html


def test_try_it_yourself_forks_the_room_into_a_room_of_ones_own(client):
    room, _ = created_room(client)
    RoomEvent.objects.create(room=room, index=0, op={"op": "run", "line": "kubectl get pods"})
    student = Client()
    student.get(f"/rooms/{room.code}/")
    response = student.post(f"/rooms/{room.code}/fork/")
    assert response.status_code == 302
    fork = Room.objects.get(parent=room)
    assert response["Location"] == f"/rooms/{fork.code}/"
    assert fork.presenter_key
    assert fork.presenter_key != room.presenter_key
    assert (fork.seed, fork.manifests, fork.fork_point) == (room.seed, room.manifests, 1)
    assert list(RoomEvent.objects.filter(room=fork).values_list("op", flat=True)) == [
        {"op": "run", "line": "kubectl get pods"}
    ]
    # The student presents their fork; the class's presenter only follows it.
    assert 'data-role="presenter"' in student.get(f"/rooms/{fork.code}/").content.decode()
    assert 'data-role="follower"' in client.get(f"/rooms/{fork.code}/").content.decode()
    RoomEvent.objects.create(room=fork, index=1, op={"op": "run", "line": "kubectl get svc"})
    RoomEvent.objects.create(room=fork, index=2, op={"op": "ticks", "streams": [], "runs": []})
    view = client.get(f"/rooms/{room.code}/class/").content.decode()
    assert f'href="/rooms/{fork.code}/"' in view
    assert f'href="/rooms/{fork.code}/?projector=1"' in view
    assert "1 command since command 1" in view
    assert student.post("/rooms/nosuchroom/fork/").status_code == 404
    assert student.get(f"/rooms/{room.code}/fork/").status_code == 405


def test_the_class_view_has_a_place_for_lesson_progress(client):
    room, _ = created_room(client)
    Client().post(f"/rooms/{room.code}/fork/")
    assert "Lesson progress" not in client.get(f"/rooms/{room.code}/class/").content.decode()

    def progress(fork: Room) -> str | None:
        return f"step 2 of 5 in {fork.code}"

    rooms.add_progress(progress)
    try:
        view = client.get(f"/rooms/{room.code}/class/").content.decode()
    finally:
        rooms.classview._progress.remove(progress)
    fork = Room.objects.get(parent=room)
    assert "Lesson progress" in view
    assert f"step 2 of 5 in {fork.code}" in view


def test_the_timeline_lists_the_commands_with_who_ran_them(client):
    room, _ = created_room(client)
    ops = [
        {"op": "run", "line": "kubectl get pods", "by": {"role": "presenter", "number": 0}},
        {"op": "ticks", "streams": [], "runs": [[0.0625, [], 16]]},
        {"op": "run", "line": "kubectl apply -f -", "stdin": "a: 1\nb: 2\n", "at": 1.0,
         "by": {"role": "follower", "number": 3, "name": "<b>Li</b>"}},
    ]  # fmt: skip
    for i, op in enumerate(ops):
        RoomEvent.objects.create(room=room, index=i, op=op)
    html = client.get(f"/rooms/{room.code}/timeline/").content.decode()
    assert 'max="2"' in html
    assert "<code>kubectl get pods</code>" in html
    assert "(with 2 lines of input)" in html
    assert "follower 3 (&lt;b&gt;Li&lt;/b&gt;)" in html
    assert "t = 1.0 s" in html


def test_a_fork_of_a_lesson_room_runs_the_lesson_and_the_class_view_shows_its_step(client):
    response = client.post("/lessons/services-endpoints/")
    room = Room.objects.get(code=response["Location"].split("/")[2])
    assert room.lesson == "services-endpoints"
    assert roles.cookie_name(room.presenter_key) in client.cookies  # its starter presents it
    RoomEvent.objects.create(
        room=room, index=0, op={"op": "lesson", "lesson": room.lesson, "step": 1}
    )
    Client().post(f"/rooms/{room.code}/fork/")
    fork = Room.objects.get(parent=room)
    assert fork.lesson == room.lesson
    view = client.get(f"/rooms/{room.code}/class/").content.decode()
    assert "Lesson progress" in view
    assert re.search(r"Services and Endpoints[^<]*: step 2 of 4", view), view
