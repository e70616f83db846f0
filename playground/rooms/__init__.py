"""The composition point between the web and the simulator (docs/architecture.md, "Rooms").

Views and consumers ask this package's public face, below; it alone turns a
stored room into a live `simulator.Cluster` and back, and it asks the
simulator only through `simulator`'s top-level names. Each module has one job:

- `catalog`: the built-in examples;
- `creation`: validating manifests as the home page types, creating rooms;
- `wording`: the simulator's keyed sentences in the page's language;
- `log`: a room's log, its replay, and a live room's writes to it;
- `registry`: the rooms of this process: those it runs, those it shows;
- `leases`: one process runs each room; `keeper`: leases renewed, idle rooms unloaded;
- `live`: a room this process runs: its worker, lock, log, commands, clock, streams;
- `view`: a room as this process's viewers see it, wherever it runs;
- `bus`: messages between the server's processes (requests, frames);
- `engine`: a room's cluster and all computed from it, with no I/O;
- `worker`: where an engine runs (a process of its own per room);
- `fanout`: a room's viewers in this process, and the frames kept for resync;
- `ticker`: wall-clock pacing and request streams;
- `frames`: snapshots and frames, from the simulator's change feed;
- `inspector`: what each viewer inspects, worded and refreshed by frames;
- `rewinding`: back to an earlier point of the log (a new engine from the log);
- `followers`: capabilities that watch a room's changes (a lesson), run by its engine;
  `lesson_requests`: a lesson's client messages, answered by the room's owner;
- `roles`: who may do what (capabilities checked for every message);
- `classroom`: a live room's class (participants, the floor, hands, the presenter's
  view), kept by the room's owner;
- `forks`: forks and the rewind timeline; `classview`: what the presenter sees of the
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
from .creation import (
    create_room,
    latest_manifests,
    plain_problem,
    presenter_key,
    validate,
)
from .errors import NoSuchRoom, RoomGone, ServerFull
from .fanout import Viewer
from .followers import Follower
from .followers import register as register_follower
from .forks import fork, timeline
from .inspector import Target
from .live import LiveRoom, group_name
from .log import replay
from .registry import (
    find_owner,
    loaded,
    memory_in_use,
    open_room,
    participant,
    view,
)
from .teardown import forget_all, reset
from .view import RoomView
from .wording import reason_sentences

__all__ = [
    "INSPECTABLE_KINDS",
    "add_progress",
    "class_view",
    "clean_name",
    "fork",
    "roles",
    "timeline",
    "Follower",
    "LiveRoom",
    "NoSuchRoom",
    "RoomGone",
    "RoomView",
    "ServerFull",
    "Target",
    "Viewer",
    "conversions",
    "create_room",
    "default_example",
    "example",
    "examples",
    "export_yaml",
    "find_owner",
    "forget_all",
    "group_name",
    "inspect",
    "latest_manifests",
    "loaded",
    "memory_in_use",
    "open_room",
    "participant",
    "presenter_key",
    "plain_problem",
    "reason_sentences",
    "register_follower",
    "replay",
    "reset",
    "validate",
    "view",
]


async def export_yaml(code: str) -> str:
    """The room's cluster as YAML that `kubectl apply -f -` accepts."""
    return await (await find_owner(code)).call("export_yaml")


async def conversions(code: str) -> list:
    """ "Convert to Gateway API" for the room now: per IngressClass, the Ingresses beside
    the Gateway and HTTPRoutes that replace them (`simulator.IngressConversion`)."""
    return await (await find_owner(code)).call("conversions")


async def inspect(code: str, kind: str, namespace: str, name: str) -> dict[str, Any]:
    """What the inspector shows about one object of the room now (the template's context).

    Raises:
        ValueError: not an object the inspector shows (words a learner can act on).
        RoomGone: no such room, or another server process runs it.
    """
    target = Target.parse(kind, namespace, name)
    owner = await find_owner(code)
    return await owner.call("inspect", [target.kind, target.namespace, target.name])
