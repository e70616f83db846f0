"""ingress-nginx: hosts, path precedence, default backends, 404/503/502, TLS and classes."""

from __future__ import annotations

import pytest

from simulator.network import Network
from simulator.network.testing import FakeState
from tests.simulator.test_network_tls import KUBIA_CERT

HOST = {"kind": "client", "name": "host", "ip": "192.168.49.1"}
NOT_FOUND = (
    "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    "<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
UNAVAILABLE = (
    "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
    "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n"
    "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


def backend(service: str, port: int | str = 80) -> dict:
    key = "number" if isinstance(port, int) else "name"
    return {"service": {"name": service, "port": {key: port}}}


def rule(host: str | None, *paths: tuple[str, str, str]) -> dict:
    """An Ingress rule; each path is `(path, pathType, service)`."""
    out: dict = {
        "http": {
            "paths": [{"path": p, "pathType": t, "backend": backend(svc)} for p, t, svc in paths]
        }
    }
    if host:
        out["host"] = host
    return out


def cluster(*services: str, seed: int = 0) -> tuple[FakeState, Network]:
    """One Service per name, each with one pod `<name>-pod` (port 80 -> 8080)."""
    state = FakeState(seed)
    for name in services:
        state.add_pod(f"{name}-pod", {"app": name}, node="worker-1")
        state.add_service(name, {"app": name})
    return state, Network(state)


# -- paths ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paths", "request_path", "served"),
    [
        pytest.param([("/", "Prefix")], "/anything/at/all", 0, id="Prefix / matches all"),
        pytest.param([("/foo", "Exact")], "/foo", 0, id="Exact /foo, /foo"),
        pytest.param([("/foo", "Exact")], "/bar", None, id="Exact /foo, /bar"),
        pytest.param([("/foo", "Exact")], "/foo/", None, id="Exact /foo, /foo/"),
        pytest.param([("/foo/", "Exact")], "/foo", None, id="Exact /foo/, /foo"),
        pytest.param([("/foo", "Prefix")], "/foo", 0, id="Prefix /foo, /foo"),
        pytest.param([("/foo", "Prefix")], "/foo/", 0, id="Prefix /foo, /foo/"),
        pytest.param([("/foo/", "Prefix")], "/foo", 0, id="Prefix /foo/, /foo"),
        pytest.param([("/foo/", "Prefix")], "/foo/", 0, id="Prefix /foo/, /foo/"),
        pytest.param([("/aaa/bb", "Prefix")], "/aaa/bbb", None, id="Prefix /aaa/bb, /aaa/bbb"),
        pytest.param([("/aaa/bbb", "Prefix")], "/aaa/bbb", 0, id="Prefix /aaa/bbb, /aaa/bbb"),
        pytest.param([("/aaa/bbb/", "Prefix")], "/aaa/bbb", 0, id="ignores trailing slash"),
        pytest.param([("/aaa/bbb", "Prefix")], "/aaa/bbb/", 0, id="matches trailing slash"),
        pytest.param([("/aaa/bbb", "Prefix")], "/aaa/bbb/ccc", 0, id="matches subpath"),
        pytest.param([("/aaa/bbb", "Prefix")], "/aaa/bbbxyz", None, id="not a string prefix"),
        pytest.param([("/", "Prefix"), ("/aaa", "Prefix")], "/aaa/ccc", 1, id="longest wins"),
        pytest.param(
            [("/", "Prefix"), ("/aaa", "Prefix"), ("/aaa/bbb", "Prefix")],
            "/aaa/bbb",
            2,
            id="longest of three",
        ),
        pytest.param(
            [("/", "Prefix"), ("/aaa", "Prefix"), ("/aaa/bbb", "Prefix")],
            "/ccc",
            0,
            id="falls back to /",
        ),
        pytest.param([("/aaa", "Prefix")], "/ccc", None, id="no match: default backend"),
        pytest.param([("/foo", "Prefix"), ("/foo", "Exact")], "/foo", 1, id="Exact beats Prefix"),
        pytest.param([("/foo", "Exact"), ("/foo", "Prefix")], "/foo", 0, id="in any order"),
        pytest.param([("/foo", "Exact"), ("/foo", "Prefix")], "/foo/x", 1, id="Prefix for more"),
        pytest.param([("/foo", "ImplementationSpecific")], "/foo/bar", 0, id="impl = Prefix"),
        pytest.param([("/foo", "Exact")], "/foo?page=2", 0, id="query string ignored"),
        pytest.param([("/Foo", "Prefix")], "/foo", None, id="case-sensitive"),
    ],
)
def test_path_matching(paths: list[tuple[str, str]], request_path: str, served: int | None) -> None:
    names = [f"s{i}" for i in range(len(paths))]
    state, network = cluster(*names)
    state.add_ingress(
        "paths",
        [rule("kubia.example.com", *((p, t, n) for (p, t), n in zip(paths, names, strict=True)))],
    )
    trace = network.request(f"http://kubia.example.com{request_path}")
    if served is None:
        assert (trace.outcome, trace.status, trace.served_by) == (
            "http_error",
            404,
            "ingress-nginx",
        )
    else:
        assert (trace.outcome, trace.served_by) == ("ok", f"s{served}-pod")


def test_paths_merge_across_ingresses_of_the_same_host() -> None:
    state, network = cluster("web", "api", "old")
    state.add_ingress("web", [rule("shop.example.com", ("/", "Prefix", "web"))])
    state.add_ingress(
        "api", [rule("shop.example.com", ("/api", "Prefix", "api"))], created="2026-11-22T09:05:00Z"
    )
    state.add_ingress(
        "late", [rule("shop.example.com", ("/", "Prefix", "old"))], created="2026-11-22T10:00:00Z"
    )
    assert network.request("http://shop.example.com/api/v1").served_by == "api-pod"
    assert network.request("http://shop.example.com/").served_by == "web-pod"  # oldest wins


# -- the whole trace -------------------------------------------------------------------------


def test_ingress_request_whole_trace() -> None:
    state, network = cluster("kubia")
    state.add_ingress("kubia", [rule("kubia.example.com", ("/", "Prefix", "kubia"))])
    assert network.request("http://kubia.example.com/").to_dict() == {
        "source": "host",
        "url": "http://kubia.example.com/",
        "outcome": "ok",
        "status": 200,
        "served_by": "kubia-pod",
        "reason": "ingress kubia: host kubia.example.com path / (Prefix) -> service kubia:80 "
        "-> 10.244.1.2:8080",
        "hops": [
            HOST,
            {"kind": "ingress", "name": "kubia", "ip": "192.168.49.100", "port": 80},
            {"kind": "service", "name": "kubia", "ip": "10.96.100.1", "port": 80},
            {"kind": "endpoints", "name": "kubia"},
            {
                "kind": "pod",
                "name": "kubia-pod",
                "ip": "10.244.1.2",
                "port": 8080,
                "node": "worker-1",
                "src_ip": "192.168.49.100",
            },
        ],
    }


def test_upstream_pods_see_the_controller_pod_ip() -> None:
    state, network = cluster("kubia")
    state.add_pod(
        "ingress-nginx-controller-abcde",
        {"app.kubernetes.io/component": "controller"},
        namespace="ingress-nginx",
        node="control-plane",
        ports=(80, 443),
    )
    state.add_ingress("kubia", [rule("kubia.example.com", ("/", "Prefix", "kubia"))])
    assert network.request("http://kubia.example.com/").hops[-1].src_ip == "10.244.0.2"


def test_round_robin_per_upstream() -> None:
    state = FakeState(seed=5)
    for name in ("kubia-a", "kubia-b", "kubia-c"):
        state.add_pod(name, {"app": "kubia"})
    state.add_service("kubia", {"app": "kubia"})
    state.add_ingress("kubia", [rule("kubia.example.com", ("/", "Prefix", "kubia"))])
    network = Network(state)
    served = [network.request("http://kubia.example.com/").served_by for _ in range(7)]
    start = served[0]
    order = ["kubia-a", "kubia-b", "kubia-c"]
    i = order.index(start)
    assert served == [order[(i + k) % 3] for k in range(7)]
    state.set_ready("default", "kubia-b", False)
    after = {network.request("http://kubia.example.com/").served_by for _ in range(6)}
    assert after == {"kubia-a", "kubia-c"}


# -- hosts --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "served"),
    [
        pytest.param("bar.foo.com", "wild-pod", id="wildcard: one label"),
        pytest.param("baz.bar.foo.com", None, id="wildcard: not two labels"),
        pytest.param("foo.com", None, id="wildcard: not zero labels"),
        pytest.param("exact.foo.com", "exact-pod", id="exact host beats wildcard"),
        pytest.param("KUBIA.example.com", "kubia-pod", id="host is case-insensitive"),
        pytest.param("kubia.example.com:80", "kubia-pod", id="port stripped"),
        pytest.param("other.example.com", "any-pod", id="host-less rule catches the rest"),
    ],
)
def test_hosts(host: str, served: str | None) -> None:
    state, network = cluster("wild", "exact", "kubia", "any")
    state.add_ingress(
        "hosts",
        [
            rule("*.foo.com", ("/", "Prefix", "wild")),
            rule("exact.foo.com", ("/", "Prefix", "exact")),
            rule("kubia.example.com", ("/", "Prefix", "kubia")),
        ],
    )
    state.add_ingress("catch", [rule(None, ("/any", "Prefix", "any"))])
    path = "/any" if served == "any-pod" else "/"
    trace = network.request(f"http://192.168.49.100{path}", headers={"Host": host})
    if served is None:
        assert (trace.status, trace.served_by) == (404, "ingress-nginx")
    else:
        assert trace.served_by == served


def test_a_host_with_rules_does_not_fall_back_to_host_less_rules() -> None:
    state, network = cluster("kubia", "any")
    state.add_ingress("kubia", [rule("kubia.example.com", ("/app", "Prefix", "kubia"))])
    state.add_ingress("catch", [rule(None, ("/", "Prefix", "any"))])
    trace = network.request("http://kubia.example.com/other")
    assert (trace.status, trace.reason) == (
        404,
        "no Ingress rule matches host kubia.example.com path /other (ingress kubia has rules "
        "for kubia.example.com but none for this path), so ingress-nginx's default backend "
        "answered 404",
    )


def test_host_resolution_from_the_host() -> None:
    state, network = cluster("kubia")
    state.add_ingress("kubia", [rule("kubia.example.com", ("/", "Prefix", "kubia"))])
    assert network.request("http://kubia.example.com/").outcome == "ok"
    resolved = network.request("http://foo.bar.test/", resolve=["foo.bar.test:80:192.168.49.100"])
    assert (resolved.status, resolved.reason) == (
        404,
        "no Ingress rule matches host foo.bar.test path /, so ingress-nginx's default backend "
        "answered 404",
    )
    header = network.request("http://192.168.49.100/", headers={"Host": "kubia.example.com"})
    assert header.served_by == "kubia-pod"
    unknown = network.request("http://kubai.example.com/")
    assert (unknown.outcome, unknown.reason) == (
        "dns_error",
        "could not resolve kubai.example.com: no Ingress rule or accepted HTTPRoute names "
        "this host (the host resolves their hosts as if they were in its /etc/hosts) and it "
        "is not in public DNS",
    )


def test_default_backend_page_exactly() -> None:
    _, network = cluster()
    result = network.run(["curl", "-i", "http://192.168.49.100/nothing"])
    assert result.stdout == (
        "HTTP/1.1 404 Not Found\r\n"
        "Date: Sun, 22 Nov 2026 09:00:00 GMT\r\n"
        "Content-Type: text/html\r\n"
        "Content-Length: 146\r\n"
        "Connection: keep-alive\r\n"
        "\r\n" + NOT_FOUND
    )
    assert result.exit_code == 0
    assert result.traces[0].to_dict() == {
        "source": "host",
        "url": "http://192.168.49.100/nothing",
        "outcome": "http_error",
        "status": 404,
        "served_by": "ingress-nginx",
        "reason": "no Ingress rule matches host 192.168.49.100 path /nothing, so "
        "ingress-nginx's default backend answered 404",
        "hops": [
            HOST,
            {"kind": "ingress", "name": "ingress-nginx", "ip": "192.168.49.100", "port": 80},
        ],
    }
    failed = network.run(["curl", "-sSf", "http://192.168.49.100/nothing"])
    assert (failed.stdout, failed.stderr, failed.exit_code) == (
        "",
        "curl: (22) The requested URL returned error: 404\n",
        22,
    )


def test_ingress_default_backends() -> None:
    state, network = cluster("kubia", "fallback", "everything")
    state.add_ingress(
        "kubia",
        [rule("kubia.example.com", ("/app", "Prefix", "kubia"))],
        default_backend=backend("fallback"),
    )
    state.add_ingress("catch-all", default_backend=backend("everything"))
    assert network.request("http://kubia.example.com/app").served_by == "kubia-pod"
    own = network.request("http://kubia.example.com/other")
    assert (own.served_by, own.reason) == (
        "fallback-pod",
        "ingress kubia: default backend -> service fallback:80 -> 10.244.1.3:8080",
    )
    anything = network.request("http://192.168.49.100/", headers={"Host": "x.y.test"})
    assert anything.served_by == "everything-pod"


# -- 503 and 502 --------------------------------------------------------------------------------


def test_missing_backend_service_is_503() -> None:
    state, network = cluster()
    state.add_ingress("kubia", [rule("kubia.example.com", ("/", "Prefix", "kubia"))])
    result = network.run(["curl", "-s", "http://kubia.example.com/"])
    assert result.stdout == UNAVAILABLE
    assert result.traces[0].reason == (
        "ingress kubia: host kubia.example.com path / (Prefix) sends to service kubia, which "
        "does not exist in namespace default, so ingress-nginx answered 503"
    )


def test_backend_without_ready_endpoints_is_503() -> None:
    state, network = cluster("kubia")
    state.set_ready("default", "kubia-pod", False, "ls: /var/ready: No such file or directory")
    state.add_ingress("kubia", [rule("kubia.example.com", ("/", "Prefix", "kubia"))])
    trace = network.request("http://kubia.example.com/")
    assert trace.to_dict() == {
        "source": "host",
        "url": "http://kubia.example.com/",
        "outcome": "http_error",
        "status": 503,
        "served_by": "ingress-nginx",
        "reason": "service kubia has no ready endpoints: pod kubia-pod fails its readiness probe "
        "(ls: /var/ready: No such file or directory), so ingress-nginx answered 503",
        "hops": [
            HOST,
            {"kind": "ingress", "name": "kubia", "ip": "192.168.49.100", "port": 80},
            {"kind": "service", "name": "kubia", "ip": "10.96.100.1", "port": 80},
            {"kind": "endpoints", "name": "kubia"},
        ],
    }


def test_backend_port_missing_is_503_and_port_names_work() -> None:
    state, network = cluster()
    state.add_pod("web-pod", {"app": "web"})
    state.add_service("web", {"app": "web"}, [{"name": "http", "port": 80, "targetPort": 8080}])
    state.add_ingress(
        "web",
        [
            {
                "host": "web.example.com",
                "http": {
                    "paths": [
                        {"path": "/", "pathType": "Prefix", "backend": backend("web", "http")},
                        {"path": "/x", "pathType": "Prefix", "backend": backend("web", 8080)},
                    ]
                },
            }
        ],
    )
    assert network.request("http://web.example.com/").served_by == "web-pod"
    missing = network.request("http://web.example.com/x")
    assert (missing.status, missing.reason) == (
        503,
        "ingress web: host web.example.com path /x (Prefix) sends to port 8080 of service web, "
        "which has no such port, so ingress-nginx answered 503",
    )


def test_pod_not_listening_is_502() -> None:
    state, network = cluster()
    state.add_pod("web-pod", {"app": "web"})
    state.add_service("web", {"app": "web"}, [{"port": 80, "targetPort": 9090}])
    state.add_ingress("web", [rule("web.example.com", ("/", "Prefix", "web"))])
    trace = network.request("http://web.example.com/")
    assert (trace.status, trace.reason) == (
        502,
        "ingress web: host web.example.com path / (Prefix) -> service web:80, but nothing "
        "listens on port 9090 in pod web-pod (it declares 8080), so ingress-nginx answered 502",
    )


def test_external_name_backend() -> None:
    state, network = cluster()
    state.add_service("ext", None, type="ExternalName", externalName="www.example.com")
    state.add_ingress("ext", [rule("ext.example.com", ("/", "Prefix", "ext"))])
    trace = network.request("http://ext.example.com/")
    assert (trace.outcome, trace.served_by) == ("ok", "www.example.com")
    assert trace.hops[-1].to_dict() == {
        "kind": "external",
        "name": "www.example.com",
        "ip": "93.184.215.14",
        "port": 80,
    }


# -- classes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("class_name", "annotations", "served"),
    [
        pytest.param("nginx", {}, True, id="class nginx"),
        pytest.param(None, {}, True, id="no class"),
        pytest.param("custom", {}, True, id="class with the ingress-nginx controller"),
        pytest.param("nic", {}, True, id="class with the NGINX Inc controller"),
        pytest.param("traefik", {}, False, id="class of another controller"),
        pytest.param("missing", {}, False, id="class that does not exist"),
        pytest.param(None, {"kubernetes.io/ingress.class": "nginx"}, True, id="legacy nginx"),
        pytest.param(None, {"kubernetes.io/ingress.class": "traefik"}, False, id="legacy other"),
        pytest.param(
            "nginx", {"kubernetes.io/ingress.class": "traefik"}, True, id="class name wins"
        ),
    ],
)
def test_ingress_classes(class_name: str | None, annotations: dict, served: bool) -> None:
    state, network = cluster("kubia")
    state.add_ingress_class("custom", "k8s.io/ingress-nginx")
    state.add_ingress_class("nic", "nginx.org/ingress-controller")
    state.add_ingress_class("traefik", "traefik.io/ingress-controller")
    state.add_ingress(
        "kubia",
        [rule("kubia.example.com", ("/", "Prefix", "kubia"))],
        class_name=class_name,
        annotations=annotations,
    )
    trace = network.request("http://kubia.example.com/")
    assert (trace.status == 200) is served


def test_ignored_ingress_is_named_in_the_404_reason() -> None:
    state, network = cluster("kubia")
    state.add_ingress_class("traefik", "traefik.io/ingress-controller")
    state.add_ingress(
        "kubia", [rule("kubia.example.com", ("/", "Prefix", "kubia"))], class_name="traefik"
    )
    trace = network.request("http://kubia.example.com/")
    assert trace.reason == (
        "only ingress kubia names host kubia.example.com and ingress-nginx does not serve it "
        "(its class traefik belongs to controller traefik.io/ingress-controller), so "
        "ingress-nginx's default backend answered 404"
    )


# -- TLS ----------------------------------------------------------------------------------------


def tls_cluster(secret: bool = True, **ingress) -> tuple[FakeState, Network]:
    state, network = cluster("kubia")
    if secret:
        state.add_tls_secret("kubia-tls", KUBIA_CERT)
    state.add_ingress(
        "kubia",
        [rule("kubia.example.com", ("/", "Prefix", "kubia"))],
        tls=[{"hosts": ["kubia.example.com"], "secretName": "kubia-tls"}],
        **ingress,
    )
    return state, network


@pytest.mark.parametrize(
    ("url", "location"),
    [
        pytest.param("http://kubia.example.com/", "https://kubia.example.com", id="root"),
        pytest.param("http://kubia.example.com/a/b/", "https://kubia.example.com/a/b", id="slash"),
        pytest.param("http://kubia.example.com/a?x=1", "https://kubia.example.com/a?x=1", id="q"),
    ],
)
def test_tls_host_redirects_http_with_308(url: str, location: str) -> None:
    _, network = tls_cluster()
    result = network.run(["curl", "-sI", url])
    assert result.stdout == (
        "HTTP/1.1 308 Permanent Redirect\r\n"
        "Date: Sun, 22 Nov 2026 09:00:00 GMT\r\n"
        "Content-Type: text/html\r\n"
        "Content-Length: 164\r\n"
        "Connection: keep-alive\r\n"
        f"Location: {location}\r\n"
        "\r\n"
    )
    trace = result.traces[0]
    assert (trace.outcome, trace.status, trace.served_by) == ("ok", 308, "ingress-nginx")
    assert trace.reason == (
        "ingress kubia has a TLS entry for kubia.example.com, so ingress-nginx redirects plain "
        f"HTTP to {location} with 308 (annotation nginx.ingress.kubernetes.io/ssl-redirect: "
        '"false" turns this off)'
    )


def test_ssl_redirect_false_and_force_ssl_redirect() -> None:
    _, network = tls_cluster(annotations={"nginx.ingress.kubernetes.io/ssl-redirect": "false"})
    assert network.request("http://kubia.example.com/").status == 200
    state, network = cluster("kubia")
    state.add_ingress(
        "kubia",
        [rule("kubia.example.com", ("/", "Prefix", "kubia"))],
        annotations={"nginx.ingress.kubernetes.io/force-ssl-redirect": "true"},
    )
    assert network.request("http://kubia.example.com/").status == 308


def test_https_without_k_fails_verification() -> None:
    _, network = tls_cluster()
    result = network.run(["curl", "https://kubia.example.com/"])
    assert (result.stdout, result.exit_code) == ("", 60)
    assert result.stderr == (
        "curl: (60) SSL certificate problem: self-signed certificate\n"
        "More details here: https://curl.se/docs/sslcerts.html\n\n"
        "curl failed to verify the legitimacy of the server and therefore could not\n"
        "establish a secure connection to it. To learn more about this situation and\n"
        "how to fix it, please visit the web page mentioned above.\n"
    )
    assert result.traces[0].to_dict() == {
        "source": "host",
        "url": "https://kubia.example.com/",
        "outcome": "tls_error",
        "status": None,
        "served_by": None,
        "reason": "ingress-nginx serves the certificate of secret default/kubia-tls "
        "(C=US; O=Kubeplay; CN=kubia.example.com), which curl cannot verify "
        "(self-signed certificate); add -k to skip verification",
        "hops": [
            HOST,
            {"kind": "ingress", "name": "ingress-nginx", "ip": "192.168.49.100", "port": 443},
        ],
    }


def test_missing_secret_serves_the_fake_certificate() -> None:
    _, network = tls_cluster(secret=False)
    trace = network.request("https://kubia.example.com/")
    assert trace.reason == (
        "secret kubia-tls (TLS entry of ingress kubia) is missing or not a valid "
        "kubernetes.io/tls secret, so ingress-nginx serves its self-signed fake certificate "
        "and curl refuses it (self-signed certificate); add -k to skip verification"
    )
    result = network.run(["curl", "-skv", "https://kubia.example.com/"])
    assert "*  subject: O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate\n" in (
        result.stderr
    )
    assert result.stdout == "You've hit kubia-pod\n"


def test_https_with_k_is_http2_with_hsts() -> None:
    _, network = tls_cluster()
    result = network.run(["curl", "-kv", "https://kubia.example.com/"])
    assert result.stdout == "You've hit kubia-pod\n"
    assert result.exit_code == 0
    assert result.stderr == (
        "*   Trying 192.168.49.100:443...\n"
        "* Connected to kubia.example.com (192.168.49.100) port 443 (#0)\n"
        "* ALPN: offers h2,http/1.1\n"
        "* TLSv1.3 (OUT), TLS handshake, Client hello (1):\n"
        "*  CAfile: /etc/ssl/certs/ca-certificates.crt\n"
        "*  CApath: /etc/ssl/certs\n"
        "* TLSv1.3 (IN), TLS handshake, Server hello (2):\n"
        "* TLSv1.3 (IN), TLS handshake, Encrypted Extensions (8):\n"
        "* TLSv1.3 (IN), TLS handshake, Certificate (11):\n"
        "* TLSv1.3 (IN), TLS handshake, CERT verify (15):\n"
        "* TLSv1.3 (IN), TLS handshake, Finished (20):\n"
        "* TLSv1.3 (OUT), TLS change cipher, Change cipher spec (1):\n"
        "* TLSv1.3 (OUT), TLS handshake, Finished (20):\n"
        "* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384\n"
        "* ALPN: server accepted h2\n"
        "* Server certificate:\n"
        "*  subject: C=US; O=Kubeplay; CN=kubia.example.com\n"
        "*  start date: Nov 22 02:36:24 2026 GMT\n"
        "*  expire date: Nov 19 02:36:24 2036 GMT\n"
        "*  issuer: C=US; O=Kubeplay; CN=kubia.example.com\n"
        "*  SSL certificate verify result: self-signed certificate (18), continuing anyway.\n"
        "* using HTTP/2\n"
        "* h2h3 [:method: GET]\n"
        "* h2h3 [:path: /]\n"
        "* h2h3 [:scheme: https]\n"
        "* h2h3 [:authority: kubia.example.com]\n"
        "* h2h3 [user-agent: curl/7.88.1]\n"
        "* h2h3 [accept: */*]\n"
        "* Using Stream ID: 1 (easy handle 0x55d4c3a1e2a0)\n"
        "> GET / HTTP/2\n"
        "> Host: kubia.example.com\n"
        "> user-agent: curl/7.88.1\n"
        "> accept: */*\n"
        "> \n"
        "* TLSv1.3 (IN), TLS handshake, Newsession Ticket (4):\n"
        "* TLSv1.3 (IN), TLS handshake, Newsession Ticket (4):\n"
        "< HTTP/2 200 \n"
        "< date: Sun, 22 Nov 2026 09:00:00 GMT\n"
        "< strict-transport-security: max-age=31536000; includeSubDomains\n"
        "< \n"
        "* Connection #0 to host kubia.example.com left intact\n"
    )


def test_follow_the_redirect_with_location() -> None:
    _, network = tls_cluster()
    stopped = network.run(["curl", "-sSL", "http://kubia.example.com/"])
    assert stopped.exit_code == 60
    assert [t.status for t in stopped.traces] == [308, None]
    followed = network.run(["curl", "-skL", "http://kubia.example.com/"])
    assert (followed.stdout, followed.exit_code) == ("You've hit kubia-pod\n", 0)
    assert [t.url for t in followed.traces] == [
        "http://kubia.example.com/",
        "https://kubia.example.com/",
    ]
    not_followed = network.run(["curl", "-s", "http://kubia.example.com/"])
    assert "<title>308 Permanent Redirect</title>" in not_followed.stdout


def test_plain_http_to_the_https_port_and_tls_to_the_http_port() -> None:
    _, network = tls_cluster()
    plain = network.run(["curl", "-s", "http://kubia.example.com:443/"])
    assert "<center>The plain HTTP request was sent to HTTPS port</center>" in plain.stdout
    assert plain.traces[0].status == 400
    tls = network.run(["curl", "-sS", "https://kubia.example.com:80/"])
    assert tls.exit_code == 35
