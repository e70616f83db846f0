"""Ingress and Gateway reasons are sentences under keys (simulator/reasons.py).

Each test sends requests through a small cluster and checks the reason three ways: it is
a hint, its English is what the trace has always said, and its key (and the keys of the
sentences inside it) are the ones a page words.
"""

from __future__ import annotations

from pathlib import Path

from simulator import Cluster
from simulator.hints import Hint, Hints
from simulator.scenarios import get
from tests.simulator.manifests_gateway import TO_WEB, WEB, WEB_APP, route

SIMULATOR = Path(__file__).resolve().parents[2] / "simulator"

#: A Deployment `web` (one kubia pod) and its Service, an Ingress `web` for two paths of
#: web.example.com (one to a Service that does not exist), and an Ingress of another class.
INGRESSES = (
    WEB_APP.replace("replicas: 2", "replicas: 1")
    + """---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - host: web.example.com
    http:
      paths:
      - {path: /api, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /gone, pathType: Exact, backend: {service: {name: gone, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: other}
spec:
  ingressClassName: traefik
  rules:
  - host: other.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"""
)

#: An HTTPRoute on the Gateway `gw` of manifests_gateway.WEB: a redirect, a backend that
#: does not exist, a backend of weight 0, a rule with a filter, and everything else to web.
GATEWAY_RULES = (
    """  - matches: [{path: {type: PathPrefix, value: /old}}]
    filters:
    - type: RequestRedirect
      requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /new}, statusCode: 301}
  - matches: [{path: {type: PathPrefix, value: /missing}}]
    backendRefs: [{name: missing, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /zero}}]
    backendRefs: [{name: web, port: 80, weight: 0}]
  - matches: [{path: {type: PathPrefix, value: /tagged}}]
    filters:
    - type: ResponseHeaderModifier
      responseHeaderModifier: {set: [{name: x-env, value: test}]}
    backendRefs: [{name: web, port: 80}]
"""
    + TO_WEB
)


def applied(*manifests: str, seed: int = 3) -> Cluster:
    cluster = Cluster(seed=seed)
    for text in manifests:
        result = cluster.run("kubectl apply -f -", text)
        assert result.exit_code == 0, result.stderr
    cluster.advance(30)
    return cluster


def words(reason: str) -> dict:
    """The reason as a page gets it, after checking it is a hint."""
    assert isinstance(reason, Hint | Hints), f"not a hint: {reason!r}"
    return reason.to_dict()


def keys(said: dict) -> list[str]:
    """The keys of a hint's sentences, outermost first (depth first)."""
    found = [said["key"]]
    for value in said["values"].values():
        if isinstance(value, dict):
            found += keys(value)
    return found


def test_ingress_routes_reasons_are_sentences_under_keys() -> None:
    cluster = applied(INGRESSES)
    (pod,) = cluster.state.store.list("Pod", "default")
    ip = pod["status"]["podIP"]

    served = cluster.request("http://web.example.com/api")
    assert str(served.reason) == (
        f"ingress web: host web.example.com path /api (Prefix) -> service web:80 -> {ip}:8080"
    )
    assert keys(words(served.reason)) == ["proxied-to", "proxied-to-service", "ingress-rule"]
    replayed = cluster.request("http://web.example.com/api")  # the kept plan, same sentence
    assert (str(replayed.reason), words(replayed.reason)) == (
        str(served.reason),
        words(served.reason),
    )

    no_path = cluster.request("http://web.example.com/else")
    assert str(no_path.reason) == (
        "no Ingress rule matches host web.example.com path /else (ingress web has rules for "
        "web.example.com but none for this path), so ingress-nginx's default backend "
        "answered 404"
    )
    assert words(no_path.reason) == {
        "key": "ingress-no-path",
        "values": {
            "host": "web.example.com",
            "path": "/else",
            "ingresses": "web",
            "server": "web.example.com",
        },
    }

    gone = cluster.request("http://web.example.com/gone")
    assert str(gone.reason) == (
        "ingress web: host web.example.com path /gone (Exact) sends to service gone, which "
        "does not exist in namespace default, so ingress-nginx answered 503"
    )
    assert keys(words(gone.reason)) == ["ingress-no-such-service", "ingress-rule"]

    wrong_port = cluster.request("http://web.example.com:8080/")
    assert str(wrong_port.reason) == (
        "the Ingress controller listens only on ports 80 and 443, not 8080"
    )
    assert words(wrong_port.reason)["key"] == "ingress-wrong-port"

    fake = cluster.request("https://web.example.com/api")
    assert str(fake.reason) == (
        "no Ingress has a TLS entry for web.example.com, so ingress-nginx serves its "
        "self-signed fake certificate and curl refuses it (self-signed certificate); add -k "
        "to skip verification"
    )
    assert words(fake.reason) == {
        "key": "ingress-fake-certificate",
        "values": {
            "why": {"key": "ingress-no-tls-entry", "values": {"host": "web.example.com"}},
            "error": "self-signed certificate",  # OpenSSL's own words stay as they are
        },
    }

    plain_to_443 = cluster.request("http://web.example.com:443/")
    assert str(plain_to_443.reason) == (
        "plain HTTP was sent to the Ingress controller's HTTPS port 443, so nginx answered "
        "400; use https:// or port 80"
    )
    assert words(plain_to_443.reason)["key"] == "ingress-http-to-port-443"


def test_ingress_class_problems_are_sentences_inside_the_404() -> None:
    cluster = applied(INGRESSES)
    ignored = cluster.request("http://other.example.com/")
    assert str(ignored.reason) == (
        "only ingress other names host other.example.com and ingress-nginx does not serve it "
        "(its ingressClassName traefik names no IngressClass), so ingress-nginx's default "
        "backend answered 404"
    )
    assert words(ignored.reason)["key"] == "ingress-host-ignored"
    assert words(ignored.reason)["values"]["why"] == {
        "key": "ingress-class-unknown",
        "values": {"ingress_class": "traefik"},
    }


def test_tls_certificates_and_redirects_of_an_ingress_are_sentences() -> None:
    cluster = applied(get("ingress-tls").manifest, seed=2)
    unverified = cluster.request("https://kubia.example.com/")
    assert str(unverified.reason) == (
        "ingress-nginx serves the certificate of secret default/tls-secret "
        "(CN=kubia.example.com), which curl cannot verify (self-signed certificate); add -k "
        "to skip verification"
    )
    assert words(unverified.reason)["key"] == "ingress-unverified-certificate"
    assert words(unverified.reason)["values"]["origin"] == {
        "key": "certificate-of-secret",
        "values": {"secret": "default/tls-secret"},
    }

    redirected = cluster.request("http://kubia.example.com/")
    assert str(redirected.reason) == (
        "ingress kubia has a TLS entry for kubia.example.com, so ingress-nginx redirects plain "
        "HTTP to https://kubia.example.com with 308 (annotation "
        'nginx.ingress.kubernetes.io/ssl-redirect: "false" turns this off)'
    )
    assert words(redirected.reason)["key"] == "ingress-ssl-redirect"


def test_gateway_routes_reasons_are_sentences_under_keys() -> None:
    cluster = applied(WEB, route(GATEWAY_RULES))
    served = cluster.request("http://web.example.com/hello")
    pod = served.served_by
    ip = served.hops[-1].ip
    assert str(served.reason) == (
        "gateway gw: listener http, httproute web rule 4 (web.example.com path / (PathPrefix)) "
        f"-> service web:80 -> pod {pod} ({ip}:8080), path /hello"
    )
    assert keys(words(served.reason)) == ["gateway-to-pod", "proxied-to-service", "gateway-rule"]
    # The HTTPRoute match is shown as its fields, a value of the sentence.
    rule = words(served.reason)["values"]["target"]["values"]["route"]
    assert rule["values"]["match"] == "path / (PathPrefix)"

    redirected = cluster.request("http://web.example.com/old")
    assert str(redirected.reason) == (
        "gateway gw: listener http, httproute web rule 0 (web.example.com path /old "
        "(PathPrefix)) redirects to http://web.example.com/new with 301"
    )
    assert keys(words(redirected.reason)) == ["gateway-redirects", "gateway-rule"]

    missing = cluster.request("http://web.example.com/missing")
    assert str(missing.reason) == (
        "gateway gw: listener http, httproute web rule 1 (web.example.com path /missing "
        "(PathPrefix)) -> backend missing: BackendNotFound (spec.rules[1].backendRefs[0].name: "
        'Not found: "missing"), so nginx answered 500'
    )
    assert words(missing.reason)["key"] == "gateway-invalid-backend"

    zero = cluster.request("http://web.example.com/zero")
    assert str(zero.reason) == (
        "gateway gw: listener http, httproute web rule 2 (web.example.com path /zero "
        "(PathPrefix)) gives every backend weight 0, so nginx answered 500"
    )
    assert words(zero.reason)["key"] == "gateway-zero-weights"

    tagged = cluster.request("http://web.example.com/tagged")
    assert str(tagged.reason).startswith(
        "gateway gw: listener http, httproute web rule 3 (web.example.com path /tagged "
        "(PathPrefix)) [ResponseHeaderModifier (set x-env: test)] -> service web:80 -> pod "
    )
    assert keys(words(tagged.reason)) == [
        "gateway-to-pod",
        "proxied-to-service",
        "gateway-rule-filters",
        "gateway-rule",
    ]

    no_listener = cluster.request("http://web.example.com:8080/")
    assert str(no_listener.reason) == (
        "gateway gw has no listener on port 8080 (its programmed listener ports: 80), so its "
        "data plane's load balancer refuses the connection"
    )
    assert words(no_listener.reason)["key"] == "gateway-no-listener"

    address = cluster.state.store.get("Gateway", "default", "gw")["status"]["addresses"][0]
    no_route = cluster.request(f"http://{address['value']}/")
    assert str(no_route.reason) == (
        f"no HTTPRoute attached to gateway gw serves host {address['value']}, so nginx's "
        "default server answered 404"
    )
    assert words(no_route.reason)["key"] == "gateway-no-route-for-host"


def test_gateway_plan_replays_keep_the_sentence() -> None:
    cluster = applied(WEB, route(TO_WEB))
    first = cluster.request("http://web.example.com/")
    again = [cluster.request("http://web.example.com/") for _ in range(4)]
    for trace in again:
        assert words(trace.reason)["key"] == "gateway-to-pod"
        assert str(trace.reason).startswith(
            "gateway gw: listener http, httproute web rule 0 (web.example.com path / "
            "(PathPrefix)) -> service web:80 -> pod "
        )
    assert words(first.reason)["key"] == "gateway-to-pod"


def test_gateway_tls_reasons_are_sentences() -> None:
    cluster = applied(get("gateway-tls").manifest, seed=2)
    unverified = cluster.request("https://kubia.example.com/")
    assert str(unverified.reason) == (
        "listener https of gateway kubia serves the certificate of secret default/tls-secret "
        "(CN=kubia.example.com), which curl cannot verify (self-signed certificate); add -k "
        "to skip verification"
    )
    assert keys(words(unverified.reason)) == [
        "gateway-unverified-certificate",
        "certificate-of-secret",
    ]

    address = cluster.state.store.get("Gateway", "default", "kubia")["status"]["addresses"][0]
    ip = address["value"]
    no_name = cluster.request(f"https://{ip}/")
    assert str(no_name.reason) == (
        "no HTTPS listener of gateway kubia on port 443 matches the server name (none: an IP "
        "address), so nginx rejects the TLS handshake (ssl_reject_handshake)"
    )
    assert words(no_name.reason)["key"] == "gateway-no-server-name"

    plain = cluster.request(f"http://{ip}:443/", headers={"Host": "kubia.example.com"})
    assert str(plain.reason) == (
        "plain HTTP was sent to gateway kubia's HTTPS listener on port 443, so nginx answered "
        "400; use https://"
    )
    assert words(plain.reason)["key"] == "gateway-http-to-https-listener"
