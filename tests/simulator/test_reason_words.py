"""A trace's reason is a sentence under a key (simulator/reasons.py), whose values are
data or sentences themselves, so that a page can word it in its own language."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

from simulator import Cluster
from simulator.hints import Hint, Hints, hint
from simulator.network.delivery import DROPPED, Delivery
from simulator.network.proxy_drops import INGRESS_NGINX, retried
from simulator.trace import Hop, Trace

from .conftest import apply
from .netpol_app import ALLOW_DNS, DENY_WEB, EGRESS_DENY, app_cluster, curl, policy
from .test_netpol_paths import INGRESS

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


LOAD_BALANCER = """
apiVersion: v1
kind: Service
metadata: {name: web-lb}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
"""


def test_node_routes_name_the_load_balancers_choice(app: Cluster) -> None:
    apply(app, LOAD_BALANCER)
    service = app.state.store.get("Service", "default", "web-lb")
    address = service["status"]["loadBalancer"]["ingress"][0]["ip"]
    node_port = service["spec"]["ports"][0]["nodePort"]
    trace = app.request(f"http://{address}/")
    assert said(trace) == (
        f"load balancer {address} chose node worker-1, which forwarded NodePort {node_port} of "
        "service web-lb to pod web (10.244.1.3:8080), externalTrafficPolicy Local kept it on "
        "worker-1 and the pod sees the client IP",
        "answered",
    )
    assert values(trace)["via"]["key"] == "lb-chose-node"
    assert values(trace)["why"] == {"key": "etp-local-kept", "values": {"node": "worker-1"}}
    trace = app.request(f"http://{address}:81/", timeout=1)
    assert said(trace) == (
        f"load balancer {address} of service web-lb has no port 81, so it drops the packet "
        "(curl gave up after 1 s)",
        "with-wait",
    )
    assert values(trace)["reason"]["key"] == "lb-no-such-port"


def test_policing_names_the_policy_the_ends_and_what_its_rules_allow() -> None:
    cluster = app_cluster()
    apply(cluster, DENY_WEB)
    _, trace = curl(cluster, "client", "http://web")
    pod, ip = trace.hops[-1].name, trace.hops[-1].ip
    assert said(trace) == (
        f"kube-proxy sent service web:80 to pod {pod} ({ip}:8080), where a NetworkPolicy "
        f"dropped it: NetworkPolicy web-deny-all isolates pod {pod} (default) for ingress, and "
        "none of its rules allows pod client (default) to TCP port 8080: web-deny-all has no "
        "ingress rules, so it allows no ingress traffic (curl gave up after 2 s)",
        "with-wait",
    )
    dropped = values(trace)["reason"]
    assert dropped["key"] == "dropped-at-ingress"
    why = dropped["values"]["why"]
    assert why["key"] == "netpol-isolates-ingress"
    assert why["values"]["other"] == {
        "key": "netpol-pod",
        "values": {"pod": "client", "namespace": "default"},
    }
    assert why["values"]["connection"] == {
        "key": "connection-port",
        "values": {"protocol": "TCP", "port": "8080"},
    }
    assert why["values"]["closest"] == {
        "key": "netpol-no-ingress-rules",
        "values": {"policy": "web-deny-all"},
    }

    apply(
        cluster,
        policy(
            "web-port",
            "  podSelector: {matchLabels: {app: web}}\n"
            "  ingress:\n"
            "  - from: [{podSelector: {matchLabels: {app: client}}}]\n"
            "    ports: [{port: 9999}, {protocol: UDP}]\n",
        ),
    )
    _, trace = curl(cluster, "client", "http://web")
    assert str(trace.reason).endswith(
        ": NetworkPolicies web-deny-all and web-port isolate pod "
        f"{trace.hops[-1].name} (default) for ingress, and none of their rules allows pod "
        "client (default) to TCP port 8080: web-deny-all has no ingress rules, so it allows no "
        "ingress traffic; web-port allows pod client (default) only on TCP 9999, every UDP "
        "port (curl gave up after 2 s)"
    )
    why = values(trace)["reason"]["values"]["why"]
    assert why["key"] == "netpol-isolate-ingress"
    assert why["values"]["policies"]["key"] == "and"
    closest = why["values"]["closest"]
    assert closest["key"] == "semicolon-list"
    assert closest["values"]["second"]["key"] == "netpol-allows-only-on"
    ports = closest["values"]["second"]["values"]["ports"]
    assert ports["key"] == "comma-list"
    assert ports["values"]["second"] == {
        "key": "netpol-every-protocol-port",
        "values": {"protocol": "UDP"},
    }


def test_policing_names_an_end_that_is_no_pod() -> None:
    cluster = app_cluster()
    apply(cluster, EGRESS_DENY + "---\n" + ALLOW_DNS)
    _, trace = curl(cluster, "client", "http://example.com")
    assert said(trace) == (
        "example.com is outside the cluster, but a NetworkPolicy dropped it as it left client: "
        "NetworkPolicies client-dns and client-egress isolate pod client (default) for egress, "
        "and none of their rules allows example.com (93.184.215.14) on TCP port 80: client-dns "
        "allows only traffic to pods k8s-app=kube-dns in namespaces "
        "kubernetes.io/metadata.name=kube-system on UDP 53, TCP 53; client-egress has no egress "
        "rules, so it allows no egress traffic (curl gave up after 2 s)",
        "with-wait",
    )
    dropped = values(trace)["reason"]
    assert dropped["key"] == "dropped-at-egress"
    why = dropped["values"]["why"]
    assert why["key"] == "netpol-isolate-egress"
    assert why["values"]["other"] == {
        "key": "netpol-named-address",
        "values": {"name": "example.com", "ip": "93.184.215.14"},
    }
    rule = why["values"]["closest"]["values"]["first"]["values"]["rules"]
    assert rule["key"] == "netpol-rule-to"
    assert rule["values"]["peers"]["key"] == "netpol-peer-namespaces"

    (trace,) = cluster.run("kubectl exec client -- ping -c 1 192.168.49.3").traces
    assert said(trace)[1] == "echo-never-left"
    assert str(trace.reason).startswith(
        "a NetworkPolicy dropped the ICMP echo to worker-1 (192.168.49.3): it never left "
        "client: NetworkPolicies client-dns and client-egress isolate pod client (default) for "
        "egress, and none of their rules allows node worker-1 (192.168.49.3) on ICMP (ping): "
    )
    why = values(trace)["why"]["values"]
    assert why["other"] == {
        "key": "netpol-node",
        "values": {"node": "worker-1", "ip": "192.168.49.3"},
    }
    assert why["connection"] == {"key": "connection-icmp", "values": {}}


def test_nslookup_and_ping_say_a_policy_dropped_the_dns_query() -> None:
    cluster = app_cluster()
    apply(cluster, EGRESS_DENY)
    (trace,) = cluster.run("kubectl exec client -- nslookup web").traces
    text, key = said(trace)
    assert key == "with-wait"
    assert text.startswith(
        "a NetworkPolicy dropped the DNS query for web to 10.96.0.10: NetworkPolicy "
        "client-egress isolates pod client (default) for egress, and none of its rules allows "
        "pod coredns-"
    )
    assert text.endswith(
        " on UDP port 53: client-egress has no egress rules, so it allows no egress traffic "
        "(nslookup gave up after three tries of 5 s)"
    )
    assert values(trace)["reason"]["key"] == "nslookup-query-dropped"
    assert values(trace)["waited"] == {"key": "nslookup-gave-up", "values": {}}

    (trace,) = cluster.run("kubectl exec client -- ping -c 1 web").traces
    text, key = said(trace)
    assert key == "with-wait"
    assert text.startswith(
        "could not resolve web: a NetworkPolicy dropped the DNS query to CoreDNS: NetworkPolicy "
        "client-egress isolates pod client (default) for egress"
    )
    assert text.endswith("(the resolver gave up after two tries of 5 s)")
    assert values(trace)["reason"]["values"]["why"]["key"] == "ping-query-dropped"
    assert values(trace)["waited"] == {"key": "resolver-gave-up", "values": {}}

    _, trace = curl(cluster, "client", "http://web")
    assert said(trace)[1] == "with-wait"
    assert values(trace)["reason"]["key"] == "dropped-at-egress"
    assert values(trace)["reason"]["values"]["where"] == {
        "key": "dns-query-went",
        "values": {"host": "web"},
    }


def test_proxy_drops_name_the_controller_and_its_tries() -> None:
    cluster = app_cluster()
    apply(cluster, INGRESS)
    apply(cluster, DENY_WEB)
    trace = cluster.run("curl -sS http://web.example.com/").traces[0]
    text, key = said(trace)
    assert key == "upstream-dropped-each"
    assert text.startswith(
        "ingress web: host web.example.com path / (Prefix) -> service web:80, but a "
        "NetworkPolicy dropped the controller's connection to pod web-"
    )
    assert text.endswith(
        "web-deny-all has no ingress rules, so it allows no ingress traffic; ingress-nginx "
        "waited 5 s (proxy-connect-timeout) for each of 2 tries and answered 504"
    )
    assert values(trace)["sender"] == {"key": "the-controller", "values": {}}
    assert values(trace)["tries"] == "2"
    assert values(trace)["why"]["key"] == "netpol-isolates-ingress"


def test_proxy_drops_retried_says_which_tries_were_dropped() -> None:
    cluster = app_cluster()
    pod = cluster.state.store.list("Pod", "default")[0]
    hop = Hop("pod", "web-1", "10.244.1.4", 8080)
    dropped = [Delivery(DROPPED, "web-1", hop, pod, None, "TCP")]
    reason = hint("pod-answered-on", pod="web-2", ip="10.244.2.4", port=8080)
    assert retried(reason, INGRESS_NGINX, []) is reason
    again = retried(reason, INGRESS_NGINX, dropped)
    assert isinstance(again, Hint)
    assert again == (
        "pod web-2 answered on 10.244.2.4:8080 (after a NetworkPolicy dropped the connection to "
        "web-1: ingress-nginx waited 5 s and tried the next endpoint)"
    )
    assert again.to_dict()["key"] == "after-dropped-tries"
