"""Address allocation: Service cluster IPs, pod IPs per node, NodePorts, load-balancer IPs.

Values follow a kubeadm/minikube-style cluster (k8s-semantics.md section 3):
services from 10.96.0.0/12 picked at random from the upper band first, pods
from a /24 per node, NodePorts at random from 30000-32767, and host-side
addresses on a 192.168.49.0/24 network (minikube's docker network).
"""

from __future__ import annotations

import ipaddress
import random
import socket

SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/12")
POD_CIDR = ipaddress.ip_network("10.244.0.0/16")
HOST_NETWORK = "192.168.49"
HOST_IP = f"{HOST_NETWORK}.1"
INGRESS_IP = f"{HOST_NETWORK}.100"
KUBERNETES_SERVICE_IP = "10.96.0.1"
DNS_SERVICE_IP = "10.96.0.10"
NODE_PORT_RANGE = (30000, 32767)


class AllocationError(ValueError):
    """The requested address or port is taken or out of range (API server wording)."""


class ServiceIPAllocator:
    """Cluster IPs from SERVICE_CIDR: random, upper band first, static band last."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        base = int(SERVICE_CIDR.network_address)
        size = SERVICE_CIDR.num_addresses
        static = min(max(16, size // 16), 256)
        self._first = base + 1
        self._static_end = base + static  # inclusive end of the static band
        self._last = base + size - 2
        self._used: set[int] = set()

    def allocate(self, requested: str | None = None) -> str:
        """Reserve `requested`, or a random free address when it is None."""
        if requested:
            value = int(ipaddress.ip_address(requested))
            if not self._first <= value <= self._last:
                raise AllocationError(
                    f"failed to allocate IP {requested}: the provided IP ({requested}) is not in "
                    f"the valid range. The range of valid IPs is {SERVICE_CIDR}"
                )
            if value in self._used:
                raise AllocationError(
                    f"failed to allocate IP {requested}: provided IP is already allocated"
                )
            self._used.add(value)
            return requested
        for _ in range(64):
            value = self._rng.randint(self._static_end + 1, self._last)
            if value not in self._used:
                self._used.add(value)
                return _dotted(value)
        for value in range(self._static_end + 1, self._last + 1):  # nearly full: scan
            if value not in self._used:
                self._used.add(value)
                return _dotted(value)
        raise AllocationError("failed to allocate a service IP: range is full")

    def free(self) -> int:
        """How many addresses `allocate()` can still hand out unasked (the upper band)."""
        band = self._last - self._static_end
        return band - sum(1 for value in self._used if value > self._static_end)

    def is_free(self, address: str) -> bool:
        """Whether `address` could be reserved now."""
        value = int(ipaddress.ip_address(address))
        return self._first <= value <= self._last and value not in self._used

    def release(self, address: str) -> None:
        """Give `address` back."""
        self._used.discard(int(ipaddress.ip_address(address)))


def _dotted(value: int) -> str:
    """An IPv4 address as text (what `str(ipaddress.ip_address(value))` gives, faster)."""
    return socket.inet_ntoa(value.to_bytes(4, "big"))


class NodePortAllocator:
    """Cluster-wide NodePorts from 30000-32767, random when not requested."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[int] = set()

    def check(self, port: int) -> str | None:
        """The API error text for reserving `port`, or None when it is free."""
        low, high = NODE_PORT_RANGE
        if not low <= port <= high:
            return (
                f"Invalid value: {port}: provided port is not in the valid range. "
                f"The range of valid ports is {low}-{high}"
            )
        if port in self._used:
            return f"Invalid value: {port}: provided port is already allocated"
        return None

    def allocate(self, requested: int | None = None) -> int:
        """Reserve `requested`, or a random free port."""
        if requested:
            error = self.check(requested)
            if error:
                raise AllocationError(error)
            self._used.add(requested)
            return requested
        low, high = NODE_PORT_RANGE
        for _ in range(64):
            port = self._rng.randint(low, high)
            if port not in self._used:
                self._used.add(port)
                return port
        for port in range(low, high + 1):
            if port not in self._used:
                self._used.add(port)
                return port
        raise AllocationError("range is full")

    def free(self) -> int:
        """How many ports are still free."""
        low, high = NODE_PORT_RANGE
        return high - low + 1 - len(self._used)

    def release(self, port: int) -> None:
        """Give `port` back."""
        self._used.discard(port)


class PodIPAllocator:
    """One /24 per node; addresses handed out in order and reused after wrapping.

    This is what the `host-local` IPAM plugin does: it remembers the last
    address it gave out and continues from there.
    """

    def __init__(self, subnet: ipaddress.IPv4Network) -> None:
        self.subnet = subnet
        self._base = int(subnet.network_address)
        # .0, .1 (gateway) and the broadcast address are never given.
        self._usable = subnet.num_addresses - 3
        self._last = 1  # .1 is the node's bridge/gateway address
        self._used: set[int] = set()
        self._prefix = str(subnet.network_address).rsplit(".", 1)[0] + "."

    def allocate(self) -> str | None:
        """The next free address, or None when the /24 is exhausted."""
        usable, last, used = self._usable, self._last, self._used
        following = last + 1 if last <= usable else 2
        if following not in used:  # the usual case: the next address is free
            used.add(following)
            self._last = following
            return self._prefix + str(following)
        for step in range(1, usable + 1):
            offset = (last - 2 + step) % usable + 2
            if offset not in used:
                used.add(offset)
                self._last = offset
                return self._prefix + str(offset)
        return None

    def release(self, address: str) -> None:
        """Give `address` back."""
        self._used.discard(int(address.rsplit(".", 1)[1]))


def node_pod_cidr(index: int) -> ipaddress.IPv4Network:
    """The pod /24 of the `index`-th node (10.244.<index>.0/24)."""
    return ipaddress.IPv4Network(f"10.244.{index}.0/24")


class HostAddressPool:
    """Addresses on the host network: node InternalIPs and load-balancer IPs."""

    def __init__(self, first: int, last: int) -> None:
        self._free = list(range(first, last + 1))
        self._used: set[int] = set()

    def allocate(self) -> str | None:
        """The lowest free address, or None."""
        for host in self._free:
            if host not in self._used:
                self._used.add(host)
                return f"{HOST_NETWORK}.{host}"
        return None

    def release(self, address: str) -> None:
        """Give `address` back."""
        self._used.discard(int(address.rsplit(".", 1)[1]))
