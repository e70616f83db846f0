"""Benchmark of a class's forks: "Try it yourself" on a room with a long log.

Run: `python -m benchmarks.bench_classroom` (`--commands N`, `--forks N`). It
starts daphne as bench_web does, creates a room through the home page, gives
it a log of N commands (a mix a class would run: scale, get, describe, curl,
label, exec, sleep; written to the database as the room would have written
them, since a viewer may send only 20 messages a second), opens it as its
presenter (the room is live, as in a class), then forks it again and again
as a follower would, and measures each fork:

- the POST of the "Try it yourself" form until its redirect (the log copied);
- from the POST until the fork's snapshot reaches a websocket opened on it
  with the cookie the redirect set (the copy replayed and usable);
- for reference, replaying the same log in this process (`log.restore`).

Figures go to docs/performance.md ("A class").
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookiejar
import json
import os
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.bench_web import Client, Server, manifest

MIX = [
    "kubectl scale deploy web --replicas={n}",
    "kubectl get pods -o wide",
    "curl -s http://web.example.com/",
    "kubectl get endpoints web",
    "kubectl label deploy web step=s{i} --overwrite",
    "kubectl describe svc web",
    "sleep 1",
    "kubectl get svc,ep | grep web",
    "kubectl exec deploy/web -- curl -s http://web",
    "nslookup web",
]


def lines(count: int) -> list[str]:
    return [MIX[i % len(MIX)].format(n=2 + i % 4, i=i) for i in range(count)]


class Talker(Client):
    """A client that waits for replies (the benchmark's presenter)."""

    async def message(self) -> dict:
        while True:
            head = await self.reader.readexactly(2)
            n = head[1] & 0x7F
            if n == 126:
                n = int.from_bytes(await self.reader.readexactly(2))
            elif n == 127:
                n = int.from_bytes(await self.reader.readexactly(8))
            payload = await self.reader.readexactly(n)
            if head[0] & 0x0F == 1:
                return json.loads(payload)

    async def until(self, kind: str, request_id=None) -> dict:
        while True:
            message = await self.message()
            if message["type"] == "error" and message.get("id") == request_id is not None:
                raise RuntimeError(message["message"])
            if message["type"] == kind and (request_id is None or message.get("id") == request_id):
                return message


def django_on(database: Path) -> None:
    """Django in this process, on the benchmark server's database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()


def fill(code: str, commands: list[str]) -> None:
    """The room's log, as running `commands` one by one would have written it."""
    from django.db import connection

    from playground.models import Room, RoomEvent

    room = Room.objects.get(code=code)
    RoomEvent.objects.bulk_create(
        RoomEvent(room=room, index=i, op={"op": "run", "line": line, "by": {"role": "presenter"}})
        for i, line in enumerate(commands)
    )
    connection.close()  # SQLite: no lock of this process's may stand in the server's way


async def present(server: Server, code: str) -> Talker:
    """The presenter in the room: it is loaded (replayed) and live, as in a class."""
    presenter = Talker()
    await presenter.connect(server.port, code, server.presenters[code])
    await presenter.until("snapshot")
    return presenter


def fork_once(server: Server, code: str) -> tuple[float, float, str]:
    """(seconds to the redirect, seconds to the fork's snapshot, its code) for one fork."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{server.url}/rooms/{code}/").read()  # a follower's page: their cookies
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(
        f"{server.url}/rooms/{code}/fork/",
        data=data,
        headers={"Referer": f"{server.url}/rooms/{code}/"},
    )
    no_redirect = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    started = time.perf_counter()
    try:
        no_redirect.open(request)
        raise RuntimeError("the fork did not redirect")
    except urllib.error.HTTPError as redirect:
        if redirect.code != 302:
            raise
        location = redirect.headers["Location"]
    redirected = time.perf_counter() - started
    fork = re.fullmatch(r"/rooms/([a-z0-9]+)/", location).group(1)
    cookie = next(c for c in jar if c.name.startswith("kubeplay_presenter_"))

    async def snapshot() -> None:
        owner = Talker()
        await owner.connect(server.port, fork, f"{cookie.name}={cookie.value}")
        await owner.until("snapshot")
        owner.writer.close()

    asyncio.run(snapshot())
    return redirected, time.perf_counter() - started, fork


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def replay_seconds(code: str) -> float:
    """Replaying the room's stored log in this process."""
    from playground.models import Room, RoomEvent
    from playground.rooms.log import restore

    room = Room.objects.get(code=code)
    ops = list(RoomEvent.objects.filter(room=room).values_list("op", flat=True))
    started = time.perf_counter()
    restore(room.seed, room.manifests, ops)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=2000)
    parser.add_argument("--forks", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        server = Server(Path(workdir))
        try:
            code = server.create_room(manifest(3))
            django_on(Path(workdir) / "bench.sqlite3")
            fill(code, lines(args.commands))
            loop = asyncio.new_event_loop()
            started = time.perf_counter()
            presenter = loop.run_until_complete(present(server, code))
            print(
                f"room with {args.commands} commands in its log, opened (replayed) in "
                f"{time.perf_counter() - started:.1f} s"
            )
            forks = [fork_once(server, code) for _ in range(args.forks)]
            presenter.writer.close()
            redirects = [f[0] * 1000 for f in forks]
            usable = [f[1] * 1000 for f in forks]
            print(
                f"fork, POST to redirect: median {statistics.median(redirects):.0f} ms "
                f"(min {min(redirects):.0f}, max {max(redirects):.0f})"
            )
            print(
                f"fork, POST to the fork's snapshot: median {statistics.median(usable):.0f} ms "
                f"(min {min(usable):.0f}, max {max(usable):.0f})"
            )
            replays = [replay_seconds(code) for _ in range(3)]
            median = statistics.median(replays) * 1000
            print(f"replaying the log in one process: median {median:.0f} ms")
        finally:
            server.close()


if __name__ == "__main__":
    sys.exit(main())
