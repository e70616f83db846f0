"""A trace's reason is a sentence under a key (simulator/reasons.py), whose values are
data or sentences themselves, so that a page can word it in its own language."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

from simulator import Cluster
from simulator.hints import Hint, Hints
from simulator.trace import Trace

from .conftest import apply

ROOT = Path(__file__).resolve().parents[2]

# web on worker-1 (10.244.1.3), client on worker-2 (10.244.2.3); nodes 192.168.49.2-4.
APP = """
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  nodeName: worker-1
  containers:
  - {name: web, image: luksa/kubia, ports: [{containerPort: 8080}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: client}}
spec:
  containers:
  - {name: c, image: busybox, command: [sleep, infinity]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web-np}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080, nodePort: 30080}]
---
apiVersion: v1
kind: Service
metadata: {name: web-headless}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
"""


@pytest.fixture
def app() -> Cluster:
    cluster = Cluster(seed=0)
    apply(cluster, APP)
    return cluster


def said(trace: Trace) -> tuple[str, str]:
    """The reason's English and its key, once checked to be a sentence under a key."""
    reason = trace.reason
    assert isinstance(reason, Hint | Hints), reason
    return str(reason), reason.to_dict()["key"]


def values(trace: Trace) -> dict:
    return trace.reason.to_dict()["values"]


def test_reason_keys_are_unique_across_every_sentence() -> None:
    """A key written twice in SENTENCES (hints.py with reasons.py) silently overrides."""
    keys: list[str] = []
    for name in ("simulator/hints.py", "simulator/reasons.py"):
        tree = ast.parse((ROOT / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Dict):
                keys += [k.value for k in node.value.keys if isinstance(k, ast.Constant)]
    assert keys
    assert [key for key, count in Counter(keys).items() if count > 1] == []


def test_router_names_the_host_that_did_not_resolve_and_the_wait(app: Cluster) -> None:
    trace = app.request("http://web")
    assert said(trace) == (
        "could not resolve web: the host does not use the cluster's DNS, so service names "
        "resolve only inside pods; from the host use a NodePort, a LoadBalancer address or an "
        "Ingress host",
        "could-not-resolve",
    )
    assert values(trace)["host"] == "web"
    assert values(trace)["why"] == {"key": "host-no-cluster-dns", "values": {}}

    trace = app.request("http://nowhere.invalid")
    assert said(trace)[1] == "could-not-resolve"
    assert values(trace)["why"]["key"] == "host-name-unknown"

    trace = app.request("http://example.com", "pod/client")
    assert said(trace) == ("example.com is outside the cluster", "outside-cluster")

    trace = app.request("http://10.96.5.5", "pod/client")
    assert said(trace) == (
        "no service has the cluster IP 10.96.5.5, so no kube-proxy rule matches and the packet "
        "is dropped (the kernel gave up after ~130 s of unanswered SYN retries)",
        "with-wait",
    )
    assert values(trace)["reason"]["key"] == "no-such-cluster-ip"
    assert values(trace)["waited"]["key"] == "kernel-gave-up"

    trace = app.request("http://web:81", "pod/client", timeout=2)
    assert said(trace) == (
        "service web has no port 81 (its ports: 80), so no kube-proxy rule matches and the "
        "packet is dropped (curl gave up after 2 s)",
        "with-wait",
    )
    assert values(trace)["waited"] == {"key": "curl-gave-up", "values": {"seconds": "2"}}


def test_request_and_network_name_what_could_not_be_sent(app: Cluster) -> None:
    assert said(app.request("ftp://x")) == (
        "curl does not speak ftp; use an http:// or https:// URL",
        "unsupported-scheme",
    )
    assert said(app.request("http://[")) == ("http://[ is not a valid URL", "invalid-url")
    assert said(app.request("http://web", "pod/nope")) == (
        "pod nope does not exist in namespace default, so it cannot send requests",
        "pod-cannot-send",
    )
    assert said(app.request("http://web", "node/x")) == (
        'source must be "host", "pod/NAME" or "pod/NAMESPACE/NAME", not "node/x"',
        "bad-source",
    )


def test_dns_says_why_a_pods_name_did_not_resolve(app: Cluster) -> None:
    trace = app.request("http://nosuch", "pod/client")
    assert said(trace) == (
        "could not resolve nosuch: there is no service nosuch in namespace default",
        "could-not-resolve",
    )
    assert values(trace)["why"] == {
        "key": "no-such-service",
        "values": {"service": "nosuch", "namespace": "default"},
    }
    trace = app.request("http://web.nosuchns", "pod/client")
    assert said(trace) == (
        "could not resolve web.nosuchns: namespace nosuchns does not exist, so web.nosuchns "
        "has no DNS record",
        "could-not-resolve",
    )
    assert values(trace)["why"]["key"] == "no-such-namespace"
    trace = app.request("http://kube-dns", "pod/client")
    assert str(trace.reason) == (
        "could not resolve kube-dns: there is no service kube-dns in namespace default; "
        "service kube-dns exists in namespace kube-system, so use kube-dns.kube-system"
    )
    assert values(trace)["why"]["key"] == "service-elsewhere"


def test_direct_routes_name_pods_by_address_and_the_api_server(app: Cluster) -> None:
    trace = app.request("http://web-headless", "pod/client")
    assert said(trace) == (
        "nothing listens on port 80 in pod web (it declares 8080); a headless service has no "
        "port mapping, so the URL's port is used as is",
        "nothing-listens-headless",
    )
    assert values(trace)["declared"] == {"key": "declares-ports", "values": {"ports": "8080"}}

    trace = app.request("http://web-headless:8080", "pod/client")
    assert said(trace) == (
        "headless service web-headless resolved to 1 pod IP and the connection went straight "
        "to one of them: pod web answered on 10.244.1.3:8080",
        "headless-pod-answered",
    )
    assert values(trace)["headless"]["key"] == "headless-resolved-one"

    assert said(app.request("http://10.244.1.3:8080", "pod/client")) == (
        "pod web answered on 10.244.1.3:8080",
        "pod-answered-on",
    )
    trace = app.request("http://10.244.1.3:8080")
    assert said(trace)[1] == "with-wait"
    assert values(trace)["reason"]["key"] == "pod-ip-from-host"
    assert said(app.request("localhost:8080")) == (
        "nothing listens on the host's own port 8080",
        "host-own-port-closed",
    )
    assert said(app.request("https://10.244.1.3:8080", "pod/client")) == (
        "pod web speaks plain HTTP, so the TLS handshake fails (wrong version number); use http://",
        "pod-plain-http",
    )
    trace = app.request("https://192.168.49.2:6443")
    assert said(trace) == (
        "connected to the API server on control-plane, whose certificate is signed by the "
        "cluster's own CA, which curl does not trust (unable to get local issuer certificate); "
        "add -k",
        "apiserver-untrusted",
    )
    assert values(trace)["via"] == {
        "key": "connected-to-apiserver",
        "values": {"node": "control-plane"},
    }
    assert said(app.request("http://192.168.49.2:6443"))[1] == "apiserver-https-only"


def test_direct_routes_name_a_port_forward(app: Cluster) -> None:
    assert app.run("kubectl port-forward web 9000:8080 &").exit_code == 0
    trace = app.request("http://localhost:9000")
    assert said(trace) == (
        "kubectl port-forward (job [1]) carried localhost:9000 to pod web port 8080, which "
        "answered",
        "port-forward-answered",
    )
    assert values(trace)["via"]["key"] == "port-forward-carried"


def test_node_routes_name_the_node_port_and_the_policy(app: Cluster) -> None:
    trace = app.request("http://192.168.49.3:30080")
    assert said(trace) == (
        "node worker-1 forwarded NodePort 30080 of service web-np to pod web (10.244.1.3:8080), "
        "externalTrafficPolicy Cluster; SNAT made the source 192.168.49.3",
        "answered",
    )
    assert values(trace)["via"]["key"] == "node-port-forwarded"
    assert values(trace)["why"] == {"key": "etp-cluster-snat", "values": {"ip": "192.168.49.3"}}

    trace = app.request("http://192.168.49.4:30080")
    assert values(trace)["why"] == {
        "key": "etp-cluster-forwarded",
        "values": {"node": "worker-1", "ip": "192.168.49.4"},
    }
    assert said(app.request("http://192.168.49.3:30999")) == (
        "nothing listens on node worker-1 port 30999: no service has nodePort 30999",
        "no-node-port",
    )


def test_ping_says_who_answered_the_echo_and_why_none_came(app: Cluster) -> None:
    (trace,) = app.run("ping -c 1 192.168.49.3").traces
    assert said(trace) == ("worker-1 (192.168.49.3) answered the ICMP echo", "echo-answered")
    (trace,) = app.run("kubectl exec client -- ping -c 1 web").traces
    assert said(trace)[1] == "echo-cluster-ip"
    assert str(trace.reason).startswith("10.")
    assert str(trace.reason).endswith(
        " is the cluster IP of service web: kube-proxy only forwards the service's ports and no "
        "interface owns the address, so nothing answers ICMP echo (a cluster IP is not "
        "pingable; test it with curl)"
    )
    (trace,) = app.run("ping -c 1 10.244.1.3").traces
    assert said(trace) == (
        "10.244.1.3 is the IP of pod web, which is reachable only inside the cluster",
        "echo-pod-from-host",
    )
    (trace,) = app.run("kubectl exec client -- ping -c 1 nosuch").traces
    assert said(trace) == (
        "could not resolve nosuch: there is no service nosuch in namespace default",
        "could-not-resolve",
    )


def test_nslookup_says_what_the_name_is_or_why_it_is_not(app: Cluster) -> None:
    (trace,) = app.run("kubectl exec client -- nslookup web-headless").traces
    assert said(trace) == (
        "web-headless.default.svc.cluster.local is 10.244.1.3",
        "name-answer",
    )
    (trace,) = app.run("kubectl exec client -- nslookup 10.96.0.10").traces
    assert said(trace) == ("10.96.0.10 is kube-dns.kube-system.svc.cluster.local", "ptr-answer")
    (trace,) = app.run("nslookup web").traces
    assert said(trace) == (
        "could not resolve web: the host does not use the cluster's DNS; run nslookup inside a "
        "pod (kubectl exec POD -- nslookup NAME)",
        "could-not-resolve",
    )
    assert values(trace)["why"]["key"] == "nslookup-on-host"
    (trace,) = app.run("kubectl exec client -- nslookup web 1.2.3.4").traces
    assert said(trace) == (
        "1.2.3.4 is not a DNS server this client can reach; cluster DNS is 10.96.0.10",
        "not-a-dns-server",
    )
