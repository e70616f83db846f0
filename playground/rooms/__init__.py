"""The composition point between the web and the simulator (docs/architecture.md, "Rooms").

Views and consumers ask this package's public face, below; it alone turns a
stored room into a live `simulator.Cluster` and back, and it asks the
simulator only through `simulator`'s top-level names. Each module has one job:

- `catalog`: the built-in examples;
- `creation`: validating manifests as the home page types, creating rooms;
- `log`: a room's log, its replay, and a live room's writes to it;
- `registry`: the live rooms of this process; `leases`: one process per room;
- `live`: a live room: viewers, lock, commands, clock and streams;
- `ticker`: wall-clock pacing and request streams;
- `frames`: snapshots and frames, from the simulator's change feed;
- `inspector`: what each viewer inspects, worded and refreshed by frames;
- `controls`: the clock and the streams; `rewinding`: back to an earlier point of the log;
- `followers`: capabilities that watch a room's changes (a lesson);
- `roles`: who may do what (capabilities checked for every message);
- `classroom`: a live room's class (participants, the floor, hands, the presenter's
  view);
- `forks`: forks and the presenter's rewind; `classview`: what the presenter sees of the
  class.
- `matrix`: the reachability matrix each viewer has open, refreshed by frames.
"""

from __future__ import annotations

from typing import Any

from simulator import INSPECTABLE_KINDS

from . import roles
from .catalog import default_example, example, examples
from .classroom import clean_name
from .classview import add_progress, class_view
from .creation import create_room, validate
from .followers import Follower
from .followers import register as register_follower
from .forks import fork, rewind, timeline
from .inspector import Target
from .live import LiveRoom, RoomGone, Viewer, group_name
from .log import latest_manifests, replay
from .registry import forget_all, loaded, open_room, reset

__all__ = [
    "INSPECTABLE_KINDS",
    "add_progress",
    "class_view",
    "clean_name",
    "fork",
    "rewind",
    "roles",
    "timeline",
    "Follower",
    "LiveRoom",
    "RoomGone",
    "Target",
    "Viewer",
    "create_room",
    "default_example",
    "example",
    "examples",
    "export_yaml",
    "forget_all",
    "group_name",
    "inspect",
    "latest_manifests",
    "loaded",
    "open_room",
    "register_follower",
    "replay",
    "reset",
    "validate",
]


async def export_yaml(code: str) -> str:
    """The room's cluster as YAML that `kubectl apply -f -` accepts."""
    live = await open_room(code)
    return await live.read(lambda cluster: cluster.export_yaml())


async def inspect(code: str, kind: str, namespace: str, name: str) -> dict[str, Any]:
    """What the inspector shows about one object of the room now (the template's context).

    Raises:
        ValueError: not an object the inspector shows (words a learner can act on).
        RoomGone: no such room, or another server process runs it.
    """
    target = Target.parse(kind, namespace, name)
    live = await open_room(code)
    return await live.inspect(target)
