"""Every size and rate limit of the web layer, in one place.

A room is shared by a whole classroom, so nothing one browser sends may cost
the others more than a bounded amount of memory or time.
"""

from __future__ import annotations

#: One websocket message (a JSON text frame).
MAX_MESSAGE_BYTES = 64 * 1024
#: A message the server sends in one piece; larger ones go as parts (protocol.split).
#: Characters, kept well under daphne's 1 MiB per message even as UTF-8.
MAX_SERVER_MESSAGE_CHARS = 256 * 1024
#: Manifests pasted on the home page or re-applied in a room (UTF-8 bytes).
MAX_MANIFEST_BYTES = 48 * 1024
#: One command line, as the simulator also limits it.
MAX_COMMAND_CHARS = 4096
#: A URL to request, and a request's source (`host` or `pod/NAMESPACE/NAME`).
MAX_URL_CHARS = 2048
MAX_SOURCE_CHARS = 260
#: Request streams: per stream and for the whole room, in requests per second.
MAX_STREAM_RATE = 200.0
MAX_ROOM_RATE = 400.0
MAX_STREAMS = 4
#: Terminal output returned to the browser that ran the command, and echoed to the others.
MAX_OUTPUT_CHARS = 200_000
MAX_ECHO_CHARS = 4_000
#: Traces drawn per frame (the rest are counted, not sent), and probe runs listed per frame.
MAX_TRACES_PER_FRAME = 120
MAX_PROBES_PER_FRAME = 200
#: Rows of an inspector's selection table (a Service of thousands of pods lists the first).
MAX_SELECTION_ROWS = 200
#: Messages one connection may send: a burst, then a steady rate per second (counted
#: when they arrive, playground/arrivals.py).
MESSAGE_BURST = 40
MESSAGES_PER_SECOND = 20.0
#: Admitted messages of one connection waiting for the room; past it, an error at once.
MESSAGE_QUEUE = 16
#: Messages of one connection refused before the server closes it (4008): a flood,
#: since a browser waits for replies.
MESSAGES_REFUSED_BEFORE_CLOSE = 200
#: The largest websocket message the server reads (daphne's transport limit, set by
#: `manage.py serve`): up to it, a message over MAX_MESSAGE_BYTES gets an error frame;
#: past it, daphne closes the connection with 1009 (Message Too Big).
MAX_TRANSPORT_MESSAGE_BYTES = 4 * 1024 * 1024
#: Simulated-clock speeds a room may run at.
SPEEDS = (0.5, 1.0, 2.0, 5.0, 10.0)

#: A room's capacity, checked by the simulator before any change is applied (an apply,
#: scale, run, expose, patch or edit over a limit is refused whole, with a message that
#: names the limit). The biggest lesson uses a few dozen pods; 20,000 leaves room to see
#: how Services scale, while one room cannot hold the server's memory for long.
ROOM_MAX_REPLICAS = 10_000  # spec.replicas of one Deployment, ReplicaSet or controller
ROOM_MAX_PODS = 20_000  # pods in the room, counting those a change would make
ROOM_MAX_OBJECTS = 5_000  # other objects (Services, workloads, ConfigMaps...), not Endpoints
ROOM_MAX_NODES = 50  # nodes, the three of the default cluster included

# And whatever the simulator lets through, the server's own ceilings on one room's
# worker process (playground/rooms/worker.py): past them the worker is stopped and the
# room reloaded from its log, without the command (which was never acknowledged).
#: Seconds one piece of a room's work may take (a command, a tick, a snapshot).
MAX_WORK_SECONDS = 60.0
#: Memory one room's worker may hold (MiB of its own pages).
MAX_ROOM_MEMORY_MB = 1536
#: Classroom: a command as the rewind timeline shows it, and the presenter's view
#: (zoom factor, the length of a diagram box's id).
MAX_TIMELINE_LINE = 160
ZOOMS = (0.5, 3.0)
MAX_BOX_ID_CHARS = 300
