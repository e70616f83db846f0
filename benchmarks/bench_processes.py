"""Rooms over several server processes: a class of followers on two daphne processes that share
a real Redis, and the takeover of a room whose owner is killed.

Run: `python -m benchmarks.bench_processes` (`--quick`: 100 followers for 5 s, two takeovers).
It starts Debian's redis-server on a free port (no persistence, a temporary
directory) and the server as an operator does: `manage.py serve --processes 2`
with `REDIS_URL` set (docs/architecture.md, "Running and scaling"), on a
throw-away SQLite file. Then:

1. fan-out: one room, opened first on the first process (so that process owns
   it and runs its simulator), `--clients` followers split evenly between the
   two processes, the presenter (on the owner's process) streaming `--rate`
   requests a second: delay from each frame's event (its `at`, stamped on the
   tick that made its traces) to its arrival at each follower, p50/p99/max, on
   each process and over all, and frames missed (gaps in `seq`);
2. takeover, `--takeovers` times: a new room owned by one process, streaming,
   `--watchers` followers on the other; the owner's daphne is killed
   (SIGKILL, as a crash; `serve` starts it again), and each follower on the
   survivor records when the new owner's snapshot arrives and when its first
   frame with traces does (the stream resumed), measured from the kill; then
   frames of the new epoch are checked for gaps.

Figures go to docs/performance.md ("A class over two processes", "Takeover").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks.bench_web import ROOT, manifest, percentile, run_viewers
from tests.fixtures.servers import Redis, create_room, free_port, server_env
from tests.fixtures.wsclient import Closed, WebSocket

FRAME = re.compile(rb'\{"type":"frame","epoch":"(?P<epoch>\w+)","seq":(?P<seq>\d+),')


class Servers:
    """redis-server and `manage.py serve --processes N`, as an operator runs them."""

    def __init__(self, workdir: Path, log: Path | None = None, processes: int = 2) -> None:
        self.log = log or workdir / "serve.log"
        self.redis = Redis()
        self.env = server_env(
            workdir / "bench.sqlite3", REDIS_URL=self.redis.url, KUBEPLAY_ROOMS_PER_MINUTE="1000"
        )
        self.port = self._free_ports(processes)
        self.ports = [self.port + i for i in range(processes)]
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--processes", str(processes)]
            + ["--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("wb"),
        )
        for port in self.ports:
            self.wait_for(port)

    @staticmethod
    def _free_ports(count: int) -> int:
        """A first port with `count` free ports from it."""
        while True:
            first = free_port()
            try:
                for port in range(first, first + count):
                    with socket.socket() as probe:
                        probe.bind(("127.0.0.1", port))
                return first
            except OSError:
                continue

    def url(self, port: int) -> str:
        return f"http://127.0.0.1:{port}"

    def wait_for(self, port: int, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
                    conn.sendall(b"HEAD / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    if conn.recv(5) == b"HTTP/":
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"daphne on port {port} did not start")

    def daphne_pid(self, port: int) -> int:
        """The daphne process `serve` runs on `port` (it changes when one is started again)."""
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                args = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            mine = int(stat[1]) == self.process.pid and b"-p" in args
            if mine and args[args.index(b"-p") + 1] == str(port).encode():
                return int(entry.name)
        raise RuntimeError(f"no daphne on port {port}")

    def close(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.redis.close()


async def open_on(port: int, code: str, cookie: str = "") -> WebSocket:
    """A viewer that waits for its snapshot (the first one to come loads the room there)."""
    socket = await WebSocket.connect(port, f"/ws/rooms/{code}/", cookie=cookie)
    while (await socket.receive(60))["type"] != "snapshot":
        pass
    return socket


def own(servers: Servers, port: int, code: str) -> None:
    """Make the process on `port` load (and so own) room `code`."""

    async def visit() -> None:
        (await open_on(port, code)).close()

    asyncio.run(visit())


# == fan-out ================================================================================


def fan_out(servers: Servers, clients: int, rate: float, seconds: float) -> dict:
    """`clients` followers, half on each process, the presenter streaming on the owner's."""
    owner, other = servers.ports[0], servers.ports[1]
    code, cookies = create_room(servers.url(owner), manifest(3))
    own(servers, owner, code)
    start = time.time() + 5.0 + clients / 40  # time for a loaded machine to admit them all
    shares = {owner: clients // 2, other: clients - clients // 2}
    pids = [servers.daphne_pid(port) for port in servers.ports] + [servers.redis.process.pid]
    elapsed = seconds + 1.0

    with ProcessPoolExecutor(2 + 2, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {
            port: pool.submit(
                run_viewers, port, code, n, start, seconds, rate if port == owner else 0, cookies
            )
            for port, n in shares.items()
        }
        # Two more workers only read the clock of the server's processes.
        before = pool.submit(_cpu_of, pids, start)
        after = pool.submit(_cpu_of, pids, start + elapsed)
        results = {port: f.result() for port, f in futures.items()}
        cpu = [b - a for a, b in zip(before.result(), after.result(), strict=True)]
    figures = {"clients": clients, "rate": rate, "seconds": seconds}
    for name, port in (("owner", owner), ("other", other)):
        r = results[port]
        figures[name] = {
            "followers": shares[port],
            "p50": percentile(r["delays"] or [float("nan")], 50),
            "p99": percentile(r["delays"] or [float("nan")], 99),
            "max": max(r["delays"], default=float("nan")),
            "gaps": r["gaps"],
            "admitted": r["admitted"],
            "frames_per_follower": statistics.mean(r["frames"]) / elapsed,
            "traces": (min(r["traces"]), max(r["traces"])),
        }
    delays = [d for r in results.values() for d in r["delays"]]
    figures["p50"], figures["p99"] = percentile(delays, 50), percentile(delays, 99)
    figures["max"] = max(delays)
    figures["gaps"] = sum(r["gaps"] for r in results.values())
    figures["cpu"] = [c / elapsed for c in cpu]
    figures["client_cpu"] = sum(r["cpu"] for r in results.values()) / elapsed
    return figures


def _cpu_of(pids: list[int], moment: float) -> list[float]:
    """At `moment`: the CPU seconds of each of `pids` with its descendants (a daphne's
    zygote and rooms' workers)."""
    time.sleep(max(0.0, moment - time.time()))
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
            cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def under(pid: int, root: int) -> bool:
        while pid > 1:
            if pid == root:
                return True
            pid = parents.get(pid, 0)
        return False

    return [sum(c for pid, c in cpu.items() if under(pid, root)) for root in pids]


# == takeover ===============================================================================


class Survivor:
    """A follower on the process that lives: what it heard of the room before and after the
    kill (wall-clock seconds)."""

    def __init__(self, socket: WebSocket) -> None:
        self.socket = socket
        self.epoch = ""
        self.seq = -1
        self.gaps = 0
        self.snapshot_at: float | None = None
        self.first_frame_at: float | None = None
        self.new_epoch = ""
        self.after_kill = False

    async def run(self) -> None:
        try:
            while True:
                payload = await self.socket.receive_raw()
                self.heard(payload, time.time())
        except (Closed, ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            return

    def heard(self, payload: bytes, now: float) -> None:
        if payload.startswith(b'{"type":"snapshot"'):
            snapshot = json.loads(payload)
            if self.after_kill and snapshot["epoch"] != self.epoch and self.snapshot_at is None:
                self.snapshot_at, self.new_epoch = now, snapshot["epoch"]
            self.epoch, self.seq = snapshot["epoch"], snapshot["seq"]
            return
        head = FRAME.match(payload)
        if head is None:
            return
        epoch, seq = head["epoch"].decode(), int(head["seq"])
        if epoch == self.epoch and seq != self.seq + 1:
            self.gaps += 1
        self.epoch, self.seq = epoch, seq
        if epoch == self.new_epoch and self.first_frame_at is None and payload.count(b'"outcome":'):
            self.first_frame_at = now


async def takeover(servers: Servers, owner: int, other: int, watchers: int, rate: float) -> dict:
    code, cookies = create_room(servers.url(owner), manifest(3))
    presenter = await open_on(owner, code, cookies)  # the owner's process loads the room
    followers = [Survivor(await open_on(other, code)) for _ in range(watchers)]
    readers = [asyncio.create_task(f.run()) for f in followers]
    presenter.send(
        {"type": "traffic", "action": "start", "url": "http://web.example.com/",
         "source": "host", "rate": rate}
    )  # fmt: skip
    await asyncio.sleep(3.0 + (hash(code) % 1000) / 1000)  # a random moment of the lease
    pid = servers.daphne_pid(owner)
    for f in followers:
        f.after_kill = True
    killed = time.time()
    os.kill(pid, signal.SIGKILL)
    presenter.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(f.first_frame_at is None for f in followers):
        await asyncio.sleep(0.05)
    await asyncio.sleep(1.0)  # frames of the new epoch, checked for gaps
    for task in readers:
        task.cancel()
    for f in followers:
        f.socket.send({"type": "traffic", "action": "stop"})  # refused: followers may not
        f.socket.close()
    # Stop the stream as its presenter (the room runs on the survivor now).
    if all(f.first_frame_at is not None for f in followers):
        stopper = await open_on(other, code, cookies)
        stopper.send({"type": "traffic", "action": "stop"})
        await asyncio.sleep(0.2)
        stopper.close()
    return {
        "snapshot": [f.snapshot_at - killed for f in followers if f.snapshot_at],
        "frame": [f.first_frame_at - killed for f in followers if f.first_frame_at],
        "missing": sum(f.first_frame_at is None for f in followers),
        "gaps": sum(f.gaps for f in followers),
    }


def takeovers(servers: Servers, rounds: int, watchers: int, rate: float) -> list[dict]:
    results = []
    for i in range(rounds):
        owner, other = servers.ports[i % 2], servers.ports[(i + 1) % 2]
        servers.wait_for(owner)  # started again after an earlier round's kill
        servers.wait_for(other)
        results.append(asyncio.run(takeover(servers, owner, other, watchers, rate)))
        r = results[-1]
        print(
            f"  takeover {i + 1}: snapshot after {max(r['snapshot'], default=float('nan')):.2f} s, "
            f"first frame after {max(r['frame'], default=float('nan')):.2f} s "
            f"(slowest of {watchers}); {r['missing']} never resumed; gaps {r['gaps']}",
            flush=True,
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=2000, help="followers (default 2,000)")
    parser.add_argument("--rate", type=float, default=100, help="requests a second (100)")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--takeovers", type=int, default=6, help="rounds (default 6)")
    parser.add_argument("--watchers", type=int, default=20, help="followers per takeover (20)")
    parser.add_argument("--skip-fan-out", action="store_true")
    parser.add_argument("--log", type=Path, help="where the servers' log goes (a temporary file)")
    parser.add_argument("--quick", action="store_true", help="100 followers, 5 s, 2 takeovers")
    args = parser.parse_args()
    if args.quick:
        args.clients, args.seconds, args.takeovers, args.watchers = 100, 5, 2, 5
    with tempfile.TemporaryDirectory() as workdir:
        servers = Servers(Path(workdir), args.log)
        try:
            if not args.skip_fan_out:
                f = fan_out(servers, args.clients, args.rate, args.seconds)
                print(
                    f"fan-out: {f['clients']} followers over 2 processes sharing Redis, "
                    f"the presenter's stream {f['rate']:g} req/s for {f['seconds']:g} s"
                )
                for name in ("owner", "other"):
                    p = f[name]
                    print(
                        f"  {name} process ({p['followers']} followers, {p['admitted']} "
                        "in the room when the stream started): "
                        f"{p['frames_per_follower']:.1f} frames/s each, p50 {p['p50']:.1f} ms, "
                        f"p99 {p['p99']:.1f} ms, max {p['max']:.1f} ms, gaps {p['gaps']}, "
                        f"traces {p['traces'][0]}..{p['traces'][1]}"
                    )
                print(
                    f"  all: event -> delivery p50 {f['p50']:.1f} ms, p99 {f['p99']:.1f} ms, "
                    f"max {f['max']:.1f} ms; frames missed (seq gaps) {f['gaps']}"
                )
                owner_cpu, other_cpu, redis_cpu = f["cpu"]
                print(
                    f"  CPU: owner's daphne (with the room's worker) {owner_cpu:.0%}, "
                    f"other daphne {other_cpu:.0%}, redis {redis_cpu:.0%}, "
                    f"clients {f['client_cpu']:.0%}"
                )
            if args.takeovers:
                print(
                    f"takeover: owner killed (SIGKILL) while streaming {args.rate:g} req/s, "
                    f"{args.watchers} followers on the other process"
                )
                results = takeovers(servers, args.takeovers, args.watchers, args.rate)
                frames = [max(r["frame"], default=float("inf")) for r in results]
                print(
                    f"  kill -> first frame of the new owner (slowest follower): median "
                    f"{statistics.median(frames):.2f} s, max {max(frames):.2f} s; "
                    f"never resumed {sum(r['missing'] for r in results)}, "
                    f"gaps {sum(r['gaps'] for r in results)}"
                )
        finally:
            servers.close()


if __name__ == "__main__":
    main()
