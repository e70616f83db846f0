"""Sentences the simulator says to learners in the playground's panels, each under a key.

The simulator speaks English (`str(words)`); a browser words the same sentence in its
page's language from the key and the values (static/playground/words.js holds these
sentences marked for translation, and a test keeps the two lists the same). The values
are names, addresses and commands, which stay as they are in every language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SENTENCES: dict[str, str] = {
    "ingress-host": (
        "The host resolves {host} to the Ingress controller's address, as if it were in "
        "/etc/hosts; ingress-nginx matches the rule and sends the request to Service "
        "{service}'s pods."
    ),
    "ingress-any-host": (
        "A rule without a host matches any request to the Ingress controller's address; "
        "ingress-nginx sends it to Service {service}'s pods."
    ),
    "ingress-default": "A request no rule matches goes to the Ingress's default backend.",
    "httproute-service": (
        "The host resolves {host} to Gateway {gateways}'s address, as if it were in "
        "/etc/hosts; the Gateway's nginx matches HTTPRoute {route}'s rules and sends the "
        "request to Service {service}'s pods."
    ),
    "httproute-backends": (
        "The host resolves {host} to Gateway {gateways}'s address, as if it were in "
        "/etc/hosts; the Gateway's nginx matches HTTPRoute {route}'s rules and sends the "
        "request to the rule's backends."
    ),
    "externalname": (
        "Cluster DNS answers {service} with a CNAME to {external}; only pods use the cluster's DNS."
    ),
    "nodeport": (
        "Every node opens port {port}; kube-proxy on the node forwards it to a pod of "
        "{service}, on any node."
    ),
    "nodeport-local": (
        "Every node opens port {port}; with externalTrafficPolicy Local, kube-proxy on the "
        "node forwards it only to a pod of {service} on that same node (a node without one "
        "drops it)."
    ),
    "loadbalancer": (
        "The load balancer's address {address} sends the request to a node, whose "
        "kube-proxy forwards it to a pod of {service}."
    ),
    "headless": (
        "{service} is headless: cluster DNS answers its name with the ready pods' own "
        "addresses, and only pods use the cluster's DNS."
    ),
    "cluster-ip": (
        "Cluster DNS resolves {service} to its cluster IP, which only exists inside the "
        "cluster: kube-proxy on the pod's node sends the request to one of {service}'s "
        "ready pods."
    ),
    # A pasted room's title, from its objects ("Deployment web, Service web").
    "title-none": "Your manifests",
    "title-one": "{first}",
    "title-two": "{first}, {second}",
    "title-three": "{first}, {second}, {third}",
    "title-more": "{first}, {second} and {count} more objects",
    "missing-everything": (
        "Nothing to send a request to yet: apply a workload (a Deployment or a Pod) and a "
        "Service that selects its pods."
    ),
    "missing-service": (
        "Nothing to send a request to yet: no Service or Ingress leads to a pod. Add a "
        "Service that selects {kind} {name}'s pods, for example: {command}"
    ),
    "missing-service-manifest": (
        "Nothing to send a request to yet: no Service or Ingress leads to a pod. Add a "
        "Service that selects {kind} {name}'s pods, for example: a Service with selector "
        "{selector} and port {port} in the Manifests panel"
    ),
    "no-ready-pod": (
        "No pod behind Service {service} is ready yet, so this request fails: make a pod "
        "ready (its readiness probe must pass), then send it again."
    ),
    "policy-drops-egress": (
        "NetworkPolicy {policies} ({namespace}) drops this request at its sender's egress, "
        "so it times out: send it from a source the policies allow, or change them."
    ),
    "policy-drops-ingress": (
        "NetworkPolicy {policies} ({namespace}) drops this request at the pod's ingress, "
        "so it times out: send it from a source the policies allow, or change them."
    ),
    # What changes next by itself (timeline.py, the "Next change" control).
    "probe-ready-after": (
        "pod {pod} turns ready: its readiness probe passes {count} times in a row "
        "(successThreshold {count})"
    ),
    "probe-not-ready-after": (
        "pod {pod} turns not ready: its readiness probe fails {count} times in a row "
        "(failureThreshold {count})"
    ),
    "probe-ready-next": "pod {pod} turns ready: its next readiness probe passes",
    "probe-not-ready-next": "pod {pod} turns not ready: its next readiness probe fails",
    "pod-creating": "pod {pod} leaves Pending: its kubelet creates its containers",
    "pods-creating": (
        "pod {pod} (and {more} more) leaves Pending: its kubelet creates its containers"
    ),
    "pod-running": "pod {pod} starts running: its containers are created",
    "pods-running": "pod {pod} (and {more} more) starts running: its containers are created",
    "pod-gone": "pod {pod} stops Terminating and is gone: its preStop hook ends",
    "scheduled-step": "a scheduled step of the cluster runs",
}


@dataclass(frozen=True, slots=True)
class Words:
    """One sentence: its key in `SENTENCES` and the values it names."""

    key: str
    values: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return SENTENCES[self.key].format(**self.values)

    def to_dict(self) -> dict:
        return {"key": self.key, "values": dict(self.values)}


def say(key: str, **values: object) -> Words:
    """The sentence `key` naming `values` (each shown as text)."""
    return Words(key, {name: str(value) for name, value in values.items()})
