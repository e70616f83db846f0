"""What a room costs the server: memory, log, and the time to unload and to reload it.

Run: `python -m benchmarks.bench_rooms` (`--quick`: shorter runs, 2,000 pods).
In this process, against a throw-away SQLite database, with rooms run as the
server runs them (a worker process each, playground/rooms/worker.py):

- memory: the pages each room's worker holds on its own (what its exit frees;
  the rest is shared with the zygote it was forked from), for an idle room of
  the kubia example and for a room of 10,000 pods;
- log: the bytes (and rows) a room's log gains in a minute of an idle playing
  clock, and of a 100 requests/s stream, given per hour;
- unload and reload: from an idle room's unload to its worker gone, and from
  opening a room of 10,000 pods with a 200-command log to its snapshot.

Figures go to docs/performance.md ("What a room costs") and the README.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Quiet:
    """A viewer that reads nothing (frames still go out to it)."""

    def __init__(self, name: str) -> None:
        self.viewer = name

    async def forward(self, text: str) -> None:
        pass


async def log_size(room) -> tuple[int, int]:
    from playground.models import RoomEvent

    ops = [op async for op in RoomEvent.objects.filter(room=room).values_list("op", flat=True)]
    import json

    return len(ops), sum(len(json.dumps(op)) for op in ops)


async def watch(code: str, name: str):
    from playground import rooms

    view = await rooms.open_room(code)
    viewer = Quiet(name)
    await view.join(viewer)
    return view, viewer


async def measure(args) -> dict:
    from asgiref.sync import sync_to_async

    from benchmarks.bench_web import manifest
    from playground import rooms
    from playground.models import Room
    from playground.rooms.worker_process import ZYGOTE

    await asyncio.to_thread(ZYGOTE.warm)
    make = sync_to_async(lambda text: rooms.create_room(text)[0])
    figures: dict = {}

    # Memory: idle rooms of the kubia example, then one of many pods.
    idle = [await make(manifest(3)) for _ in range(5)]
    for room in idle:
        await watch(room.code, "m")
    await asyncio.sleep(1)
    figures["idle_mib"] = statistics.median(
        rooms.loaded(r.code).worker.memory() / 2**20 for r in idle
    )
    big = await make(manifest(args.pods))
    await watch(big.code, "m")
    await asyncio.sleep(1)
    figures["pods"] = args.pods
    figures["big_mib"] = rooms.loaded(big.code).worker.memory() / 2**20

    # Log bytes: a playing idle clock, then a stream of 100 requests a second.
    clock = await make(manifest(3))
    await Room.objects.filter(pk=clock.pk).aupdate(playing=True)
    view, viewer = await watch(clock.code, "clock")
    before = await log_size(clock)
    await asyncio.sleep(args.seconds)
    await rooms.loaded(clock.code).set_clock(False, None)  # writes what the log lacks
    after = await log_size(clock)
    figures["idle_rows_hour"] = (after[0] - before[0]) * 3600 / args.seconds
    figures["idle_bytes_hour"] = (after[1] - before[1]) * 3600 / args.seconds
    stream = await make(manifest(3))
    view, viewer = await watch(stream.code, "stream")
    live = rooms.loaded(stream.code)
    before = await log_size(stream)
    await live.start_stream("http://web.example.com/", "host", 100.0)
    await asyncio.sleep(args.seconds)
    await live.stop_stream(None)
    await live.set_clock(False, None)
    after = await log_size(stream)
    figures["stream_rows_hour"] = (after[0] - before[0]) * 3600 / args.seconds
    figures["stream_bytes_hour"] = (after[1] - before[1]) * 3600 / args.seconds

    # Unload, and reload: a room of many pods with a 200-command log.
    for i in range(200):
        await rooms.loaded(big.code).run_command(f"kubectl label pod -l app=web n={i} --overwrite")
    view = rooms.view(big.code)
    for quiet in list(view.viewers.by_id.values()):
        view.leave(quiet)
    live = rooms.loaded(big.code)
    await asyncio.sleep(0.2)
    started = time.perf_counter()
    await live.unload()
    figures["unload_s"] = time.perf_counter() - started
    started = time.perf_counter()
    view = await rooms.open_room(big.code)
    await view.join(Quiet("back"))
    figures["reload_s"] = time.perf_counter() - started
    await rooms.reset()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pods", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=60.0, help="each log run's length")
    parser.add_argument("--quick", action="store_true", help="2,000 pods, 5 s runs")
    args = parser.parse_args()
    if args.quick:
        args.pods, args.seconds = 2000, 5.0
    workdir = tempfile.mkdtemp()
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    f = asyncio.run(measure(args))
    print(f"memory of an idle room (its worker's own pages): {f['idle_mib']:.1f} MiB (median of 5)")
    print(
        f"a room of {f['pods']:,} pods: {f['big_mib']:.0f} MiB, "
        f"{(f['big_mib'] - f['idle_mib']) * 10_000 / f['pods']:.0f} MiB per 10,000 pods"
    )
    print(
        f"log of an idle playing clock: {f['idle_rows_hour']:.0f} rows, "
        f"{f['idle_bytes_hour']:,.0f} bytes an hour"
    )
    print(
        f"log of a 100 requests/s stream: {f['stream_rows_hour']:,.0f} rows, "
        f"{f['stream_bytes_hour'] / 1024:,.0f} KiB an hour"
    )
    print(
        f"unload (log written, worker gone): {f['unload_s'] * 1000:.0f} ms; "
        f"reload of {f['pods']:,} pods and 200 commands, to its snapshot: {f['reload_s']:.2f} s"
    )


if __name__ == "__main__":
    main()
