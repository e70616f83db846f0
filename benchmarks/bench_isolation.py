"""No room can stall another: other rooms' frames and pages while one room does its largest work.

Run: `python -m benchmarks.bench_isolation` (`--quick`: 2,000 pods, one round).
It starts daphne (production settings, its own SQLite file) once per way of
running a room's simulator (`KUBEPLAY_ROOM_WORKER`: `process`, the server's
way; `thread`; `inline`, on the event loop), alternating them for `--rounds`
rounds, and in each:

- three other rooms, each with five viewers and a stream of 16 requests a
  second (a frame every tick), and one busy room;
- the busy room applies a Deployment of `--pods` replicas (5,000: about what
  the 50 nodes a room may hold run, playground/limits.py; the figures in
  docs/performance.md were taken with 20,000, before rooms had a capacity),
  while a client loads another room's page
  every 50 ms; then it runs the flood: 20 sockets send 2,000 messages each;
- measured at the other rooms' viewers: the worst and the 99th-percentile
  gap between two frames while the work runs (a tick is 62.5 ms), and the
  page loads' median and worst time.

The server runs at niceness -10 when the benchmark runs as root (`--niceness`),
so that other work on a shared machine disturbs it less. Figures go to
docs/performance.md ("Rooms never stall each other").
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks.bench_web import FRAME_HEAD, manifest
from tests.fixtures.servers import Daphne, create_room, server_env
from tests.fixtures.wsclient import Closed, WebSocket

OTHER_ROOMS = 3
VIEWERS = 5
FLOOD_SOCKETS = 20
FLOOD_MESSAGES = 2000


class Watcher:
    """A viewer of another room: when each frame's tick began (`at`, the server's clock) and
    when it arrived. Gaps between ticks show the server's event loop stalling; the delay
    to arrival adds the sending (and this process's own reading)."""

    def __init__(self, socket: WebSocket) -> None:
        self.socket = socket
        self.frames: list[tuple[float, float]] = []  # (at, arrived), wall-clock seconds

    async def run(self) -> None:
        try:
            while True:
                payload = await self.socket.receive_raw()
                head = FRAME_HEAD.match(payload)
                if head is not None:
                    self.frames.append((float(head["at"]) / 1000, time.time()))
        except (Closed, ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            return

    def gaps(self, start: float, end: float) -> list[float]:
        """The time from each frame's arrival to the next one's (the viewer's experience)."""
        inside = [arrived for _, arrived in self.frames if start <= arrived <= end]
        return [b - a for a, b in zip(inside, inside[1:], strict=False)]

    def tick_gaps(self, start: float, end: float) -> list[float]:
        inside = [at for at, arrived in self.frames if start <= arrived <= end]
        return [b - a for a, b in zip(inside, inside[1:], strict=False)]


async def open_viewer(port: int, code: str, cookie: str = "") -> WebSocket:
    socket = await WebSocket.connect(port, f"/ws/rooms/{code}/", cookie=cookie)
    while (await socket.receive(60))["type"] != "snapshot":
        pass
    return socket


def progress(text: str) -> None:
    print(f"  ... {text}", file=sys.stderr, flush=True)


def page_load(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
    return time.perf_counter() - started


async def load_pages(url: str, until: asyncio.Event) -> list[float]:
    times = []
    while not until.is_set():
        times.append(await asyncio.to_thread(page_load, url))
        await asyncio.sleep(0.05)
    return times


async def flood(port: int, code: str) -> int:
    """20 sockets, 2,000 messages each, as fast as they go; the errors answered at once."""

    async def one() -> int:
        refused = 0
        socket = None
        try:
            # The server drops a flooding connection unread: it may be gone at any point.
            socket = await open_viewer(port, code)
            for i in range(FLOOD_MESSAGES):
                socket.send({"type": "ping", "id": i})
            await socket.writer.drain()
            while True:
                message = await socket.receive(2)
                refused += message["type"] == "error"
        except (TimeoutError, Closed, ConnectionError, asyncio.IncompleteReadError):
            pass
        if socket is not None:
            socket.close()
        return refused

    return sum(await asyncio.gather(*(one() for _ in range(FLOOD_SOCKETS))))


def run_flood(port: int, code: str) -> int:
    return asyncio.run(flood(port, code))


async def measure(server: Daphne, pods: int) -> dict:
    # Each room's presenter (its creator's cookie) runs its stream and its commands.
    others = [create_room(server.url, manifest(3)) for _ in range(OTHER_ROOMS)]
    busy, presenter = create_room(server.url, manifest(3))
    watchers, sockets = [], []
    for code, cookie in others:
        for i in range(VIEWERS):
            socket = await open_viewer(server.port, code, cookie if i == 0 else "")
            sockets.append(socket)
            if i == 0:
                socket.send({"type": "traffic", "action": "start", "source": "host",
                             "url": "http://web.example.com/", "rate": 16})  # fmt: skip
            watchers.append(Watcher(socket))
    tasks = [asyncio.create_task(w.run()) for w in watchers]
    progress("viewers joined")
    driver = await open_viewer(server.port, busy, presenter)
    await asyncio.sleep(3)
    figures = {"baseline": max(g for w in watchers for g in w.gaps(time.time() - 2, 1e12))}

    progress("applying")
    done = asyncio.Event()
    pages = asyncio.create_task(load_pages(f"{server.url}/rooms/{others[0][0]}/", done))
    started = time.time()
    driver.send({"type": "command", "id": 1, "line": "kubectl apply -f -", "stdin": manifest(pods)})
    while (reply := await driver.receive(600)).get("id") != 1:
        pass
    ended = time.time()
    await asyncio.sleep(0.5)
    done.set()
    loads = await pages
    gaps = [g for w in watchers for g in w.gaps(started, ended + 0.5)]
    ticks = [g for w in watchers for g in w.tick_gaps(started, ended + 0.5)]
    figures.update(
        worst_tick=max(ticks),
        apply_seconds=ended - started,
        applied=reply.get("exitCode") == 0,
        worst_gap=max(gaps),
        p99_gap=sorted(gaps)[int(0.99 * (len(gaps) - 1))],
        page_p50=statistics.median(loads),
        page_max=max(loads),
    )

    progress("flooding")
    # From another process: making 40,000 frames would stall this one's clock.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        await asyncio.get_running_loop().run_in_executor(pool, int, 0)  # started
        started = time.time()
        refused = await asyncio.get_running_loop().run_in_executor(
            pool, run_flood, server.port, busy
        )
        ended = time.time()
    gaps = [g for w in watchers for g in w.gaps(started, ended)]
    ticks = [g for w in watchers for g in w.tick_gaps(started, ended)]
    figures.update(
        flood_seconds=ended - started,
        flood_refused=refused,
        flood_worst=max(gaps),
        flood_worst_tick=max(ticks),
    )
    for task in tasks:
        task.cancel()
    for socket in [*sockets, driver]:
        socket.close()
    return figures


def run(mode: str, pods: int, workdir: Path, niceness: int) -> dict:
    env = server_env(
        workdir / f"{mode}.sqlite3",
        KUBEPLAY_ROOM_WORKER=mode,
        KUBEPLAY_ROOMS_PER_MINUTE="1000",
    )
    server = Daphne(env, niceness=niceness)
    try:
        return asyncio.run(measure(server, pods))
    finally:
        server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pods", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--modes", default="process,thread,inline")
    parser.add_argument("--quick", action="store_true", help="2,000 pods, one round, process only")
    parser.add_argument(
        "--niceness",
        type=int,
        default=-10 if os.geteuid() == 0 else 0,
        help="the server's niceness (default -10 as root: a shared machine's other work "
        "then disturbs the figures less; room workers run 5 below it)",
    )
    args = parser.parse_args()
    if args.quick:
        args.pods, args.rounds, args.modes = 2000, 1, "process"
    modes = args.modes.split(",")
    print(f"one room applies {args.pods:,} pods; {OTHER_ROOMS} other rooms, {VIEWERS} viewers each")
    with tempfile.TemporaryDirectory() as workdir:
        for round_ in range(args.rounds):
            order = modes if round_ % 2 == 0 else modes[::-1]
            for mode in order:
                f = run(mode, args.pods, Path(workdir) / str(round_), args.niceness)
                ms = {k: v * 1000 for k, v in f.items() if isinstance(v, float)}
                print(
                    f"{mode:8} apply {f['apply_seconds']:.2f} s (applied: {f['applied']}); "
                    f"other rooms' frame gaps: worst {ms['worst_gap']:.0f} ms, "
                    f"p99 {ms['p99_gap']:.0f} ms (before: worst {ms['baseline']:.0f} ms), "
                    f"between ticks at the server: worst {ms['worst_tick']:.0f} ms; "
                    f"page loads p50 {ms['page_p50']:.0f} ms, worst {ms['page_max']:.0f} ms"
                )
                print(
                    f"{'':8} flood of {FLOOD_SOCKETS}x{FLOOD_MESSAGES:,} messages: "
                    f"{f['flood_seconds']:.1f} s, {f['flood_refused']:,} answered with an error, "
                    f"other rooms' worst frame gap {ms['flood_worst']:.0f} ms "
                    f"(between ticks at the server {ms['flood_worst_tick']:.0f} ms)",
                    flush=True,
                )


if __name__ == "__main__":
    main()
