"""`kubectl debug node/NAME -it --image=IMAGE`: a shell on a node's network.

As kubectl does (profile `general`), a pod `node-debugger-NODE-XXXXX` is
created on the node with the host's network, PID and IPC namespaces and the
node's root file system at /host, tolerating every taint; with `-it` the
terminal opens a shell in it. The pod stays after the session, as with
kubectl (delete it with `kubectl delete pod NAME`). Debugging a pod with an
ephemeral container is not simulated.
"""

from __future__ import annotations

from simulator.names import generate_suffix

from .applying import create_objects
from .container import Container
from .context import Context
from .errors import KubectlError, error, not_found, usage_error
from .execute import open_session


def debug(ctx: Context) -> None:
    """Run `kubectl debug` (see the module docstring)."""
    a = ctx.args
    if len(a.positional) != 1:
        raise usage_error("NAME is required for debug", "debug")
    target = a.positional[0]
    kind, slash, node = target.partition("/")
    if not slash or kind not in ("node", "nodes", "no"):
        raise error(
            "debugging a pod with an ephemeral container is not available in this playground: "
            f"open a shell in it with `kubectl exec -it {node or target} -- sh`, or debug its "
            "node with `kubectl debug node/NODE -it --image=busybox`"
        )
    if ctx.state.store.get("Node", "", node) is None:
        raise KubectlError(not_found("nodes", node))
    image = a.get("image")
    if not image:
        raise error("--image is required for node debugging")
    name = f"node-debugger-{node}-{generate_suffix(ctx.state.rng)}"[:63]
    pod: dict = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {
            "nodeName": node,
            "hostNetwork": True,
            "hostPID": True,
            "hostIPC": True,
            "restartPolicy": "Never",
            "tolerations": [{"operator": "Exists"}],
            "volumes": [{"name": "host-root", "hostPath": {"path": "/"}}],
            "containers": [
                {
                    "name": "debugger",
                    "image": str(image),
                    "stdin": True,
                    "tty": True,
                    "terminationMessagePolicy": "File",
                    "volumeMounts": [{"name": "host-root", "mountPath": "/host"}],
                }
            ],
        },
    }
    if ctx.explicit_namespace:
        pod["metadata"]["namespace"] = ctx.namespace
    create_objects(ctx, [pod])
    ctx.out.clear()  # kubectl says what it created in its own words
    ctx.print(f"Creating debugging pod {name} with container debugger on node {node}.")
    if a.get("stdin") and a.get("tty"):
        ctx.warn("If you don't see a command prompt, try pressing enter.")
        inside = Container(ctx, ctx.namespace, name, "debugger")
        ctx.session = open_session(ctx, inside, "sh").to_dict()
