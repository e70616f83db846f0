"""Benchmark of the playground's live path (issue 5): websocket fan-out and drawing.

Run: `python -m benchmarks.bench_web` (`--quick` for a short run, `--no-browser`
to skip Chromium). It starts daphne in a subprocess with production settings
and a throw-away SQLite database, then measures:

1. fan-out: N followers on one room while its presenter (a client with the
   presenter's cookie) runs a stream of R requests a second: delay from the
   event (the frame's `at`, stamped on the tick that made the traces) to its
   arrival at each follower, p50/p99/max, and whether any follower missed a
   frame (a gap in `seq`) or a trace;
2. drawing, in Debian's headless Chromium: a room of 500 pods drawn one chip
   per pod, a room of 5,000 pods (grouped per workload), and the frame rate
   of the request-dot animation with about 200 dots in flight.

Figures go to docs/performance.md ("Playground"). With `BENCH_PROFILE=FILE`
set, daphne runs under cProfile and writes its profile to FILE when it stops.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import http.cookiejar
import json
import multiprocessing
import os
import re
import secrets
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import uvloop

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"

APP = """apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: luksa/kubia
        ports:
        - containerPort: 8080
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: web.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
"""
NODE = "apiVersion: v1\nkind: Node\nmetadata:\n  name: worker-{i}\n---\n"
PODS_PER_NODE = 110  # the simulated kubelet's maxPods


def manifest(pods: int) -> str:
    """A Deployment of `pods` replicas behind a Service and an Ingress, with nodes for them all."""
    extra_nodes = max(0, -(-pods // PODS_PER_NODE) - 2)
    return "".join(NODE.format(i=i + 3) for i in range(extra_nodes)) + APP.format(replicas=pods)


# == the server =========================================================================


class Server:
    def __init__(self, workdir: Path) -> None:
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "playground.settings",
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        }
        for name in ("DJANGO_DEBUG", "REDIS_URL"):
            self.env.pop(name, None)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=1024)
        self.port = self.listener.getsockname()[1]
        self.presenters: dict[str, str] = {}
        self.url = f"http://127.0.0.1:{self.port}"
        # Static files are served as in the browser tests (there is no front proxy here).
        profile = (
            ["-m", "cProfile", "-o", os.environ["BENCH_PROFILE"]]
            if os.environ.get("BENCH_PROFILE")
            else []
        )
        self.process = subprocess.Popen(
            [sys.executable, *profile, "-m", "daphne", "--fd", str(self.listener.fileno()), "-v0"]
            + ["tests.browser.asgi:application"],
            cwd=ROOT,
            env=self.env,
            pass_fds=[self.listener.fileno()],
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url, timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("daphne did not start")

    def create_room(self, text: str) -> str:
        """Create a room through the home page's form; return its code. Its presenter's
        cookie (`name=value`) is kept in `self.presenters[code]`."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(self.url + "/").read()
        token = next(c.value for c in jar if c.name == "csrftoken")
        data = urllib.parse.urlencode({"manifests": text, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            self.url + "/rooms/", data=data, headers={"Referer": self.url + "/"}
        )
        with opener.open(request) as response:
            match = re.search(r"/rooms/([a-z0-9]+)/$", response.url)
        if not match:
            raise RuntimeError("the room was not created")
        code = match.group(1)
        cookie = next(c for c in jar if c.name.startswith("kubeplay_presenter_"))
        self.presenters[code] = f"{cookie.name}={cookie.value}"
        return code

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.listener.close()


# == a minimal websocket client (RFC 6455: text frames, pings) ==============================


class Client:
    """One viewer: reads every frame, checks `seq` has no gaps, records delays."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.frames = 0
        self.gaps = 0
        self.traces = 0
        self.seq: int | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self, port: int, code: str, cookie: str = "") -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**22)
        key = base64.b64encode(secrets.token_bytes(16)).decode()
        cookie = f"Cookie: {cookie}\r\n" if cookie else ""
        writer.write(
            (
                f"GET /ws/rooms/{code}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Origin: http://127.0.0.1:{port}\r\n{cookie}\r\n"
            ).encode()
        )
        status = await reader.readuntil(b"\r\n\r\n")
        if b" 101 " not in status.split(b"\r\n", 1)[0]:
            raise RuntimeError(f"handshake refused: {status[:80]!r}")
        self.reader, self.writer = reader, writer

    def send(self, message: dict, opcode: int = 1) -> None:
        payload = json.dumps(message).encode() if opcode == 1 else message
        mask = secrets.token_bytes(4)
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.writer.write(header + mask + masked)

    async def read(self) -> None:
        reader = self.reader
        while True:
            head = await reader.readexactly(2)
            opcode, n = head[0] & 0x0F, head[1] & 0x7F
            if n == 126:
                n = struct.unpack("!H", await reader.readexactly(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", await reader.readexactly(8))[0]
            payload = await reader.readexactly(n)
            if opcode == 9:  # ping
                self.send(payload, opcode=10)
                continue
            if opcode == 8:
                return
            self.receive(payload, time.time() * 1000)

    def receive(self, payload: bytes, now_ms: float) -> None:
        # Read only the head of a frame (`type`, `seq`, `at` come first) and count
        # traces in C: one process plays 200 browsers, so it must not be the bottleneck.
        head = FRAME_HEAD.match(payload)
        if head is None:
            if payload.startswith(b'{"type":"snapshot"'):
                self.seq = json.loads(payload)["seq"]
            return
        seq = int(head["seq"])
        if self.seq is not None and seq != self.seq + 1:
            self.gaps += 1
        self.seq = seq
        self.frames += 1
        traces = payload.count(b'"outcome":')
        omitted = TRACES_OMITTED.search(payload)
        if traces or omitted:
            self.traces += traces + (int(omitted[1]) if omitted else 0)
            self.delays.append(now_ms - float(head["at"]))


FRAME_HEAD = re.compile(
    rb'\{"type":"frame","epoch":"\w+","seq":(?P<seq>\d+),"time":[\d.e+-]+,"at":(?P<at>[\d.]+)'
)
TRACES_OMITTED = re.compile(rb'"tracesOmitted":(\d+)')


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def viewers(
    port: int, code: str, count: int, start: float, seconds: float, rate: float, presenter: str
):
    """`count` followers in this process, read from their arrival on; process 0 also has
    the presenter, who drives the stream (rate > 0, `presenter`: the presenter's cookie) and
    is not measured. `admitted`: how many had their snapshot when the stream started."""
    clients = [Client() for _ in range(count)]
    readers = []
    for i in range(0, count, 50):  # a classroom arriving, 50 at a time
        await asyncio.gather(*(c.connect(port, code) for c in clients[i : i + 50]))
        readers += [asyncio.create_task(c.read()) for c in clients[i : i + 50]]
    if rate:
        lead = Client()
        await lead.connect(port, code, presenter)
        readers.append(asyncio.create_task(lead.read()))
    await asyncio.sleep(max(0.0, start - time.time()))
    admitted = sum(c.seq is not None for c in clients)
    for c in clients:  # only frames of the measured period count
        c.delays.clear()
        c.frames = c.traces = c.gaps = 0
    cpu = time.process_time()
    if rate:
        lead.send(
            {"type": "traffic", "action": "start", "url": "http://web.example.com/",
             "source": "host", "rate": rate}
        )  # fmt: skip
    await asyncio.sleep(seconds)
    if rate:
        lead.send({"type": "traffic", "action": "stop"})
    await asyncio.sleep(1.0)  # the last frames arrive
    cpu = time.process_time() - cpu
    for task in readers:
        task.cancel()
    for c in clients + ([lead] if rate else []):
        c.writer.close()
    return {
        "delays": [d for c in clients for d in c.delays],
        "frames": [c.frames for c in clients],
        "traces": [c.traces for c in clients],
        "gaps": sum(c.gaps for c in clients),
        "admitted": admitted,
        "cpu": cpu,
    }


def run_viewers(*args) -> dict:
    # uvloop: the followers stand in for browsers on other machines, so their own reading
    # must cost as little of this machine's cores as it can (asyncio's loop took 1.1 cores
    # for 2,000 followers and its queue for a core showed up as the server's delay).
    return uvloop.run(viewers(*args))


def fan_out(server: Server, clients: int, rate: float, seconds: float, processes: int) -> dict:
    """Viewers spread over `processes` processes, as browsers on many machines would be."""
    code = server.create_room(manifest(3))
    start = time.time() + 3.0 + clients / 100
    shares = [clients // processes + (i < clients % processes) for i in range(processes)]
    elapsed = seconds + 1.0

    def server_cpu_at(moment: float) -> float:
        time.sleep(max(0.0, moment - time.time()))
        return server.cpu_seconds()

    clock = ThreadPoolExecutor(2)
    cpu_before = clock.submit(server_cpu_at, start)
    cpu_after = clock.submit(server_cpu_at, start + elapsed)
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [
            pool.submit(
                run_viewers,
                *(server.port, code, n, start, seconds, rate if i == 0 else 0),
                server.presenters[code],
            )
            for i, n in enumerate(shares)
        ]
        results = [f.result() for f in futures]
    cpu = cpu_after.result() - cpu_before.result()
    clock.shutdown()
    delays = [d for r in results for d in r["delays"]]
    frames = [n for r in results for n in r["frames"]]
    traces = [n for r in results for n in r["traces"]]
    return {
        "clients": clients,
        "processes": processes,
        "rate": rate,
        "seconds": seconds,
        "frames_per_client": statistics.mean(frames) / elapsed,
        "deliveries_per_second": sum(frames) / elapsed,
        "p50": percentile(delays, 50),
        "p99": percentile(delays, 99),
        "max": max(delays),
        "gaps": sum(r["gaps"] for r in results),
        "traces_min": min(traces),
        "traces_max": max(traces),
        "server_cpu": cpu / elapsed,
        "client_cpu": sum(r["cpu"] for r in results) / elapsed,
    }


# == drawing, in Chromium ================================================================


def browser_figures(server: Server) -> dict:
    from playwright.sync_api import sync_playwright

    figures = {}
    args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        # The server sends a strict CSP; the measuring scripts Playwright evaluates are ours.
        page = browser.new_page(viewport={"width": 1366, "height": 768}, bypass_csp=True)

        def open_room(code: str, query: str = "") -> float:
            """Open a room (first viewer: the server replays it); ms from navigation to drawn."""
            page.goto(f"{server.url}/rooms/{code}/{query}")
            page.wait_for_function("window.kubeplay && window.kubeplay.stats.snapshots > 0")
            return page.evaluate("window.kubeplay.stats.drawnAt")

        code = server.create_room(manifest(500))
        figures["500_load_ms"] = open_room(code, "?pods=off")
        figures["500_chips"] = page.locator("svg.diagram .kind-pod").count()
        figures["500_draw_ms"] = page.evaluate("window.kubeplay.stats.snapshotMs")
        page.screenshot(path=ROOT / "var" / "screenshots" / "bench-500-pods.png")

        code = server.create_room(manifest(5000))
        figures["5000_load_ms"] = open_room(code)
        figures["5000_draw_ms"] = page.evaluate("window.kubeplay.stats.snapshotMs")
        figures["5000_chips"] = page.locator("svg.diagram .kind-pod").count()
        page.screenshot(path=ROOT / "var" / "screenshots" / "bench-5000-pods.png")

        code = server.create_room(manifest(3))
        name, value = server.presenters[code].split("=", 1)
        page.context.add_cookies([{"name": name, "value": value, "url": server.url}])
        open_room(code)
        page.evaluate(
            """() => window.kubeplay.socket.notify({type: "traffic", action: "start",
                url: "http://web.example.com/", source: "host", rate: 170})"""
        )
        page.wait_for_function("window.kubeplay.dots.inFlight >= 170", timeout=15_000)
        samples = page.evaluate(
            """() => new Promise((resolve) => {
                const frames = []; const dots = [];
                const start = performance.now();
                function step(now) {
                  frames.push(now); dots.push(window.kubeplay.dots.inFlight);
                  if (now - start < 5000) requestAnimationFrame(step); else resolve({frames, dots});
                }
                requestAnimationFrame(step);
            })"""
        )
        frames = samples["frames"]
        figures["fps"] = (len(frames) - 1) * 1000 / (frames[-1] - frames[0])
        figures["dots_mean"] = statistics.mean(samples["dots"])
        figures["dots_max"] = max(samples["dots"])
        page.screenshot(path=ROOT / "var" / "screenshots" / "bench-dots.png")
        browser.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200, help="followers (default 200)")
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument(
        "--processes", type=int, default=2, help="processes that play the viewers (default 2)"
    )
    parser.add_argument("--quick", action="store_true", help="50 clients for 5 seconds")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium figures")
    args = parser.parse_args()
    if args.quick:
        args.clients, args.seconds = 50, 5
    (ROOT / "var" / "screenshots").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        server = Server(Path(workdir))
        try:
            f = fan_out(server, args.clients, args.rate, args.seconds, args.processes)
            print(
                f"fan-out: {f['clients']} followers in {f['processes']} processes, "
                f"the presenter's stream {f['rate']:g} req/s for {f['seconds']:g} s"
            )
            print(
                f"  frames/s per client {f['frames_per_client']:.1f}, "
                f"deliveries/s {f['deliveries_per_second']:.0f}, "
                f"CPU: server {f['server_cpu']:.0%}, clients {f['client_cpu']:.0%}"
            )
            print(
                f"  event -> delivery: p50 {f['p50']:.1f} ms, p99 {f['p99']:.1f} ms, "
                f"max {f['max']:.1f} ms"
            )
            print(
                f"  frames missed (seq gaps): {f['gaps']}; traces per client: "
                f"{f['traces_min']}..{f['traces_max']}"
            )
            if not args.no_browser:
                b = browser_figures(server)
                print(
                    f"500 pods, one chip each ({b['500_chips']}): drawn in "
                    f"{b['500_draw_ms']:.0f} ms; navigation to drawn {b['500_load_ms']:.0f} ms"
                )
                print(
                    f"5000 pods grouped ({b['5000_chips']} chips): drawn in "
                    f"{b['5000_draw_ms']:.0f} ms; navigation to drawn {b['5000_load_ms']:.0f} ms"
                )
                print(
                    f"dots: {b['fps']:.1f} frames/s with {b['dots_mean']:.0f} dots in flight "
                    f"(max {b['dots_max']})"
                )
        finally:
            server.close()


if __name__ == "__main__":
    main()
