"""Cluster DNS: the pods' resolver, CoreDNS records, failure reasons and bind9 nslookup output."""

from __future__ import annotations

import pytest

from simulator.network import Network
from simulator.network.dns import candidates, external_address, resolv_conf
from simulator.network.testing import FakeState

SERVER = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n"


def cluster() -> tuple[FakeState, Network]:
    """kubia (10.96.100.1) with pods kubia-a/b, a headless twin, an ExternalName, a client pod."""
    state = FakeState()
    state.add_pod("kubia-a", {"app": "kubia"}, node="worker-1")  # 10.244.1.2
    state.add_pod("kubia-b", {"app": "kubia"}, node="worker-2")  # 10.244.2.2
    state.add_pod("client", {"app": "client"}, node="worker-2")  # 10.244.2.3
    state.add_service("kubia", {"app": "kubia"})
    state.add_service("kubia-headless", {"app": "kubia"}, cluster_ip="None")
    state.add_service("ext", None, type="ExternalName", externalName="www.example.com")
    state.add_pod("db-0", {"app": "db"}, namespace="prod", hostname="db-0", subdomain="db")
    state.add_service("db", {"app": "db"}, namespace="prod", cluster_ip="None")
    return state, Network(state)


def test_resolv_conf() -> None:
    assert resolv_conf("shop") == (
        "search shop.svc.cluster.local svc.cluster.local cluster.local\n"
        "nameserver 10.96.0.10\n"
        "options ndots:5\n"
    )
    assert Network(FakeState()).resolv_conf("default").startswith("search default.svc.")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "web",
            (
                "web.default.svc.cluster.local",
                "web.svc.cluster.local",
                "web.cluster.local",
                "web",
            ),
            id="short name: search list first",
        ),
        pytest.param(
            "web.prod",
            (
                "web.prod.default.svc.cluster.local",
                "web.prod.svc.cluster.local",
                "web.prod.cluster.local",
                "web.prod",
            ),
            id="name.namespace matches on the second domain",
        ),
        pytest.param(
            "google.com",
            (
                "google.com.default.svc.cluster.local",
                "google.com.svc.cluster.local",
                "google.com.cluster.local",
                "google.com",
            ),
            id="external name: three NXDOMAINs first",
        ),
        pytest.param(
            "web.default.svc.cluster.local.",
            ("web.default.svc.cluster.local",),
            id="trailing dot is absolute",
        ),
        pytest.param(
            "a.b.c.d.e.f",
            (
                "a.b.c.d.e.f",
                "a.b.c.d.e.f.default.svc.cluster.local",
                "a.b.c.d.e.f.svc.cluster.local",
                "a.b.c.d.e.f.cluster.local",
            ),
            id="five dots or more: as is first",
        ),
    ],
)
def test_search_list_candidates(name: str, expected: tuple[str, ...]) -> None:
    assert candidates(name, "default") == expected


@pytest.mark.parametrize(
    ("name", "address"),
    [
        pytest.param("www.example.com", "93.184.215.14", id="well known"),
        pytest.param("kubia.example.com", None, id="made-up example.com subdomain"),
        pytest.param("db.nowhere.invalid", None, id="reserved TLD"),
        pytest.param("localhost", None, id="no dot"),
        pytest.param("kubia.staging", None, id="not a public TLD"),
        pytest.param(
            "github.com", "203.0.113.145", id="anything else: a stable TEST-NET-3 address"
        ),
    ],
)
def test_external_policy(name: str, address: str | None) -> None:
    assert external_address(name) == address


@pytest.mark.parametrize(
    ("name", "addresses", "kind"),
    [
        pytest.param("kubia", {"10.96.100.1"}, "service", id="cluster IP"),
        pytest.param("kubia-headless", {"10.244.1.2", "10.244.2.2"}, "headless", id="headless"),
        pytest.param("ext", {"93.184.215.14"}, "externalname", id="ExternalName CNAME"),
        pytest.param("db-0.db.prod", {"10.244.1.3"}, "endpoint", id="headless endpoint hostname"),
        pytest.param(
            "10-244-1-2.kubia-headless.default.svc.cluster.local",
            {"10.244.1.2"},
            "endpoint",
            id="endpoint by dashed IP",
        ),
        pytest.param("10-1-2-3.default.pod.cluster.local", {"10.1.2.3"}, "pod", id="pod record"),
        pytest.param("kubernetes.default", {"10.96.0.1"}, "service", id="kubernetes.default"),
    ],
)
def test_records(name: str, addresses: set[str], kind: str) -> None:
    _, network = cluster()
    answer = network.router.dns.resolve(name, "default")
    assert (set(answer.addresses), answer.kind) == (addresses, kind)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        pytest.param("kubiaa", "there is no service kubiaa in namespace default", id="typo"),
        pytest.param(
            "db",
            "there is no service db in namespace default; service db exists in namespace prod, "
            "so use db.prod",
            id="other namespace",
        ),
        pytest.param(
            "kubia.example.com",
            "kubia.example.com is an Ingress host, which only the host resolves (as if in its "
            "/etc/hosts); from a pod, send the request to the Ingress address with "
            "-H 'Host: kubia.example.com'",
            id="ingress host from a pod",
        ),
        pytest.param(
            "nothing.invalid",
            "nothing.invalid is not a cluster name and does not exist in public DNS",
            id="external",
        ),
    ],
)
def test_failure_reasons(name: str, reason: str) -> None:
    state, network = cluster()
    state.add_ingress("kubia", [{"host": "kubia.example.com"}])
    trace = network.request(f"http://{name}/", "pod/client")
    assert (trace.outcome, trace.reason) == ("dns_error", f"could not resolve {name}: {reason}")
    result = network.run(["curl", f"http://{name}/"], "pod/client", tty=True)
    assert (result.stderr, result.exit_code) == (
        f"curl: (6) Could not resolve host: {name}\n",
        6,
    )


def test_missing_namespace_is_named_when_namespaces_exist() -> None:
    state, network = cluster()
    for ns in ("default", "prod"):
        state.store.put({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    trace = network.request("http://kubia.staging/", "pod/client")
    assert trace.reason == (
        "could not resolve kubia.staging: namespace staging does not exist, so kubia.staging "
        "has no DNS record"
    )


# -- nslookup ------------------------------------------------------------------------------


def nslookup(network: Network, *args: str, source: str = "pod/client"):
    return network.run(["nslookup", *args], source)


def test_nslookup_service() -> None:
    _, network = cluster()
    result = nslookup(network, "kubia")
    assert (result.stdout, result.exit_code) == (
        SERVER + "Name:\tkubia.default.svc.cluster.local\nAddress: 10.96.100.1\n\n",
        0,
    )
    assert result.traces[0].to_dict() == {
        "source": "pod/client",
        "url": "kubia",
        "outcome": "ok",
        "status": None,
        "served_by": None,
        "reason": "kubia.default.svc.cluster.local is 10.96.100.1",
        "hops": [
            {"kind": "client", "name": "client", "ip": "10.244.2.3", "node": "worker-2"},
            {
                "kind": "dns",
                "name": "kubia.default.svc.cluster.local",
                "ip": "10.96.0.10",
                "port": 53,
            },
        ],
    }


def test_nslookup_kubernetes_default() -> None:
    _, network = cluster()
    assert nslookup(network, "kubernetes.default").stdout == (
        SERVER + "Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n"
    )


def test_nslookup_headless_lists_every_ready_pod() -> None:
    _, network = cluster()
    out = nslookup(network, "kubia-headless").stdout
    assert out.startswith(SERVER)
    body = out[len(SERVER) :]
    pairs = body.strip("\n").split("\n")
    assert sorted(pairs) == sorted(
        [
            "Name:\tkubia-headless.default.svc.cluster.local",
            "Address: 10.244.1.2",
            "Name:\tkubia-headless.default.svc.cluster.local",
            "Address: 10.244.2.2",
        ]
    )


def test_nslookup_external_name() -> None:
    _, network = cluster()
    assert nslookup(network, "ext").stdout == (
        SERVER
        + "ext.default.svc.cluster.local\tcanonical name = www.example.com.\n"
        + "Name:\twww.example.com\nAddress: 93.184.215.14\n\n"
    )


def test_nslookup_external_host_is_non_authoritative() -> None:
    _, network = cluster()
    assert nslookup(network, "example.com").stdout == (
        SERVER + "Non-authoritative answer:\nName:\texample.com\nAddress: 93.184.215.14\n\n"
    )


def test_nslookup_nxdomain_prints_the_name_as_typed() -> None:
    _, network = cluster()
    result = nslookup(network, "nosuchsvc")
    assert (result.stdout, result.exit_code) == (
        SERVER + "** server can't find nosuchsvc: NXDOMAIN\n\n",
        1,
    )
    assert result.traces[0].outcome == "dns_error"


def test_nslookup_reverse() -> None:
    _, network = cluster()
    assert nslookup(network, "10.96.0.1").stdout == (
        SERVER + "1.0.96.10.in-addr.arpa\tname = kubernetes.default.svc.cluster.local.\n\n"
    )
    assert nslookup(network, "10.244.1.3").stdout == (
        SERVER + "3.1.244.10.in-addr.arpa\tname = db-0.db.prod.svc.cluster.local.\n\n"
    )
    missing = nslookup(network, "10.1.2.3")
    assert (missing.stdout, missing.exit_code) == (
        SERVER + "** server can't find 3.2.1.10.in-addr.arpa: NXDOMAIN\n\n",
        1,
    )


def test_nslookup_from_the_host_does_not_read_etc_hosts() -> None:
    state, network = cluster()
    state.add_ingress("kubia", [{"host": "kubia.example.com"}])
    host_server = "Server:\t\t127.0.0.53\nAddress:\t127.0.0.53#53\n\n"
    result = nslookup(network, "kubia.example.com", source="host")
    assert (result.stdout, result.exit_code) == (
        host_server + "** server can't find kubia.example.com: NXDOMAIN\n\n",
        1,
    )
    assert "never reads /etc/hosts (curl does)" in result.traces[0].reason
    assert nslookup(network, "kubia", source="host").exit_code == 1


def test_nslookup_unreachable_server() -> None:
    _, network = cluster()
    result = nslookup(network, "kubia", "8.8.4.4")
    assert (result.stdout, result.exit_code) == (
        ";; connection timed out; no servers could be reached\n\n",
        1,
    )
