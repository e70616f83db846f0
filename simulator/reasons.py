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
    # -- ingress-nginx (ingress_routes.py, ingress.py) ------------------------------------
    "ingress-wrong-port": gettext_noop(
        "the Ingress controller listens only on ports 80 and 443, not {port}"
    ),
    "ingress-tls-to-port-80": gettext_noop(
        "port 80 of the Ingress controller speaks plain HTTP, not TLS; use http:// or port 443"
    ),
    "ingress-http-to-port-443": gettext_noop(
        "plain HTTP was sent to the Ingress controller's HTTPS port 443, so nginx answered "
        "400; use https:// or port 80"
    ),
    # "ingress web has a TLS entry for web.example.com, so ingress-nginx redirects plain
    # HTTP to https://web.example.com/a with 308 (annotation ...)"
    "ingress-ssl-redirect": gettext_noop(
        "ingress {ingress} has a TLS entry for {host}, so ingress-nginx redirects plain HTTP "
        'to {location} with 308 (annotation {annotation}: "false" turns this off)'
    ),
    # Why ingress-nginx serves its fake certificate ({why} of ingress-fake-certificate).
    "ingress-no-tls-entry": gettext_noop("no Ingress has a TLS entry for {host}"),
    "ingress-tls-no-secret": gettext_noop("the TLS entry of ingress {ingress} names no secret"),
    "ingress-tls-bad-secret": gettext_noop(
        "secret {secret} (TLS entry of ingress {ingress}) is missing or not a valid "
        "kubernetes.io/tls secret"
    ),
    # {error}: OpenSSL's verification error, e.g. "self-signed certificate".
    "ingress-fake-certificate": gettext_noop(
        "{why}, so ingress-nginx serves its self-signed fake certificate and curl refuses it "
        "({error}); add -k to skip verification"
    ),
    # "ingress-nginx serves the certificate of secret default/web-tls (CN=web.example.com),
    # which curl cannot verify (self-signed certificate); add -k to skip verification"
    "ingress-unverified-certificate": gettext_noop(
        "ingress-nginx serves the certificate of {origin} ({subject}), which curl cannot "
        "verify ({error}); add -k to skip verification"
    ),
    # Where a certificate comes from ({origin} above): "secret default/web-tls".
    "certificate-of-secret": gettext_noop("secret {secret}"),
    # ingress-nginx's built-in one, when no Secret gives a certificate.
    "certificate-fake": gettext_noop("fake"),
    # {why}: why ingress-nginx does not serve that Ingress (ingress-class-...).
    "ingress-host-ignored": gettext_noop(
        "only ingress {ingress} names host {host} and ingress-nginx does not serve it ({why}), "
        "so ingress-nginx's default backend answered 404"
    ),
    "ingress-no-rule-catch-all": gettext_noop(
        "no Ingress rule matches host {host} path {path} (rules without a host do not match "
        "it either), so ingress-nginx's default backend answered 404"
    ),
    "ingress-no-rule": gettext_noop(
        "no Ingress rule matches host {host} path {path}, so ingress-nginx's default backend "
        "answered 404"
    ),
    # {ingresses}: "web" or "web, api"; {server}: the host the rules are for.
    "ingress-no-path": gettext_noop(
        "no Ingress rule matches host {host} path {path} (ingress {ingresses} has rules for "
        "{server} but none for this path), so ingress-nginx's default backend answered 404"
    ),
    # The rule a request matched, which the reasons below start with ({route}):
    # "ingress web: host web.example.com path /api (Prefix)".
    "ingress-rule": gettext_noop("ingress {ingress}: host {host} path {path} ({path_type})"),
    "ingress-default-backend": gettext_noop("ingress {ingress}: default backend"),
    "ingress-resource-backend": gettext_noop(
        "{route} uses a resource backend, which ingress-nginx does not serve, so it answered 503"
    ),
    "ingress-no-such-service": gettext_noop(
        "{route} sends to service {service}, which does not exist in namespace {namespace}, so "
        "ingress-nginx answered 503"
    ),
    "ingress-external-name-unresolved": gettext_noop(
        "{route} -> ExternalName service {service} -> {target}, which does not resolve, so "
        "ingress-nginx answered 502"
    ),
    "ingress-external-name": gettext_noop("{route} -> ExternalName service {service} -> {target}"),
    "ingress-no-such-port": gettext_noop(
        "{route} sends to port {port} of service {service}, which has no such port, so "
        "ingress-nginx answered 503"
    ),
    # {why}: why the Service has no ready endpoint (no-ready-endpoints' sentences).
    "ingress-no-ready-endpoints": gettext_noop(
        "service {service} has no ready endpoints: {why}, so ingress-nginx answered 503"
    ),
    # A proxy's route to a Service ({route}: ingress-rule or gateway-rule), which the
    # reasons below start with ({target}): "ingress web: host ... (Prefix) -> service web:80".
    "proxied-to-service": gettext_noop("{route} -> service {service}:{port}"),
    # "... -> service web:80 -> 10.244.1.5:8080": the endpoint the proxy sent to.
    "proxied-to": gettext_noop("{target} -> {ip}:{port}"),
    # {declared}: "it declares 8080" (declares-ports).
    "ingress-pod-not-listening": gettext_noop(
        "{target}, but nothing listens on port {port} in pod {pod} ({declared}), so "
        "ingress-nginx answered 502"
    ),
    # Where a NetworkPolicy dropped the request ({where} of dropped-at-ingress).
    "ingress-to-controller-pod": gettext_noop(
        "the request went to the Ingress controller's pod {pod}"
    ),
    # A proxy's answer after tries a NetworkPolicy dropped: {retried} is the part in
    # brackets, with its leading space: "... -> 10.244.1.5:8080 (after a NetworkPolicy ...)".
    "answered-after-retries": gettext_noop("{reason}{retried}"),
    # Why ingress-nginx ignores an Ingress ({why} of ingress-host-ignored).
    "ingress-class-unknown": gettext_noop(
        "its ingressClassName {ingress_class} names no IngressClass"
    ),
    "ingress-class-elsewhere": gettext_noop(
        "its class {ingress_class} belongs to controller {controller}"
    ),
    "ingress-class-no-controller": gettext_noop(
        "its class {ingress_class} belongs to controller (none)"
    ),
    "ingress-class-annotation": gettext_noop("its annotation {annotation}: {value} is not nginx"),
    # -- a Gateway's nginx (gateway_routes.py) --------------------------------------------
    # {ports}: "80, 443", or "none".
    "gateway-no-listener": gettext_noop(
        "gateway {gateway} has no listener on port {port} (its programmed listener ports: "
        "{ports}), so its data plane's load balancer refuses the connection"
    ),
    "gateway-no-data-plane": gettext_noop(
        "gateway {gateway}'s data plane (Deployment {deployment}) has no ready pod, so its load "
        "balancer has nowhere to send the connection"
    ),
    # Where a NetworkPolicy dropped the request ({where} of dropped-at-ingress).
    "gateway-to-nginx-pod": gettext_noop("the request went to gateway {gateway}'s nginx pod {pod}"),
    # Who opens the connections to the backends, when a NetworkPolicy drops one:
    # "a NetworkPolicy dropped gateway gw's nginx's connection to pod web-1 ...".
    "gateway-nginx": gettext_noop("gateway {gateway}'s nginx"),
    "gateway-tls-to-http-listener": gettext_noop(
        "port {port} of gateway {gateway} is an HTTP listener, which speaks plain HTTP, not "
        "TLS; use http://"
    ),
    "gateway-http-to-https-listener": gettext_noop(
        "plain HTTP was sent to gateway {gateway}'s HTTPS listener on port {port}, so nginx "
        "answered 400; use https://"
    ),
    "gateway-no-listener-for-name": gettext_noop(
        "no HTTPS listener of gateway {gateway} on port {port} matches the server name {sni}, "
        "so nginx rejects the TLS handshake (ssl_reject_handshake)"
    ),
    "gateway-no-server-name": gettext_noop(
        "no HTTPS listener of gateway {gateway} on port {port} matches the server name (none: "
        "an IP address), so nginx rejects the TLS handshake (ssl_reject_handshake)"
    ),
    # {origin}: certificate-of-secret or certificate-fake; {error}: OpenSSL's words.
    "gateway-unverified-certificate": gettext_noop(
        "listener {listener} of gateway {gateway} serves the certificate of {origin} "
        "({subject}), which curl cannot verify ({error}); add -k to skip verification"
    ),
    # The rule a request matched, which the reasons below start with ({where}, {target}):
    # "gateway gw: listener http, httproute web rule 0 (web.example.com path / (PathPrefix))";
    # {match} is the HTTPRoute match as fields: "path /api (PathPrefix), method GET".
    "gateway-rule": gettext_noop(
        "gateway {gateway}: listener {listener}, httproute {route} rule {rule} ({hostname} {match})"
    ),
    # The rule's filters after it: "... [RequestHeaderModifier (set env: canary)]".
    "gateway-rule-filters": gettext_noop("{where} [{filters}]"),
    # {status}: the redirect's status code, e.g. 301.
    "gateway-redirects": gettext_noop("{where} redirects to {location} with {status}"),
    "gateway-no-backend-refs": gettext_noop("{target} has no backendRefs, so nginx answered 500"),
    "gateway-zero-weights": gettext_noop(
        "{target} gives every backend weight 0, so nginx answered 500"
    ),
    # {reason} and {message}: the route's ResolvedRefs condition, as NGINX Gateway Fabric
    # words it: BackendNotFound (spec.rules[0].backendRefs[0].name: Not found: "web").
    "gateway-invalid-backend": gettext_noop(
        "{target} -> backend {backend}: {reason} ({message}), so nginx answered 500"
    ),
    # {why}: why the Service has no ready endpoint (no-ready-endpoints' sentences).
    "gateway-no-ready-endpoints": gettext_noop(
        "{target}, which has no ready endpoints: {why}, so nginx answered 503"
    ),
    # "gateway gw: ... -> service web:80 -> pod web-1 (10.244.1.5:8080), path /api":
    # {path} is the path the pod received (after any URLRewrite).
    "gateway-to-pod": gettext_noop("{target} -> pod {pod} ({ip}:{port}), path {path}"),
    "gateway-pod-not-listening": gettext_noop(
        "{target}, but nothing listens on port {port} in pod {pod} ({declared}), so nginx "
        "answered 502"
    ),
    "gateway-no-route-for-host": gettext_noop(
        "no HTTPRoute attached to gateway {gateway} serves host {host}, so nginx's default "
        "server answered 404"
    ),
    "gateway-no-rule-for-path": gettext_noop(
        "no rule of the HTTPRoutes gateway {gateway} serves for {host} matches path {path} "
        "(with this method, headers and query), so nginx's default server answered 404"
    ),
    # -- why no Gateway serves an HTTPRoute or a Gateway (gatewayapi/routes.py,
    # gateway_inspection.py: the diagram and the inspector) ------------------------------
    "route-parent-not-gateway": gettext_noop("its parentRef names a {kind}, not a Gateway"),
    "route-no-such-gateway": gettext_noop("no Gateway {name} exists in namespace {namespace}"),
    "route-gateway-class-unserved": gettext_noop(
        "Gateway {name} is of class {class_name}, which no controller in this cluster serves"
    ),
    "route-parent-ignored": gettext_noop(
        "parentRef {name}: {why}; no controller reports a status for it and the route is not "
        "served there."
    ),
    "route-no-parent-refs": gettext_noop(
        "This route names no parentRefs, so no Gateway serves it."
    ),
    "gateway-class-unserved": gettext_noop(
        "No controller in this cluster serves GatewayClass {class_name} (NGINX Gateway Fabric "
        "serves {served}), so this Gateway keeps the CRD's default status: Accepted and "
        "Programmed Unknown, reason Pending."
    ),
}
