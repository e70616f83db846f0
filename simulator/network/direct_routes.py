"""Request paths that meet no proxy: pod IPs, a pod's loopback, addresses nobody owns,
the world outside, the API server.

A mixin of `Router` (router.py), which owns the helpers these methods use. A
pod reached by its address gets the packet through the delivery step
(delivery.py), as on every other path.
"""

from __future__ import annotations

from simulator import host_ports
from simulator.ipam import HOST_IP
from simulator.trace import HTTP_ERROR, OK, REFUSED, TIMEOUT, TLS_ERROR, UNREACHABLE

from . import tls
from .delivery import DROPPED, NOT_LISTENING, TCP
from .dns import Answer
from .exchange import Exchange, declared
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
            ex.fail(
                "timeout",
                UNREACHABLE,
                f"{ip} is the IP of pod {name}, which is reachable only inside the cluster; "
                f"from the host use a NodePort, a LoadBalancer address or an Ingress",
            )
            return
        delivery = self.delivery.deliver(
            pod, ip, port, src_ip=src_ip or client.ip, sender=client.pod
        )
        ex.add(delivery.hop)
        name = delivery.name
        headless = ""
        if answer is not None and answer.kind == "headless" and answer.service is not None:
            headless = (
                f"headless service {answer.service['metadata']['name']} resolved to "
                f"{len(answer.addresses)} pod IP{'s' if len(answer.addresses) > 1 else ''} "
                f"and the connection went straight to one of them"
            )
        if delivery.verdict is DROPPED:
            where = (
                f"{headless}: the connection went to pod {name}"
                if headless
                else (f"the connection went straight to pod {name} ({ip}:{port})")
            )
            assert delivery.drop is not None  # a DROPPED delivery carries its drop
            ex.drop(delivery.drop, where)
            return
        if delivery.verdict is NOT_LISTENING:
            hint = ""
            if headless:
                hint = "; a headless service has no port mapping, so the URL's port is used as is"
            ex.fail(
                "refused",
                REFUSED,
                f"nothing listens on port {port} in pod {name} ({declared(pod)}){hint}",
            )
            return
        if ex.scheme == "https":
            self._plain_server_tls(ex, name)
            return
        ex.responder, ex.body_from = "pod", name
        reason = (
            f"{headless}: pod {name} answered on {ip}:{port}"
            if headless
            else f"pod {name} answered on {ip}:{port}"
        )
        ex.end(OK, reason, 200, name)

    def _loopback(self, ex: Exchange, port: int) -> None:
        client = ex.request.client
        if client.pod is None:
            forwarded = self.state.forwarded(port)
            if forwarded is not None:
                self._forwarded(ex, port, *forwarded)
                return
            ex.fail("refused", REFUSED, f"nothing listens on the host's own port {port}")
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
        via = (
            f"kubectl port-forward (job [{job}]) carried localhost:{local} "
            f"to pod {name} port {port}"
        )
        if delivery.verdict is NOT_LISTENING:
            # kubectl accepted the connection and then failed to reach the pod's port:
            # curl sees the connection closed with nothing received.
            ex.fail("empty", REFUSED, f"{via}, where nothing listens ({declared(pod)})")
            return
        if ex.scheme == "https":
            self._plain_server_tls(ex, name)
            return
        ex.responder, ex.body_from = "pod", name
        ex.end(OK, f"{via}, which answered", 200, name)

    def _nowhere(self, ex: Exchange, ip: str, port: int) -> None:
        ex.add(self.hop("external", ip, ip, port))
        if ip.startswith("10.96."):
            ex.fail(
                "timeout",
                TIMEOUT,
                f"no service has the cluster IP {ip}, so no kube-proxy rule matches and the "
                f"packet is dropped",
            )
        elif ip == HOST_IP:
            ex.fail("refused", REFUSED, f"nothing listens on the host's port {port}")
        elif ex.request.client.pod is None and ip.startswith("10.244."):
            ex.fail(
                "timeout",
                UNREACHABLE,
                f"no pod has the IP {ip}, and pod IPs are reachable only inside the cluster",
            )
        else:
            what = "pod" if ip.startswith("10.244.") else "node or load balancer"
            ex.fail("noroute", UNREACHABLE, f"no {what} has the IP {ip}")

    # -- other servers ---------------------------------------------------------------------

    def _external(self, ex: Exchange, name: str, why: str) -> None:
        if self._left(ex, why, name):
            return
        if ex.scheme == "https":
            ex.cert = tls.public_certificate(ex.host)
        ex.responder, ex.body_from = "external", name
        ex.end(OK, why, 200, name)

    def _apiserver(self, ex: Exchange, via: str) -> None:
        if self._left(ex, via, "the API server"):
            return
        if ex.scheme == "https":
            ex.cert, ex.http2 = tls.APISERVER_CERTIFICATE, True
            if not ex.request.options.insecure:
                ex.fail(
                    "tls_verify",
                    TLS_ERROR,
                    f"{via}, whose certificate is signed by the cluster's own CA, which curl does "
                    f"not trust (unable to get local issuer certificate); add -k",
                )
                return
            ex.responder = "apiserver"
            ex.end(
                HTTP_ERROR,
                f"{via}, which answered 403: an anonymous client may not read this path",
                403,
                "kube-apiserver",
            )
            return
        ex.responder = "apiserver"
        ex.end(
            HTTP_ERROR,
            f"{via}, which answered 400: it speaks only HTTPS; use https://",
            400,
            "kube-apiserver",
        )

    def _left(self, ex: Exchange, where: str, name: str) -> bool:
        """Whether the sending pod's egress policies drop a packet to an address that is no
        pod (the last hop's); the walk is then closed as a drop."""
        client = ex.request.client
        if client.pod is None or not self.delivery.policing.active():
            return False
        last = ex.hops[-1]
        label = f"{name} ({last.ip})" if last.ip and last.ip != name else name
        drop = self.delivery.policing.leave(client.pod, last.ip or "", last.port, TCP, label)
        if drop is None:
            return False
        ex.drop(drop, where)
        return True

    def _plain_server_tls(self, ex: Exchange, pod: str) -> None:
        ex.fail(
            "tls_version",
            TLS_ERROR,
            f"pod {pod} speaks plain HTTP, so the TLS handshake fails (wrong version number); "
            f"use http://",
        )
