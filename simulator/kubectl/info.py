"""`kubectl version`, `api-resources` and `cluster-info`: what the simulated cluster serves."""

from __future__ import annotations

from simulator import kinds
from simulator.version import KUBERNETES_VERSION, KUSTOMIZE_VERSION

from .context import Context
from .errors import error
from .tabwriter import render_table


def version(ctx: Context) -> None:
    """`kubectl version [--client]`: client, kustomize and server versions."""
    if ctx.args.get("output") is not None:
        raise error(
            "`kubectl version -o json|yaml` is not available in this playground (it would "
            "print build details this simulation does not have): run `kubectl version`"
        )
    lines = [f"Client Version: {KUBERNETES_VERSION}", f"Kustomize Version: {KUSTOMIZE_VERSION}"]
    if not ctx.args.get("client"):
        # The apiserver is the same release as kubectl here: no version-skew warning.
        lines.append(f"Server Version: {KUBERNETES_VERSION}")
    ctx.print("\n".join(lines))


def api_resources(ctx: Context) -> None:
    """`kubectl api-resources [--namespaced=BOOL] [-o name]`: the types the cluster serves."""
    wanted = ctx.args.get("namespaced")
    types = [t for t in kinds.RESOURCE_TYPES if wanted is None or t.namespaced == wanted]
    types.sort(key=lambda t: (t.group != "", t.group, t.plural))
    output = ctx.args.get("output")
    if output == "name":
        ctx.print("\n".join(f"{t.plural}.{t.group}" if t.group else t.plural for t in types))
        return
    if output not in (None, "wide"):
        raise error(f"--output {output} is not available")
    rows = [["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]]
    rows += [[t.plural, ",".join(t.short_names), t.api_version, str(t.namespaced).lower(), t.kind]
             for t in types]  # fmt: skip
    ctx.out.append(render_table(rows))


def cluster_info(ctx: Context) -> None:
    """`kubectl cluster-info`: where the control plane and CoreDNS answer."""
    server = "https://192.168.49.2:6443"
    for node in ctx.state.store.list("Node"):
        if "node-role.kubernetes.io/control-plane" in (node["metadata"].get("labels") or {}):
            for address in (node.get("status") or {}).get("addresses") or ():
                if address.get("type") == "InternalIP":
                    server = f"https://{address['address']}:6443"
    # kubectl colours these names on a terminal; the playground prints plain text.
    ctx.print(
        f"Kubernetes control plane is running at {server}\n"
        f"CoreDNS is running at {server}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy"
        "\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'."
    )
