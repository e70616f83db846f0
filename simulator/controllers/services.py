"""Service address allocation: cluster IPs, NodePorts and load-balancer addresses.

`check` finds every allocation conflict before anything is applied (so a bad
input changes nothing); `allocate` then fills the server-set fields, keeping
an updated Service's existing addresses, as the API server does. These
functions work on the address pools they are given and the Service objects
being stored; they report what the caller must do next (addresses freed,
Services changed) instead of doing it.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.ipam import AllocationError, HostAddressPool, NodePortAllocator, ServiceIPAllocator


@dataclass(frozen=True, slots=True)
class ServiceAddresses:
    """The pools the API server allocates Services' addresses from.

    Attributes:
        cluster_ips: `spec.clusterIP`s from the service CIDR.
        node_ports: NodePorts and health-check ports.
        load_balancers: LoadBalancer addresses (as MetalLB hands them out).
    """

    cluster_ips: ServiceIPAllocator
    node_ports: NodePortAllocator
    load_balancers: HostAddressPool


def check(
    pools: ServiceAddresses,
    service: dict,
    old: dict | None,
    taken_ports: set[int],
    taken_ips: set[str] | None = None,
) -> list[tuple[str, str]]:
    """Conflicts as `(field, message)` pairs; `taken_ports` and `taken_ips`: the NodePorts
    and cluster IPs earlier documents of the same input claimed (added to as they are)."""
    taken_ips = set() if taken_ips is None else taken_ips
    problems = []
    spec = service["spec"]
    old_ports = _node_ports(old)
    requested_ip = spec.get("clusterIP")
    old_ip = (old or {}).get("spec", {}).get("clusterIP")
    if old is not None and requested_ip and old_ip and requested_ip != old_ip:
        problems.append(
            ("spec.clusterIPs[0]", f'Invalid value: "{requested_ip}": may not change once set')
        )
    elif requested_ip and requested_ip not in ("None", old_ip):
        if requested_ip in taken_ips:
            reason = f"failed to allocate IP {requested_ip}: provided IP is already allocated"
        elif not pools.cluster_ips.is_free(requested_ip):
            try:
                pools.cluster_ips.allocate(requested_ip)  # raises with the API's wording
                pools.cluster_ips.release(requested_ip)
                reason = ""
            except AllocationError as err:
                reason = str(err)
        else:
            reason = ""
        if reason:
            problems.append(
                ("spec.clusterIPs", f'Invalid value: []string{{"{requested_ip}"}}: {reason}')
            )
        taken_ips.add(requested_ip)
    for i, port in enumerate(spec.get("ports") or ()):
        node_port = port.get("nodePort")
        if not node_port or node_port in old_ports:
            continue
        error = pools.node_ports.check(node_port)
        if error is None and node_port in taken_ports:
            error = f"Invalid value: {node_port}: provided port is already allocated"
        if error:
            problems.append((f"spec.ports[{i}].nodePort", error))
        taken_ports.add(node_port)
    health = spec.get("healthCheckNodePort")
    old_health = (old or {}).get("spec", {}).get("healthCheckNodePort")
    local = spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"
    if local and isinstance(health, int) and health and health != old_health:
        error = pools.node_ports.check(health)
        if error is None and health in taken_ports:
            error = f"Invalid value: {health}: provided port is already allocated"
        if error:  # the allocator's error, which the API server answers as an internal one
            reason = error.removeprefix(f"Invalid value: {health}: ")
            problems.append((
                "",
                'Error from server (InternalError): error when creating "STDIN": Internal error '
                f"occurred: failed to allocate requested HealthCheck NodePort {health}: {reason}",
            ))  # fmt: skip
        taken_ports.add(health)
    return problems


class Wanted:
    """The addresses and ports that one input's Services leave to the allocators, so that a
    range running out refuses the whole input before anything is applied."""

    __slots__ = ("free_ips", "ips", "ports")

    def __init__(self) -> None:
        self.ips = 0
        self.ports = 0
        self.free_ips: int | None = None  # counted once per input

    def add(self, pools: ServiceAddresses, service: dict, old: dict | None, requested: int) -> str:
        """Count what `service` will take; the API server's reason when a range is then full
        ("" while it is not). `requested`: NodePorts the input names itself, all new."""
        spec = service.get("spec") or {}
        old_spec = (old or {}).get("spec") or {}
        type_ = spec.get("type", "ClusterIP")
        if (
            type_ != "ExternalName"
            and not spec.get("clusterIP")
            and old_spec.get("clusterIP") in (None, "", "None")
        ):
            self.ips += 1
            if self.free_ips is None:
                self.free_ips = pools.cluster_ips.free()
            if self.ips > self.free_ips:
                return "failed to allocate a serviceIP: range is full"
        wants = type_ in ("NodePort", "LoadBalancer") and spec.get(
            "allocateLoadBalancerNodePorts", True
        )
        previous = {(p.get("port"), p.get("protocol", "TCP")) for p in old_spec.get("ports") or ()
                    if p.get("nodePort")}  # fmt: skip
        for port in spec.get("ports") or () if wants else ():
            if (
                not port.get("nodePort")
                and (port.get("port"), port.get("protocol", "TCP")) not in previous
            ):
                self.ports += 1
        local = type_ == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"
        if (
            local
            and not spec.get("healthCheckNodePort")
            and not old_spec.get("healthCheckNodePort")
        ):
            self.ports += 1
        if self.ports and self.ports + requested > pools.node_ports.free():
            return "failed to allocate a nodePort: range is full"
        return ""


def allocate(pools: ServiceAddresses, service: dict, old: dict | None) -> bool:
    """Fill clusterIP(s), nodePorts and the load-balancer address; release what is unused.

    Returns:
        Whether a load-balancer address was freed (a Service left type LoadBalancer):
        then `assign_waiting_load_balancers` should run once the change has settled.
    """
    spec = service["spec"]
    type_ = spec.get("type", "ClusterIP")
    old_spec = (old or {}).get("spec", {})
    if type_ == "ExternalName":
        spec.pop("clusterIP", None)
        spec.pop("clusterIPs", None)
    elif spec.get("clusterIP") == "None":
        spec["clusterIPs"] = ["None"]
    elif old_spec.get("clusterIP") and old_spec["clusterIP"] != "None":
        spec["clusterIP"] = old_spec["clusterIP"]
        spec["clusterIPs"] = [old_spec["clusterIP"]]
    else:
        ip = pools.cluster_ips.allocate(spec.get("clusterIP") or None)
        spec["clusterIP"] = ip
        spec["clusterIPs"] = [ip]
    old_ip = old_spec.get("clusterIP")
    if old_ip and old_ip != "None" and old_ip != spec.get("clusterIP"):
        pools.cluster_ips.release(old_ip)

    wants_node_ports = type_ in ("NodePort", "LoadBalancer") and spec.get(
        "allocateLoadBalancerNodePorts", True
    )
    old_by_port = {
        (p.get("port"), p.get("protocol", "TCP")): p.get("nodePort")
        for p in old_spec.get("ports") or ()
        if p.get("nodePort")
    }
    kept: set[int] = set()
    for port in spec.get("ports") or ():
        if not wants_node_ports:
            port.pop("nodePort", None)
            continue
        requested = port.get("nodePort")
        previous = old_by_port.get((port.get("port"), port.get("protocol", "TCP")))
        if requested and requested in _node_ports(old):
            kept.add(requested)
        elif not requested and previous:
            port["nodePort"] = previous
            kept.add(previous)
        else:
            port["nodePort"] = pools.node_ports.allocate(requested or None)
    for stale in _node_ports(old) - kept:
        pools.node_ports.release(stale)

    # LoadBalancer + Local: kube-proxy serves /healthz on a NodePort so the cloud LB can skip
    # nodes without a local endpoint.
    old_health = old_spec.get("healthCheckNodePort")
    if type_ == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local":
        if spec.get("healthCheckNodePort"):
            if spec["healthCheckNodePort"] != old_health:
                pools.node_ports.allocate(spec["healthCheckNodePort"])
        elif old_health:
            spec["healthCheckNodePort"] = old_health
        else:
            spec["healthCheckNodePort"] = pools.node_ports.allocate()
    else:
        spec.pop("healthCheckNodePort", None)
    if old_health and old_health != spec.get("healthCheckNodePort"):
        pools.node_ports.release(old_health)

    old_lb = (old or {}).get("status", {}).get("loadBalancer", {}).get("ingress") or []
    if type_ == "LoadBalancer":
        lb_ip = old_lb[0]["ip"] if old_lb else pools.load_balancers.allocate()
        service["status"] = {
            "loadBalancer": {"ingress": [{"ip": lb_ip, "ipMode": "VIP"}]} if lb_ip else {}
        }
        return False
    for entry in old_lb:
        pools.load_balancers.release(entry["ip"])
    service["status"] = {"loadBalancer": {}}
    return bool(old_lb)


def assign_waiting_load_balancers(pools: ServiceAddresses, services: list[dict]) -> list[dict]:
    """Give freed pool addresses to LoadBalancer Services still `<pending>` (as MetalLB does).

    Returns:
        The Services given an address (their status is written; the caller records
        the change).
    """
    assigned = []
    for service in services:
        if service["spec"].get("type") != "LoadBalancer":
            continue
        if (service.get("status") or {}).get("loadBalancer", {}).get("ingress"):
            continue
        ip = pools.load_balancers.allocate()
        if ip is None:
            break
        service["status"] = {"loadBalancer": {"ingress": [{"ip": ip, "ipMode": "VIP"}]}}
        assigned.append(service)
    return assigned


def release(pools: ServiceAddresses, service: dict) -> bool:
    """Give back every address a deleted Service held.

    Returns:
        Whether it held a load-balancer address (Services waiting for one may get it).
    """
    ip = service["spec"].get("clusterIP")
    if ip and ip != "None":
        pools.cluster_ips.release(ip)
    for port in _node_ports(service):
        pools.node_ports.release(port)
    if service["spec"].get("healthCheckNodePort"):
        pools.node_ports.release(service["spec"]["healthCheckNodePort"])
    held = service.get("status", {}).get("loadBalancer", {}).get("ingress") or []
    for entry in held:
        pools.load_balancers.release(entry["ip"])
    return bool(held)


def _node_ports(service: dict | None) -> set[int]:
    """The port NodePorts a Service holds (not its health-check port)."""
    if not service:
        return set()
    return {p["nodePort"] for p in service["spec"].get("ports") or () if p.get("nodePort")}
