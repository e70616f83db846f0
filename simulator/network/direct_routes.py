"""Request paths that meet no proxy: pod IPs, a pod's loopback, addresses nobody owns,
the world outside, the API server.

A mixin of `Router` (router.py), which owns the helpers these methods use. A
pod reached by its address gets the packet through the delivery step
(delivery.py), as on every other path.
"""

from __future__ import annotations

from functools import lru_cache

from simulator import host_ports
from simulator.hints import Hint, hint
from simulator.ipam import HOST_IP
from simulator.trace import HTTP_ERROR, OK, REFUSED, TIMEOUT, TLS_ERROR, UNREACHABLE

from . import tls
from .delivery import DROPPED, NOT_LISTENING, TCP
from .dns import Answer
from .exchange import Exchange, declared
from .policing import named_address
from .route_base import RouteBase

#: The API server's port on the control plane's node.
APISERVER_PORT = 6443


class DirectRoutes(RouteBase):
    """Where a packet goes when no kube-proxy rule or proxy takes it (mixed into Router)."""

    # -- pods reached by address -----------------------------------------------------------

    def _pod_ip(
        self,
        ex: Exchange,
        pod: dict,
        ip: str,
        port: int,
        answer: Answer | None,
        src_ip: str | None = None,
    ) -> None:
        """A connection straight to a pod's address (a pod IP, a headless answer, loopback)."""
        client = ex.request.client
        if client.pod is None:
            name = pod["metadata"]["name"]
            node = pod["spec"].get("nodeName")
            ex.add(self.hop("pod", name, ip, port, node, None, pod["metadata"].get("namespace")))
            ex.fail("timeout", UNREACHABLE, hint("pod-ip-from-host", ip=ip, pod=name))
            return
        delivery = self.delivery.deliver(
            pod, ip, port, src_ip=src_ip or client.ip, sender=client.pod
        )
        ex.add(delivery.hop)
        name = delivery.name
        headless: Hint | None = None
        if answer is not None and answer.kind == "headless" and answer.service is not None:
            service, count = answer.service["metadata"]["name"], len(answer.addresses)
            headless = (
                hint("headless-resolved-many", service=service, count=count)
                if count > 1
                else hint("headless-resolved-one", service=service)
            )
        if delivery.verdict is DROPPED:
            where = (
                hint("headless-went-to-pod", headless=headless, pod=name)
                if headless
                else hint("went-straight-to-pod", pod=name, ip=ip, port=port)
            )
            assert delivery.drop is not None  # a DROPPED delivery carries its drop
            ex.drop(delivery.drop, where)
            return
        if delivery.verdict is NOT_LISTENING:
            key = "nothing-listens-headless" if headless else "nothing-listens-in-pod"
            ex.fail("refused", REFUSED, hint(key, port=port, pod=name, declared=declared(pod)))
            return
        if ex.scheme == "https":
            self._plain_server_tls(ex, name)
            return
        ex.responder, ex.body_from = "pod", name
        reason = (
            hint("headless-pod-answered", headless=headless, pod=name, ip=ip, port=port)
            if headless
            else pod_answered(name, ip, port)
        )
        ex.end(OK, reason, 200, name)

    def _loopback(self, ex: Exchange, port: int) -> None:
        client = ex.request.client
        if client.pod is None:
            forwarded = self.state.forwarded(port)
            if forwarded is not None:
                self._forwarded(ex, port, *forwarded)
                return
            ex.fail("refused", REFUSED, hint("host-own-port-closed", port=port))
            return
        self._pod_ip(ex, client.pod, "127.0.0.1", port, None, "127.0.0.1")

    def _forwarded(self, ex: Exchange, local: int, pod: dict, port: int, job: int) -> None:
        """`kubectl port-forward` carries the connection into the pod's own network
        namespace: the pod sees it come from 127.0.0.1 (no NetworkPolicy applies there)."""
        if port in (80, 443) and host_ports.ingress_controller(pod):
            # The notes' way to try an Ingress controller: its pod routes by the rules.
            pod_ip = (pod.get("status") or {}).get("podIP") or ""
            self._through_controller(ex, port, ("127.0.0.1", pod_ip, pod), forwarding=True)
            return
        delivery = self.delivery.deliver(pod, "127.0.0.1", port, src_ip="127.0.0.1", sender=None)
        ex.add(delivery.hop)
        name = delivery.name
        via = hint("port-forward-carried", job=job, local=local, pod=name, port=port)
        if delivery.verdict is NOT_LISTENING:
            # kubectl accepted the connection and then failed to reach the pod's port:
            # curl sees the connection closed with nothing received.
            reason = hint("port-forward-not-listening", via=via, declared=declared(pod))
            ex.fail("empty", REFUSED, reason)
            return
        if ex.scheme == "https":
            self._plain_server_tls(ex, name)
            return
        ex.responder, ex.body_from = "pod", name
        ex.end(OK, hint("port-forward-answered", via=via), 200, name)

    def _nowhere(self, ex: Exchange, ip: str, port: int) -> None:
        ex.add(self.hop("external", ip, ip, port))
        if ip.startswith("10.96."):
            ex.fail("timeout", TIMEOUT, hint("no-such-cluster-ip", ip=ip))
        elif ip == HOST_IP:
            ex.fail("refused", REFUSED, hint("host-ip-port-closed", port=port))
        elif ex.request.client.pod is None and ip.startswith("10.244."):
            ex.fail("timeout", UNREACHABLE, hint("no-pod-ip-from-host", ip=ip))
        else:
            key = "no-pod-has-ip" if ip.startswith("10.244.") else "no-node-has-ip"
            ex.fail("noroute", UNREACHABLE, hint(key, ip=ip))

    # -- other servers ---------------------------------------------------------------------

    def _external(self, ex: Exchange, name: str, why: str) -> None:
        if self._left(ex, why, name):
            return
        if ex.scheme == "https":
            ex.cert = tls.public_certificate(ex.host)
        ex.responder, ex.body_from = "external", name
        ex.end(OK, why, 200, name)

    def _apiserver(self, ex: Exchange, via: str) -> None:
        if self._left(ex, via, THE_APISERVER):
            return
        if ex.scheme == "https":
            ex.cert, ex.http2 = tls.APISERVER_CERTIFICATE, True
            if not ex.request.options.insecure:
                ex.fail("tls_verify", TLS_ERROR, hint("apiserver-untrusted", via=via))
                return
            ex.responder = "apiserver"
            ex.end(HTTP_ERROR, hint("apiserver-forbidden", via=via), 403, "kube-apiserver")
            return
        ex.responder = "apiserver"
        ex.end(HTTP_ERROR, hint("apiserver-https-only", via=via), 400, "kube-apiserver")

    def _left(self, ex: Exchange, where: str, name: str) -> bool:
        """Whether the sending pod's egress policies drop a packet to an address that is no
        pod (the last hop's); the walk is then closed as a drop."""
        client = ex.request.client
        if client.pod is None or not self.delivery.policing.active():
            return False
        last = ex.hops[-1]
        label = named_address(name, last.ip) if last.ip and last.ip != name else name
        drop = self.delivery.policing.leave(client.pod, last.ip or "", last.port, TCP, label)
        if drop is None:
            return False
        ex.drop(drop, where)
        return True

    def _plain_server_tls(self, ex: Exchange, pod: str) -> None:
        ex.fail("tls_version", TLS_ERROR, hint("pod-plain-http", pod=pod))


THE_APISERVER = hint("netpol-the-apiserver")


#: `pod_answered`'s sentences, one per pod and address (a pod's IP answers many requests).
@lru_cache(maxsize=4096)
def pod_answered(pod: str, ip: str, port: int) -> Hint:
    """`pod web-1 answered on 10.244.1.5:8080`, made once per pod, address and port."""
    return hint("pod-answered-on", pod=pod, ip=ip, port=port)
