"""Seed replay, part 2: the notes' traffic examples, request by request.

Each test replays a curl / nslookup / ping session of the seed notes
(`../shared/seeds/*.txt`, beside the project, named in a comment as
`<file> <section>`) and checks what the client prints and the Trace the
simulator records. Which pod answers is
random (kube-proxy picks uniformly), so whole traces are compared after checking
that the chosen pod is one of the allowed ones, and the expected trace is built
from that pod.

The notes' apps print their own greetings (a Chinese sentence, "on default mux");
the simulated containers answer as the book's kubia app does (CONTRACT.md section 4):
`You've hit POD-NAME`.
"""

from __future__ import annotations

import json
import re

import pytest

from simulator import Cluster
from simulator.scenarios import get

from .conftest import apply, run_ok
from .seed_manifests import DEMO_RC, DEMO_SERVICE_NAMED, KUBIA_RS_TWO_PORTS, KUBIA_SVC_TWO_PORTS

HOST = {"kind": "client", "name": "host", "ip": "192.168.49.1"}
NODES = {"control-plane": "192.168.49.2", "worker-1": "192.168.49.3", "worker-2": "192.168.49.4"}
INGRESS_IP = "192.168.49.100"
_IP = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")

# curl 7.88.1 with OpenSSL 3 (k8s-semantics.md section 9), verbatim.
CURL_60 = """\
curl: (60) SSL certificate problem: self-signed certificate
More details here: https://curl.se/docs/sslcerts.html

curl failed to verify the legitimacy of the server and therefore could not
establish a secure connection to it. To learn more about this situation and
how to fix it, please visit the web page mentioned above.
"""

# ingress-nginx's built-in pages, CRLF line ends (k8s-semantics.md 7.5).
NGINX_404 = """\
<html>
<head><title>404 Not Found</title></head>
<body>
<center><h1>404 Not Found</h1></center>
<hr><center>nginx</center>
</body>
</html>
""".replace("\n", "\r\n")

NGINX_503 = """\
<html>
<head><title>503 Service Temporarily Unavailable</title></head>
<body>
<center><h1>503 Service Temporarily Unavailable</h1></center>
<hr><center>nginx</center>
</body>
</html>
""".replace("\n", "\r\n")


# -- helpers ----------------------------------------------------------------------------------


def pods(cluster: Cluster, selector: str, namespace: str = "default") -> dict[str, dict]:
    """`{name: {ip, node}}` of the pods `selector` matches."""
    out = run_ok(cluster, f"kubectl get pods -n {namespace} -l '{selector}' -o json")
    return {
        p["metadata"]["name"]: {"ip": p["status"]["podIP"], "node": p["spec"]["nodeName"]}
        for p in json.loads(out)["items"]
    }


def service(cluster: Cluster, name: str, namespace: str = "default") -> dict:
    return json.loads(run_ok(cluster, f"kubectl get svc {name} -n {namespace} -o json"))


def served_by(body: str) -> str:
    match = re.fullmatch(r"You've hit (\S+)\n", body)
    assert match, body
    return match[1]


def client_hop(cluster: Cluster, pod: str) -> dict:
    me = pods(cluster, "")[pod]
    return {"kind": "client", "name": pod, "ip": me["ip"], "node": me["node"]}


def pod_hop(backends: dict[str, dict], name: str, port: int, src_ip: str) -> dict:
    b = backends[name]
    return {
        "kind": "pod",
        "name": name,
        "ip": b["ip"],
        "port": port,
        "node": b["node"],
        "src_ip": src_ip,
    }


def source_seen_by(backends: dict[str, dict], client: str, server: str) -> str:
    """The source address a pod sees from another pod through a ClusterIP.

    Not SNATed, except hairpin traffic (a pod reaching itself through its Service),
    which kube-proxy masquerades to the node's bridge address, `.1` of the pod /24
    (k8s-semantics.md section 5).
    """
    ip = backends[client]["ip"]
    return ip if server != client else ip.rsplit(".", 1)[0] + ".1"


def dns_hop(fqdn: str) -> dict:
    return {"kind": "dns", "name": fqdn, "ip": "10.96.0.10", "port": 53}


def with_ip(text: str) -> str:
    return _IP.sub("IP", text)


# -- manifests --------------------------------------------------------------------------------

# 000_bc576c977301e23e.txt §5.1.1 同一个服务暴露多个端口/使用命名的端口


DEMO_LABEL = "app=k8s-node-demo-replication-controller-label"

# 003 介绍服务: the two-port kubia Service and the ReplicaSet behind it.
KUBIA_TWO_PORTS = KUBIA_SVC_TWO_PORTS + "---" + KUBIA_RS_TWO_PORTS
DEMO_SERVICE = DEMO_SERVICE_NAMED


def demo(seed: int = 0, service: str = DEMO_SERVICE) -> Cluster:
    cluster = Cluster(seed=seed)
    apply(cluster, service)
    apply(cluster, DEMO_RC)
    return cluster


def scenario(slug: str, seed: int = 0) -> Cluster:
    cluster = Cluster(seed=seed)
    apply(cluster, get(slug).manifest)
    return cluster


# == Services from inside the cluster =========================================================


def test_000_curl_by_cluster_ip_and_by_name_from_a_pod():
    # 000 §5.1.1 在运行的容器中远程执行命令:
    #   kubectl exec k8s-node-demo-replication-controller-42nkj -- curl -s http://10.98.191.226
    #   kubectl exec k8s-node-demo-replication-controller-42nkj -- curl -s http://demo-service
    cluster = demo()
    backends = pods(cluster, DEMO_LABEL)
    client = sorted(backends)[0]
    ip = service(cluster, "demo-service")["spec"]["clusterIP"]
    for url in (f"http://{ip}", "http://demo-service"):
        result = cluster.run(f"kubectl exec {client} -- curl -s {url}")
        assert (result.exit_code, result.stderr) == (0, "")
        assert served_by(result.stdout) in backends
        (trace,) = result.traces
        assert trace.to_dict()["served_by"] == served_by(result.stdout)


def test_000_named_service_ports_reach_the_named_container_ports_whole_trace():
    # 000 §5.1.1: port 80 -> targetPort http (8080), port 443 -> targetPort https (8443).
    cluster = demo()
    backends = pods(cluster, DEMO_LABEL)
    client = sorted(backends)[0]
    ip = service(cluster, "demo-service")["spec"]["clusterIP"]
    for url, port, container_port in (
        ("http://demo-service", 80, 8080),
        ("http://demo-service:443", 443, 8443),
    ):
        result = cluster.run(f"kubectl exec {client} -- curl -s {url}")
        name = served_by(result.stdout)
        assert name in backends
        trace = result.traces[0].to_dict()
        assert trace == {
            "source": f"pod/default/{client}",
            "url": url,
            "outcome": "ok",
            "status": 200,
            "served_by": name,
            "reason": trace["reason"],
            "hops": [
                client_hop(cluster, client),
                dns_hop("demo-service.default.svc.cluster.local"),
                {"kind": "service", "name": "demo-service", "ip": ip, "port": port},
                {"kind": "endpoints", "name": "demo-service"},
                pod_hop(backends, name, container_port, source_seen_by(backends, client, name)),
            ],
        }
        assert f"{backends[name]['ip']}:{container_port}" in trace["reason"]


def test_000_session_affinity_keeps_one_client_on_one_pod():
    # 000 §5.1.1: sessionAffinity: ClientIP, "同一个 IP 的客户端发起的请求将会被转发到同一个 pod".
    cluster = demo()
    backends = pods(cluster, DEMO_LABEL)
    for client in backends:
        answers = {
            served_by(run_ok(cluster, f"kubectl exec {client} -- curl -s http://demo-service"))
            for _ in range(8)
        }
        assert len(answers) == 1, (client, answers)
        assert answers <= set(backends)


def test_000_without_affinity_calls_spread_over_the_pods():
    # 000 §5.1.1: "如果多次调用上面的命令，会发现每次返回的响应都执行在不同的 pod 上".
    cluster = demo(service=DEMO_SERVICE.replace("  sessionAffinity: ClientIP\n", ""))
    backends = pods(cluster, DEMO_LABEL)
    client = sorted(backends)[0]
    answers = [
        served_by(run_ok(cluster, f"kubectl exec {client} -- curl -s http://demo-service"))
        for _ in range(30)
    ]
    assert set(answers) == set(backends)


def test_003_affinity_is_kept_per_service_port():
    # 003 介绍服务: from kubia-zhg6k, port 80 answered "kubia-4bv25 on default mux" and
    # port 90 "kubia-7sd67 on mux1": iptables keeps ClientIP affinity per Service port.
    different = False
    for seed in range(10):
        cluster = Cluster(seed=seed)
        apply(cluster, KUBIA_TWO_PORTS)
        backends = pods(cluster, "app=kubia")
        client = sorted(backends)[0]
        ip = service(cluster, "kubia")["spec"]["clusterIP"]
        on = {}
        for port in (80, 90):
            answers = {
                served_by(run_ok(cluster, f"kubectl exec {client} -- curl -s {ip}:{port}"))
                for _ in range(4)
            }
            assert len(answers) == 1
            on[port] = answers.pop()
        different = different or on[80] != on[90]
    assert different


def test_003_the_two_ports_reach_8080_and_8090():
    cluster = Cluster(seed=0)
    apply(cluster, KUBIA_TWO_PORTS)
    client = sorted(pods(cluster, "app=kubia"))[0]
    ip = service(cluster, "kubia")["spec"]["clusterIP"]
    for port, target in ((80, 8080), (90, 8090)):
        result = cluster.run(f"kubectl exec {client} -- curl -s {ip}:{port}")
        assert result.exit_code == 0
        assert result.traces[0].to_dict()["hops"][-1]["port"] == target


@pytest.mark.parametrize(
    ("url", "dns"),
    [
        # 003 通过 DNS 发现服务: curl kubia.default.svc.cluster.local:$KUBIA_SERVICE_PORT_HTTP_MUX1
        pytest.param("kubia.default.svc.cluster.local:90", True, id="FQDN"),
        pytest.param("kubia.default:90", True, id="name.namespace"),
        pytest.param("kubia:90", True, id="name"),
        pytest.param("CLUSTER_IP:90", False, id="cluster IP"),
    ],
)
def test_003_every_spelling_of_the_service_reaches_it(url, dns):
    cluster = Cluster(seed=0)
    apply(cluster, KUBIA_TWO_PORTS)
    backends = pods(cluster, "app=kubia")
    client = sorted(backends)[0]
    ip = service(cluster, "kubia")["spec"]["clusterIP"]
    url = url.replace("CLUSTER_IP", ip)
    result = cluster.run(f"kubectl exec {client} -- curl {url}")
    assert result.exit_code == 0
    assert served_by(result.stdout) in backends
    # Not a terminal (no -t): curl shows its progress meter on stderr.
    assert result.stderr.startswith("  % Total    % Received % Xferd")
    hops = result.traces[0].to_dict()["hops"]
    assert [h["kind"] for h in hops] == (["client", "dns"] if dns else ["client"]) + [
        "service",
        "endpoints",
        "pod",
    ]
    if dns:
        assert hops[1] == dns_hop("kubia.default.svc.cluster.local")
    assert hops[-3] == {"kind": "service", "name": "kubia", "ip": ip, "port": 90}
    assert hops[-1]["port"] == 8090


# 002_3001ca48e7d7dd4c.txt 以域名的方式使用 Service: curl ngx-svc:8080, ngx-svc.default:8080,
# ngx-svc.default.svc.cluster.local:8080, and the pod record IP-with-dashes.default.pod.
def test_002_dns_names_of_a_service_and_of_a_pod():
    cluster = scenario("ngx-dep")
    backends = pods(cluster, "app=ngx-dep")
    client = sorted(backends)[0]
    for name in ("ngx-svc:8080", "ngx-svc.default:8080", "ngx-svc.default.svc.cluster.local:8080"):
        assert served_by(run_ok(cluster, f"kubectl exec {client} -- curl -s {name}")) in backends
    other = sorted(backends)[1]
    dashed = backends[other]["ip"].replace(".", "-") + ".default.pod.cluster.local"
    out = run_ok(cluster, f"kubectl exec {client} -- nslookup {dashed}")
    assert out == (
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n"
        f"Name:\t{dashed}\nAddress: {backends[other]['ip']}\n\n"
    )


def test_002_service_name_only_resolves_in_its_own_namespace():
    # 002 以域名的方式使用 Service: "对象名" uses the default namespace; from another
    # namespace the short name fails and "对象名.名字空间" works.
    cluster = scenario("ngx-dep")
    run_ok(cluster, "kubectl create namespace other")
    run_ok(cluster, "kubectl run client -n other --image=curlimages/curl --command -- sleep 1d")
    short = cluster.run("kubectl exec -n other client -- curl -sS ngx-svc:8080")
    assert short.exit_code == 6
    assert short.stderr == (
        "curl: (6) Could not resolve host: ngx-svc\ncommand terminated with exit code 6\n"
    )
    trace = short.traces[0].to_dict()
    assert trace["outcome"] == "dns_error"
    assert trace["hops"][-1] == dns_hop("ngx-svc.other.svc.cluster.local")
    assert "ngx-svc.default" in trace["reason"]
    qualified = run_ok(cluster, "kubectl exec -n other client -- curl -s ngx-svc.default:8080")
    assert served_by(qualified) in pods(cluster, "app=ngx-dep")


# == ping ====================================================================================


def test_003_ping_a_cluster_ip_loses_every_packet_while_a_pod_answers():
    # 003 介绍服务 / 排除服务故障: "服务的IP是虚拟IP,是 ping 不通的".
    cluster = Cluster(seed=0)
    apply(cluster, KUBIA_TWO_PORTS)
    backends = pods(cluster, "app=kubia")
    client, other = sorted(backends)[:2]
    ip = service(cluster, "kubia")["spec"]["clusterIP"]
    result = cluster.run(f"kubectl exec {client} -- ping -c 3 {ip}")
    # The note's kubia image has iputils ping ("56(84) bytes of data", "0 received");
    # the simulator prints BusyBox's (simulator/network/ping.py); both lose everything.
    assert result.exit_code == 1
    assert result.stdout == (
        f"PING {ip} ({ip}): 56 data bytes\n\n"
        f"--- {ip} ping statistics ---\n"
        "3 packets transmitted, 0 packets received, 100% packet loss\n"
    )
    assert result.stderr == "command terminated with exit code 1\n"
    assert result.traces[0].to_dict()["outcome"] == "timeout"
    pod_ip = backends[other]["ip"]
    answered = cluster.run(f"kubectl exec {client} -- ping -c 2 {pod_ip}")
    assert answered.exit_code == 0
    lines = answered.stdout.splitlines()
    assert lines[0] == f"PING {pod_ip} ({pod_ip}): 56 data bytes"
    assert all(
        re.fullmatch(rf"64 bytes from {re.escape(pod_ip)}: seq={i} ttl=\d+ time=[\d.]+ ms", line)
        for i, line in enumerate(lines[1:3])
    )
    assert "2 packets transmitted, 2 packets received, 0% packet loss" in lines
    assert answered.traces[0].to_dict()["served_by"] == other


# == outside the cluster: manual Endpoints and ExternalName ==================================


def test_003_manual_endpoints_send_a_pod_outside_the_cluster_whole_trace():
    # 003 创建一个重定向到外部地址的服务: curl -v 10.66.10.171 from a pod reached
    # 13.250.94.254 / 13.229.188.59 (GitHub, answering 301 there).
    cluster = scenario("manual-endpoints")
    client = sorted(pods(cluster, "app=kubia"))[0]
    ip = service(cluster, "external-service")["spec"]["clusterIP"]
    result = cluster.run(f"kubectl exec {client} -- curl -s http://external-service")
    assert result.exit_code == 0
    trace = result.traces[0].to_dict()
    target = trace["served_by"]
    assert target in {"13.250.94.254", "13.229.188.59"}
    assert trace == {
        "source": f"pod/default/{client}",
        "url": "http://external-service",
        "outcome": "ok",
        "status": 200,
        "served_by": target,
        "reason": f"kube-proxy sent service external-service:80 to {target}:80, an address "
        "outside the cluster listed in its Endpoints",
        "hops": [
            client_hop(cluster, client),
            dns_hop("external-service.default.svc.cluster.local"),
            {"kind": "service", "name": "external-service", "ip": ip, "port": 80},
            {"kind": "endpoints", "name": "external-service"},
            {"kind": "external", "name": target, "ip": target, "port": 80},
        ],
    }
    verbose = cluster.run(f"kubectl exec {client} -- curl -v {ip}")
    assert verbose.exit_code == 0
    # The note's curl 7.64 printed "*   Trying 10.66.10.171..."; 7.88 adds the port.
    assert f"*   Trying {ip}:80..." in verbose.stderr
    assert f"* Connected to {ip} ({ip}) port 80 (#0)" in verbose.stderr
    assert f"> Host: {ip}" in verbose.stderr.splitlines()


def test_003_external_name_is_a_cname_and_curl_leaves_the_cluster():
    # 003 为外部服务创建别名: curl external-service-externalname/get answered by httpbin.org.
    cluster = scenario("externalname")
    client = sorted(pods(cluster, "app=kubia"))[0]
    looked_up = run_ok(cluster, f"kubectl exec {client} -- nslookup external-service-externalname")
    assert with_ip(looked_up) == (
        "Server:\t\tIP\nAddress:\tIP#53\n\n"
        "external-service-externalname.default.svc.cluster.local\tcanonical name = httpbin.org.\n"
        "Name:\thttpbin.org\nAddress: IP\n\n"
    )
    address = looked_up.split("Address: ")[-1].strip()
    for url in (
        "external-service-externalname/get",
        "external-service-externalname.default.svc.cluster.local/get",
    ):
        result = cluster.run(f"kubectl exec {client} -- curl -s {url}")
        assert result.exit_code == 0
        assert result.traces[0].to_dict() == {
            "source": f"pod/default/{client}",
            "url": url,
            "outcome": "ok",
            "status": 200,
            "served_by": "httpbin.org",
            "reason": "httpbin.org is outside the cluster",
            "hops": [
                client_hop(cluster, client),
                dns_hop("external-service-externalname.default.svc.cluster.local"),
                # Only DNS: no cluster IP, no kube-proxy, no Endpoints.
                {"kind": "service", "name": "external-service-externalname"},
                {"kind": "external", "name": "httpbin.org", "ip": address, "port": 80},
            ],
        }


def test_000_external_name_to_www_baidu_com():
    # 000 §5.2.3: `host demo-external-name-type-service` showed "is an alias for www.baidu.com."
    cluster = Cluster(seed=0)
    apply(
        cluster,
        """
apiVersion: v1
kind: Service
metadata:
  name: demo-external-name-type-service
spec:
  type: ExternalName
  externalName: www.baidu.com
  ports:
    - port: 80
""",
    )
    run_ok(cluster, "kubectl run client --image=tutum/dnsutils --command -- sleep 1d")
    out = run_ok(cluster, "kubectl exec client -- nslookup demo-external-name-type-service")
    assert (
        "demo-external-name-type-service.default.svc.cluster.local\t"
        "canonical name = www.baidu.com.\n" in out
    )
    result = cluster.run("kubectl exec client -- curl -s http://demo-external-name-type-service")
    assert result.exit_code == 0
    assert result.traces[0].to_dict()["hops"][-1]["kind"] == "external"
    # The host does not use cluster DNS.
    outside = cluster.run("curl -s http://demo-external-name-type-service")
    assert outside.exit_code == 6
    assert outside.traces[0].to_dict()["outcome"] == "dns_error"


# == NodePort, LoadBalancer, externalTrafficPolicy ===========================================


def test_003_nodeport_answers_on_every_node_ip_whole_trace():
    # 003 创建 & 使用 NodePort 类型的服务: curl 35.229.134.91:30123 from outside.
    cluster = scenario("nodeport")
    backends = pods(cluster, "app=kubia")
    svc_ip = service(cluster, "kubia-nodeport")["spec"]["clusterIP"]
    for node, node_ip in NODES.items():
        result = cluster.run(f"curl -s http://{node_ip}:30123")
        assert result.exit_code == 0
        name = served_by(result.stdout)
        assert name in backends
        target = backends[name]["node"]
        trace = result.traces[0].to_dict()
        hops = [
            HOST,
            {"kind": "node", "name": node, "ip": node_ip, "port": 30123},
            {"kind": "service", "name": "kubia-nodeport", "ip": svc_ip, "port": 80},
            {"kind": "endpoints", "name": "kubia-nodeport"},
        ]
        if target != node:  # one more hop to the pod's node
            hops.append({"kind": "node", "name": target, "ip": NODES[target]})
        # externalTrafficPolicy Cluster: SNAT to the entry node's address.
        hops.append(pod_hop(backends, name, 8080, node_ip))
        assert trace == {
            "source": "host",
            "url": f"http://{node_ip}:30123",
            "outcome": "ok",
            "status": 200,
            "served_by": name,
            "reason": trace["reason"],
            "hops": hops,
        }
        assert trace["reason"].startswith(
            f"node {node} forwarded NodePort 30123 of service kubia-nodeport to pod {name}"
        )
    # From a pod, the cluster IP on the Service port (not the NodePort).
    client = sorted(backends)[0]
    assert served_by(run_ok(cluster, f"kubectl exec {client} -- curl -s {svc_ip}:80")) in backends


def test_000_nodeport_with_fixed_ports_from_the_host():
    # 000 §5.3.1: curl -s http://192.168.64.2:30080 after `nodePort: 30080` / `30443`.
    cluster = Cluster(seed=0)
    apply(
        cluster,
        DEMO_SERVICE.replace("  sessionAffinity: ClientIP\n", "  type: NodePort\n")
        .replace("targetPort: http\n", "targetPort: http\n    nodePort: 30080\n")
        .replace("targetPort: https\n", "targetPort: https\n    nodePort: 30443\n"),
    )
    apply(cluster, DEMO_RC)
    backends = pods(cluster, DEMO_LABEL)
    for port, target in ((30080, 8080), (30443, 8443)):
        result = cluster.run(f"curl -s http://192.168.49.3:{port}")
        assert served_by(result.stdout) in backends
        assert result.traces[0].to_dict()["hops"][-1]["port"] == target
    refused = cluster.run("curl http://192.168.49.3:30081")
    assert refused.exit_code == 7
    assert refused.stderr == (
        "curl: (7) Failed to connect to 192.168.49.3 port 30081 after 0 ms: "
        "Couldn't connect to server\n"
    )


def test_000_loadbalancer_nodeports_and_address_reach_the_pods():
    # 000 §5.3.2: minikube left EXTERNAL-IP <pending> and the note curled the random
    # nodePort (curl http://192.168.64.2:30369); here both ways work.
    cluster = Cluster(seed=0)
    apply(cluster, DEMO_SERVICE.replace("  sessionAffinity: ClientIP\n", "  type: LoadBalancer\n"))
    apply(cluster, DEMO_RC)
    backends = pods(cluster, DEMO_LABEL)
    svc = service(cluster, "demo-service")
    http = svc["spec"]["ports"][0]["nodePort"]
    lb = svc["status"]["loadBalancer"]["ingress"][0]["ip"]
    assert lb == "192.168.49.200"
    assert served_by(run_ok(cluster, f"curl http://192.168.49.2:{http}")) in backends
    result = cluster.run(f"curl -s http://{lb}")
    assert served_by(result.stdout) in backends
    hops = result.traces[0].to_dict()["hops"]
    assert hops[:2] == [
        HOST,
        {"kind": "loadbalancer", "name": "demo-service", "ip": lb, "port": 80},
    ]
    assert hops[2]["kind"] == "node"
    assert hops[2]["port"] == http
    # The load balancer only forwards the Service's ports: no answer to ping.
    assert cluster.run(f"ping -c 1 {lb}").exit_code == 1


def local_policy(replicas: int) -> tuple[Cluster, dict[str, dict], int, str]:
    """The loadbalancer scenario (externalTrafficPolicy: Local) scaled to `replicas`."""
    cluster = scenario("loadbalancer")
    run_ok(cluster, f"kubectl scale --replicas={replicas} rc kubia")
    svc = service(cluster, "kubia-loadbalancer")
    return (
        cluster,
        pods(cluster, "app=kubia"),
        svc["spec"]["ports"][0]["nodePort"],
        svc["status"]["loadBalancer"]["ingress"][0]["ip"],
    )


def test_000_local_policy_keeps_the_client_address_and_the_node():
    # 000 §5.3.3: with externalTrafficPolicy: Local there is no SNAT, so the pod sees
    # the client's address, and a node only uses its own pods.
    cluster, backends, node_port, lb = local_policy(replicas=1)
    ((name, where),) = backends.items()
    node_ip = NODES[where["node"]]
    svc_ip = service(cluster, "kubia-loadbalancer")["spec"]["clusterIP"]
    result = cluster.run(f"curl -s http://{node_ip}:{node_port}")
    assert result.traces[0].to_dict() == {
        "source": "host",
        "url": f"http://{node_ip}:{node_port}",
        "outcome": "ok",
        "status": 200,
        "served_by": name,
        "reason": f"node {where['node']} forwarded NodePort {node_port} of service "
        f"kubia-loadbalancer to pod {name} ({where['ip']}:8080), externalTrafficPolicy Local "
        f"kept it on {where['node']} and the pod sees the client IP",
        "hops": [
            HOST,
            {"kind": "node", "name": where["node"], "ip": node_ip, "port": node_port},
            {"kind": "service", "name": "kubia-loadbalancer", "ip": svc_ip, "port": 80},
            {"kind": "endpoints", "name": "kubia-loadbalancer"},
            pod_hop(backends, name, 8080, "192.168.49.1"),
        ],
    }
    # The load balancer only sends to nodes whose health check passes: the pod's node.
    for _ in range(4):
        via_lb = cluster.run(f"curl -s http://{lb}").traces[0].to_dict()
        assert via_lb["served_by"] == name
        assert via_lb["hops"][2]["name"] == where["node"]
        assert via_lb["hops"][-1]["src_ip"] == "192.168.49.1"


def test_000_local_policy_drops_traffic_on_a_node_without_a_local_pod():
    # 000 §5.3.3: "如果没有本地 Pod 存在，则会将请求挂起" — the connection hangs.
    cluster, backends, node_port, _ = local_policy(replicas=1)
    ((_, where),) = backends.items()
    empty = next(n for n in ("worker-1", "worker-2") if n != where["node"])
    result = cluster.run(f"curl --connect-timeout 2 http://{NODES[empty]}:{node_port}")
    assert result.exit_code == 28
    assert result.stdout == ""
    assert result.stderr == (
        f"curl: (28) Failed to connect to {NODES[empty]} port {node_port} after 2001 ms: "
        "Timeout was reached\n"
    )
    trace = result.traces[0].to_dict()
    assert trace["outcome"] == "timeout"
    assert trace["status"] is None
    assert [h["kind"] for h in trace["hops"]] == ["client", "node", "service", "endpoints"]
    assert f"node {empty} has no ready pod of service kubia-loadbalancer" in trace["reason"]
    # `-m 2` gives curl's other timeout wording (k8s-semantics.md section 9).
    capped = cluster.run(f"curl -sS -m 2 http://{NODES[empty]}:{node_port}")
    assert (capped.exit_code, capped.stderr) == (
        28,
        "curl: (28) Connection timed out after 2000 milliseconds\n",
    )


def test_000_cluster_policy_snats_to_the_entry_node():
    # 000 §5.3.3 记住客户端 IP 是不记录的: through a NodePort the pod sees a node address.
    cluster, backends, node_port, _ = local_policy(replicas=3)
    apply(cluster, get("loadbalancer").manifest.split("---")[0].replace("Local", "Cluster"))
    seen = set()
    for _ in range(12):
        trace = cluster.run(f"curl -s http://192.168.49.2:{node_port}").traces[0].to_dict()
        assert trace["served_by"] in backends
        assert trace["hops"][-1]["src_ip"] == "192.168.49.2"
        seen.add(trace["served_by"])
    # Any pod, even on another node: the control plane runs none of them.
    assert len(seen) > 1


# == Ingress ==================================================================================

# 000 §5.4.3 将不同的服务映射到相同主机的不同路径 / 将不同的服务映射到不同的主机上
PATHS_AND_HOSTS = """
apiVersion: v1
kind: Service
metadata:
  name: demo-service
spec:
  selector:
    app: demo
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: demo2-service
spec:
  selector:
    app: demo2
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo
spec:
  replicas: 2
  selector:
    matchLabels:
      app: demo
  template:
    metadata:
      labels:
        app: demo
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
        ports:
        - containerPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo2
spec:
  replicas: 2
  selector:
    matchLabels:
      app: demo2
  template:
    metadata:
      labels:
        app: demo2
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
        ports:
        - containerPort: 8080
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: demo-ingress
spec:
  rules:
  - host: nodeservice.demo.com
    http:
      paths:
      - path: /demo
        backend:
          serviceName: demo-service
          servicePort: 80
      - path: /demo2
        backend:
          serviceName: demo2-service
          servicePort: 80
  - host: nodeservice.bar.com
    http:
      paths:
      - path: /
        backend:
          serviceName: demo-service
          servicePort: 80
"""


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        pytest.param("http://nodeservice.demo.com/demo", "demo", id="path /demo"),
        pytest.param("http://nodeservice.demo.com/demo/x", "demo", id="path /demo/x"),
        pytest.param("http://nodeservice.demo.com/demo2", "demo2", id="longest path wins"),
        pytest.param("http://nodeservice.demo.com/demo2/y", "demo2", id="/demo2/y"),
        pytest.param("http://nodeservice.bar.com/", "demo", id="second host"),
        pytest.param("http://nodeservice.bar.com/demo2", "demo", id="second host, any path"),
    ],
)
def test_000_ingress_routes_by_host_and_path(url, backend):
    cluster = Cluster(seed=0)
    apply(cluster, PATHS_AND_HOSTS)
    result = cluster.run(f"curl -s {url}")
    assert result.exit_code == 0
    assert served_by(result.stdout) in pods(cluster, f"app={backend}")
    trace = result.traces[0].to_dict()
    assert trace["hops"][1] == {
        "kind": "ingress",
        "name": "demo-ingress",
        "ip": INGRESS_IP,
        "port": 80,
    }
    service_name = "demo-service" if backend == "demo" else "demo2-service"
    assert trace["hops"][2]["name"] == service_name
    # ingress-nginx sends straight to the pod: the pod sees the controller's address.
    controller = pods(cluster, "app.kubernetes.io/name=ingress-nginx", "ingress-nginx")
    assert trace["hops"][-1]["src_ip"] in {c["ip"] for c in controller.values()}


def test_000_ingress_without_a_matching_path_is_the_404_default_backend():
    # ImplementationSpecific /demo does not match `/` nor `/demox`; unknown hosts neither.
    cluster = Cluster(seed=0)
    apply(cluster, PATHS_AND_HOSTS)
    for line in (
        "curl -s http://nodeservice.demo.com/",
        "curl -s http://nodeservice.demo.com/demox",
        "curl -s -H 'Host: nothing.example.com' http://nodeservice.demo.com/demo",
    ):
        result = cluster.run(line)
        assert (result.exit_code, result.stdout) == (0, NGINX_404), line
        trace = result.traces[0].to_dict()
        assert (trace["outcome"], trace["status"], trace["served_by"]) == (
            "http_error",
            404,
            "ingress-nginx",
        )
    headers = run_ok(cluster, f"curl -I http://{INGRESS_IP}/")
    assert headers.splitlines()[0] == "HTTP/1.1 404 Not Found"
    assert "Content-Length: 146" in headers.splitlines()
    assert len(NGINX_404.encode()) == 146


def test_003_ingress_whole_trace_to_the_nodeport_service():
    # 003 通过 Ingress 暴露服务: kubia.example.com -> kubia-nodeport:80 (legacy manifest).
    cluster = scenario("nodeport")
    apply(
        cluster,
        """
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: kubia
spec:
  rules:
    - host: kubia.example.com
      http:
        paths:
          - path: /
            backend:
              serviceName: kubia-nodeport
              servicePort: 80
""",
    )
    backends = pods(cluster, "app=kubia")
    controller = pods(cluster, "app.kubernetes.io/name=ingress-nginx", "ingress-nginx")
    ((_, ctl),) = controller.items()
    svc_ip = service(cluster, "kubia-nodeport")["spec"]["clusterIP"]
    trace = cluster.request("http://kubia.example.com/", source="host").to_dict()
    name = trace["served_by"]
    assert name in backends
    assert trace == {
        "source": "host",
        "url": "http://kubia.example.com/",
        "outcome": "ok",
        "status": 200,
        "served_by": name,
        "reason": f"ingress kubia: host kubia.example.com path / (ImplementationSpecific) -> "
        f"service kubia-nodeport:80 -> {backends[name]['ip']}:8080",
        "hops": [
            HOST,
            {"kind": "ingress", "name": "kubia", "ip": INGRESS_IP, "port": 80},
            {"kind": "service", "name": "kubia-nodeport", "ip": svc_ip, "port": 80},
            {"kind": "endpoints", "name": "kubia-nodeport"},
            pod_hop(backends, name, 8080, ctl["ip"]),
        ],
    }


def test_003_tls_ingress_needs_k_and_redirects_http():
    # 003 配置 Ingress 处理 TLS 传输 / 000 §5.4.4: curl -k https://… works; the
    # self-signed certificate fails verification without -k; http is redirected.
    cluster = scenario("ingress-tls")
    backends = pods(cluster, "app=kubia")
    ok = cluster.run("curl -k https://kubia.example.com/")
    assert ok.exit_code == 0
    assert served_by(ok.stdout) in backends
    trace = ok.traces[0].to_dict()
    assert trace["hops"][1] == {"kind": "ingress", "name": "kubia", "ip": INGRESS_IP, "port": 443}
    assert trace["hops"][2]["name"] == "kubia-nodeport"

    refused = cluster.run("curl https://kubia.example.com/")
    assert (refused.exit_code, refused.stdout, refused.stderr) == (60, "", CURL_60)
    assert refused.traces[0].to_dict()["outcome"] == "tls_error"
    assert "add -k" in refused.traces[0].to_dict()["reason"]

    verbose = cluster.run("curl -k -v https://kubia.example.com/")
    lines = verbose.stderr.splitlines()
    # 003 showed the certificate it made with -subj /CN=kubia.example.com (OpenSSL 1.1
    # wording "self signed certificate"; OpenSSL 3 hyphenates it).
    for line in (
        "*  subject: CN=kubia.example.com",
        "*  issuer: CN=kubia.example.com",
        "*  SSL certificate verify result: self-signed certificate (18), continuing anyway.",
        "> Host: kubia.example.com",
    ):
        assert line in lines
    assert "* Connected to kubia.example.com (192.168.49.100) port 443 (#0)" in lines

    redirect = cluster.run("curl -I http://kubia.example.com/")
    assert redirect.exit_code == 0
    head = redirect.stdout.splitlines()
    assert head[0] == "HTTP/1.1 308 Permanent Redirect"
    # ingress-nginx strips the trailing slash from the target (k8s-semantics.md 7.5).
    assert "Location: https://kubia.example.com" in head
    assert redirect.traces[0].to_dict()["status"] == 308
    # The other host has no TLS entry: served over plain HTTP.
    assert served_by(run_ok(cluster, "curl -s http://foo.example.com/")) in backends


def test_001_ssl_redirect_false_serves_http_next_to_tls():
    # 001 Ingress https: annotation nginx.ingress.kubernetes.io/ssl-redirect: "false" and a
    # tls section for blog.holdno.com (Secret "blog", not created: the fake certificate).
    cluster = Cluster(seed=0)
    run_ok(cluster, "kubectl create namespace test")
    apply(
        cluster,
        """
apiVersion: v1
kind: Service
metadata:
  name: my-blog
  namespace: test
spec:
  selector:
    app: my-blog
  ports:
  - protocol: TCP
    port: 8080
    targetPort: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-blog
  namespace: test
spec:
  replicas: 3
  selector:
    matchLabels:
      app: my-blog
  template:
    metadata:
      labels:
        app: my-blog
    spec:
      containers:
      - name: echoserver
        image: k8s.gcr.io/echoserver:1.4
        ports:
        - containerPort: 80
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: my-blog
  namespace: test
  annotations:
    kubernetes.io/ingress.class: nginx
    nginx.ingress.kubernetes.io/ssl-redirect: "false"
spec:
  rules:
  - host: blog.holdno.com
    http:
      paths:
      - backend:
          serviceName: my-blog
          servicePort: 8080
        path: /
  tls:
  - hosts:
    - blog.holdno.com
    secretName: blog
""",
    )
    backends = pods(cluster, "app=my-blog", "test")
    plain = cluster.run("curl -s http://blog.holdno.com")
    assert plain.exit_code == 0
    assert served_by(plain.stdout) in backends
    assert plain.traces[0].to_dict()["hops"][-1]["port"] == 80
    secure = cluster.run("curl -k -v https://blog.holdno.com")
    assert served_by(secure.stdout) in backends
    # No Secret "blog" in namespace test: ingress-nginx serves its fake certificate.
    assert (
        "*  subject: O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate"
        in secure.stderr.splitlines()
    )
    assert cluster.run("curl -s https://blog.holdno.com").exit_code == 60


def test_002_exact_path_ingress_and_resolve():
    # 002 Ingress Controller: rule ngx.test `/` Exact -> ngx-svc:8080;
    #   curl --resolve ngx.test:80:<IC IP> http://ngx.test:80/
    cluster = scenario("ngx-dep")
    backends = pods(cluster, "app=ngx-dep")
    resolved = cluster.run(f"curl --resolve ngx.test:80:{INGRESS_IP} http://ngx.test:80/")
    assert served_by(resolved.stdout) in backends
    assert resolved.traces[0].to_dict()["hops"][-1]["port"] == 80
    # Exact `/`: any other path falls to the default backend.
    other = cluster.run("curl -s http://ngx.test/index.html")
    assert (other.stdout, other.traces[0].to_dict()["status"]) == (NGINX_404, 404)


def test_002_wordpress_through_ingress_and_nodeport():
    # 002 实战篇: curl wp.test/ and curl http://<node>:30088/
    cluster = scenario("wordpress")
    backends = pods(cluster, "app=wp-dep-pod")
    assert served_by(run_ok(cluster, "curl -s http://wp.test/")) in backends
    for node_ip in NODES.values():
        assert served_by(run_ok(cluster, f"curl -s http://{node_ip}:30088/")) in backends
    # WordPress finds MariaDB by the Service name in its environment.
    client = sorted(backends)[0]
    env = run_ok(cluster, f"kubectl exec {client} -- env").splitlines()
    assert "WORDPRESS_DB_HOST=mariadb-svc" in env
    db = service(cluster, "mariadb-svc")["spec"]["clusterIP"]
    out = run_ok(cluster, f"kubectl exec {client} -- nslookup mariadb-svc")
    assert f"Name:\tmariadb-svc.default.svc.cluster.local\nAddress: {db}\n" in out


def test_000_ingress_answers_503_while_no_endpoint_is_ready():
    # 000 §5.5.3: without ready pods "服务将会有可能接收到 503 报错".
    cluster = scenario("readiness")
    apply(
        cluster,
        """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: kubia
spec:
  rules:
  - host: kubia.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: kubia
            port:
              number: 80
""",
    )
    result = cluster.run("curl -i http://kubia.example.com/")
    assert result.exit_code == 0
    head, body = result.stdout.split("\r\n\r\n", 1)
    assert head.splitlines()[0] == "HTTP/1.1 503 Service Temporarily Unavailable"
    assert "Content-Length: 190" in head.splitlines()
    assert body == NGINX_503
    assert len(NGINX_503.encode()) == 190
    trace = result.traces[0].to_dict()
    assert (trace["outcome"], trace["status"], trace["served_by"]) == (
        "http_error",
        503,
        "ingress-nginx",
    )
    assert "no ready endpoints" in trace["reason"]
    assert [h["kind"] for h in trace["hops"]] == ["client", "ingress", "service", "endpoints"]


# == readiness =================================================================================


def test_003_only_the_pod_with_var_ready_gets_traffic():
    # 003 Pod 就绪后发出信号: kubectl exec kubia-wpk4k -- touch /var/ready, then every
    # `curl 34.80.233.40:30123` answered "You ve hit kubia-wpk4k".
    cluster = scenario("readiness")
    backends = pods(cluster, "app=kubia")
    refused = cluster.run("curl http://192.168.49.3:30123")
    assert refused.exit_code == 7  # no ready endpoint: kube-proxy rejects
    assert "has no ready endpoints" in refused.traces[0].to_dict()["reason"]

    chosen = sorted(backends)[1]
    assert run_ok(cluster, f"kubectl exec {chosen} -- touch /var/ready") == ""
    run_ok(cluster, "sleep 10")
    ready = {
        line.split()[0]: line.split()[1]
        for line in run_ok(cluster, "kubectl get pods").splitlines()[1:]
    }
    assert ready == {name: "1/1" if name == chosen else "0/1" for name in backends}
    for node_ip in NODES.values():
        for _ in range(3):
            assert served_by(run_ok(cluster, f"curl -s http://{node_ip}:30123")) == chosen
    client = sorted(set(backends) - {chosen})[0]
    trace = cluster.run(f"kubectl exec {client} -- curl -s http://kubia").traces[0].to_dict()
    assert trace["served_by"] == chosen
    assert trace["reason"].endswith("its only ready endpoint")

    # Remove the file: three failed probes (failureThreshold 3, period 10 s) take it out.
    run_ok(cluster, f"kubectl exec {chosen} -- rm /var/ready")
    run_ok(cluster, "sleep 20")
    assert served_by(run_ok(cluster, "curl -s http://192.168.49.3:30123")) == chosen
    run_ok(cluster, "sleep 10")
    assert cluster.run("curl -s http://192.168.49.3:30123").exit_code == 7


def test_003_describe_pod_shows_readiness_and_unhealthy_events():
    cluster = scenario("readiness")
    name = sorted(pods(cluster, "app=kubia"))[0]
    run_ok(cluster, "sleep 30")
    described = run_ok(cluster, f"kubectl describe pod {name}").splitlines()
    assert (
        "    Readiness:      exec [ls /var/ready] delay=0s timeout=1s period=10s "
        "#success=1 #failure=3"
    ) in described
    assert "    Ready:          False" in described
    (event,) = [line for line in described if "Unhealthy" in line]
    assert re.fullmatch(
        r"  Warning  Unhealthy  0s \(x4 over 30s\)  kubelet +Readiness probe failed: "
        r"ls: cannot access '/var/ready': No such file or directory",
        event,
    )


# == headless =================================================================================


def nslookup(cluster: Cluster, name: str):
    return cluster.run(f"kubectl exec dnsutils -- nslookup {name}")


def headless(ready: int, seed: int = 0) -> tuple[Cluster, dict[str, dict], list[str]]:
    cluster = scenario("headless", seed)
    backends = pods(cluster, "app=kubia")
    names = sorted(backends)[:ready]
    for name in names:
        run_ok(cluster, f"kubectl exec {name} -- touch /var/ready")
    run_ok(cluster, "sleep 10")
    return cluster, backends, names


def answers(out: str, fqdn: str) -> list[str]:
    """The addresses in bind9 nslookup output, checking each pair's Name line."""
    body = out.split("\n\n", 1)[1]
    lines = body.splitlines()
    pairs = [lines[i : i + 2] for i in range(0, len(lines), 2) if lines[i]]
    assert all(pair[0] == f"Name:\t{fqdn}" for pair in pairs), out
    return [pair[1].removeprefix("Address: ") for pair in pairs]


# 003 通过 DNS 查找 Pod 的 IP: `kubectl exec dnsutils nslookup kubia-headless`
SEED_003_NSLOOKUP_HEADLESS = """\
Server:         10.66.0.10
Address:        10.66.0.10#53

Name:   kubia-headless.default.svc.cluster.local
Address: 10.0.0.8
Name:   kubia-headless.default.svc.cluster.local
Address: 10.0.2.5
"""


def test_003_headless_name_returns_only_ready_pods():
    cluster, backends, ready = headless(ready=2)
    result = nslookup(cluster, "kubia-headless")
    assert result.exit_code == 0
    # bind9 nslookup separates with tabs; the note's copy turned them into spaces.
    assert [" ".join(line.split()) for line in with_ip(result.stdout).splitlines() if line] == [
        " ".join(line.split()) for line in with_ip(SEED_003_NSLOOKUP_HEADLESS).splitlines() if line
    ]
    found = answers(result.stdout, "kubia-headless.default.svc.cluster.local")
    assert sorted(found) == sorted(backends[name]["ip"] for name in ready)
    assert result.traces[0].to_dict()["outcome"] == "ok"


def test_003_headless_with_publish_not_ready_addresses_returns_every_pod():
    cluster, backends, _ = headless(ready=2)
    out = run_ok(cluster, "kubectl exec dnsutils -- nslookup kubia-headless-all")
    found = answers(out, "kubia-headless-all.default.svc.cluster.local")
    assert sorted(found) == sorted(b["ip"] for b in backends.values())


def test_003_headless_without_ready_pods_is_nxdomain():
    cluster, _, _ = headless(ready=0)
    result = nslookup(cluster, "kubia-headless")
    assert result.exit_code == 1
    assert result.stdout == (
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n"
        "** server can't find kubia-headless: NXDOMAIN\n\n"
    )
    assert result.stderr == "command terminated with exit code 1\n"
    assert result.traces[0].to_dict()["outcome"] == "dns_error"


def test_003_regular_service_name_returns_the_cluster_ip():
    # 003: `nslookup kubia` gave the cluster IP, even with not-ready pods.
    cluster, _, _ = headless(ready=0)
    ip = service(cluster, "kubia")["spec"]["clusterIP"]
    out = run_ok(cluster, "kubectl exec dnsutils -- nslookup kubia")
    assert out == (
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n"
        f"Name:\tkubia.default.svc.cluster.local\nAddress: {ip}\n\n"
    )
    # The note's `kubectl exec dnsutils nslookup kubia` (no `--`) is refused by current kubectl.
    old = cluster.run("kubectl exec dnsutils nslookup kubia")
    assert old.exit_code == 1
    assert old.stderr.startswith(
        "error: exec [POD] [COMMAND] is not supported anymore. "
        "Use exec [POD] -- [COMMAND] instead\n"
    )


def test_003_curl_to_a_headless_name_goes_straight_to_a_pod():
    cluster, backends, ready = headless(ready=1)
    ok = cluster.run("kubectl exec dnsutils -- curl -s http://kubia-headless:8080")
    assert served_by(ok.stdout) == ready[0]
    hops = ok.traces[0].to_dict()["hops"]
    assert [h["kind"] for h in hops] == ["client", "dns", "pod"]  # no kube-proxy
    # Port 80 is the Service port; with no VIP nothing maps it to 8080.
    assert cluster.run("kubectl exec dnsutils -- curl -s http://kubia-headless").exit_code == 7


# == the troubleshooting checklist (003 排除服务故障, 004 无法访问pod的trouble shooting) ==========

BROKEN = """
apiVersion: v1
kind: Service
metadata:
  name: wrong-selector
spec:
  selector:
    app: kubiaa
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: wrong-port
spec:
  selector:
    app: kubia
  ports:
  - port: 80
    targetPort: 9090
"""


def broken() -> tuple[Cluster, dict[str, dict], str]:
    cluster = scenario("nodeport")
    apply(cluster, BROKEN)
    backends = pods(cluster, "app=kubia")
    return cluster, backends, sorted(backends)[0]


def test_004_selector_matching_no_pod_means_no_endpoints_whole_trace():
    # Checklist 4: "k get endpoints" shows whether the pod is part of the Service.
    cluster, _, client = broken()
    listed = run_ok(cluster, "kubectl get endpoints wrong-selector")
    assert listed.splitlines()[1].split()[:2] == ["wrong-selector", "<none>"]
    ip = service(cluster, "wrong-selector")["spec"]["clusterIP"]
    result = cluster.run(f"kubectl exec {client} -- curl -sS http://wrong-selector")
    assert result.exit_code == 7
    assert result.stderr == (
        "curl: (7) Failed to connect to wrong-selector port 80 after 0 ms: "
        "Couldn't connect to server\ncommand terminated with exit code 7\n"
    )
    assert result.traces[0].to_dict() == {
        "source": f"pod/default/{client}",
        "url": "http://wrong-selector",
        "outcome": "refused",
        "status": None,
        "served_by": None,
        "reason": "service wrong-selector has no ready endpoints: its selector app=kubiaa "
        "matches no pod in namespace default",
        "hops": [
            client_hop(cluster, client),
            dns_hop("wrong-selector.default.svc.cluster.local"),
            {"kind": "service", "name": "wrong-selector", "ip": ip, "port": 80},
            {"kind": "endpoints", "name": "wrong-selector"},
        ],
    }


def test_004_wrong_target_port_is_refused_by_the_pod():
    # Checklist 6/7: connect to the Service port; try the pod IP directly on the right port.
    cluster, backends, client = broken()
    result = cluster.run(f"kubectl exec {client} -- curl -s http://wrong-port")
    assert result.exit_code == 7
    trace = result.traces[0].to_dict()
    assert trace["outcome"] == "refused"
    name = trace["hops"][-1]["name"]
    assert name in backends
    assert trace["hops"][-1]["port"] == 9090
    assert f"nothing listens on port 9090 in pod {name} (it declares 8080)" in trace["reason"]
    # The endpoints list the pods on 9090: the Service cannot know the port is wrong.
    endpoints = run_ok(cluster, "kubectl get endpoints wrong-port").splitlines()[1]
    assert re.fullmatch(r"wrong-port +(10\.244\.\d+\.\d+:9090,?){3} +\S+", endpoints)
    other = sorted(backends)[1]
    direct = cluster.run(f"kubectl exec {client} -- curl -s http://{backends[other]['ip']}:8080")
    assert served_by(direct.stdout) == other
    assert [h["kind"] for h in direct.traces[0].to_dict()["hops"]] == ["client", "pod"]


def test_004_the_target_port_on_the_cluster_ip_matches_no_rule():
    # Checklist 6: "检查是否连接到服务公开的端口，而不是目标端口".
    cluster, _, client = broken()
    ip = service(cluster, "kubia-nodeport")["spec"]["clusterIP"]
    result = cluster.run(f"kubectl exec {client} -- curl -s --connect-timeout 2 {ip}:8080")
    assert result.exit_code == 28
    trace = result.traces[0].to_dict()
    assert trace["outcome"] == "timeout"
    assert "has no port 8080" in trace["reason"]


def test_004_a_pod_that_is_not_ready_is_not_an_endpoint():
    # Checklist 3: "如果已经定义了就绪探针,请确保它返回成功".
    cluster = scenario("readiness")
    client = sorted(pods(cluster, "app=kubia"))[0]
    result = cluster.run(f"kubectl exec {client} -- curl -s http://kubia")
    assert result.exit_code == 7
    trace = result.traces[0].to_dict()
    assert trace["outcome"] == "refused"
    assert "none of its 3 pods is ready" in trace["reason"]
    assert "readiness probe" in trace["reason"]


def test_004_the_cluster_ip_is_not_reachable_from_outside():
    # Checklist 1: "确保从集群内连接到服务的集群IP,而不是从外部".
    cluster, _, client = broken()
    ip = service(cluster, "kubia-nodeport")["spec"]["clusterIP"]
    outside = cluster.run(f"curl -s --connect-timeout 2 http://{ip}")
    assert outside.exit_code == 28
    trace = outside.traces[0].to_dict()
    assert trace["outcome"] == "unreachable"
    assert trace["hops"] == [
        HOST,
        {"kind": "service", "name": "kubia-nodeport", "ip": ip, "port": 80},
    ]
    inside = cluster.run(f"kubectl exec {client} -- curl -s http://{ip}")
    assert inside.exit_code == 0
