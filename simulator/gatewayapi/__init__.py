"""The Gateway API as NGINX Gateway Fabric implements it: pure functions over API objects.

Modules, each with one job:

* `hostnames` - wildcard matching and listener/route hostname intersection;
* `matching` - HTTPRoute matches and their precedence;
* `filters` - redirects, rewrites and header modifiers;
* `model` - conditions and the resolved graph's values;
* `listeners`, `routes`, `graph` - what the controller resolves from the objects: valid
  listeners, attached routes, resolved backends;
* `status` - the status it writes;
* `table` - what each Gateway's nginx serves, per port and hostname;
* `convert` - Ingress to Gateway API, as ingress2gateway's ingress-nginx provider does.

Nothing here reads the clock, draws random numbers or changes the cluster: the state
applies what these functions compute, and the network layer routes with the tables.
"""

from __future__ import annotations

from .graph import build_graph
from .model import CLASS_NAME, CONTROLLER_NAME, Graph
from .status import graph_statuses, pending_gateway_status
from .table import build_tables, host_addresses

__all__ = [
    "CLASS_NAME",
    "CONTROLLER_NAME",
    "Graph",
    "build_graph",
    "build_tables",
    "graph_statuses",
    "host_addresses",
    "pending_gateway_status",
]
