"""`kubectl get` tables built from API dicts: columns, cell rules, decorations."""

from __future__ import annotations

import pytest

from simulator.kubectl.tables import (
    RowContext,
    build_table,
    format_endpoints,
    ingress_hosts,
    pod_status_cells,
    render,
    service_external_ip,
)

from .builders import (
    make_deployment,
    make_endpoints,
    make_ingress,
    make_node,
    make_pod,
    make_service,
)


def table(kind: str, objects: list[dict], now: float = 0, **options) -> str:
    wide = options.pop("wide", False)
    return render(build_table(kind, objects, RowContext(now, wide), **options))


def test_pods_table_as_in_the_readiness_exercise() -> None:
    pods = [
        make_pod("kubia-m7xnj", {"app": "kubia"}, ready=False, created=0),
        make_pod("kubia-wpk4k", {"app": "kubia"}, ready=True, created=34),
    ]
    assert table("Pod", pods, now=80, show_labels=True) == (
        "NAME          READY   STATUS    RESTARTS   AGE   LABELS\n"
        "kubia-m7xnj   0/1     Running   0          80s   app=kubia\n"
        "kubia-wpk4k   1/1     Running   0          46s   app=kubia\n"
    )


def test_pods_wide_adds_ip_node_and_none_cells() -> None:
    pods = [make_pod("redis-ds-r59qw", ip="10.10.1.6", node="vm2", created=0)]
    assert table("Pod", pods, now=60, wide=True) == (
        "NAME             READY   STATUS    RESTARTS   AGE   IP          NODE   NOMINATED NODE"
        "   READINESS GATES\n"
        "redis-ds-r59qw   1/1     Running   0          60s   10.10.1.6   vm2    <none>        "
        "   <none>\n"
    )


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        pytest.param({"phase": "Pending"}, ("0/1", "Pending", "0"), id="pending, unscheduled"),
        pytest.param(
            {
                "phase": "Pending",
                "containerStatuses": [
                    {
                        "name": "kubia",
                        "ready": False,
                        "restartCount": 0,
                        "state": {"waiting": {"reason": "ContainerCreating"}},
                    }
                ],
            },
            ("0/1", "ContainerCreating", "0"),
            id="waiting reason",
        ),
        pytest.param(
            {
                "phase": "Running",
                "containerStatuses": [
                    {
                        "name": "kubia",
                        "ready": False,
                        "restartCount": 4,
                        "lastState": {"terminated": {"finishedAt": "2026-11-22T09:00:50Z"}},
                        "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                    }
                ],
            },
            ("0/1", "CrashLoopBackOff", "4 (70s ago)"),
            id="crash loop with restarts",
        ),
        pytest.param(
            {
                "phase": "Succeeded",
                "containerStatuses": [
                    {
                        "name": "kubia",
                        "ready": False,
                        "restartCount": 0,
                        "state": {"terminated": {"reason": "Completed", "exitCode": 0}},
                    }
                ],
            },
            ("0/1", "Completed", "0"),
            id="completed",
        ),
    ],
)
def test_pod_status_cells(status: dict, expected: tuple) -> None:
    pod = make_pod("p")
    pod["status"] = status
    assert pod_status_cells(pod, now=120) == expected


def test_terminating_pod() -> None:
    pod = make_pod("p")
    pod["metadata"]["deletionTimestamp"] = "2026-11-22T09:00:00Z"
    assert pod_status_cells(pod, now=0)[1] == "Terminating"


def test_services_table_covers_every_type() -> None:
    services = [
        make_service(
            "kubernetes",
            None,
            [{"port": 443, "protocol": "TCP"}],
            cluster_ip="10.96.0.1",
            created=-18 * 86400,
        ),
        make_service(
            "kubia",
            {"app": "kubia"},
            [{"port": 80, "protocol": "TCP"}, {"port": 90, "protocol": "TCP"}],
        ),
        make_service("kubia-headless", {"app": "kubia"}, cluster_ip="None"),
        make_service(
            "kubia-lb",
            {"app": "kubia"},
            [{"port": 80, "nodePort": 32179}],
            type="LoadBalancer",
            lb_ips=["35.221.253.22"],
        ),
        make_service(
            "kubia-nodeport", {"app": "kubia"}, [{"port": 80, "nodePort": 30123}], type="NodePort"
        ),
        make_service(
            "httpbin",
            None,
            [{"port": 80, "protocol": "TCP"}],
            type="ExternalName",
            external_name="httpbin.org",
        ),
    ]
    assert table("Service", services, now=531) == (
        "NAME             TYPE           CLUSTER-IP   EXTERNAL-IP     PORT(S)         AGE\n"
        "kubernetes       ClusterIP      10.96.0.1    <none>          443/TCP         18d\n"
        "kubia            ClusterIP      10.96.12.7   <none>          80/TCP,90/TCP   8m51s\n"
        "kubia-headless   ClusterIP      None         <none>          80/TCP          8m51s\n"
        "kubia-lb         LoadBalancer   10.96.12.7   35.221.253.22   80:32179/TCP    8m51s\n"
        "kubia-nodeport   NodePort       10.96.12.7   <none>          80:30123/TCP    8m51s\n"
        "httpbin          ExternalName   <none>       httpbin.org     80/TCP          8m51s\n"
    )


def test_services_wide_adds_selector() -> None:
    svc = make_service(
        "wp-svc",
        {"app": "wp-dep-pod"},
        [{"port": 80, "nodePort": 30088}],
        type="NodePort",
        cluster_ip="10.97.131.219",
    )
    assert (
        table("Service", [svc], now=0, wide=True).splitlines()[1].endswith("0s    app=wp-dep-pod")
    )


@pytest.mark.parametrize(
    ("lb_ips", "wide", "expected"),
    [
        pytest.param(None, False, "<pending>", id="no address yet"),
        pytest.param(["192.168.49.200"], False, "192.168.49.200", id="one address"),
        pytest.param(
            ["192.168.49.200", "192.168.49.201"],
            False,
            "192.168.49.20...",
            id="clipped to 16 characters",
        ),
        pytest.param(
            ["192.168.49.200", "192.168.49.201"],
            True,
            "192.168.49.200,192.168.49.201",
            id="wide shows all",
        ),
    ],
)
def test_load_balancer_external_ip(lb_ips, wide, expected) -> None:
    svc = make_service("lb", {"a": "b"}, type="LoadBalancer", lb_ips=lb_ips)
    assert service_external_ip(svc, wide) == expected


@pytest.mark.parametrize(
    ("endpoints", "expected"),
    [
        pytest.param(make_endpoints("e", ["10.244.0.5"]), "10.244.0.5:8080", id="one ready"),
        pytest.param(make_endpoints("e", [], subsets=False), "<none>", id="no subsets"),
        pytest.param(make_endpoints("e", [], ["10.244.1.1"]), "", id="only not ready"),
        pytest.param(
            make_endpoints("e", ["10.0.1.23", "10.0.2.13", "10.0.2.14", "10.0.2.15"]),
            "10.0.1.23:8080,10.0.2.13:8080,10.0.2.14:8080 + 1 more...",
            id="more",
        ),
        pytest.param(
            make_endpoints("e", ["10.244.0.5", "10.244.0.6", "10.244.0.7"]),
            "10.244.0.5:8080,10.244.0.6:8080,10.244.0.7:8080",
            id="exactly three",
        ),
    ],
)
def test_endpoints_cell(endpoints: dict, expected: str) -> None:
    assert format_endpoints(endpoints) == expected


def test_ingress_table_as_documented() -> None:
    ingresses = [
        make_ingress("test-ingress", [("", "/", "web", 80)], address="localhost", created=21),
        make_ingress(
            "tls-ing",
            [("foo.bar.com", "/", "a", 80), ("bar.foo.com", "/", "b", 80)],
            tls_hosts=["foo.bar.com"],
            address="localhost",
            created=-40,
        ),
        make_ingress(
            "ngx-ing",
            [("ngx.test", "/", "ngx-svc", 80)],
            class_name="ngx-ink",
            tls_hosts=["ngx.test"],
        ),
    ]
    assert table("Ingress", ingresses, now=80) == (
        "NAME           CLASS     HOSTS                     ADDRESS     PORTS     AGE\n"
        "test-ingress   nginx     *                         localhost   80        59s\n"
        "tls-ing        nginx     foo.bar.com,bar.foo.com   localhost   80, 443   2m\n"
        "ngx-ing        ngx-ink   ngx.test                              80, 443   80s\n"
    )


def test_ingress_hosts_more_than_three() -> None:
    rules = [{"host": f"h{i}.example.com"} for i in range(5)]
    assert ingress_hosts(rules) == "h0.example.com,h1.example.com,h2.example.com + 2 more..."


def test_nodes_status_and_roles() -> None:
    nodes = [
        make_node("control-plane", roles=("control-plane",), created=-20 * 86400),
        make_node("worker-1", unschedulable=True, created=-20 * 86400),
        make_node("worker-2", ready=False, created=-20 * 86400),
    ]
    assert table("Node", nodes) == (
        "NAME            STATUS                     ROLES           AGE   VERSION\n"
        "control-plane   Ready                      control-plane   20d   v1.31.0\n"
        "worker-1        Ready,SchedulingDisabled   <none>          20d   v1.31.0\n"
        "worker-2        NotReady                   <none>          20d   v1.31.0\n"
    )


def test_all_namespaces_and_kind_prefix() -> None:
    deploy = make_deployment("wp-dep", 2, 2, created=-57 * 60, image="wordpress:5")
    deploy["metadata"]["labels"] = {"app": "wp-dep-pod"}
    deploy["spec"]["selector"] = {"matchLabels": {"app": "wp-dep-pod"}}
    deploy["spec"]["template"]["spec"]["containers"][0]["name"] = "wordpress"
    assert table(
        "Deployment", [deploy], wide=True, with_namespace=True, kind_prefix="deployment.apps"
    ) == (
        "NAMESPACE   NAME                     READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS"
        "   IMAGES        SELECTOR\n"
        "default     deployment.apps/wp-dep   2/2     2            2           57m   wordpress "
        "   wordpress:5   app=wp-dep-pod\n"
    )


def test_no_objects_no_header() -> None:
    assert build_table("Pod", [], RowContext(0)) == []


def test_unknown_kind_falls_back_to_name_and_age() -> None:
    obj = {"kind": "Lease", "metadata": {"name": "x", "creationTimestamp": "2026-11-22T09:00:00Z"}}
    assert table("Lease", [obj], now=5) == "NAME   AGE\nx      5s\n"
