"""`kubectl describe` texts from API dicts: kubectl's layout and alignment."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from simulator.kubectl.describe import (
    describe_deployment,
    describe_endpoints,
    describe_ingress,
    describe_node,
    describe_pod,
    describe_replicaset,
    describe_service,
    format_endpoint_slices,
    probe_text,
)

from .builders import (
    make_deployment,
    make_endpoints,
    make_ingress,
    make_node,
    make_pod,
    make_service,
    make_slice,
)


def event(
    reason: str,
    message: str,
    first: float,
    last: float | None = None,
    count: int = 1,
    type_: str = "Normal",
    source: str = "kubelet",
) -> SimpleNamespace:
    return SimpleNamespace(
        type=type_,
        reason=reason,
        source=source,
        message=message,
        first=first,
        last=first if last is None else last,
        count=count,
    )


def test_service_as_in_the_semantics_notes() -> None:
    svc = make_service(
        "web",
        {"app": "web"},
        [{"name": "http", "port": 80, "targetPort": 8080, "nodePort": 30007, "protocol": "TCP"}],
        type="NodePort",
        cluster_ip="10.96.28.238",
    )
    svc["metadata"]["labels"] = {"app": "web"}
    slices = [
        make_slice(
            "web",
            [("10.244.1.5", True), ("10.244.2.7", True), ("10.244.2.9", False)],
            port_name="http",
        )
    ]
    assert describe_service(svc, slices, [], now=0) == (
        "Name:                     web\n"
        "Namespace:                default\n"
        "Labels:                   app=web\n"
        "Annotations:              <none>\n"
        "Selector:                 app=web\n"
        "Type:                     NodePort\n"
        "IP Family Policy:         SingleStack\n"
        "IP Families:              IPv4\n"
        "IP:                       10.96.28.238\n"
        "IPs:                      10.96.28.238\n"
        "Port:                     http  80/TCP\n"
        "TargetPort:               8080/TCP\n"
        "NodePort:                 http  30007/TCP\n"
        "Endpoints:                10.244.1.5:8080,10.244.2.7:8080\n"
        "Session Affinity:         None\n"
        "External Traffic Policy:  Cluster\n"
        "Internal Traffic Policy:  Cluster\n"
        "Events:                   <none>\n"
    )


def test_service_named_target_port_and_unset_port_name() -> None:
    svc = make_service(
        "kubia", {"app": "kubia"}, [{"port": 80, "targetPort": "http", "protocol": "TCP"}]
    )
    lines = describe_service(svc, None, None, now=0).splitlines()
    assert "Port:                     <unset>  80/TCP" in lines
    assert "TargetPort:               http/TCP" in lines
    assert "Endpoints:                <none>" in lines
    assert not any(line.startswith("Events:") for line in lines)


@pytest.mark.parametrize(
    ("slices", "expected"),
    [
        pytest.param(None, "<none>", id="no slice yet"),
        pytest.param([make_slice("s", [("10.0.0.1", False)])], "", id="nothing ready"),
        pytest.param(
            [make_slice("s", [(f"10.0.0.{i}", True) for i in range(1, 6)])],
            "10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 2 more...",
            id="more",
        ),
    ],
)
def test_endpoint_slices_cell(slices, expected) -> None:
    assert format_endpoint_slices(slices, "") == expected


def test_endpoints_subsets() -> None:
    ep = make_endpoints("web", ["10.244.1.5"], ["10.244.2.9"], port_name="http")
    ep["metadata"]["labels"] = {"app": "web"}
    assert describe_endpoints(ep, [], now=0) == (
        "Name:         web\n"
        "Namespace:    default\n"
        "Labels:       app=web\n"
        "Annotations:  <none>\n"
        "Subsets:\n"
        "  Addresses:          10.244.1.5\n"
        "  NotReadyAddresses:  10.244.2.9\n"
        "  Ports:\n"
        "    Name  Port  Protocol\n"
        "    ----  ----  --------\n"
        "    http  8080  TCP\n"
        "\n"
        "Events:  <none>\n"
    )


@pytest.mark.parametrize(
    ("probe", "text"),
    [
        pytest.param(
            {"exec": {"command": ["ls", "/var/ready"]}},
            "exec [ls /var/ready] delay=0s timeout=1s period=10s #success=1 #failure=3",
            id="exec, defaults",
        ),
        pytest.param(
            {
                "httpGet": {"path": "/healthz", "port": 8080},
                "initialDelaySeconds": 5,
                "periodSeconds": 3,
            },
            "http-get http://:8080/healthz delay=5s timeout=1s period=3s #success=1 #failure=3",
            id="http",
        ),
        pytest.param(
            {"tcpSocket": {"port": 8080}, "failureThreshold": 1},
            "tcp-socket :8080 delay=0s timeout=1s period=10s #success=1 #failure=1",
            id="tcp",
        ),
    ],
)
def test_probe_line(probe: dict, text: str) -> None:
    assert probe_text(probe) == text


def test_pod_readiness_line_and_aggregated_events() -> None:
    pod = make_pod(
        "kubia-m7xnj",
        {"app": "kubia"},
        ready=False,
        readiness_probe={"exec": {"command": ["ls", "/var/ready"]}},
        owner=("ReplicaSet", "kubia"),
    )
    events = [
        event(
            "Scheduled",
            "Successfully assigned default/kubia-m7xnj to worker-1",
            0,
            source="default-scheduler",
        ),
        event(
            "Unhealthy",
            "Readiness probe failed: ls: cannot access '/var/ready': No such file or directory",
            2,
            602,
            61,
            "Warning",
        ),
    ]
    text = describe_pod(pod, events, now=700)
    lines = text.splitlines()
    assert (
        "    Readiness:      exec [ls /var/ready] delay=0s timeout=1s period=10s #success=1 "
        "#failure=3" in lines
    )
    assert "Controlled By:  ReplicaSet/kubia" in lines
    assert text.endswith(
        "Events:\n"
        "  Type     Reason     Age                 From               Message\n"
        "  ----     ------     ----                ----               -------\n"
        "  Normal   Scheduled  11m                 default-scheduler  Successfully assigned "
        "default/kubia-m7xnj to worker-1\n"
        "  Warning  Unhealthy  98s (x61 over 11m)  kubelet            Readiness probe failed: "
        "ls: cannot access '/var/ready': No such file or directory\n"
    )
    assert "  Ready             False \n" in text  # kubectl's trailing space after the status


def test_pod_labels_align_as_kubectl_does() -> None:
    pod = make_pod("p", {"app": "kubia", "pod-template-hash": "5d9f"})
    text = describe_pod(pod, None, now=0)
    assert "Labels:       app=kubia\n              pod-template-hash=5d9f\n" in text


def test_ingress_rules_and_missing_service() -> None:
    ing = make_ingress(
        "fanout",
        [("foo.bar.com", "/foo", "service1", 4200), ("foo.bar.com", "/bar", "service2", 8080)],
        address="178.91.123.132",
        tls_hosts=["foo.bar.com"],
    )
    svc = make_service("service1", {"a": "b"}, [{"port": 4200, "targetPort": 4200}])

    def lookup(name: str):
        if name == "service1":
            return svc, [make_slice("service1", [("10.8.0.90", True)], port=4200)]
        return None, []

    assert describe_ingress(ing, lookup, [], now=0) == (
        "Name:             fanout\n"
        "Labels:           <none>\n"
        "Namespace:        default\n"
        "Address:          178.91.123.132\n"
        "Ingress Class:    nginx\n"
        "Default backend:  <default>\n"
        "TLS:\n"
        "  tls-secret terminates foo.bar.com\n"
        "Rules:\n"
        "  Host         Path  Backends\n"
        "  ----         ----  --------\n"
        "  foo.bar.com  \n"
        "               /foo   service1:4200 (10.8.0.90:4200)\n"
        '               /bar   service2:8080 (<error: services "service2" not found>)\n'
        "Annotations:   <none>\n"
        "Events:        <none>\n"
    )


def test_node_taints_and_pods() -> None:
    node = make_node(
        "control-plane",
        roles=("control-plane",),
        taints=[{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}],
    )
    text = describe_node(node, [make_pod("coredns", namespace="kube-system")], [], now=60)
    assert "Roles:              control-plane\n" in text
    assert "Taints:             node-role.kubernetes.io/control-plane:NoSchedule\n" in text
    assert "Non-terminated Pods:          (1 in total)\n" in text
    assert "  kube-system                 coredns" in text


def test_deployment_and_replicaset() -> None:
    deploy = make_deployment("kubia", 3, 3)
    rs = {
        "kind": "ReplicaSet",
        "metadata": {"name": "kubia-5d9f", "namespace": "default"},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "kubia"}},
            "template": deploy["spec"]["template"],
        },
        "status": {"replicas": 3},
    }
    text = describe_deployment(deploy, [], [rs], [], now=0)
    assert (
        "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable\n"
        in text
    )
    # Without conditions these lines join the pod template's last column block.
    assert (
        "OldReplicaSets:    <none>\nNewReplicaSet:     kubia-5d9f (3/3 replicas created)\n" in text
    )
    rs_text = describe_replicaset(rs, {"Running": 3}, [], now=0)
    assert "Pods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed\n" in rs_text
    assert "  Containers:\n   kubia:\n    Image:         luksa/kubia\n" in rs_text
