"""Regressions found by replaying the seeds: DaemonSets and taints, health checks, admission,
load-balancer addresses, kubectl wording."""

from __future__ import annotations

import json

from simulator import Cluster
from simulator.scenarios import get

from .conftest import pods, run_ok
from .manifests_kubia import KUBIA_RC, KUBIA_SVC

REDIS_DS = next(d for d in get("daemonset-taints").manifest.split("---") if "name: redis-ds\n" in d)


def test_daemonset_pod_survives_a_new_noschedule_taint():
    # 002 Daemonset: remove the control-plane taint, then 还原 (restore) it.
    c = Cluster(seed=0)
    run_ok(c, "kubectl apply -f -", REDIS_DS)
    taint = "node-role.kubernetes.io/control-plane:NoSchedule"
    run_ok(c, f"kubectl taint node control-plane {taint}-")
    run_ok(c, f"kubectl taint node control-plane {taint}")
    pods = json.loads(run_ok(c, "kubectl get pods -l name=redis-ds -o json"))["items"]
    # NodeShouldRunDaemonPod: an untolerated NoSchedule taint gives shouldRun=false but
    # shouldContinueRunning=true; only NoExecute makes the controller delete the pod.
    assert sorted(p["spec"]["nodeName"] for p in pods) == ["control-plane", "worker-1", "worker-2"]


def test_health_check_node_port_answers():
    c = Cluster(seed=0)
    run_ok(c, "kubectl apply -f -", get("loadbalancer").manifest)
    run_ok(c, "kubectl scale --replicas=1 rc kubia")
    svc = json.loads(run_ok(c, "kubectl get svc kubia-loadbalancer -o json"))
    hc = svc["spec"]["healthCheckNodePort"]
    pod = json.loads(run_ok(c, "kubectl get pods -l app=kubia -o json"))["items"][0]
    ips = {"worker-1": "192.168.49.3", "worker-2": "192.168.49.4"}
    local = ips[pod["spec"]["nodeName"]]
    other = next(ip for ip in ips.values() if ip != local)
    ok = c.run(f"curl -i http://{local}:{hc}/healthz")
    assert ok.exit_code == 0
    assert ok.stdout.splitlines()[0].startswith("HTTP/1.1 200")
    assert '"localEndpoints": 1' in ok.stdout
    bad = c.run(f"curl -s -o /dev/null -w '%{{http_code}}' http://{other}:{hc}/healthz")
    assert (bad.exit_code, bad.stdout) == (0, "503")
    # kube-proxy's health-check server speaks plain HTTP: curl's TLS handshake fails
    # (the simulator used to crash here, on the certificate it never had).
    tls = c.run(f"curl -sS https://{local}:{hc}/healthz")
    assert tls.exit_code == 35
    assert tls.stderr == (
        "curl: (35) OpenSSL/3.0.15: error:0A00010B:SSL routines::wrong version number\n"
    )
    assert tls.traces[0].outcome == "tls_error"
    assert "plain HTTP" in tls.traces[0].reason


def test_pods_get_the_default_not_ready_unreachable_tolerations():
    c = Cluster(seed=0)
    run_ok(c, "kubectl run ngx --image=nginx:alpine")
    spec = json.loads(run_ok(c, "kubectl get pod ngx -o json"))["spec"]
    assert spec.get("tolerations") == [
        {
            "effect": "NoExecute",
            "key": "node.kubernetes.io/not-ready",
            "operator": "Exists",
            "tolerationSeconds": 300,
        },
        {
            "effect": "NoExecute",
            "key": "node.kubernetes.io/unreachable",
            "operator": "Exists",
            "tolerationSeconds": 300,
        },
    ]
    described = run_ok(c, "kubectl describe pod ngx")
    assert "node.kubernetes.io/not-ready:NoExecute op=Exists for 300s" in described


def test_a_freed_lb_address_goes_to_a_pending_service():
    c = Cluster(seed=0)
    many = "---".join(
        f"""
apiVersion: v1
kind: Service
metadata:
  name: lb-{i}
spec:
  type: LoadBalancer
  selector: {{app: none}}
  ports: [{{port: 80}}]
"""
        for i in range(52)
    )
    run_ok(c, "kubectl apply -f -", many)
    assert "<pending>" in run_ok(c, "kubectl get svc lb-51")
    run_ok(c, "kubectl delete svc lb-0")
    assert "192.168.49.200" in run_ok(c, "kubectl get svc lb-51")


def test_create_already_exists_uses_kubectl_wording():
    c = Cluster(seed=0)
    m = get("demo-service").manifest.split("---")[0]
    run_ok(c, "kubectl create -f -", m)
    r = c.run("kubectl create -f -", stdin=m)
    assert r.stderr == (
        'Error from server (AlreadyExists): error when creating "STDIN": '
        'services "demo-service" already exists\n'
    )


def test_create_goes_on_past_objects_that_already_exist():
    # `kubectl create -f` twice after adding a Service to the file: kubectl creates the
    # new object, reports the existing one, and exits 1.
    c = Cluster(seed=0)
    run_ok(c, "kubectl create -f -", KUBIA_RC)
    r = c.run("kubectl create -f -", stdin=KUBIA_RC + "---\n" + KUBIA_SVC)
    assert r.exit_code == 1
    assert r.stdout == "service/kubia created\n"
    assert r.stderr == (
        'Error from server (AlreadyExists): error when creating "STDIN": '
        'replicationcontrollers "kubia" already exists\n'
    )
    assert c.state.store.get("Service", "default", "kubia") is not None
    assert len(pods(c, app="kubia")) == 3  # the existing controller is untouched


def test_create_applies_nothing_when_anything_else_is_wrong():
    c = Cluster(seed=0)
    node_port = "spec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30080\n"
    taken = "apiVersion: v1\nkind: Service\nmetadata:\n  name: other\n" + node_port
    run_ok(c, "kubectl create -f -", KUBIA_RC + "---\n" + taken)
    clash = taken.replace("name: other", "name: kubia")
    r = c.run("kubectl create -f -", stdin=KUBIA_RC + "---\n" + clash)
    assert r.exit_code == 1
    assert r.stdout == ""
    assert "already exists" in r.stderr
    assert "provided port is already allocated" in r.stderr
    assert c.state.store.get("Service", "default", "kubia") is None
