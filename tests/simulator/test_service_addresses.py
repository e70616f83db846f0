"""Service address allocation: what a Service holds, and what it gives back."""

from __future__ import annotations

import random

from simulator.controllers import services
from simulator.controllers.services import ServiceAddresses
from simulator.ipam import HostAddressPool, NodePortAllocator, ServiceIPAllocator


def pools(load_balancers: int = 2) -> ServiceAddresses:
    rng = random.Random(1)
    return ServiceAddresses(
        ServiceIPAllocator(rng), NodePortAllocator(rng), HostAddressPool(200, 199 + load_balancers)
    )


def service(name: str, type_: str = "LoadBalancer") -> dict:
    return {
        "kind": "Service",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"type": type_, "ports": [{"port": 80, "protocol": "TCP"}]},
    }


def lb_ips(svc: dict) -> list[str]:
    return [i["ip"] for i in svc["status"]["loadBalancer"].get("ingress") or ()]


def test_a_load_balancer_leaving_its_type_frees_its_address() -> None:
    addresses = pools()
    old = service("web")
    assert services.allocate(addresses, old, None) is False
    assert lb_ips(old) == ["192.168.49.200"]
    new = service("web", "ClusterIP")
    new["spec"]["clusterIP"] = old["spec"]["clusterIP"]
    assert services.allocate(addresses, new, old) is True, "an address was freed"
    assert lb_ips(new) == []
    assert "nodePort" not in new["spec"]["ports"][0]
    assert addresses.load_balancers.allocate() == "192.168.49.200"


def test_released_addresses_go_to_services_still_waiting_in_order() -> None:
    addresses = pools(load_balancers=1)
    first, second, third = service("a"), service("b"), service("c")
    for svc in (first, second, third):
        services.allocate(addresses, svc, None)
    assert [lb_ips(s) for s in (first, second, third)] == [["192.168.49.200"], [], []]
    assert services.release(addresses, first) is True
    assert services.release(addresses, service("plain", "ClusterIP") | {"status": {}}) is False
    assigned = services.assign_waiting_load_balancers(addresses, [second, third])
    assert assigned == [second], "one address, for the first Service waiting"
    assert (lb_ips(second), lb_ips(third)) == (["192.168.49.200"], [])
