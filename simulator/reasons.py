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
    # -- names, waits and clients (router.py, dns.py, request.py, network/__init__.py) ----
    # "could not resolve kubia: there is no service kubia in namespace default"
    "could-not-resolve": gettext_noop("could not resolve {host}: {why}"),
    "host-no-cluster-dns": gettext_noop(
        "the host does not use the cluster's DNS, so service names resolve only inside pods; "
        "from the host use a NodePort, a LoadBalancer address or an Ingress host"
    ),
    "host-name-unknown": gettext_noop(
        "no Ingress rule or accepted HTTPRoute names this host (the host resolves their hosts "
        "as if they were in its /etc/hosts) and it is not in public DNS"
    ),
    "dns-query-went": gettext_noop("the DNS query for {host} went to CoreDNS"),
    "outside-cluster": gettext_noop("{host} is outside the cluster"),
    # How long the client waited, after the reason: "service web has no port 4321 (...), so
    # no kube-proxy rule matches and the packet is dropped (curl gave up after 2.5 s)"
    "with-wait": gettext_noop("{reason} ({waited})"),
    "curl-gave-up": gettext_noop("curl gave up after {seconds} s"),
    "resolver-gave-up": gettext_noop("the resolver gave up after two tries of 5 s"),
    "kernel-gave-up": gettext_noop("the kernel gave up after ~130 s of unanswered SYN retries"),
    "nslookup-gave-up": gettext_noop("nslookup gave up after three tries of 5 s"),
    "pod-cannot-send": gettext_noop(
        "pod {pod} does not exist in namespace {namespace}, so it cannot send requests"
    ),
    "pod-without-ip-cannot-send": gettext_noop(
        "pod {pod} has no IP yet (it is not running), so it cannot send requests"
    ),
    # {source}: the source as given, e.g. "node/w1"
    "bad-source": gettext_noop(
        'source must be "host", "pod/NAME" or "pod/NAMESPACE/NAME", not "{source}"'
    ),
    "unsupported-scheme": gettext_noop(
        "curl does not speak {scheme}; use an http:// or https:// URL"
    ),
    "invalid-url": gettext_noop("{url} is not a valid URL"),
    # -- why a pod's name did not resolve (dns.py) ----------------------------------------
    "ingress-host-from-pod": gettext_noop(
        "{host} is an Ingress host, which only the host resolves (as if in its /etc/hosts); "
        "from a pod, send the request to the Ingress address with -H 'Host: {host}'"
    ),
    "not-cluster-name": gettext_noop(
        "{host} is not a cluster name and does not exist in public DNS"
    ),
    "external-name-unresolved": gettext_noop(
        "service {service} is an ExternalName for {target}, which does not resolve"
    ),
    # {why}: why the Service has no ready endpoint, e.g. "pod db-0 is not ready"
    "headless-no-address": gettext_noop(
        "headless service {service} has no ready endpoint, so its name has no address: {why}"
    ),
    "no-such-namespace": gettext_noop(
        "namespace {namespace} does not exist, so {service}.{namespace} has no DNS record"
    ),
    "no-such-service": gettext_noop("there is no service {service} in namespace {namespace}"),
    "service-elsewhere": gettext_noop(
        "there is no service {service} in namespace {namespace}; service {service} exists in "
        "namespace {other}, so use {service}.{other}"
    ),
    # -- nslookup (nslookup.py) -----------------------------------------------------------
    "not-a-dns-server": gettext_noop(
        "{server} is not a DNS server this client can reach; cluster DNS is {cluster_dns}"
    ),
    # A reverse lookup's answer: "10.96.0.10 is kube-dns.kube-system.svc.cluster.local"
    "ptr-answer": gettext_noop("{ip} is {name}"),
    "no-ptr-record": gettext_noop("no PTR record names {ip}"),
    # "kubia.default.svc.cluster.local is 10.244.2.3, 10.244.2.4"
    "name-answer": gettext_noop("{name} is {addresses}"),
    "no-dns-record": gettext_noop("{name} has no DNS record"),
    "nslookup-query-dropped": gettext_noop(
        "a NetworkPolicy dropped the DNS query for {name} to {server}: {why}"
    ),
    "nslookup-ingress-host": gettext_noop(
        "{host} is an Ingress host, which the host knows only from /etc/hosts; nslookup asks "
        "DNS servers directly and never reads /etc/hosts (curl does)"
    ),
    "nslookup-on-host": gettext_noop(
        "the host does not use the cluster's DNS; run nslookup inside a pod "
        "(kubectl exec POD -- nslookup NAME)"
    ),
    "not-in-public-dns": gettext_noop("{host} does not exist in public DNS"),
    # -- ping (ping.py) -------------------------------------------------------------------
    "ping-query-dropped": gettext_noop("a NetworkPolicy dropped the DNS query to CoreDNS: {why}"),
    # "worker-1 (192.168.49.3) answered the ICMP echo"
    "echo-answered": gettext_noop("{name} ({ip}) answered the ICMP echo"),
    "echo-dropped-there": gettext_noop(
        "a NetworkPolicy dropped the ICMP echo to {name} ({ip}): {name} dropped it: {why}"
    ),
    "echo-never-left": gettext_noop(
        "a NetworkPolicy dropped the ICMP echo to {name} ({ip}): it never left {client}: {why}"
    ),
    "echo-cluster-ip": gettext_noop(
        "{ip} is the cluster IP of service {service}: kube-proxy only forwards the service's "
        "ports and no interface owns the address, so nothing answers ICMP echo (a cluster IP "
        "is not pingable; test it with curl)"
    ),
    "echo-load-balancer": gettext_noop(
        "{ip} is the load balancer of service {service}, which forwards only the service's "
        "ports, so nothing answers ICMP echo (test it with curl)"
    ),
    "echo-pod-from-host": gettext_noop(
        "{ip} is the IP of pod {pod}, which is reachable only inside the cluster"
    ),
    "echo-no-owner": gettext_noop("nothing in the cluster has the address {ip}"),
    # -- pod IPs, the host's ports, the API server, the outside (direct_routes.py) -------
    "pod-ip-from-host": gettext_noop(
        "{ip} is the IP of pod {pod}, which is reachable only inside the cluster; from the "
        "host use a NodePort, a LoadBalancer address or an Ingress"
    ),
    "headless-resolved-one": gettext_noop(
        "headless service {service} resolved to 1 pod IP and the connection went straight to "
        "one of them"
    ),
    "headless-resolved-many": gettext_noop(
        "headless service {service} resolved to {count} pod IPs and the connection went "
        "straight to one of them"
    ),
    # {headless}: how a headless Service's name led there ("headless service db resolved to
    # 2 pod IPs and the connection went straight to one of them")
    "headless-went-to-pod": gettext_noop("{headless}: the connection went to pod {pod}"),
    "went-straight-to-pod": gettext_noop("the connection went straight to pod {pod} ({ip}:{port})"),
    # {declared}: "it declares 8080" or "it declares no container port"
    "nothing-listens-in-pod": gettext_noop(
        "nothing listens on port {port} in pod {pod} ({declared})"
    ),
    "nothing-listens-headless": gettext_noop(
        "nothing listens on port {port} in pod {pod} ({declared}); a headless service has no "
        "port mapping, so the URL's port is used as is"
    ),
    "pod-answered-on": gettext_noop("pod {pod} answered on {ip}:{port}"),
    "headless-pod-answered": gettext_noop("{headless}: pod {pod} answered on {ip}:{port}"),
    "host-own-port-closed": gettext_noop("nothing listens on the host's own port {port}"),
    "port-forward-carried": gettext_noop(
        "kubectl port-forward (job [{job}]) carried localhost:{local} to pod {pod} port {port}"
    ),
    # {via}: "kubectl port-forward (job [1]) carried localhost:8080 to pod web port 80"
    "port-forward-not-listening": gettext_noop("{via}, where nothing listens ({declared})"),
    "port-forward-answered": gettext_noop("{via}, which answered"),
    "no-such-cluster-ip": gettext_noop(
        "no service has the cluster IP {ip}, so no kube-proxy rule matches and the packet is "
        "dropped"
    ),
    "host-ip-port-closed": gettext_noop("nothing listens on the host's port {port}"),
    "no-pod-ip-from-host": gettext_noop(
        "no pod has the IP {ip}, and pod IPs are reachable only inside the cluster"
    ),
    "no-pod-has-ip": gettext_noop("no pod has the IP {ip}"),
    "no-node-has-ip": gettext_noop("no node or load balancer has the IP {ip}"),
    # {via}: how the packet came to the API server ("connected to the API server on
    # control-plane", "kube-proxy sent service kubernetes:443 to the API server on ...")
    "apiserver-untrusted": gettext_noop(
        "{via}, whose certificate is signed by the cluster's own CA, which curl does not "
        "trust (unable to get local issuer certificate); add -k"
    ),
    "apiserver-forbidden": gettext_noop(
        "{via}, which answered 403: an anonymous client may not read this path"
    ),
    "apiserver-https-only": gettext_noop(
        "{via}, which answered 400: it speaks only HTTPS; use https://"
    ),
    "pod-plain-http": gettext_noop(
        "pod {pod} speaks plain HTTP, so the TLS handshake fails (wrong version number); "
        "use http://"
    ),
    # -- NodePorts, LoadBalancers, hostNetwork and hostPort (node_routes.py) --------------
    "connected-to-apiserver": gettext_noop("connected to the API server on {node}"),
    "no-node-port": gettext_noop(
        "nothing listens on node {node} port {port}: no service has nodePort {port}"
    ),
    "host-network-pod": gettext_noop(
        "pod {pod} runs on node {node}'s network (hostNetwork) and listens on port {port}"
    ),
    "host-port-forwarded": gettext_noop(
        "node {node} forwards its hostPort {port} to pod {pod} port {target}"
    ),
    # {how}: "node w1 forwards its hostPort 8080 to pod web port 80"
    "host-port-not-listening": gettext_noop("{how}, but nothing listens there ({declared})"),
    "host-port-answered": gettext_noop("{how}: it answered"),
    "health-check-plain-http": gettext_noop(
        "kube-proxy on {node} serves the health check of service {service} over plain HTTP, "
        "so the TLS handshake fails (wrong version number); use http://"
    ),
    "health-check-answered": gettext_noop(
        "kube-proxy on {node} answers the load balancer's health check for service {service}: "
        "{count} local ready endpoint(s), so it says {status}"
    ),
    "node-port-forwarded": gettext_noop(
        "node {node} forwarded NodePort {node_port} of service {service}"
    ),
    "lb-chose-node": gettext_noop(
        "load balancer {lb} chose node {node}, which forwarded NodePort {node_port} of "
        "service {service}"
    ),
    "etp-local-no-ready-pod": gettext_noop(
        "externalTrafficPolicy Local: node {node} has no ready pod of service {service}, so "
        "the packet is dropped"
    ),
    "etp-local-kept": gettext_noop(
        "externalTrafficPolicy Local kept it on {node} and the pod sees the client IP"
    ),
    "etp-cluster-forwarded": gettext_noop(
        "externalTrafficPolicy Cluster forwarded it to {node} and SNAT made the source {ip}"
    ),
    "etp-cluster-snat": gettext_noop("externalTrafficPolicy Cluster; SNAT made the source {ip}"),
    # {how}: how the node chose the pod ("externalTrafficPolicy Local kept it on w1 and the
    # pod sees the client IP")
    "affinity-kept-endpoint": gettext_noop("{how}, sessionAffinity ClientIP kept the endpoint"),
    "lb-no-such-port": gettext_noop(
        "load balancer {ip} of service {service} has no port {port}, so it drops the packet"
    ),
    # {why}: why no node has a ready pod ("none of its 3 pods is ready; ...", or the sentence
    # below when ready pods run only on nodes the load balancer leaves out)
    "etp-local-no-node": gettext_noop(
        "externalTrafficPolicy Local: no node has a ready pod of service {service} ({why}), so "
        "every health check fails and the load balancer drops the packet"
    ),
    "no-node-has-one": gettext_noop("no node has one"),
    "lb-no-ready-node": gettext_noop("load balancer {ip} has no ready node to send to"),
    # -- a proxy's connections that a NetworkPolicy dropped (proxy_drops.py) --------------
    "the-controller": gettext_noop("the controller"),
    # {reason}: the request's way to the pod that answered; {pods}: the pods tried before,
    # e.g. "web-1, web-2"; {proxy}: ingress-nginx or a gateway
    "after-dropped-tries": gettext_noop(
        "{reason} (after a NetworkPolicy dropped the connection to {pods}: {proxy} waited "
        "{seconds} s and tried the next endpoint)"
    ),
    # {target}: the rule that chose the Service; {sender}: "the controller" or "gateway
    # kubia's nginx"; {setting}: the timeout's name, e.g. proxy-connect-timeout
    "upstream-dropped-once": gettext_noop(
        "{target}, but a NetworkPolicy dropped {sender}'s connection to pod {pod} "
        "({ip}:{port}): {why}; {proxy} waited {seconds} s ({setting}) once and answered 504"
    ),
    "upstream-dropped-each": gettext_noop(
        "{target}, but a NetworkPolicy dropped {sender}'s connection to pod {pod} "
        "({ip}:{port}): {why}; {proxy} waited {seconds} s ({setting}) for each of {tries} "
        "tries and answered 504"
    ),
    # -- why a NetworkPolicy dropped a packet (netpol/explain.py, policing.py) ----------
    # {isolated}, {other}: the ends ("pod web-1 (default)", "node w1 (192.168.49.3)");
    # {connection}: "TCP port 80"; {closest}: how near each policy came, e.g. "web-deny-all
    # has no ingress rules, so it allows no ingress traffic"
    "netpol-isolates-ingress": gettext_noop(
        "NetworkPolicy {policy} isolates {isolated} for ingress, and none of its rules allows "
        "{other} to {connection}: {closest}"
    ),
    "netpol-isolates-egress": gettext_noop(
        "NetworkPolicy {policy} isolates {isolated} for egress, and none of its rules allows "
        "{other} on {connection}: {closest}"
    ),
    # {policies}: "web-deny-all and web-allow-prod"
    "netpol-isolate-ingress": gettext_noop(
        "NetworkPolicies {policies} isolate {isolated} for ingress, and none of their rules "
        "allows {other} to {connection}: {closest}"
    ),
    "netpol-isolate-egress": gettext_noop(
        "NetworkPolicies {policies} isolate {isolated} for egress, and none of their rules "
        "allows {other} on {connection}: {closest}"
    ),
    "netpol-no-ingress-rules": gettext_noop(
        "{policy} has no ingress rules, so it allows no ingress traffic"
    ),
    "netpol-no-egress-rules": gettext_noop(
        "{policy} has no egress rules, so it allows no egress traffic"
    ),
    # {ports}: "TCP 80, UDP 53"
    "netpol-allows-only-on": gettext_noop("{policy} allows {other} only on {ports}"),
    # {peers}: "pods app=front of namespace default or addresses 10.0.0.0/8"
    "netpol-allows-only-from": gettext_noop("{policy} allows {connection} only from {peers}"),
    "netpol-allows-only-to": gettext_noop("{policy} allows {connection} only to {peers}"),
    # {rules}: each rule, e.g. "from pods app=front of namespace default on TCP 80; or to
    # any destination on UDP 53"
    "netpol-allows-only-traffic": gettext_noop("{policy} allows only traffic {rules}"),
    "netpol-rule-from": gettext_noop("from {peers} on {ports}"),
    "netpol-rule-to": gettext_noop("to {peers} on {ports}"),
    "netpol-any-source": gettext_noop("any source"),
    "netpol-any-destination": gettext_noop("any destination"),
    "netpol-addresses": gettext_noop("addresses {block}"),
    "netpol-cidr-except": gettext_noop("{cidr} except {excepts}"),
    "netpol-every-pod": gettext_noop("every pod"),
    # {selector}: "app=web"
    "netpol-pods": gettext_noop("pods {selector}"),
    # {pods}: "every pod" or "pods app=web"
    "netpol-peer-own-namespace": gettext_noop("{pods} of namespace {namespace}"),
    "netpol-peer-every-namespace": gettext_noop("{pods} in every namespace"),
    "netpol-peer-namespaces": gettext_noop("{pods} in namespaces {selector}"),
    "netpol-every-port": gettext_noop("every port"),
    "netpol-every-protocol-port": gettext_noop("every {protocol} port"),
    "connection-port": gettext_noop("{protocol} port {port}"),
    "connection-icmp": gettext_noop("ICMP (ping)"),
    "netpol-pod": gettext_noop("pod {pod} ({namespace})"),
    "netpol-node": gettext_noop("node {node} ({ip})"),
    "netpol-the-host": gettext_noop("the host {ip}"),
    "netpol-address": gettext_noop("address {ip}"),
    # An address outside the pods, by name: "example.com (93.184.215.14)"
    "netpol-named-address": gettext_noop("{name} ({ip})"),
    "netpol-the-apiserver": gettext_noop("the API server"),
    # Lists: "TCP 80, UDP 53"; clauses, one per policy; rules, each an alternative
    "comma-list": gettext_noop("{first}, {second}"),
    "semicolon-list": gettext_noop("{first}; {second}"),
    "semicolon-or-list": gettext_noop("{first}; or {second}"),
    # -- a NetworkPolicy in the inspector (netpol/inspect.py) ----------------------------
    "netpol-selects-no-pod": gettext_noop(
        "This policy selects no pod: its podSelector matches no pod in namespace {namespace} "
        "now, so it isolates nothing (until a pod with matching labels starts)."
    ),
    "netpol-namespace-has-no-pod": gettext_noop(
        "This policy selects no pod: namespace {namespace} has no pod now, so it isolates "
        "nothing (until one starts)."
    ),
}
