"""The process room workers are forked from: Django and the simulator loaded once.

A server process starts one zygote (`python -m playground.zygote FD`,
a Unix socket to it on FD). For each room it loads, it sends the zygote one
end of a socket pair; the zygote forks, and the child serves that room's
engine over it (`worker.serve`) until the socket closes. A fork shares the
loaded modules with its siblings, so a worker starts in milliseconds.

Written rather than taken from `multiprocessing`'s forkserver, which re-runs
the server's main module in every child (daphne's starts a server).
Workers die with the zygote (`PR_SET_PDEATHSIG`), and the zygote with the
server process (its socket closes: it waits on nothing else). It lives outside
playground/rooms/ so that Django is set up before that package is imported.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import socket
import struct
import sys

PID = struct.Struct("!I")
#: How much lower than the server's a room worker's CPU priority is.
WORKER_NICENESS = 5


def main(control_fd: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server; it ends us
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
    import django

    django.setup()  # the inspector renders Django templates in the workers
    from playground.rooms.worker_process import serve, warm_up

    warm_up()  # what a room's first command would import, imported once for all
    gc.freeze()  # loaded for good: the workers' collections need not scan it

    control = socket.socket(fileno=control_fd)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 16, 1)
        except OSError:
            return
        if not message or not fds:
            return  # the server process is gone
        pid = os.fork()
        if pid == 0:
            control.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            _die_with_parent()
            # Below the server process: when both want the CPU, frames go out first.
            os.nice(WORKER_NICENESS)
            code = 0
            try:
                serve(socket.socket(fileno=fds[0]))
            except BaseException:  # noqa: BLE001 - reported; a worker never returns
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        os.close(fds[0])
        control.sendall(PID.pack(pid))


def _die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


if __name__ == "__main__":
    main(int(sys.argv[1]))
