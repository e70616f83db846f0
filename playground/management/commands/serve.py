"""`manage.py serve --processes N --port P`: the production server, N daphne processes
(playground/server.py).

Process i listens on port P + i (the front proxy's upstream lists them,
deploy/nginx.conf). With `REDIS_URL` set they share every room: any of them
serves any room's viewers (docs/architecture.md, "Running and scaling"). A
process that dies is started again; SIGTERM or Ctrl-C stops them all.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from playground import limits


class Command(BaseCommand):
    help = "Run N daphne processes on ports P, P+1, ... (behind a TLS-terminating proxy)."

    def add_arguments(self, parser):
        parser.add_argument("--processes", type=int, default=1, help="How many (default 1).")
        parser.add_argument("--port", type=int, default=8001, help="The first port (8001).")
        parser.add_argument("--bind", default="127.0.0.1", help="Address (127.0.0.1).")

    def handle(self, *args, processes=1, port=8001, bind="127.0.0.1", **options):
        if processes < 1:
            raise CommandError("--processes must be at least 1.")
        if processes > 1 and not getattr(settings, "REDIS_URL", None):
            raise CommandError("Several processes share rooms through Redis: set REDIS_URL.")
        running: dict[int, subprocess.Popen] = {}
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while not stopping:
                for i in range(processes):
                    child = running.get(i)
                    if child is None or child.poll() is not None:
                        if child is not None:
                            self.stderr.write(f"daphne on port {port + i} exited; starting again")
                        running[i] = self._start(bind, port + i)
                time.sleep(0.5)
        finally:
            for child in running.values():
                child.terminate()
            for child in running.values():
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()

    def _start(self, bind: str, port: int) -> subprocess.Popen:
        self.stdout.write(f"daphne on http://{bind}:{port}/", ending="\n")
        self.stdout.flush()
        size = str(limits.MAX_TRANSPORT_MESSAGE_BYTES)
        return subprocess.Popen(
            [sys.executable, "-m", "playground.server", "-b", bind, "-p", str(port)]
            # The proxy's X-Forwarded-For is the client (per-client limits count it); a
            # message up to the transport limit gets an error frame rather than a 1009.
            + ["--proxy-headers", "--websocket-max-message-size", size]
            + ["--websocket-max-frame-size", size, "playground.asgi:application"],
            cwd=settings.BASE_DIR,
        )
