"""hostNetwork pods and hostPorts: the node's address, the node's ports, one pod per port.

The notes' WordPress stack (002 实战篇) runs NGINX's Ingress controller with
`hostNetwork: true` and points /etc/hosts at the node it runs on; the notes'
earlier section (002 Ingress Controller) tries the controller through
`kubectl port-forward ... 8080:80 &` and `curl --resolve ngx.test:8080:127.0.0.1`.
"""

from __future__ import annotations

from simulator import Cluster
from simulator.scenarios import get

from .conftest import apply, run_ok

WP_KIC = """
apiVersion: v1
kind: Namespace
metadata: {name: nginx-ingress}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: wp-kic-dep, namespace: nginx-ingress}
spec:
  replicas: 1
  selector: {matchLabels: {app: wp-kic-dep-pod}}
  template:
    metadata: {labels: {app: wp-kic-dep-pod}}
    spec:
      hostNetwork: true
      containers:
      - image: nginx/nginx-ingress:2.3-alpine
        name: nginx-ingress
        ports:
        - {name: http, containerPort: 80}
        - {name: https, containerPort: 443}
        args: [-ingress-class=wp-ngx-ink]
"""

NGX_KIC = """
apiVersion: v1
kind: Namespace
metadata: {name: nginx-ingress}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ngx-kic-dep, namespace: nginx-ingress}
spec:
  replicas: 1
  selector: {matchLabels: {app: ngx-kic-dep}}
  template:
    metadata: {labels: {app: ngx-kic-dep}}
    spec:
      containers:
      - image: nginx/nginx-ingress:2.3-alpine
        name: nginx-ingress
        ports: [{name: http, containerPort: 80}, {name: https, containerPort: 443}]
        args: [-ingress-class=ngx-ink]
"""

HOST_APP = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: hn}
spec:
  replicas: 3
  selector: {matchLabels: {app: hn}}
  template:
    metadata: {labels: {app: hn}}
    spec:
      hostNetwork: true
      containers:
      - {name: web, image: luksa/kubia, ports: [{containerPort: 8081}]}
"""


def wordpress() -> tuple[Cluster, str, str]:
    """The notes' WordPress stack with its hostNetwork controller: (cluster, pod, node IP)."""
    cluster = Cluster(seed=0)
    apply(cluster, get("wordpress").manifest)
    apply(cluster, WP_KIC)
    pod = cluster.running_pods("app=wp-kic-dep-pod", "nginx-ingress")[0]
    node = run_ok(cluster, f"kubectl get pod {pod} -n nginx-ingress -o jsonpath={{.spec.nodeName}}")
    ip = run_ok(cluster, f"kubectl get node {node} -o jsonpath={{.status.addresses[0].address}}")
    return cluster, pod, ip


def test_002_the_hostnetwork_controller_takes_its_nodes_ip() -> None:
    cluster, pod, node_ip = wordpress()
    # 002: `pod/wp-kic-dep-5798657c65-rzr2s   1/1   Running ...   192.168.56.103   vm2`
    row = run_ok(cluster, "kubectl get pod -n nginx-ingress -o wide").splitlines()[1].split()
    assert (row[0], row[2], row[5]) == (pod, "Running", node_ip)
    assert run_ok(
        cluster, f"kubectl get pod {pod} -n nginx-ingress -o jsonpath={{.status.hostIP}}"
    ) == (node_ip)


def test_002_curl_the_node_with_the_host_name_reaches_wordpress_through_the_controller() -> None:
    cluster, pod, node_ip = wordpress()
    wp_pods = set(cluster.running_pods("app=wp-dep-pod"))
    for line in (
        f"curl -s -H 'Host: wp.test' http://{node_ip}/",
        f"curl -s --resolve wp.test:80:{node_ip} http://wp.test/",
    ):
        result = cluster.run(line)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.removeprefix("You've hit ").strip() in wp_pods
        trace = result.traces[0].to_dict()
        assert [h["kind"] for h in trace["hops"]] == [
            "client", "ingress", "service", "endpoints", "pod",
        ]  # fmt: skip
        assert (trace["hops"][1]["ip"], trace["hops"][1]["port"]) == (node_ip, 80)
        # the upstream connection leaves from the controller, on its node's address
        assert trace["hops"][-1]["src_ip"] == node_ip
    # without the host name nginx has no server for it: its default server's 404
    assert "404 Not Found" in cluster.run(f"curl -s http://{node_ip}/").stdout


def test_a_second_pod_asking_the_same_host_port_stays_pending_with_the_schedulers_words() -> None:
    cluster = Cluster(seed=0)
    apply(cluster, HOST_APP)
    rows = [line.split() for line in run_ok(cluster, "kubectl get pod -o wide").splitlines()[1:]]
    running = [r for r in rows if r[2] == "Running"]
    pending = [r for r in rows if r[2] == "Pending"]
    assert len(running) == 2
    assert {r[6] for r in running} == {"worker-1", "worker-2"}
    assert len(pending) == 1
    events = run_ok(cluster, f"kubectl describe pod {pending[0][0]}")
    assert (
        "0/3 nodes are available: 2 node(s) didn't have free ports for the requested pod ports, "
        "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: "
        "0/3 nodes are available: 2 No preemption victims found for incoming pod, "
        "1 Preemption is not helpful for scheduling."
    ) in " ".join(events.split())
    # each running pod serves on its node's address, and logs the host's address
    for row in running:
        assert run_ok(cluster, f"curl -s http://{row[5]}:8081/") == f"You've hit {row[0]}\n"
        assert "Received request from ::ffff:192.168.49.1" in run_ok(
            cluster, f"kubectl logs {row[0]}"
        )
    # a node no such pod runs on refuses
    assert cluster.run("curl -s http://192.168.49.2:8081/").exit_code == 7
    # when one goes, the Pending pod takes its node (the replacement waits in its turn)
    run_ok(cluster, f"kubectl delete pod {running[0][0]}")
    cluster.advance(10)
    rows = [line.split() for line in run_ok(cluster, "kubectl get pod -o wide").splitlines()[1:]]
    assert sorted(r[2] for r in rows) == ["Pending", "Running", "Running"]
    assert {r[5] for r in rows if r[2] == "Running"} == {"192.168.49.3", "192.168.49.4"}
    assert pending[0][0] in {r[0] for r in rows if r[2] == "Running"}


def test_002_port_forward_to_the_controller_then_curl_with_resolve() -> None:
    cluster = Cluster(seed=0)
    apply(cluster, get("ngx-dep").manifest)
    apply(cluster, NGX_KIC)
    pod = cluster.running_pods("app=ngx-kic-dep", "nginx-ingress")[0]
    # kubectl port-forward -n nginx-ingress ngx-kic-dep-7f5dcf4754-qxxwt 8080:80 &
    started = cluster.run(f"kubectl port-forward -n nginx-ingress {pod} 8080:80 &")
    assert started.stdout == (
        "Forwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80\n"
    )
    assert started.stderr == "[1] 4242\n"
    # curl --resolve ngx.test:8080:127.0.0.1 http://ngx.test:8080
    result = cluster.run("curl --resolve ngx.test:8080:127.0.0.1 http://ngx.test:8080")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.removeprefix("You've hit ").strip() in cluster.running_pods("app=ngx-dep")
    hops = result.traces[0].to_dict()["hops"]
    assert [h["kind"] for h in hops] == ["client", "ingress", "service", "endpoints", "pod"]
    assert hops[1]["ip"] == "127.0.0.1"
    pod_ip = run_ok(
        cluster, f"kubectl get pod {pod} -n nginx-ingress -o jsonpath={{.status.podIP}}"
    )
    assert hops[-1]["src_ip"] == pod_ip
    # once the forward is stopped, nothing listens on 8080 any more (no stale route)
    run_ok(cluster, "kill %1")
    again = cluster.run("curl --resolve ngx.test:8080:127.0.0.1 http://ngx.test:8080")
    assert again.exit_code == 7


def test_the_built_in_controllers_host_ports_route_by_ingress_rules_on_its_node() -> None:
    cluster = Cluster(seed=0)
    apply(cluster, get("ngx-dep").manifest)
    controller = cluster.running_pods("app.kubernetes.io/component=controller", "ingress-nginx")[0]
    node = run_ok(
        cluster, f"kubectl get pod {controller} -n ingress-nginx -o jsonpath={{.status.hostIP}}"
    )
    result = cluster.run(f"curl -s -H 'Host: ngx.test' http://{node}/")
    assert result.stdout.removeprefix("You've hit ").strip() in cluster.running_pods("app=ngx-dep")
