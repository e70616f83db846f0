"""The sentences a trace's reason is made of, each under a key (simulator/hints.py).

A reason is a `Hint`: the English that CONTRACT.md's trace carries, and beside it the
key and values a page words in its language (playground: `reasonWords` in frames).
A value is a name, an address, a number, kubectl's or a tool's own words (they stay
as the tools print them), or another of these sentences: how the packet came (`via`),
why kube-proxy chose an endpoint (`why`), which the sentence around it names.
Keys start with where the reason is made.
"""

from __future__ import annotations

from .catalogue import gettext_noop

REASONS: dict[str, str] = {
    # -- the pod answers, or nothing listens (exchange.py, service_routes.py) -------------
    # "kube-proxy sent service web:80 to pod web-1 (10.244.1.5:8080), picked at random..."
    "answered": gettext_noop("{via} to pod {pod} ({ip}:{port}), {why}"),
    "random-among": gettext_noop("picked at random among {count} ready endpoints"),
    "only-ready-endpoint": gettext_noop("its only ready endpoint"),
    "kept-by-affinity": gettext_noop("kept by sessionAffinity ClientIP"),
    # "picked at random among 3 ready endpoints (internalTrafficPolicy Local kept it on w1)"
    "narrowed": gettext_noop("{why} ({narrowed})"),
    "serving-terminating": gettext_noop(
        "no endpoint is ready, so kube-proxy used the terminating ones still serving"
    ),
    "local-kept-on-node": gettext_noop("internalTrafficPolicy Local kept it on {node}"),
    "same-node-kept": gettext_noop("trafficDistribution PreferSameNode kept it on {node}"),
    "same-zone-kept": gettext_noop(
        "trafficDistribution {topology} kept it in zone {zone} of node {node}"
    ),
    "declares-ports": gettext_noop("it declares {ports}"),
    "declares-no-port": gettext_noop("it declares no container port"),
    "pod-not-listening": gettext_noop(
        "{via} to pod {pod}, but nothing listens on port {port} in pod {pod} ({declared})"
    ),
    # -- NetworkPolicy drops (exchange.py) ------------------------------------------------
    "dropped-at-ingress": gettext_noop("{where}, where a NetworkPolicy dropped it: {why}"),
    "dropped-at-egress": gettext_noop(
        "{where}, but a NetworkPolicy dropped it as it left {sender}: {why}"
    ),
    # -- kube-proxy and Service ports (service_routes.py, proxy.py) ----------------------
    "kube-proxy-sent": gettext_noop("kube-proxy sent service {service}:{port}"),
    "sent-to-pod": gettext_noop("{via} to pod {pod} ({ip}:{port})"),
    "cluster-ip-from-host": gettext_noop(
        "{ip} is the cluster IP of service {service}, which exists only inside the cluster; "
        "from the host use a NodePort, a LoadBalancer address or an Ingress"
    ),
    "no-such-service-port": gettext_noop(
        "service {service} has no port {port} (its ports: {ports}), so no kube-proxy rule "
        "matches and the packet is dropped"
    ),
    "local-no-ready-pod": gettext_noop(
        "internalTrafficPolicy Local: node {node} has no ready pod of service {service}, so "
        "the packet is dropped"
    ),
    "to-apiserver-on-node": gettext_noop("{via} to the API server on {node}"),
    "manual-address-unknown": gettext_noop(
        "{via} to {ip}:{port} from its Endpoints, but no pod or node has that address"
    ),
    "manual-address-outside": gettext_noop(
        "{via} to {ip}:{port}, an address outside the cluster listed in its Endpoints"
    ),
    "no-ready-endpoints": gettext_noop("service {service} has no ready endpoints: {why}"),
    "one-not-ready": gettext_noop("{who} {detail}"),
    "none-ready": gettext_noop("none of its {count} pods is ready; {who} {detail}"),
    "who-pod": gettext_noop("pod {pod}"),
    "who-address": gettext_noop("address {ip}"),
    "is-not-ready": gettext_noop("is not ready"),
    "fails-readiness": gettext_noop("fails its readiness probe ({output})"),
    "not-ready-yet": gettext_noop("is not ready yet (its readiness probe has not succeeded)"),
    "no-selector-no-endpoints": gettext_noop(
        "it has no selector and there is no Endpoints object named {service} to list its addresses"
    ),
    "no-selector-empty-endpoints": gettext_noop(
        "it has no selector and its Endpoints object {service} lists no address"
    ),
    "selector-matches-no-pod": gettext_noop(
        "its selector {selector} matches no pod in namespace {namespace}"
    ),
    "pod-has-no-ip": gettext_noop("pod {pod} has no IP yet (it is not running)"),
    "no-port-named": gettext_noop(
        "no selected pod declares a container port named {target} (its targetPort)"
    ),
}
