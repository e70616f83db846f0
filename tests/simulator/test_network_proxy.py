"""kube-proxy and the pod network: ClusterIP, headless, ExternalName, NodePort, LoadBalancer."""

from __future__ import annotations

from collections import Counter

import pytest

from simulator.network import Network
from simulator.network.testing import FakeState

PROBE = "ls: /var/ready: No such file or directory"
CLIENT = {"kind": "client", "name": "client", "ip": "10.244.2.3", "node": "worker-2"}
DNS = {"kind": "dns", "name": "kubia.default.svc.cluster.local", "ip": "10.96.0.10", "port": 53}
SERVICE = {"kind": "service", "name": "kubia", "ip": "10.96.100.1", "port": 80}
ENDPOINTS = {"kind": "endpoints", "name": "kubia"}
HOST = {"kind": "client", "name": "host", "ip": "192.168.49.1"}


def kubia(seed: int = 0, **service) -> tuple[FakeState, Network]:
    """Pods kubia-a (worker-1, 10.244.1.2), kubia-b (worker-2, 10.244.2.2), kubia-c
    (worker-1, 10.244.1.3), a client pod on worker-2 (10.244.2.3), and service kubia
    (10.96.100.1:80 -> 8080)."""
    state = FakeState(seed)
    for name, node in (("kubia-a", "worker-1"), ("kubia-b", "worker-2"), ("kubia-c", "worker-1")):
        state.add_pod(name, {"app": "kubia"}, node=node)
    state.add_pod("client", {"app": "client"}, node="worker-2")
    state.add_service("kubia", {"app": "kubia"}, **service)
    return state, Network(state)


def pod_hop(name: str, src_ip: str = "10.244.2.3") -> dict:
    ip, node = {
        "kubia-a": ("10.244.1.2", "worker-1"),
        "kubia-b": ("10.244.2.2", "worker-2"),
        "kubia-c": ("10.244.1.3", "worker-1"),
    }[name]
    return {"kind": "pod", "name": name, "ip": ip, "port": 8080, "node": node, "src_ip": src_ip}


# -- ClusterIP from a pod ------------------------------------------------------------------


def test_service_name_from_a_pod_whole_trace() -> None:
    _, network = kubia(seed=0)
    assert network.request("http://kubia", "pod/client").to_dict() == {
        "source": "pod/client",
        "url": "http://kubia",
        "outcome": "ok",
        "status": 200,
        "served_by": "kubia-b",
        "reason": "kube-proxy sent service kubia:80 to pod kubia-b (10.244.2.2:8080), "
        "picked at random among 3 ready endpoints",
        "hops": [CLIENT, DNS, SERVICE, ENDPOINTS, pod_hop("kubia-b")],
    }


@pytest.mark.parametrize(
    ("url", "hops"),
    [
        pytest.param("http://kubia", [CLIENT, DNS, SERVICE, ENDPOINTS], id="by name"),
        pytest.param("http://10.96.100.1", [CLIENT, SERVICE, ENDPOINTS], id="by cluster IP"),
    ],
)
def test_replayed_requests_tell_the_whole_story(url: str, hops: list[dict]) -> None:
    """From the second request on, a cached plan is replayed; its Traces are complete."""
    _, network = kubia(seed=0)
    network.request("http://kubia", "pod/client")  # by name and by IP share the endpoints' ends
    for _ in range(30):
        trace = network.request(url, "pod/client").to_dict()
        name = trace["served_by"]
        assert trace == {
            "source": "pod/client",
            "url": url,
            "outcome": "ok",
            "status": 200,
            "served_by": name,
            "reason": f"kube-proxy sent service kubia:80 to pod {name} "
            f"({pod_hop(name)['ip']}:8080), picked at random among 3 ready endpoints",
            "hops": [*hops, pod_hop(name)],
        }


@pytest.mark.parametrize(
    ("url", "dns"),
    [
        pytest.param("http://kubia", True, id="service name"),
        pytest.param("http://kubia.default", True, id="name.namespace"),
        pytest.param("http://kubia.default.svc", True, id="name.namespace.svc"),
        pytest.param("http://kubia.default.svc.cluster.local", True, id="full FQDN"),
        pytest.param("http://kubia.default.svc.cluster.local.", True, id="FQDN, trailing dot"),
        pytest.param("kubia:80/", True, id="no scheme, explicit port"),
        pytest.param("http://KUBIA/", True, id="names are case-insensitive"),
        pytest.param("http://10.96.100.1/", False, id="cluster IP"),
        pytest.param("pod/default/client", True, id="source with namespace"),
    ],
)
def test_every_spelling_reaches_the_service(url: str, dns: bool) -> None:
    _, network = kubia(seed=0)
    source = "pod/client"
    if url.startswith("pod/"):
        source, url = url, "http://kubia"
    trace = network.request(url, source).to_dict()
    hops = [CLIENT, DNS, SERVICE, ENDPOINTS, pod_hop("kubia-b")]
    if not dns:
        hops.remove(DNS)
    assert (trace["outcome"], trace["status"], trace["hops"]) == ("ok", 200, hops)


def test_endpoint_choice_is_uniform_and_replays_with_the_seed() -> None:
    _, one = kubia(seed=7)
    _, two = kubia(seed=7)
    first = [one.request("http://kubia", "pod/client").served_by for _ in range(3000)]
    second = [two.request("http://kubia", "pod/client").served_by for _ in range(3000)]
    assert first == second
    counts = Counter(first)
    assert set(counts) == {"kubia-a", "kubia-b", "kubia-c"}
    assert all(900 <= n <= 1100 for n in counts.values()), counts


def test_only_ready_endpoints_are_used() -> None:
    state, network = kubia()
    state.set_ready("default", "kubia-b", False, PROBE)
    served = {network.request("http://kubia", "pod/client").served_by for _ in range(200)}
    assert served == {"kubia-a", "kubia-c"}


def test_cached_routes_follow_readiness() -> None:
    state, network = kubia()

    def served() -> set[str | None]:
        return {network.request("http://kubia", "pod/client").served_by for _ in range(200)}

    assert served() == {"kubia-a", "kubia-b", "kubia-c"}
    state.set_ready("default", "kubia-b", False, PROBE)
    assert served() == {"kubia-a", "kubia-c"}
    state.set_ready("default", "kubia-b", True)
    assert served() == {"kubia-a", "kubia-b", "kubia-c"}


def test_no_ready_endpoint_is_refused_and_names_the_probe() -> None:
    state = FakeState()
    state.add_pod("kubia-x", {"app": "kubia"}, ready=False, probe_output=PROBE)
    state.add_pod("client", {"app": "client"}, node="worker-2")
    state.add_service("kubia", {"app": "kubia"})
    network = Network(state)
    trace = network.request("http://kubia", "pod/client")
    assert (trace.outcome, trace.status, trace.served_by) == ("refused", None, None)
    assert trace.reason == (
        "service kubia has no ready endpoints: pod kubia-x fails its readiness probe "
        "(ls: /var/ready: No such file or directory)"
    )
    result = network.run(["curl", "-s", "http://kubia"], "pod/client")
    assert (result.stdout, result.stderr, result.exit_code) == ("", "", 7)
    result = network.run(["curl", "http://kubia"], "pod/client", tty=True)
    assert result.stderr == (
        "curl: (7) Failed to connect to kubia port 80 after 0 ms: Couldn't connect to server\n"
    )


@pytest.mark.parametrize(
    ("selector", "pods", "reason"),
    [
        pytest.param(
            {"app": "nope"},
            [],
            "service web has no ready endpoints: its selector app=nope matches no pod in "
            "namespace default",
            id="selector matches nothing",
        ),
        pytest.param(
            {"app": "web"},
            ["web-1", "web-2"],
            "service web has no ready endpoints: none of its 2 pods is ready; pod web-1 is not "
            "ready yet (its readiness probe has not succeeded)",
            id="several pods not ready",
        ),
    ],
)
def test_reasons_for_no_endpoints(selector: dict, pods: list[str], reason: str) -> None:
    state = FakeState()
    for name in pods:
        state.add_pod(name, {"app": "web"}, ready=False)
    state.add_pod("client", {"app": "client"})
    state.add_service("web", selector)
    trace = Network(state).request("http://web", "pod/client")
    assert (trace.outcome, trace.reason) == ("refused", reason)


def test_wrong_port_on_a_cluster_ip_times_out() -> None:
    _, network = kubia()
    trace = network.request("http://kubia:8080/", "pod/client", timeout=2)
    assert trace.to_dict() == {
        "source": "pod/client",
        "url": "http://kubia:8080/",
        "outcome": "timeout",
        "status": None,
        "served_by": None,
        "reason": "service kubia has no port 8080 (its ports: 80), so no kube-proxy rule "
        "matches and the packet is dropped (curl gave up after 2 s)",
        "hops": [CLIENT, DNS, {**SERVICE, "port": 8080}],
    }
    assert trace.elapsed == 2.0
    result = network.run(["curl", "-m", "2", "http://kubia:8080/"], "pod/client", tty=True)
    assert result.stderr == "curl: (28) Connection timed out after 2000 milliseconds\n"
    assert result.exit_code == 28


def test_target_port_not_declared_is_refused() -> None:
    state = FakeState()
    state.add_pod("kubia-x", {"app": "kubia"}, node="worker-1")
    state.add_pod("client", {"app": "client"}, node="worker-2")
    state.add_service("kubia", {"app": "kubia"}, [{"port": 80, "targetPort": 8081}])
    trace = Network(state).request("http://kubia/", "pod/client")
    assert trace.outcome == "refused"
    assert trace.reason == (
        "kube-proxy sent service kubia:80 to pod kubia-x, but nothing listens on port 8081 in "
        "pod kubia-x (it declares 8080)"
    )
    assert trace.hops[-1].to_dict() == {
        "kind": "pod",
        "name": "kubia-x",
        "ip": "10.244.1.2",
        "port": 8081,
        "node": "worker-1",
        "src_ip": "10.244.2.2",
    }


def test_pod_ip_directly() -> None:
    _, network = kubia()
    ok = network.request("http://10.244.1.2:8080/", "pod/client").to_dict()
    assert ok == {
        "source": "pod/client",
        "url": "http://10.244.1.2:8080/",
        "outcome": "ok",
        "status": 200,
        "served_by": "kubia-a",
        "reason": "pod kubia-a answered on 10.244.1.2:8080",
        "hops": [CLIENT, pod_hop("kubia-a")],
    }
    refused = network.request("http://10.244.1.2:9000/", "pod/client")
    assert (refused.outcome, refused.reason) == (
        "refused",
        "nothing listens on port 9000 in pod kubia-a (it declares 8080)",
    )


def test_localhost_and_own_name_reach_the_pod_itself() -> None:
    _, network = kubia()
    for url, ip in (("http://localhost:8080/", "127.0.0.1"), ("http://client:8080/", "10.244.2.3")):
        trace = network.request(url, "pod/client")
        assert (trace.outcome, trace.served_by) == ("ok", "client")
        assert trace.hops[-1].to_dict() == {
            "kind": "pod",
            "name": "client",
            "ip": ip,
            "port": 8080,
            "node": "worker-2",
            "src_ip": ip,
        }


def test_hairpin_traffic_is_masqueraded() -> None:
    state = FakeState()
    state.add_pod("solo", {"app": "solo"}, node="worker-1")
    state.add_service("solo-svc", {"app": "solo"})
    network = Network(state)
    trace = network.request("http://solo-svc", "pod/solo")
    assert trace.served_by == "solo"
    assert trace.hops[-1].src_ip == "10.244.1.1"  # the node bridge, not the pod itself
    # the pod's own name is in its /etc/hosts, so it wins over a same-named service
    own = network.request("http://solo", "pod/solo")
    assert (own.outcome, own.hops[-1].src_ip) == ("refused", "10.244.1.2")


def test_session_affinity_keeps_a_client_until_inactivity_timeout() -> None:
    state, network = kubia(
        seed=3,
        sessionAffinity="ClientIP",
        sessionAffinityConfig={"clientIP": {"timeoutSeconds": 30}},
    )
    first = network.request("http://kubia", "pod/client")
    assert first.reason.endswith("picked at random among 3 ready endpoints")
    for step in (20, 25, 29):  # every request refreshes the affinity entry
        state.clock.advance(step)
        again = network.request("http://kubia", "pod/client")
        assert again.served_by == first.served_by
        assert again.reason.endswith("kept by sessionAffinity ClientIP")
    state.clock.advance(31)
    later = network.request("http://kubia", "pod/client")
    assert later.reason.endswith("picked at random among 3 ready endpoints")


def test_session_affinity_leaves_an_endpoint_that_is_no_longer_ready() -> None:
    state, network = kubia(seed=3, sessionAffinity="ClientIP")
    first = network.request("http://kubia", "pod/client").served_by
    state.set_ready("default", first, False, PROBE)
    second = network.request("http://kubia", "pod/client")
    assert second.served_by != first
    assert "kept" not in second.reason


def test_internal_traffic_policy_local() -> None:
    state, network = kubia(internalTrafficPolicy="Local")
    served = {network.request("http://kubia", "pod/client").served_by for _ in range(50)}
    assert served == {"kubia-b"}  # the only kubia pod on worker-2, the client's node
    state.add_pod("lonely", {"app": "client"}, node="control-plane")
    trace = network.request("http://kubia", "pod/lonely")
    assert (trace.outcome, trace.reason) == (
        "timeout",
        "internalTrafficPolicy Local: node control-plane has no ready pod of service kubia, "
        "so the packet is dropped (the kernel gave up after ~130 s of unanswered SYN retries)",
    )


# -- headless, ExternalName, manual Endpoints ------------------------------------------------


def headless(**spec) -> tuple[FakeState, Network]:
    state, network = kubia()
    state.add_service("kubia-headless", {"app": "kubia"}, cluster_ip="None", **spec)
    return state, network


def test_headless_service_connects_straight_to_a_pod() -> None:
    _, network = headless()
    trace = network.request("http://kubia-headless:8080/", "pod/client")
    assert trace.outcome == "ok"
    hops = trace.to_dict()["hops"]
    assert hops[:2] == [
        CLIENT,
        {
            "kind": "dns",
            "name": "kubia-headless.default.svc.cluster.local",
            "ip": "10.96.0.10",
            "port": 53,
        },
    ]
    assert [h["kind"] for h in hops] == ["client", "dns", "pod"]
    assert trace.reason.startswith(
        "headless service kubia-headless resolved to 3 pod IPs and the connection went "
        "straight to one of them: pod "
    )


def test_headless_service_has_no_port_mapping() -> None:
    _, network = headless()
    trace = network.request("http://kubia-headless/", "pod/client")
    assert trace.outcome == "refused"
    assert trace.reason.endswith(
        "(it declares 8080); a headless service has no port mapping, so the URL's port is used "
        "as is"
    )


def test_headless_service_without_ready_pods_does_not_resolve() -> None:
    state, network = headless()
    for name in ("kubia-a", "kubia-b", "kubia-c"):
        state.set_ready("default", name, False, PROBE)
    trace = network.request("http://kubia-headless:8080/", "pod/client")
    assert (trace.outcome, trace.reason) == (
        "dns_error",
        "could not resolve kubia-headless: headless service kubia-headless has no ready "
        "endpoint, so its name has no address: none of its 3 pods is ready; pod kubia-a fails "
        "its readiness probe (ls: /var/ready: No such file or directory)",
    )
    result = network.run(["curl", "-sS", "http://kubia-headless:8080/"], "pod/client")
    assert (result.stderr, result.exit_code) == (
        "curl: (6) Could not resolve host: kubia-headless\n",
        6,
    )


def test_publish_not_ready_addresses_resolves_every_pod() -> None:
    state, network = headless(publishNotReadyAddresses=True)
    for name in ("kubia-a", "kubia-b", "kubia-c"):
        state.set_ready("default", name, False, PROBE)
    trace = network.request("http://kubia-headless:8080/", "pod/client")
    assert trace.outcome == "ok"


def test_external_name_leaves_the_cluster() -> None:
    state, network = kubia()
    state.add_service("ext", None, type="ExternalName", externalName="www.example.com")
    assert network.request("http://ext/", "pod/client").to_dict() == {
        "source": "pod/client",
        "url": "http://ext/",
        "outcome": "ok",
        "status": 200,
        "served_by": "www.example.com",
        "reason": "www.example.com is outside the cluster",
        "hops": [
            CLIENT,
            {
                "kind": "dns",
                "name": "ext.default.svc.cluster.local",
                "ip": "10.96.0.10",
                "port": 53,
            },
            {"kind": "service", "name": "ext"},
            {"kind": "external", "name": "www.example.com", "ip": "93.184.215.14", "port": 80},
        ],
    }
    result = network.run(["curl", "-s", "http://ext/"], "pod/client")
    assert result.stdout == "Hello from www.example.com (outside the cluster)\n"


def test_external_name_to_a_domain_that_does_not_exist() -> None:
    state, network = kubia()
    state.add_service("gone", None, type="ExternalName", externalName="db.nowhere.invalid")
    trace = network.request("http://gone/", "pod/client")
    assert (trace.outcome, trace.reason) == (
        "dns_error",
        "could not resolve gone: service gone is an ExternalName for db.nowhere.invalid, which "
        "does not resolve",
    )


def test_service_without_selector_uses_its_manual_endpoints() -> None:
    state, network = kubia()
    state.add_service("db", None, [{"port": 5432}])
    state.add_endpoints("db", ["203.0.113.50"], [{"port": 5432}])
    state.add_service("legacy", None, [{"port": 80, "targetPort": 8080}])
    state.add_endpoints("legacy", ["10.244.1.2"], [{"port": 8080}])
    db = network.request("http://db:5432/", "pod/client").to_dict()
    assert db["outcome"] == "ok"
    assert db["hops"][-1] == {
        "kind": "external",
        "name": "203.0.113.50",
        "ip": "203.0.113.50",
        "port": 5432,
    }
    assert db["reason"] == (
        "kube-proxy sent service db:5432 to 203.0.113.50:5432, an address outside the cluster "
        "listed in its Endpoints"
    )
    legacy = network.request("http://legacy/", "pod/client")
    assert (legacy.outcome, legacy.served_by) == ("ok", "kubia-a")


def test_service_without_selector_nor_endpoints() -> None:
    state, network = kubia()
    state.add_service("db", None, [{"port": 5432}])
    trace = network.request("http://db:5432/", "pod/client")
    assert (trace.outcome, trace.reason) == (
        "refused",
        "service db has no ready endpoints: it has no selector and there is no Endpoints "
        "object named db to list its addresses",
    )


def test_kubernetes_service_reaches_the_api_server() -> None:
    _, network = kubia()
    denied = network.run(["curl", "-sk", "https://kubernetes/"], "pod/client")
    assert denied.exit_code == 0
    assert '"message": "forbidden: User \\"system:anonymous\\" cannot get path \\"/\\""' in (
        denied.stdout
    )
    assert denied.traces[0].outcome == "http_error"
    assert denied.traces[0].served_by == "kube-apiserver"
    untrusted = network.run(["curl", "-sS", "https://kubernetes/"], "pod/client")
    assert untrusted.exit_code == 60
    assert untrusted.stderr.startswith(
        "curl: (60) SSL certificate problem: unable to get local issuer certificate\n"
    )


def test_https_to_a_plain_http_pod() -> None:
    _, network = kubia()
    result = network.run(["curl", "-sS", "https://kubia:80/"], "pod/client")
    assert result.exit_code == 35
    assert result.stderr == (
        "curl: (35) OpenSSL/3.0.15: error:0A00010B:SSL routines::wrong version number\n"
    )
    assert result.traces[0].outcome == "tls_error"


# -- from the host -----------------------------------------------------------------------------


def test_cluster_ip_and_pod_ip_are_not_reachable_from_the_host() -> None:
    _, network = kubia()
    trace = network.request("http://10.96.100.1/")
    assert trace.to_dict() == {
        "source": "host",
        "url": "http://10.96.100.1/",
        "outcome": "unreachable",
        "status": None,
        "served_by": None,
        "reason": "10.96.100.1 is the cluster IP of service kubia, which exists only inside "
        "the cluster; from the host use a NodePort, a LoadBalancer address or an Ingress "
        "(the kernel gave up after ~130 s of unanswered SYN retries)",
        "hops": [HOST, SERVICE],
    }
    assert trace.elapsed == pytest.approx(130.002)
    result = network.run(["curl", "http://10.96.100.1/"])
    assert result.stderr == (
        "curl: (28) Failed to connect to 10.96.100.1 port 80 after 130002 ms: "
        "Couldn't connect to server\n"
    )
    pod = network.request("http://10.244.1.2:8080/")
    assert pod.outcome == "unreachable"
    assert pod.reason.startswith("10.244.1.2 is the IP of pod kubia-a, which is reachable only")


def test_node_port_cluster_policy_snats_to_the_entry_node() -> None:
    state, network = kubia(seed=0, type="NodePort")
    node_port = state.store.get("Service", "default", "kubia")["spec"]["ports"][0]["nodePort"]
    traces = [network.request(f"http://192.168.49.3:{node_port}/") for _ in range(30)]
    assert {t.served_by for t in traces} == {"kubia-a", "kubia-b", "kubia-c"}
    remote = next(t for t in traces if t.served_by == "kubia-b")
    assert remote.to_dict()["hops"] == [
        HOST,
        {"kind": "node", "name": "worker-1", "ip": "192.168.49.3", "port": node_port},
        SERVICE,
        ENDPOINTS,
        {"kind": "node", "name": "worker-2", "ip": "192.168.49.4"},
        pod_hop("kubia-b", src_ip="192.168.49.3"),
    ]
    assert remote.reason == (
        f"node worker-1 forwarded NodePort {node_port} of service kubia to pod kubia-b "
        "(10.244.2.2:8080), externalTrafficPolicy Cluster forwarded it to worker-2 and SNAT "
        "made the source 192.168.49.3"
    )
    local = next(t for t in traces if t.served_by == "kubia-a")
    assert [h.kind for h in local.hops] == ["client", "node", "service", "endpoints", "pod"]
    assert local.hops[-1].src_ip == "192.168.49.3"


def test_node_port_answers_on_every_node() -> None:
    state, network = kubia(type="NodePort")
    node_port = state.store.get("Service", "default", "kubia")["spec"]["ports"][0]["nodePort"]
    for ip in ("192.168.49.2", "192.168.49.3", "192.168.49.4"):
        assert network.request(f"http://{ip}:{node_port}/").outcome == "ok"
    wrong = network.request("http://192.168.49.3:31999/")
    assert (wrong.outcome, wrong.reason) == (
        "refused",
        "nothing listens on node worker-1 port 31999: no service has nodePort 31999",
    )


def test_node_port_local_policy_keeps_the_client_ip_or_drops() -> None:
    state, network = kubia(type="NodePort", externalTrafficPolicy="Local")
    node_port = state.store.get("Service", "default", "kubia")["spec"]["ports"][0]["nodePort"]
    kept = network.request(f"http://192.168.49.4:{node_port}/")
    assert kept.served_by == "kubia-b"
    assert kept.hops[-1].to_dict() == pod_hop("kubia-b", src_ip="192.168.49.1")
    dropped = network.request(f"http://192.168.49.2:{node_port}/")
    assert dropped.to_dict() == {
        "source": "host",
        "url": f"http://192.168.49.2:{node_port}/",
        "outcome": "timeout",
        "status": None,
        "served_by": None,
        "reason": "externalTrafficPolicy Local: node control-plane has no ready pod of service "
        "kubia, so the packet is dropped (the kernel gave up after ~130 s of unanswered SYN "
        "retries)",
        "hops": [
            HOST,
            {"kind": "node", "name": "control-plane", "ip": "192.168.49.2", "port": node_port},
            SERVICE,
            ENDPOINTS,
        ],
    }
    result = network.run(["curl", "--connect-timeout", "2", f"http://192.168.49.2:{node_port}/"])
    assert result.stderr == (
        f"curl: (28) Failed to connect to 192.168.49.2 port {node_port} after 2001 ms: "
        "Timeout was reached\n"
    )


def test_load_balancer_picks_a_node_then_the_node_port() -> None:
    state, network = kubia(seed=1, type="LoadBalancer")
    spec = state.store.get("Service", "default", "kubia")["spec"]
    node_port = spec["ports"][0]["nodePort"]
    trace = network.request("http://192.168.49.200/")
    assert trace.outcome == "ok"
    hops = trace.to_dict()["hops"]
    assert hops[:2] == [
        HOST,
        {"kind": "loadbalancer", "name": "kubia", "ip": "192.168.49.200", "port": 80},
    ]
    assert (hops[2]["kind"], hops[2]["port"]) == ("node", node_port)
    assert hops[-1]["src_ip"] == hops[2]["ip"]  # SNAT to the entry node
    entry_nodes = {network.request("http://192.168.49.200/").hops[2].name for _ in range(60)}
    assert entry_nodes == {"control-plane", "worker-1", "worker-2"}


def test_load_balancer_local_policy_only_uses_nodes_with_a_ready_pod() -> None:
    state, network = kubia(type="LoadBalancer", externalTrafficPolicy="Local")
    traces = [network.request("http://192.168.49.200/") for _ in range(60)]
    assert {t.hops[2].name for t in traces} == {"worker-1", "worker-2"}
    assert {t.hops[-1].src_ip for t in traces} == {"192.168.49.1"}
    assert all(t.hops[-1].node == t.hops[2].name for t in traces)
    for name in ("kubia-a", "kubia-b", "kubia-c"):
        state.set_ready("default", name, False, PROBE)
    dropped = network.request("http://192.168.49.200/", timeout=5)
    assert dropped.outcome == "timeout"
    assert dropped.reason.startswith(
        "externalTrafficPolicy Local: no node has a ready pod of service kubia (none of its 3 "
        "pods is ready;"
    )


def test_load_balancer_ip_from_a_pod_is_short_circuited_to_the_service() -> None:
    _, network = kubia(type="LoadBalancer", externalTrafficPolicy="Local")
    trace = network.request("http://192.168.49.200/", "pod/client").to_dict()
    assert [h["kind"] for h in trace["hops"]] == [
        "client",
        "loadbalancer",
        "service",
        "endpoints",
        "pod",
    ]
    assert trace["hops"][-1]["src_ip"] == "10.244.2.3"


# -- sources -----------------------------------------------------------------------------------


def test_unknown_source_pod() -> None:
    _, network = kubia()
    trace = network.request("http://kubia", "pod/nope")
    assert trace.to_dict() == {
        "source": "pod/nope",
        "url": "http://kubia",
        "outcome": "unreachable",
        "status": None,
        "served_by": None,
        "reason": "pod nope does not exist in namespace default, so it cannot send requests",
        "hops": [{"kind": "client", "name": "nope"}],
    }
    result = network.run(["curl", "http://kubia"], "pod/kube-system/nope")
    assert (result.stderr, result.exit_code) == (
        'Error from server (NotFound): pods "nope" not found\n',
        1,
    )


def test_a_cached_client_follows_its_pod() -> None:
    state, network = kubia()
    assert network.request("http://kubia", "pod/client").hops[0].to_dict() == CLIENT
    state.delete("Pod", "default", "client")
    assert network.request("http://kubia", "pod/client").outcome == "unreachable"
    state.add_pod("client", {"app": "client"}, node="worker-1")
    moved = {**CLIENT, "ip": "10.244.1.4", "node": "worker-1"}
    assert network.request("http://kubia", "pod/client").hops[0].to_dict() == moved


def test_routes_follow_store_changes() -> None:
    state = FakeState()
    for name, node in (("kubia-a", "worker-1"), ("kubia-b", "worker-2"), ("kubia-c", "worker-1")):
        state.add_pod(name, {"app": "kubia"}, node=node)
    state.add_pod("client", {"app": "client"}, node="worker-2")
    state.add_service("kubia", {"app": "kubia"})
    network = Network(state)
    assert network.request("http://kubia", "pod/client").outcome == "ok"  # plans are cached
    state.delete("Service", "default", "kubia")
    assert network.request("http://kubia", "pod/client").outcome == "dns_error"
    state.add_service("kubia", {"app": "kubia"}, [{"port": 80, "targetPort": 9999}])
    assert network.request("http://kubia", "pod/client").outcome == "refused"
    state.delete("Pod", "default", "kubia-a")
    served = {network.request("http://10.96.100.2", "pod/client").hops[-1].name for _ in range(40)}
    assert served == {"kubia-b", "kubia-c"}
    state.store.remove("Service", "default", "kubia")  # a bare remove: no put anywhere
    assert network.request("http://kubia", "pod/client").outcome == "dns_error"
