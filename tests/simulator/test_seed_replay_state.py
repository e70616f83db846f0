"""Seed replay, part 1: the notes' manifests applied and queried as the notes query them.

Each test replays one session printed in the seed notes (`../shared/seeds/*.txt`,
beside the project), named in a comment as `<file> <section>`, and compares what
the simulated kubectl prints with what the notes show. Names, IPs and ages differ
between two clusters, so both sides go through `norm()`, which keeps column
headers, column order, cell shapes (`80:30123/TCP`, `IP:8080,…`, `<none>`) and
wording, and blots out the rest.

Where a note was printed by an older Kubernetes or kubectl, the test asserts the
modern behaviour (k8s-semantics.md, CONTRACT.md) and says so in a comment.
"""

from __future__ import annotations

import json
import re

import pytest

from simulator import Cluster
from simulator.scenarios import get

from .conftest import apply, run_ok
from .seed_manifests import DEMO_RC, DEMO_SERVICE_NAMED, KUBIA_RS_TWO_PORTS, KUBIA_SVC_TWO_PORTS

# -- normalising what differs between two clusters ----------------------------------------

#: The apiserver's name-generation alphabet (no vowels, no 0/1/3): `generateName`
#: suffixes and pod-template hashes are drawn from it (k8s-semantics.md section 8).
ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
_IP = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")
_HASHED = re.compile(rf"-[{ALPHABET}]{{6,10}}-[{ALPHABET}]{{5}}\b")
_SUFFIX = re.compile(rf"-[{ALPHABET}]{{5}}\b")
_AGE = re.compile(r"\b\d+[smhd](?:\d+[smhd])?\b")
_RUNS = re.compile(r"\s+")


def norm(text: str, *, ips: bool = True, names: dict[str, str] | None = None) -> list[str]:
    """The non-empty lines of `text`, comparable across clusters.

    Replaces the given `names` (longest first), IPv4 addresses with `IP` (unless
    `ips=False`), `-<hash>-<5 chars>` with `-HASH-XXXXX`, `-<5 chars>` with `-XXXXX`,
    ages such as `71s` or `3m11s` with `AGE`, and collapses every run of blanks to
    one space, so tabwriter padding does not matter but column order does.
    """
    for old, new in sorted((names or {}).items(), key=lambda kv: -len(kv[0])):
        text = text.replace(old, new)
    if ips:
        text = _IP.sub("IP", text)
    text = _HASHED.sub("-HASH-XXXXX", text)
    text = _SUFFIX.sub("-XXXXX", text)
    text = _AGE.sub("AGE", text)
    return [_RUNS.sub(" ", line).strip() for line in text.splitlines() if line.strip()]


def any_node_port(lines: list[str]) -> list[str]:
    """`lines` with every `PORT:NODEPORT/` blotted out, for NodePorts picked at random."""
    return [re.sub(r":3[0-2]\d{3}/", ":NODEPORT/", line) for line in lines]


def cells(table: str) -> list[dict[str, str]]:
    """The rows of a kubectl table as `{header: cell}`, read by the header's column offsets.

    kubectl's tabwriter left-aligns every column, so a cell starts where its header
    starts; empty cells (an ENDPOINTS with only not-ready addresses) stay empty.
    """
    header, *rows = table.splitlines()
    spans = [(m.start(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", header)]
    out = []
    for row in rows:
        if not row.strip():
            continue
        out.append(
            {
                name: row[start : spans[i + 1][0] if i + 1 < len(spans) else None].strip()
                for i, (start, name) in enumerate(spans)
            }
        )
    return out


def test_norm_keeps_structure_and_blots_out_names_ips_and_ages():
    assert norm(
        "NAME          READY   AGE   IP\n"
        "kubia-wpk4k   0/1     3m11s   10.0.0.8\n"
        "ngx-dep-6796688696-dp222   1/1   9h   10.10.1.4\n"
    ) == [
        "NAME READY AGE IP",
        "kubia-XXXXX 0/1 AGE IP",
        "ngx-dep-HASH-XXXXX 1/1 AGE IP",
    ]
    assert norm("redis-ds   kubia-loadbalancer   ingress-nginx") == [
        "redis-ds kubia-loadbalancer ingress-nginx"
    ]


def test_cells_keeps_empty_cells_in_place():
    table = "NAME    ENDPOINTS   AGE\nkubia               5s\nother   1.2.3.4:80   6s\n"
    assert cells(table) == [
        {"NAME": "kubia", "ENDPOINTS": "", "AGE": "5s"},
        {"NAME": "other", "ENDPOINTS": "1.2.3.4:80", "AGE": "6s"},
    ]


# -- helpers --------------------------------------------------------------------------------


def pod_names(cluster: Cluster, selector: str = "", namespace: str = "default") -> list[str]:
    flags = f" -l '{selector}'" if selector else ""
    out = run_ok(cluster, f"kubectl get pods -n {namespace} -o name{flags}")
    return sorted(line.removeprefix("pod/") for line in out.split())


def pod_json(cluster: Cluster, name: str, namespace: str = "default") -> dict:
    return json.loads(run_ok(cluster, f"kubectl get pod {name} -n {namespace} -o json"))


def cluster_ip(cluster: Cluster, service: str, namespace: str = "default") -> str:
    obj = json.loads(run_ok(cluster, f"kubectl get svc {service} -n {namespace} -o json"))
    return obj["spec"]["clusterIP"]


def env_lines(cluster: Cluster, pod: str) -> list[str]:
    return run_ok(cluster, f"kubectl exec {pod} -- env").splitlines()


def is_subsequence(needles: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(line == hay for hay in it) for line in needles)


# -- the manifests, as the notes write them ---------------------------------------------------

# 000_bc576c977301e23e.txt §5.1.1 通过 YAML 描述文件创建服务
DEMO_SERVICE = """
apiVersion: v1
kind: Service
metadata:
  name: demo-service
spec:
  selector:
    app: k8s-node-demo-replication-controller-label
  ports:
  - port: 80
    targetPort: 8080
"""


def demo_cluster(service: str = DEMO_SERVICE) -> Cluster:
    """Service first, then the RC, as a real cluster needs for the env vars (seed 000)."""
    cluster = Cluster(seed=0)
    assert run_ok(cluster, "kubectl create -f -", service) == "service/demo-service created\n"
    apply(cluster, DEMO_RC)
    return cluster


def kubia_two_ports() -> Cluster:
    cluster = Cluster(seed=0)
    # 003 介绍服务: the note prints "service/kuia created", a typo for the name in the YAML.
    assert run_ok(cluster, "kubectl create -f -", KUBIA_SVC_TWO_PORTS) == "service/kubia created\n"
    assert (
        run_ok(cluster, "kubectl create -f -", KUBIA_RS_TWO_PORTS)
        == "replicaset.apps/kubia created\n"
    )
    return cluster


# == 000_bc576c977301e23e.txt: Kubernetes in Action, chapter 5 ================================

# 000 §5.1.1 通过 YAML 描述文件创建服务: `kubectl get svc`
SEED_000_GET_SVC = """\
NAME            TYPE           CLUSTER-IP      EXTERNAL-IP   PORT(S)          AGE
demo-service    ClusterIP      10.98.191.226   <none>        80/TCP           71s
kubernetes      ClusterIP      10.96.0.1       <none>        443/TCP          18d
"""


def test_000_create_demo_service_and_get_svc():
    cluster = Cluster(seed=0)
    assert run_ok(cluster, "kubectl create -f -", DEMO_SERVICE) == "service/demo-service created\n"
    out = run_ok(cluster, "kubectl get svc")
    assert norm(out) == norm(SEED_000_GET_SVC)
    assert cells(out)[1]["CLUSTER-IP"] == "10.96.0.1"  # the first address of 10.96.0.0/12


def test_000_the_rc_names_its_pods_like_the_notes():
    # 000 §5.1.1 在运行的容器中远程执行命令: pods such as
    # k8s-node-demo-replication-controller-42nkj / -zjv22 / -2fb2d.
    cluster = demo_cluster()
    names = pod_names(cluster)
    assert len(names) == 3
    assert {n for line in names for n in norm(line)} == {
        "k8s-node-demo-replication-controller-XXXXX"
    }


# 000 §5.2.1 介绍服务 endpoint: `kubectl get endpoints demo-service` of the two-port service
SEED_000_GET_ENDPOINTS = """\
NAME           ENDPOINTS                                                     AGE
demo-service   172.17.0.4:8443,172.17.0.5:8443,172.17.0.7:8443 + 3 more...   45h
"""


def test_000_named_ports_give_six_endpoints_shown_as_three_plus_more():
    cluster = demo_cluster(DEMO_SERVICE_NAMED)
    result = cluster.run("kubectl get endpoints demo-service")
    assert result.exit_code == 0
    # Since v1.33 kubectl warns that v1 Endpoints is deprecated (k8s-semantics.md 4.2).
    assert result.stderr == (
        "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"
    )
    # Which port kubectl lists first follows the subset's port order; blot the port out.
    ports = re.compile(r":(8080|8443)\b")
    assert norm(ports.sub(":PORT", result.stdout)) == norm(
        ports.sub(":PORT", SEED_000_GET_ENDPOINTS)
    )
    endpoints = json.loads(run_ok(cluster, "kubectl get endpoints demo-service -o json"))
    ips = {pod_json(cluster, name)["status"]["podIP"] for name in pod_names(cluster)}
    listed = {
        (a["ip"], p["name"], p["port"])
        for subset in endpoints["subsets"]
        for a in subset["addresses"]
        for p in subset["ports"]
    }
    assert listed == {(ip, n, port) for ip in ips for n, port in (("http", 8080), ("https", 8443))}


# 000 §5.1.2 通过环境变量发现服务: `env` in a pod
SEED_000_ENV = """\
HOSTNAME=k8s-node-demo-replication-controller-2fb2d
DEMO_SERVICE_SERVICE_HOST=10.105.106.251
KUBERNETES_SERVICE_HOST=10.96.0.1
"""


def test_000_env_names_the_service_in_upper_case_with_underscores():
    cluster = demo_cluster()
    pod = pod_names(cluster)[0]
    lines = env_lines(cluster, pod)
    assert set(norm(SEED_000_ENV)) <= set(norm("\n".join(lines)))
    assert f"HOSTNAME={pod}" in lines
    assert f"DEMO_SERVICE_SERVICE_HOST={cluster_ip(cluster, 'demo-service')}" in lines
    assert "DEMO_SERVICE_SERVICE_PORT=80" in lines
    assert "KUBERNETES_SERVICE_HOST=10.96.0.1" in lines


def test_000_a_service_created_after_the_pod_is_not_in_its_env():
    # 000 §5.1.2 claims that new Services are injected into running pods. They are
    # not: the kubelet computes the variables when it starts the container, so a
    # Service must exist before its clients (k8s-semantics.md 1.2); DNS has no such order.
    cluster = Cluster(seed=0)
    apply(cluster, DEMO_RC)
    apply(cluster, DEMO_SERVICE)
    before = pod_names(cluster)
    pod = before[0]
    assert not [line for line in env_lines(cluster, pod) if line.startswith("DEMO_SERVICE_")]
    assert "KUBERNETES_SERVICE_HOST=10.96.0.1" in env_lines(cluster, pod)
    # The replacement pod starts after the Service, so it sees it.
    run_ok(cluster, f"kubectl delete pod {pod}")
    (fresh,) = set(pod_names(cluster)) - set(before)
    run_ok(cluster, "sleep 2")  # Pending, ContainerCreating, then its container runs
    assert "DEMO_SERVICE_SERVICE_PORT=80" in env_lines(cluster, fresh)


# 000 §5.1.2 通过 FQDN 连接服务: `cat /etc/resolv.conf`
SEED_000_RESOLV_CONF = """\
nameserver 10.96.0.10
search default.svc.cluster.local svc.cluster.local cluster.local
options ndots:5
"""


def test_000_resolv_conf_points_at_cluster_dns():
    cluster = demo_cluster()
    out = run_ok(cluster, f"kubectl exec {pod_names(cluster)[0]} -- cat /etc/resolv.conf")
    # Same three lines; containerd writes `search` first, Docker (the notes) `nameserver`
    # first (k8s-semantics.md 2.2).
    assert sorted(out.splitlines()) == sorted(SEED_000_RESOLV_CONF.splitlines())
    assert out.splitlines()[0].startswith("search ")


# 000 §5.2.2 手动配置服务的 endpoint
DEMO_EXTERNAL_SERVICE = """
apiVersion: v1
kind: Service
metadata:
  name: demo-external-service
spec:
  ports:
    - port: 80
"""

DEMO_EXTERNAL_ENDPOINTS = """
apiVersion: v1
kind: Endpoints
metadata:
  name: demo-external-service
subsets:
  - addresses:
    - ip: 11.11.11.11
    - ip: 22.22.22.22
    ports:
    - port: 80
"""

SEED_000_EXTERNAL_GET_SERVICE = """\
NAME                    TYPE           CLUSTER-IP       EXTERNAL-IP   PORT(S)          AGE
demo-external-service   ClusterIP      10.99.144.37     <none>        80/TCP           2m24s
"""

SEED_000_EXTERNAL_GET_ENDPOINTS = """\
NAME                    ENDPOINTS                                                     AGE
demo-external-service   11.11.11.11:80,22.22.22.22:80                                 26s
"""


def test_000_manual_endpoints_for_a_service_without_selector():
    cluster = Cluster(seed=0)
    assert (
        run_ok(cluster, "kubectl create -f -", DEMO_EXTERNAL_SERVICE)
        == "service/demo-external-service created\n"
    )
    # No selector: Kubernetes makes no Endpoints of its own.
    assert cluster.run("kubectl get endpoints demo-external-service").stderr.endswith(
        'Error from server (NotFound): endpoints "demo-external-service" not found\n'
    )
    # The note prints "endpoints/external-service created": its Endpoints YAML names
    # the object like the Service, as it must, so the name here is the Service's.
    assert (
        run_ok(cluster, "kubectl create -f -", DEMO_EXTERNAL_ENDPOINTS)
        == "endpoints/demo-external-service created\n"
    )
    out = run_ok(cluster, "kubectl get service demo-external-service")
    assert norm(out) == norm(SEED_000_EXTERNAL_GET_SERVICE)
    out = run_ok(cluster, "kubectl get endpoints demo-external-service")
    assert norm(out, ips=False) == norm(SEED_000_EXTERNAL_GET_ENDPOINTS, ips=False)


# 000 §5.2.3 为外部服务创建别名
DEMO_EXTERNAL_NAME = """
apiVersion: v1
kind: Service
metadata:
  name: demo-external-name-type-service
spec:
  type: ExternalName
  externalName: www.baidu.com
  ports:
    - port: 80
"""


def test_000_external_name_service_has_no_cluster_ip_and_no_endpoints():
    cluster = Cluster(seed=0)
    apply(cluster, DEMO_EXTERNAL_NAME)
    out = run_ok(cluster, "kubectl get svc demo-external-name-type-service")
    assert norm(out) == [
        "NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE",
        "demo-external-name-type-service ExternalName <none> www.baidu.com 80/TCP AGE",
    ]
    described = norm(run_ok(cluster, "kubectl describe svc demo-external-name-type-service"))
    assert "External Name: www.baidu.com" in described
    assert "Endpoints: <none>" in described  # no EndpointSlice at all
    assert cluster.run("kubectl get endpoints demo-external-name-type-service").exit_code == 1


# 000 §5.3.1 创建 NodePort 类型的服务
DEMO_NODEPORT = """
apiVersion: v1
kind: Service
metadata:
  name: demo-service
spec:
  type: NodePort
  selector:
    app: k8s-node-demo-replication-controller-label
  ports:
  - name: http
    port: 80
    targetPort: http
    nodePort: 30080
  - name: https
    port: 443
    targetPort: https
    nodePort: 30443
"""

SEED_000_NODEPORT_GET_SVC = """\
NAME                              TYPE           CLUSTER-IP       EXTERNAL-IP   PORT(S)                      AGE
demo-service                      NodePort       10.100.229.104   <none>        80:30080/TCP,443:30443/TCP   20s
"""  # noqa: E501

# kubectl get node -o wide (minikube v1.19 in the note)
SEED_000_NODE_WIDE_HEADER = (
    "NAME       STATUS   ROLES    AGE   VERSION   INTERNAL-IP    EXTERNAL-IP   OS-IMAGE"
    "               KERNEL-VERSION   CONTAINER-RUNTIME"
)


def test_000_nodeport_service_with_two_named_ports():
    cluster = Cluster(seed=0)
    assert run_ok(cluster, "kubectl create -f -", DEMO_NODEPORT) == "service/demo-service created\n"
    out = run_ok(cluster, "kubectl get svc demo-service")
    assert norm(out) == norm(SEED_000_NODEPORT_GET_SVC)
    nodes = run_ok(cluster, "kubectl get node -o wide")
    assert norm(nodes)[0] == norm(SEED_000_NODE_WIDE_HEADER)[0]
    rows = {row["NAME"]: row for row in cells(nodes)}
    assert {name: row["INTERNAL-IP"] for name, row in rows.items()} == {
        "control-plane": "192.168.49.2",
        "worker-1": "192.168.49.3",
        "worker-2": "192.168.49.4",
    }
    # kubeadm v1.24+ labels the control plane `control-plane` only; the note's minikube
    # v1.19 showed `master` (k8s-semantics.md section 8).
    assert rows["control-plane"]["ROLES"] == "control-plane"
    assert {row["STATUS"] for row in rows.values()} == {"Ready"}
    assert {row["EXTERNAL-IP"] for row in rows.values()} == {"<none>"}


# 000 §5.3.2 创建 LoadBalance 服务 (minikube: no load balancer, EXTERNAL-IP <pending>)
DEMO_LOADBALANCER = """
apiVersion: v1
kind: Service
metadata:
  name: demo-service
spec:
  type: LoadBalancer
  selector:
    app: k8s-node-demo-replication-controller-label
  ports:
  - name: http
    port: 80
    targetPort: http
  - name: https
    port: 443
    targetPort: https
"""

SEED_000_LB_GET_SVC = """\
NAME                              TYPE           CLUSTER-IP     EXTERNAL-IP   PORT(S)                      AGE
demo-service                      LoadBalancer   10.105.82.65   <pending>     80:30369/TCP,443:31417/TCP   5s
"""  # noqa: E501


def test_000_loadbalancer_gets_random_node_ports_and_an_address():
    cluster = Cluster(seed=0)
    assert (
        run_ok(cluster, "kubectl create -f -", DEMO_LOADBALANCER)
        == "service/demo-service created\n"
    )
    out = run_ok(cluster, "kubectl get svc")
    row = next(r for r in cells(out) if r["NAME"] == "demo-service")
    # The cluster has a load-balancer controller (CONTRACT.md section 3), so the
    # address the note's minikube left <pending> is filled in from the pool.
    assert row["EXTERNAL-IP"] == "192.168.49.200"
    seed_row = cells(SEED_000_LB_GET_SVC)[0]
    assert list(row) == list(seed_row)
    shape = r"80:(\d{5})/TCP,443:(\d{5})/TCP"
    assert re.fullmatch(shape, seed_row["PORT(S)"])
    ports = re.fullmatch(shape, row["PORT(S)"])
    assert ports
    assert all(30000 <= int(p) <= 32767 for p in ports.groups())
    assert any_node_port(norm(out.replace(row["EXTERNAL-IP"], "<pending>"))) == any_node_port(
        norm(SEED_000_GET_SVC.splitlines()[0] + "\n" + SEED_000_LB_GET_SVC.splitlines()[1])
    ) + ["kubernetes ClusterIP IP <none> 443/TCP AGE"]


def test_000_loadbalancer_stays_pending_when_the_pool_is_empty():
    # The note's minikube printed <pending>; here that happens once the pool
    # (192.168.49.200-250) is used up. The NodePorts are allocated all the same.
    cluster = Cluster(seed=0)
    many = "---".join(
        f"""
apiVersion: v1
kind: Service
metadata:
  name: lb-{i}
spec:
  type: LoadBalancer
  selector:
    app: none
  ports:
  - port: 80
"""
        for i in range(51)
    )
    apply(cluster, many)
    run_ok(cluster, "kubectl create -f -", DEMO_LOADBALANCER)
    out = run_ok(cluster, "kubectl get svc demo-service")
    assert any_node_port(norm(out)) == any_node_port(norm(SEED_000_LB_GET_SVC))


# 000 §5.4.1 创建 Ingress 资源 (extensions/v1beta1, as in the book)
DEMO_INGRESS_LEGACY = """
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: demo-ingress
spec:
  rules:
  - host: nodeservice.demo.com
    http:
      paths:
      - path: /
        backend:
          serviceName: demo-service
          servicePort: 80
"""

# 000 §5.4.4 配置 Ingress 处理 TLS 传输
DEMO_INGRESS_LEGACY_TLS = """
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: demo-ingress
spec:
  tls:
  - hosts:
    - nodeservice.demo.com
    secretName: demo-tls-secret
  rules:
  - host: nodeservice.demo.com
    http:
      paths:
      - path: /
        backend:
          serviceName: demo-service
          servicePort: 80
"""

SEED_000_GET_INGRESS = """\
NAME           CLASS    HOSTS                  ADDRESS        PORTS   AGE
demo-ingress   <none>   nodeservice.demo.com   192.168.64.2   80      5m19s
"""

LEGACY_WARNING = (
    "Warning: extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; "
    "use networking.k8s.io/v1 Ingress\n"
)


def test_000_legacy_ingress_is_converted_and_listed():
    cluster = demo_cluster()
    result = cluster.run("kubectl create -f -", stdin=DEMO_INGRESS_LEGACY)
    assert result.exit_code == 0
    # Accepted with the apiserver's deprecation warning and stored as networking.k8s.io/v1
    # (CONTRACT.md section 7), so the success line names the v1 group.
    assert result.stdout == "ingress.networking.k8s.io/demo-ingress created\n"
    assert result.stderr == LEGACY_WARNING
    out = run_ok(cluster, "kubectl get ingress")
    # CLASS: the note's cluster had no default IngressClass; here `nginx` is the default
    # class, so admission fills in ingressClassName (k8s-semantics.md 7.3).
    assert norm(out) == [line.replace("<none>", "nginx") for line in norm(SEED_000_GET_INGRESS)]
    assert cells(out)[0]["ADDRESS"] == "192.168.49.100"
    stored = json.loads(run_ok(cluster, "kubectl get ingress demo-ingress -o json"))
    assert stored["apiVersion"] == "networking.k8s.io/v1"
    assert stored["spec"]["rules"][0]["http"]["paths"][0] == {
        "path": "/",
        "pathType": "ImplementationSpecific",
        "backend": {"service": {"name": "demo-service", "port": {"number": 80}}},
    }


def test_000_apply_adds_tls_to_the_ingress():
    cluster = demo_cluster()
    run_ok(cluster, "kubectl create -f -", DEMO_INGRESS_LEGACY)
    result = cluster.run("kubectl apply -f -", stdin=DEMO_INGRESS_LEGACY_TLS)
    assert result.exit_code == 0
    # The note: "ingress.extensions/demo-ingress configured" (the removed group).
    assert result.stdout == "ingress.networking.k8s.io/demo-ingress configured\n"
    # Created without `kubectl apply`, so kubectl patches the missing annotation in.
    assert (
        "Warning: resource ingresses/demo-ingress is missing the "
        "kubectl.kubernetes.io/last-applied-configuration annotation" in result.stderr
    )
    row = cells(run_ok(cluster, "kubectl get ingress"))[0]
    assert row["PORTS"] == "80, 443"
    described = norm(run_ok(cluster, "kubectl describe ingress demo-ingress"), ips=False)
    assert is_subsequence(
        [
            "Name: demo-ingress",
            "Labels: <none>",
            "Namespace: default",
            "Address: 192.168.49.100",
            "Ingress Class: nginx",
            "Default backend: <default>",
            "TLS:",
            "demo-tls-secret terminates nodeservice.demo.com",
            "Rules:",
            "Host Path Backends",
            "---- ---- --------",
            "nodeservice.demo.com",
        ],
        described,
    )


# 000 §5.4.4 为 Ingress 创建 TLS 认证: `kubectl get secrets`
SEED_000_GET_SECRETS = """\
NAME                  TYPE                                  DATA   AGE
demo-tls-secret       kubernetes.io/tls                     2      4m33s
"""


def test_000_tls_secret_is_listed_with_its_type():
    cluster = Cluster(seed=0)
    tls = next(
        doc for doc in get("ingress-tls").manifest.split("---") if "kind: Secret" in doc
    ).replace("name: tls-secret", "name: demo-tls-secret")
    assert run_ok(cluster, "kubectl create -f -", tls) == "secret/demo-tls-secret created\n"
    assert norm(run_ok(cluster, "kubectl get secrets")) == norm(SEED_000_GET_SECRETS)


# 000 §5.5.2 向 pod 添加就绪探针
DEMO_READINESS_RC = """
apiVersion: v1
kind: ReplicationController
metadata:
  name: demo-readiness-probe-replication-controller
spec:
  replicas: 3
  selector:
    app: demo-readiness-probe-replication-controller-label
  template:
    metadata:
      name: demo-readiness-probe-replication-controller-pod
      labels:
        app: demo-readiness-probe-replication-controller-label
    spec:
      containers:
      - image: k8s-node-demo-image
        imagePullPolicy: Never
        name: demo-readiness-probe-replication-controller-pod-container
        ports:
        - name: http
          containerPort: 8080
        - name: https
          containerPort: 8443
        readinessProbe:
          exec:
            command:
            - ls
            - /var/ready
"""

SEED_000_READINESS_GET_POD = """\
NAME                                                READY   STATUS    RESTARTS   AGE
demo-readiness-probe-replication-controller-r5bf2   0/1     Running   0          4s
demo-readiness-probe-replication-controller-trxvl   0/1     Running   0          4s
demo-readiness-probe-replication-controller-wp6wb   0/1     Running   0          4s
"""

SEED_000_READINESS_ONE_READY = """\
NAME                                                READY   STATUS    RESTARTS   AGE
demo-readiness-probe-replication-controller-92fhs   1/1     Running   0          3m11s
"""

# `kubectl describe pod … | grep Readiness`, verbatim
SEED_000_READINESS_LINE = (
    "    Readiness:      exec [ls /var/ready] delay=0s timeout=1s period=10s #success=1 #failure=3"
)


def test_000_readiness_probe_pods_start_not_ready_until_the_file_exists():
    cluster = Cluster(seed=0)
    assert (
        run_ok(cluster, "kubectl create -f -", DEMO_READINESS_RC)
        == "replicationcontroller/demo-readiness-probe-replication-controller created\n"
    )
    run_ok(cluster, "sleep 4")
    assert norm(run_ok(cluster, "kubectl get pod")) == norm(SEED_000_READINESS_GET_POD)
    pod = pod_names(cluster)[0]
    assert run_ok(cluster, f"kubectl exec {pod} -- touch /var/ready") == ""
    run_ok(cluster, "sleep 10")  # the next probe, periodSeconds 10
    assert norm(run_ok(cluster, f"kubectl get pod {pod}")) == norm(SEED_000_READINESS_ONE_READY)
    described = run_ok(cluster, f"kubectl describe pod {pod}").splitlines()
    assert [line for line in described if "Readiness:" in line] == [SEED_000_READINESS_LINE]
    others = cells(run_ok(cluster, "kubectl get pod"))
    assert sorted(row["READY"] for row in others) == ["0/1", "0/1", "1/1"]


# == 001_8f6b489a2f174aba.txt: a blog series ================================================

# 001 定义一个Service: the Service as a JSON REST object
MY_BLOG_JSON = """{
    "kind": "Service",
    "apiVersion": "v1",
    "metadata": {
        "name": "my-blog"
    },
    "spec": {
        "selector": {
            "app": "my-blog"
        },
        "ports": [
            {
                "protocol": "TCP",
                "port": 8080,
                "targetPort": 80
            }
        ]
    }
}"""

# 001 kube-proxy: the same Service as YAML with `type: NodePort`
MY_BLOG_NODEPORT = """
apiVersion: v1
kind: Service
metadata:
  # Service 实例名称
  name: my-blog
spec:
  ports:
    - protocol: TCP
      # Service 端口地址
      port: 8080
      # Pod 端口地址
      targetPort: 80
  selector:
    # 匹配符合标签条件的 Pod
    app: my-blog
  type: NodePort
"""


def test_001_service_as_json():
    cluster = Cluster(seed=0)
    assert run_ok(cluster, "kubectl create -f -", MY_BLOG_JSON) == "service/my-blog created\n"
    svc = json.loads(run_ok(cluster, "kubectl get svc my-blog -o json"))
    assert svc["spec"]["ports"] == [{"protocol": "TCP", "port": 8080, "targetPort": 80}]
    assert svc["spec"]["type"] == "ClusterIP"
    assert svc["spec"]["sessionAffinity"] == "None"
    assert norm(run_ok(cluster, "kubectl get svc my-blog")) == [
        "NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE",
        "my-blog ClusterIP IP <none> 8080/TCP AGE",
    ]


def test_001_nodeport_gets_a_port_from_the_default_range():
    cluster = Cluster(seed=0)
    assert run_ok(cluster, "kubectl create -f -", MY_BLOG_NODEPORT) == "service/my-blog created\n"
    row = cells(run_ok(cluster, "kubectl get svc my-blog"))[0]
    assert row["TYPE"] == "NodePort"
    port = re.fullmatch(r"8080:(\d+)/TCP", row["PORT(S)"])
    assert port
    assert 30000 <= int(port[1]) <= 32767


# 001 Ingress: the Ingress in namespace test
MY_BLOG_INGRESS = """
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: my-blog
  namespace: test
  annotations:
    nginx.ingress.kubernetes.io/ssl-redirect: "false"
spec:
  rules:
  - host: blog.holdno.com
    http:
      paths:
      - path: /
        backend:
          serviceName: my-blog
          servicePort: 8080
"""

SEED_001_GET_INGRESS = """\
NAME      HOSTS             ADDRESS   PORTS   AGE
my-blog   blog.holdno.com             80      10s
"""


def test_001_ingress_in_its_own_namespace():
    cluster = Cluster(seed=0)
    assert run_ok(cluster, "kubectl create namespace test") == "namespace/test created\n"
    run_ok(cluster, "kubectl create -n test -f -", MY_BLOG_JSON)
    result = cluster.run("kubectl create -f -", stdin=MY_BLOG_INGRESS)
    assert result.exit_code == 0
    assert result.stdout == "ingress.networking.k8s.io/my-blog created\n"
    out = run_ok(cluster, "kubectl get ingress -n test")
    seed = cells(SEED_001_GET_INGRESS)[0]
    row = cells(out)[0]
    # kubectl v1.19+ added the CLASS column; the note's ADDRESS was still empty.
    assert list(row) == ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"]
    assert [k for k in row if k != "CLASS"] == list(seed)
    assert (row["NAME"], row["HOSTS"], row["PORTS"]) == (seed["NAME"], seed["HOSTS"], "80")
    assert row["ADDRESS"] == "192.168.49.100"
    # Ingresses, like Secrets, are namespaced: nothing in default.
    empty = cluster.run("kubectl get ingress")
    assert (empty.exit_code, empty.stdout) == (0, "")
    assert empty.stderr == "No resources found in default namespace.\n"


# == 002_3001ca48e7d7dd4c.txt: a kubeadm cluster ==============================================

SEED_002_GET_NODES = """\
NAME   STATUS   ROLES                  AGE    VERSION
vm1    Ready    control-plane,master   69m    v1.23.9
vm2    Ready    <none>                 100s   v1.23.9
"""


def test_002_get_nodes_header_and_roles():
    cluster = Cluster(seed=0)
    out = run_ok(cluster, "kubectl get nodes")
    assert norm(out)[0] == norm(SEED_002_GET_NODES)[0]
    rows = cells(out)
    assert [r["NAME"] for r in rows] == ["control-plane", "worker-1", "worker-2"]
    # v1.24+ kubeadm no longer adds the `master` role label (note: control-plane,master).
    assert [r["ROLES"] for r in rows] == ["control-plane", "<none>", "<none>"]
    assert all(re.fullmatch(r"v1\.\d+\.\d+", r["VERSION"]) for r in rows)


# 002 安装 Worker 节点: `kubectl run ngx --image=nginx:alpine` then `kubectl get pod -o wide`
SEED_002_RUN_NGX_WIDE = """\
NAME   READY   STATUS    RESTARTS   AGE   IP          NODE   NOMINATED NODE   READINESS GATES
ngx    1/1     Running   0          26s   10.10.1.2   vm2    <none>           <none>
"""


def test_002_run_a_pod_and_get_it_wide():
    cluster = Cluster(seed=0)
    assert run_ok(cluster, "kubectl run ngx --image=nginx:alpine") == "pod/ngx created\n"
    out = run_ok(cluster, "kubectl get pod -o wide")
    assert norm(out, names={"worker-1": "vm2", "worker-2": "vm2"}) == norm(SEED_002_RUN_NGX_WIDE)
    assert cells(out)[0]["IP"].startswith("10.244.")
    labels = pod_json(cluster, "ngx")["metadata"]["labels"]
    assert labels == {"run": "ngx"}


# 002 Deployment: deploy.yml is ngx-dep with two replicas (the ngx-dep scenario's Deployment)
NGX_DEP = next(doc for doc in get("ngx-dep").manifest.split("---") if "kind: Deployment" in doc)

SEED_002_GET_DEPLOY = """\
NAME      READY   UP-TO-DATE   AVAILABLE   AGE
ngx-dep   2/2     2            2           26s
"""

SEED_002_GET_POD = """\
NAME                      READY   STATUS    RESTARTS   AGE
ngx-dep-bfbb5f64b-6ng7b   1/1     Running   0          5s
ngx-dep-bfbb5f64b-cgcht   1/1     Running   0          5s
"""


def test_002_deployment_status_and_pod_names():
    cluster = Cluster(seed=0)
    assert run_ok(cluster, "kubectl apply -f -", NGX_DEP) == "deployment.apps/ngx-dep created\n"
    assert norm(run_ok(cluster, "kubectl get deploy")) == norm(SEED_002_GET_DEPLOY)
    assert norm(run_ok(cluster, "kubectl get pod")) == norm(SEED_002_GET_POD)
    rs = json.loads(run_ok(cluster, "kubectl get rs -o json"))["items"]
    assert len(rs) == 1
    hash_ = rs[0]["metadata"]["labels"]["pod-template-hash"]
    assert rs[0]["metadata"]["name"] == f"ngx-dep-{hash_}"
    assert all(name.startswith(f"ngx-dep-{hash_}-") for name in pod_names(cluster))


def test_002_a_deleted_pod_is_replaced_with_a_new_name():
    cluster = Cluster(seed=0)
    apply(cluster, NGX_DEP)
    before = pod_names(cluster)
    assert (
        run_ok(cluster, f"kubectl delete pod {before[0]}")
        == f'pod "{before[0]}" deleted from default namespace\n'
    )
    after = pod_names(cluster)
    assert len(after) == 2
    assert before[0] not in after
    assert before[1] in after
    # The note's `kubectl delete ngx-dep-…` forgets the type: kubectl reads it as one.
    result = cluster.run(f"kubectl delete {after[0]}")
    assert result.exit_code == 1
    assert result.stderr == f'error: the server doesn\'t have a resource type "{after[0]}"\n'


def test_002_scale_and_label_queries():
    cluster = Cluster(seed=0)
    apply(cluster, NGX_DEP)
    assert (
        run_ok(cluster, "kubectl scale --replicas=5 deploy ngx-dep")
        == "deployment.apps/ngx-dep scaled\n"
    )
    assert norm(run_ok(cluster, "kubectl get deploy")) == [
        "NAME READY UP-TO-DATE AVAILABLE AGE",
        "ngx-dep 5/5 5 5 AGE",
    ]
    names = pod_names(cluster)
    assert len(names) == 5
    # 没有搜索结果
    none = cluster.run("kubectl get pod -l app=nginx")
    assert (none.exit_code, none.stdout) == (0, "")
    assert none.stderr == "No resources found in default namespace.\n"
    # 搜索出 ngx-dep
    found = run_ok(cluster, "kubectl get pod -l 'app in (ngx, nginx, ngx-dep)'")
    assert [row["NAME"] for row in cells(found)] == names
    assert pod_names(cluster, "app notin (ngx, nginx)") == names
    assert pod_names(cluster, "app notin (ngx-dep)") == []
    assert pod_names(cluster, "app!=ngx-dep") == []
    assert pod_names(cluster, "app==ngx-dep") == names
    assert pod_names(cluster, "!app") == []
    assert (
        run_ok(cluster, "kubectl scale --replicas=2 deployment/ngx-dep")
        == "deployment.apps/ngx-dep scaled\n"
    )
    assert len(pod_names(cluster)) == 2


# 002 Daemonset: redis-ds.yml from the Kubernetes docs
REDIS_DS = next(
    doc for doc in get("daemonset-taints").manifest.split("---") if "name: redis-ds\n" in doc
)

SEED_002_GET_DS = """\
NAME       DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
redis-ds   1         1         1       1            1           <none>          1m1s
"""

SEED_002_GET_DS_UNTAINTED = """\
NAME       DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
redis-ds   2         2         2       2            2           <none>          23m
"""


def ds_nodes(cluster: Cluster, selector: str) -> list[str]:
    out = run_ok(cluster, f"kubectl get pod -o wide -l {selector}")
    return sorted(row["NODE"] for row in cells(out))


def test_002_daemonset_skips_the_tainted_control_plane():
    cluster = Cluster(seed=0)
    assert run_ok(cluster, "kubectl apply -f -", REDIS_DS) == "daemonset.apps/redis-ds created\n"
    out = run_ok(cluster, "kubectl get ds")
    # The note's cluster had one worker (1 pod); this one has two.
    assert norm(out.replace(" 2 ", " 1 ")) == norm(SEED_002_GET_DS)
    assert norm(out) == norm(SEED_002_GET_DS_UNTAINTED)
    assert ds_nodes(cluster, "name=redis-ds") == ["worker-1", "worker-2"]
    assert [n for name in pod_names(cluster) for n in norm(name)] == ["redis-ds-XXXXX"] * 2


# 002 污点 taint 和 容忍度 toleration: `kubectl describe node vm1 / vm2`
SEED_002_DESCRIBE_MASTER = """\
Name:               vm1
Roles:              control-plane,master
Taints:             node-role.kubernetes.io/master:NoSchedule
"""

SEED_002_DESCRIBE_WORKER = """\
Name:               vm2
Roles:              <none>
Taints:             <none>
"""


def test_002_describe_node_shows_roles_and_taints():
    cluster = Cluster(seed=0)
    master = norm(run_ok(cluster, "kubectl describe node control-plane"))
    worker = norm(run_ok(cluster, "kubectl describe node worker-1"))
    # v1.24+ kubeadm: role and taint are `control-plane`; the note's v1.23 said `master`
    # (and `control-plane,master` for the roles).
    expected = norm(SEED_002_DESCRIBE_MASTER, names={"vm1": "control-plane"})
    expected = [
        line.replace("control-plane,master", "control-plane").replace("/master:", "/control-plane:")
        for line in expected
    ]
    assert expected == [
        "Name: control-plane",
        "Roles: control-plane",
        "Taints: node-role.kubernetes.io/control-plane:NoSchedule",
    ]
    assert is_subsequence(expected, master)
    assert is_subsequence(norm(SEED_002_DESCRIBE_WORKER, names={"vm2": "worker-1"}), worker)


def test_002_removing_the_taint_lets_the_daemonset_onto_the_control_plane():
    cluster = Cluster(seed=0)
    apply(cluster, REDIS_DS)
    # The note removes `node-role.kubernetes.io/master`, which v1.24+ nodes do not carry.
    wrong = cluster.run(
        "kubectl taint node control-plane node-role.kubernetes.io/master:NoSchedule-"
    )
    assert wrong.exit_code == 1
    assert wrong.stderr == 'error: taint "node-role.kubernetes.io/master:NoSchedule" not found\n'
    taint = "node-role.kubernetes.io/control-plane:NoSchedule"
    assert (
        run_ok(cluster, f"kubectl taint node control-plane {taint}-")
        == "node/control-plane untainted\n"
    )
    assert norm(run_ok(cluster, "kubectl get ds")) == norm(
        SEED_002_GET_DS_UNTAINTED.replace(" 2 ", " 3 ")
    )
    assert ds_nodes(cluster, "name=redis-ds") == ["control-plane", "worker-1", "worker-2"]
    assert "Taints: <none>" in norm(run_ok(cluster, "kubectl describe node control-plane"))
    # 还原 master 节点的 taint: the DaemonSet no longer wants a pod there.
    assert (
        run_ok(cluster, f"kubectl taint node control-plane {taint}")
        == "node/control-plane tainted\n"
    )
    assert norm(run_ok(cluster, "kubectl get ds")) == norm(SEED_002_GET_DS_UNTAINTED)


@pytest.mark.parametrize(
    ("keys", "nodes"),
    [
        pytest.param(
            ["node-role.kubernetes.io/master"],
            ["worker-1", "worker-2"],
            id="the note's master toleration no longer matches (v1.24+)",
        ),
        pytest.param(
            ["node-role.kubernetes.io/control-plane"],
            ["control-plane", "worker-1", "worker-2"],
            id="control-plane toleration",
        ),
    ],
)
def test_002_tolerations_put_the_daemonset_on_the_control_plane(keys, nodes):
    tolerations = "".join(
        f"      - key: {key}\n        effect: NoSchedule\n        operator: Exists\n"
        for key in keys
    )
    manifest = REDIS_DS.replace("    spec:\n", "    spec:\n      tolerations:\n" + tolerations, 1)
    cluster = Cluster(seed=0)
    apply(cluster, manifest)
    assert ds_nodes(cluster, "name=redis-ds") == nodes


# 002 Service: ConfigMap, Deployment and Service of the ngx-dep scenario
SEED_002_GET_SVC = """\
NAME         TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)    AGE
ngx-svc      ClusterIP   10.97.78.160   <none>        8080/TCP   24s
"""

# The note's `describe svc` is already modern (IP Family Policy, IPs); "..." lines elided.
SEED_002_DESCRIBE_SVC = """\
Name:              ngx-svc
Type:              ClusterIP
IP Family Policy:  SingleStack
IP Families:       IPv4
IP:                10.100.50.229
IPs:               10.100.50.229
Port:              <unset>  8080/TCP
TargetPort:        80/TCP
Endpoints:         10.10.1.4:80,10.10.1.5:80
"""

SEED_002_GET_POD_WIDE = """\
NAME                       READY   STATUS    RESTARTS       AGE   IP          NODE   NOMINATED NODE   READINESS GATES
ngx-dep-6796688696-dp222   1/1     Running   1 (9m1s ago)   9h    10.10.1.4   vm2    <none>           <none>
ngx-dep-6796688696-wmgvb   1/1     Running   1 (9m1s ago)   9h    10.10.1.5   vm2    <none>           <none>
"""  # noqa: E501


def ngx_cluster_ip_service() -> Cluster:
    """The ngx-dep scenario before the note turns ngx-svc into a NodePort."""
    manifest = (
        get("ngx-dep")
        .manifest.replace("  type: NodePort\n", "")
        .replace("    nodePort: 30430\n", "")
    )
    cluster = Cluster(seed=0)
    apply(cluster, manifest)
    return cluster


def test_002_expose_writes_the_service_the_note_shows():
    cluster = Cluster(seed=0)
    apply(cluster, NGX_DEP)
    assert (
        run_ok(cluster, "kubectl expose deploy ngx-dep --port=8080 --target-port=80")
        == "service/ngx-dep exposed\n"
    )
    svc = json.loads(run_ok(cluster, "kubectl get svc ngx-dep -o json"))
    # The note's YAML (after renaming it ngx-svc): selector, port, protocol, targetPort.
    assert svc["spec"]["selector"] == {"app": "ngx-dep"}
    assert svc["spec"]["ports"] == [{"port": 8080, "protocol": "TCP", "targetPort": 80}]
    assert svc["spec"]["type"] == "ClusterIP"
    assert svc["status"] == {"loadBalancer": {}}


def test_002_describe_svc_lists_both_nginx_endpoints():
    cluster = ngx_cluster_ip_service()
    assert norm(run_ok(cluster, "kubectl get svc ngx-svc")) == norm(SEED_002_GET_SVC)
    described = run_ok(cluster, "kubectl describe svc ngx-svc")
    assert is_subsequence(norm(SEED_002_DESCRIBE_SVC), norm(described))
    wide = run_ok(cluster, "kubectl get pod -o wide")
    ips = sorted(row["IP"] for row in cells(wide))
    endpoints = next(line for line in described.splitlines() if line.startswith("Endpoints:"))
    assert endpoints.split()[1] == ",".join(f"{ip}:80" for ip in ips)
    # Same header; no restarts here, so RESTARTS is a plain 0 (the note: `1 (9m1s ago)`).
    assert norm(wide)[0] == norm(SEED_002_GET_POD_WIDE)[0]
    assert {tuple(norm(line)) for line in wide.splitlines()[1:]} == {
        ("ngx-dep-HASH-XXXXX 1/1 Running 0 AGE IP worker-1 <none> <none>",),
        ("ngx-dep-HASH-XXXXX 1/1 Running 0 AGE IP worker-2 <none> <none>",),
    }


# 002 对外暴露服务: ngx-svc as NodePort
SEED_002_NODEPORT = """\
NAME         TYPE        CLUSTER-IP       EXTERNAL-IP   PORT(S)          AGE
ngx-svc      NodePort    10.105.166.221   <none>        8080:30430/TCP   8m34s
"""


def test_002_nodeport_ngx_svc():
    cluster = Cluster(seed=0)
    apply(cluster, get("ngx-dep").manifest)
    assert norm(run_ok(cluster, "kubectl get svc ngx-svc")) == norm(SEED_002_NODEPORT)


# 002 Ingress / Ingress Class: 查看状态
SEED_002_GET_INGRESSCLASS = """\
NAME      CONTROLLER                     PARAMETERS   AGE
ngx-ink   nginx.org/ingress-controller   <none>       12s
"""

SEED_002_GET_ING = """\
NAME      CLASS     HOSTS      ADDRESS   PORTS       AGE
ngx-ing   ngx-ink   ngx.test             80, 443     18s
"""

SEED_002_DESCRIBE_ING = """\
Name:             ngx-ing
Labels:           <none>
Namespace:        default
Address:
Default backend:  default-http-backend:80 (<error: endpoints "default-http-backend" not found>)
Rules:
  Host        Path  Backends
  ----        ----  --------
  ngx.test
              /   ngx-svc:8080 (10.10.1.10:80,10.10.1.8:80)
Annotations:  <none>
Events:       <none>
"""


def test_002_ingress_class_and_ingress_views():
    cluster = Cluster(seed=0)
    apply(cluster, get("ngx-dep").manifest)
    classes = run_ok(cluster, "kubectl get ingressclass")
    assert norm(SEED_002_GET_INGRESSCLASS)[1] in norm(classes)
    assert norm(classes)[0] == norm(SEED_002_GET_INGRESSCLASS)[0]
    row = cells(run_ok(cluster, "kubectl get ing"))[0]
    seed = cells(SEED_002_GET_ING)[0]
    assert list(row) == list(seed)
    assert (row["NAME"], row["CLASS"], row["HOSTS"]) == (seed["NAME"], seed["CLASS"], "ngx.test")
    # The controller publishes its address; no `tls` section, so PORTS is 80 (the note
    # shows "80, 443" and an empty ADDRESS for a manifest it does not print in full).
    assert (row["ADDRESS"], row["PORTS"]) == ("192.168.49.100", "80")
    described = norm(run_ok(cluster, "kubectl describe ing ngx-ing"))
    expected = norm(SEED_002_DESCRIBE_ING)
    # Modern kubectl: `Address:` is filled, `Ingress Class:` is printed, and an unset
    # default backend reads `<default>` (k8s-semantics.md 7.4).
    expected[expected.index("Address:")] = "Address: IP"
    assert expected[4].startswith("Default backend: default-http-backend:80 (<error:")
    expected[4] = "Default backend: <default>"
    expected.insert(4, "Ingress Class: ngx-ink")
    assert described == expected


# 002 实战篇: `kubectl get svc,deploy,pod,cm -l tag=wp3 -o wide` (after WordPress)
SEED_002_WP_GET = """\
NAME                  TYPE        CLUSTER-IP       EXTERNAL-IP   PORT(S)        AGE     SELECTOR
service/mariadb-svc   ClusterIP   10.107.213.225   <none>        3306/TCP       4m22s   app=mariadb-dep-pod
service/wp-svc        NodePort    10.97.131.219    <none>        80:30088/TCP   5m49s   app=wp-dep-pod

NAME                          READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES        SELECTOR
deployment.apps/mariadb-dep   1/1     1            1           58m   mariadb      mariadb:10    app=mariadb-dep-pod
deployment.apps/wp-dep        2/2     2            2           19m   wordpress    wordpress:5   app=wp-dep-pod

NAME                               READY   STATUS    RESTARTS   AGE   IP            NODE   NOMINATED NODE   READINESS GATES
pod/mariadb-dep-795bfcff5c-2mvkr   1/1     Running   0          40m   10.244.1.18   vm2    <none>           <none>
pod/wp-dep-cbb97b757-45pnx         1/1     Running   0          19m   10.244.1.20   vm2    <none>           <none>
pod/wp-dep-cbb97b757-h8qt5         1/1     Running   0          19m   10.244.1.19   vm2    <none>           <none>

NAME                   DATA   AGE
configmap/mariadb-cm   4      58m
configmap/wp-cm        4      20m
"""  # noqa: E501

SEED_002_WP_GET_ALL_NAMESPACES = """\
NAMESPACE   NAME                               CLASS        HOSTS     ADDRESS   PORTS     AGE
default     ingress.networking.k8s.io/wp-ing   wp-ngx-ink   wp.test             80, 443   11m

NAMESPACE   NAME                                        CONTROLLER                     PARAMETERS   AGE
            ingressclass.networking.k8s.io/wp-ngx-ink   nginx.org/ingress-controller   <none>       11m

NAMESPACE   NAME                  TYPE        CLUSTER-IP       EXTERNAL-IP   PORT(S)        AGE   SELECTOR
default     service/mariadb-svc   ClusterIP   10.107.213.225   <none>        3306/TCP       42m   app=mariadb-dep-pod
default     service/wp-svc        NodePort    10.97.131.219    <none>        80:30088/TCP   43m   app=wp-dep-pod
"""  # noqa: E501


def blocks(text: str) -> list[str]:
    return [block for block in text.split("\n\n") if block.strip()]


def test_002_several_types_print_one_table_each():
    cluster = Cluster(seed=0)
    apply(cluster, get("wordpress").manifest)
    out = run_ok(cluster, "kubectl get svc,deploy,pod,cm -l tag=wp3 -o wide")
    ours, seed = blocks(out), blocks(SEED_002_WP_GET)
    assert len(ours) == len(seed) == 4
    for index in (0, 1, 3):
        assert norm(ours[index]) == norm(seed[index])
    # Pods: the note's two-node cluster ran everything on vm2; blot out the node.
    node = re.compile(r" (worker-\d|vm2) ")
    assert [node.sub(" NODE ", line) for line in norm(ours[2])] == [
        node.sub(" NODE ", line) for line in norm(seed[2])
    ]


def test_002_all_namespaces_adds_the_namespace_column_to_namespaced_types():
    cluster = Cluster(seed=0)
    apply(cluster, get("wordpress").manifest)
    out = run_ok(cluster, "kubectl get ing,ingressclass,svc -l tag=wp3 -A -o wide")
    ours, seed = blocks(out), blocks(SEED_002_WP_GET_ALL_NAMESPACES)
    assert len(ours) == 3
    assert norm(ours[0])[0] == norm(seed[0])[0]
    assert cells(ours[0])[0]["NAMESPACE"] == "default"
    # Current kubectl prints no NAMESPACE column for a cluster-scoped type (get.go sets
    # printWithNamespace=false for RESTScopeNameRoot); the note's older kubectl left it blank.
    assert norm(ours[1]) == [line.removeprefix("NAMESPACE ") for line in norm(seed[1])]
    assert norm(ours[2]) == norm(seed[2])


# == 003_24b935804ce4cf55.txt: kubia, env, DNS, Endpoints, headless ===========================

SEED_003_GET_SVC = """\
NAME         TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)         AGE
kubernetes   ClusterIP   10.66.0.1      <none>        443/TCP         31d
kubia        ClusterIP   10.66.13.240   <none>        80/TCP,90/TCP   9h
"""

# 003 通过环境变量发现服务: `kubectl exec kubia-zhg6k -- env` (Go map order: shuffled)
SEED_003_ENV = """\
KUBIA_SERVICE_HOST=10.66.13.240
KUBIA_SERVICE_PORT=80
KUBIA_PORT_80_TCP_PROTO=tcp
KUBIA_PORT_80_TCP_ADDR=10.66.13.240
KUBIA_SERVICE_PORT_HTTP_DEFAULT=80
KUBIA_PORT=tcp://10.66.13.240:80
KUBIA_PORT_90_TCP=tcp://10.66.13.240:90
KUBIA_PORT_90_TCP_PORT=90
KUBIA_SERVICE_PORT_HTTP_MUX1=90
KUBIA_PORT_80_TCP=tcp://10.66.13.240:80
KUBIA_PORT_80_TCP_PORT=80
KUBIA_PORT_90_TCP_PROTO=tcp
KUBIA_PORT_90_TCP_ADDR=10.66.13.240

KUBERNETES_SERVICE_PORT_HTTPS=443
KUBERNETES_SERVICE_HOST=10.66.0.1
KUBERNETES_PORT_443_TCP=tcp://10.66.0.1:443
KUBERNETES_PORT_443_TCP_ADDR=10.66.0.1
KUBERNETES_SERVICE_PORT=443
KUBERNETES_PORT=tcp://10.66.0.1:443
KUBERNETES_PORT_443_TCP_PROTO=tcp
KUBERNETES_PORT_443_TCP_PORT=443
"""


def test_003_two_named_ports_in_get_svc():
    cluster = kubia_two_ports()
    assert norm(run_ok(cluster, "kubectl get svc")) == norm(SEED_003_GET_SVC)


def test_003_env_has_every_variable_of_both_services():
    cluster = kubia_two_ports()
    pod = pod_names(cluster)[0]
    lines = env_lines(cluster, pod)
    service_vars = [line for line in lines if line.startswith(("KUBIA_", "KUBERNETES_"))]
    assert sorted(norm("\n".join(service_vars))) == sorted(norm(SEED_003_ENV))
    ip = cluster_ip(cluster, "kubia")
    assert f"KUBIA_PORT_90_TCP=tcp://{ip}:90" in lines
    assert "KUBERNETES_PORT=tcp://10.96.0.1:443" in lines


SEED_003_RESOLV_CONF = """\
nameserver 10.66.0.10
search default.svc.cluster.local svc.cluster.local cluster.local asia-east1-c.c.braided-turbine-271114.internal c.braided-turbine-271114.internal google.internal
options ndots:5
"""  # noqa: E501


def test_003_resolv_conf_search_list_starts_with_the_cluster_domains():
    cluster = kubia_two_ports()
    out = run_ok(cluster, f"kubectl exec {pod_names(cluster)[0]} -- cat /etc/resolv.conf")
    seed = dict(line.split(" ", 1) for line in SEED_003_RESOLV_CONF.splitlines())
    ours = dict(line.split(" ", 1) for line in out.splitlines())
    assert set(ours) == set(seed) == {"nameserver", "search", "options"}
    assert ours["nameserver"] == "10.96.0.10"  # kubeadm's DNS IP; GKE's range was 10.66.0.0
    assert ours["options"] == seed["options"]
    # GKE appends the node's own search domains after the cluster's three.
    assert seed["search"].split()[:3] == ours["search"].split()


# 003 连接集群外部的服务: `kubectl describe svc kubia` (old kubectl: blank line between
# ports, no IP Family lines, no Internal Traffic Policy)
SEED_003_DESCRIBE_SVC = """\
Name:              kubia
Namespace:         default
Labels:            <none>
Annotations:       <none>
Selector:          app=kubia
Type:              ClusterIP
IP:                10.66.13.240

Port:              http-default  80/TCP
TargetPort:        http-default/TCP
Endpoints:         10.0.1.23:8080,10.0.2.13:8080,10.0.2.14:8080

Port:              http-mux1  90/TCP
TargetPort:        http-mux1/TCP
Endpoints:         10.0.1.23:8090,10.0.2.13:8090,10.0.2.14:8090

Session Affinity:  ClientIP
Events:            <none>
"""

SEED_003_GET_ENDPOINTS = """\
NAME    ENDPOINTS                                                  AGE
kubia   10.0.1.23:8080,10.0.2.13:8080,10.0.2.14:8080 + 3 more...   2d
"""

SEED_003_DESCRIBE_ENDPOINTS = """\
Name:         kubia
Namespace:    default
Labels:       <none>
Annotations:  <none>
Subsets:
  Addresses:          10.0.1.23,10.0.2.13,10.0.2.14
  NotReadyAddresses:  <none>
  Ports:
    Name          Port  Protocol
    ----          ----  --------
    http-default  8080  TCP
    http-mux1     8090  TCP

Events:  <none>
"""


def test_003_describe_svc_kubia_is_the_modern_layout_of_the_notes_fields():
    cluster = kubia_two_ports()
    described = run_ok(cluster, "kubectl describe svc kubia")
    # Current kubectl (describe.go describeService): IP Family Policy / IP Families / IPs
    # after Type, no blank lines between ports, Internal Traffic Policy after Session
    # Affinity (k8s-semantics.md 4.3).
    expected = norm(SEED_003_DESCRIBE_SVC)
    expected[6:6] = ["IP Family Policy: SingleStack", "IP Families: IPv4"]
    expected.insert(9, "IPs: IP")
    expected.insert(-1, "Internal Traffic Policy: Cluster")
    assert norm(described) == expected
    ips = sorted(pod_json(cluster, p)["status"]["podIP"] for p in pod_names(cluster))
    lines = described.splitlines()
    assert [line.split()[1] for line in lines if line.startswith("Endpoints:")] == [
        ",".join(f"{ip}:{port}" for ip in ips) for port in (8080, 8090)
    ]


def test_003_endpoints_of_the_two_port_service():
    cluster = kubia_two_ports()
    assert norm(run_ok(cluster, "kubectl get endpoints kubia")) == norm(SEED_003_GET_ENDPOINTS)
    described = norm(run_ok(cluster, "kubectl describe endpoints kubia"))
    expected = norm(SEED_003_DESCRIBE_ENDPOINTS)
    # The endpoints controller now annotates the object with the change that triggered it.
    assert described[3].startswith(
        "Annotations: endpoints.kubernetes.io/last-change-trigger-time: "
    )
    assert described[:3] + described[4:] == expected[:3] + expected[4:]


# 003 创建一个重定向到外部地址的服务
EXTERNAL_SERVICE = get("manual-endpoints").manifest.split("---")[0]
EXTERNAL_ENDPOINTS = get("manual-endpoints").manifest.split("---")[1]


def test_003_external_service_lists_the_two_outside_addresses():
    cluster = Cluster(seed=0)
    assert (
        run_ok(cluster, "kubectl create -f -", EXTERNAL_SERVICE)
        == "service/external-service created\n"
    )
    assert (
        run_ok(cluster, "kubectl create -f -", EXTERNAL_ENDPOINTS)
        == "endpoints/external-service created\n"
    )
    assert norm(run_ok(cluster, "kubectl get endpoints external-service"), ips=False) == [
        "NAME ENDPOINTS AGE",
        "external-service 13.250.94.254:80,13.229.188.59:80 AGE",
    ]
    described = norm(run_ok(cluster, "kubectl describe svc external-service"), ips=False)
    assert "Selector: <none>" in described
    # The EndpointSlice mirroring controller copies the hand-made Endpoints.
    assert "Endpoints: 13.250.94.254:80,13.229.188.59:80" in described


# 003 创建 & 使用 NodePort 类型的服务
SEED_003_GET_NODEPORT = """\
NAME             TYPE       CLUSTER-IP   EXTERNAL-IP   PORT(S)        AGE
kubia-nodeport   NodePort   10.66.5.6    <none>        80:30123/TCP   9m39s
"""


def test_003_nodeport_service_and_node_addresses():
    cluster = Cluster(seed=0)
    assert (
        run_ok(cluster, "kubectl create -f -", get("nodeport").manifest.split("---")[0])
        == "service/kubia-nodeport created\n"
    )
    out = run_ok(cluster, "kubectl get svc kubia-nodeport")
    assert norm(out) == norm(SEED_003_GET_NODEPORT)
    # The note lists ExternalIPs of GKE nodes; these nodes only have InternalIPs.
    jsonpath = """'{.items[*].status.addresses[?(@.type=="%s")].address}'"""
    assert run_ok(cluster, "kubectl get nodes -o jsonpath=" + jsonpath % "InternalIP") == (
        "192.168.49.2 192.168.49.3 192.168.49.4"
    )
    assert run_ok(cluster, "kubectl get nodes -o jsonpath=" + jsonpath % "ExternalIP") == ""


# 003 通过负载均衡器将服务暴露出来
LOADBALANCER_CLUSTER = """
apiVersion: v1
kind: Service
metadata:
  name: kubia-loadbalancer
spec:
  type: LoadBalancer
  ports:
    - port: 80
      targetPort: 8080
  selector:
    app: kubia
"""

SEED_003_GET_LB = """\
NAME                 TYPE           CLUSTER-IP    EXTERNAL-IP     PORT(S)        AGE
kubia-loadbalancer   LoadBalancer   10.66.4.173   35.221.253.22   80:32179/TCP   47s
"""

SEED_003_DESCRIBE_LB = """\
Name:                     kubia-loadbalancer
Namespace:                default
Labels:                   <none>
Annotations:              <none>
Selector:                 app=kubia
Type:                     LoadBalancer
IP:                       10.66.4.173
LoadBalancer Ingress:     35.221.253.22
Port:                     <unset>  80/TCP
TargetPort:               8080/TCP
NodePort:                 <unset>  32179/TCP
Endpoints:                10.0.0.2:8080,10.0.0.3:8080,10.0.0.6:8080
Session Affinity:         None
External Traffic Policy:  Cluster
"""


def test_003_loadbalancer_service_views():
    cluster = Cluster(seed=0)
    assert (
        run_ok(cluster, "kubectl create -f -", LOADBALANCER_CLUSTER)
        == "service/kubia-loadbalancer created\n"
    )
    apply(cluster, get("nodeport").manifest.split("---")[1])  # the kubia RC
    out = run_ok(cluster, "kubectl get svc kubia-loadbalancer")
    assert any_node_port(norm(out)) == any_node_port(norm(SEED_003_GET_LB))
    assert re.fullmatch(r"80:3\d{4}/TCP", cells(out)[0]["PORT(S)"])
    described = norm(run_ok(cluster, "kubectl describe svc kubia-loadbalancer"))
    # Modern: IP family lines and IPs; the ingress IP carries its ipMode (v1.30+).
    expected = norm(SEED_003_DESCRIBE_LB)
    expected[6:6] = ["IP Family Policy: SingleStack", "IP Families: IPv4"]
    expected[expected.index("LoadBalancer Ingress: IP")] = "LoadBalancer Ingress: IP (VIP)"
    expected.insert(9, "IPs: IP")
    expected += ["Internal Traffic Policy: Cluster", "Events: <none>"]
    nodeport = re.compile(r"<unset> 3\d{4}/TCP")
    assert [nodeport.sub("<unset> NODEPORT/TCP", line) for line in described] == [
        nodeport.sub("<unset> NODEPORT/TCP", line) for line in expected
    ]


# 003 使用 headless 服务来发现独立的 Pod: `kubectl get service` with every kind of Service
SEED_003_GET_SERVICE_ALL = """\
NAME                            TYPE           CLUSTER-IP     EXTERNAL-IP     PORT(S)         AGE
external-service                ClusterIP      10.66.10.171   <none>          80/TCP          95d
external-service-externalname   ExternalName   <none>         httpbin.org     80/TCP          95d
kubernetes                      ClusterIP      10.66.0.1      <none>          443/TCP         128d
kubia                           ClusterIP      10.66.13.240   <none>          80/TCP,90/TCP   97d
kubia-headless                  ClusterIP      None           <none>          80/TCP          11s
kubia-loadbalancer              LoadBalancer   10.66.4.173    35.221.253.22   80:32179/TCP    12d
kubia-nodeport                  NodePort       10.66.5.6      <none>          80:30123/TCP    94d
"""

HEADLESS = """
apiVersion: v1
kind: Service
metadata:
  name: kubia-headless
spec:
  clusterIP: None
  ports:
    - port: 80
      targetPort: 8080
  selector:
    app: kubia
"""


def test_003_every_kind_of_service_in_one_table():
    cluster = Cluster(seed=0)
    for manifest in (
        KUBIA_SVC_TWO_PORTS,
        EXTERNAL_SERVICE,
        EXTERNAL_ENDPOINTS,
        get("externalname").manifest.split("---")[0],
        get("nodeport").manifest.split("---")[0],
        LOADBALANCER_CLUSTER,
    ):
        run_ok(cluster, "kubectl create -f -", manifest)
    assert run_ok(cluster, "kubectl create -f -", HEADLESS) == "service/kubia-headless created\n"
    out = run_ok(cluster, "kubectl get service")
    assert any_node_port(norm(out)) == any_node_port(norm(SEED_003_GET_SERVICE_ALL))
    assert "80:30123/TCP" in out  # the fixed nodePort is kept
    rows = {row["NAME"]: row for row in cells(out)}
    assert rows["kubia-headless"]["CLUSTER-IP"] == "None"
    assert rows["external-service-externalname"]["CLUSTER-IP"] == "<none>"


SEED_003_DESCRIBE_HEADLESS = """\
Name:              kubia-headless
Namespace:         default
Labels:            <none>
Annotations:       <none>
Selector:          app=kubia
Type:              ClusterIP
IP:                None
Port:              <unset>  80/TCP
TargetPort:        8080/TCP
Endpoints:         10.0.0.8:8080
Session Affinity:  None
Events:            <none>
"""

SEED_003_GET_RS = """\
NAME    DESIRED   CURRENT   READY   AGE
kubia   3         3         2       97d
"""


def headless_cluster(ready: int) -> tuple[Cluster, list[str]]:
    """The headless scenario (kubia RC with `ls /var/ready`) with `ready` pods made ready."""
    cluster = Cluster(seed=0)
    apply(cluster, get("headless").manifest)
    names = pod_names(cluster, "app=kubia")
    for name in names[:ready]:
        run_ok(cluster, f"kubectl exec {name} -- touch /var/ready")
    run_ok(cluster, "sleep 10")
    return cluster, names


def test_003_describe_headless_service_with_one_ready_pod():
    cluster, names = headless_cluster(ready=1)
    described = norm(run_ok(cluster, "kubectl describe service kubia-headless"))
    expected = norm(SEED_003_DESCRIBE_HEADLESS)
    expected[6:6] = ["IP Family Policy: SingleStack", "IP Families: IPv4"]
    expected.insert(9, "IPs: None")
    expected.insert(-1, "Internal Traffic Policy: Cluster")
    assert described == expected
    ip = pod_json(cluster, names[0])["status"]["podIP"]
    assert f"Endpoints: {ip}:8080" in norm(
        run_ok(cluster, "kubectl describe service kubia-headless"), ips=False
    )


def test_003_replicaset_counts_two_of_three_ready():
    cluster = Cluster(seed=0)
    apply(cluster, KUBIA_SVC_TWO_PORTS)
    probe = (
        "        readinessProbe:\n          exec:\n            command:\n"
        "            - ls\n            - /var/ready\n"
    )
    apply(cluster, KUBIA_RS_TWO_PORTS + probe)
    for name in pod_names(cluster)[:2]:
        run_ok(cluster, f"kubectl exec {name} -- touch /var/ready")
    run_ok(cluster, "sleep 10")
    assert norm(run_ok(cluster, "kubectl get rs")) == norm(SEED_003_GET_RS)


# 003 Pod 就绪后发出信号: `kubectl get pods --show-labels` after adding the probe
SEED_003_SHOW_LABELS = """\
NAME          READY   STATUS    RESTARTS   AGE   LABELS
kubia-m7xnj   0/1     Running   0          80s   app=kubia
kubia-qsrhr   0/1     Running   0          41s   app=kubia
kubia-wpk4k   0/1     Running   0          46s   app=kubia
"""

SEED_003_UNHEALTHY = (
    "  Warning  Unhealthy  98s (x61 over 11m)  kubelet, gke-demo-default-pool-ade08258-zjhd  "
    "Readiness probe failed: ls: cannot access '/var/ready': No such file or directory"
)


def test_003_readiness_pods_show_labels_and_unhealthy_events():
    cluster = Cluster(seed=0)
    apply(cluster, get("readiness").manifest)
    names = pod_names(cluster, "app=kubia")
    # The note deletes the old pods so the RC recreates them with the probe.
    for name in names:
        assert (
            run_ok(cluster, f"kubectl delete pod {name}")
            == f'pod "{name}" deleted from default namespace\n'
        )
    # The replacements run 2 s later (Pending 1 s, ContainerCreating 1 s).
    run_ok(cluster, "sleep 42")
    assert norm(run_ok(cluster, "kubectl get pods --show-labels")) == norm(SEED_003_SHOW_LABELS)
    # No pod is ready: the Endpoints have only notReadyAddresses, which `get` shows as an
    # empty cell (`<none>` would mean no subsets at all), and describe svc shows nothing
    # after `Endpoints:` (k8s-semantics.md 4.3).
    (row,) = cells(run_ok(cluster, "kubectl get endpoints kubia"))
    assert (row["NAME"], row["ENDPOINTS"]) == ("kubia", "")
    described = run_ok(cluster, "kubectl describe svc kubia").splitlines()
    assert [line.rstrip() for line in described if line.startswith("Endpoints:")] == ["Endpoints:"]
    pod = pod_names(cluster)[0]
    events = run_ok(cluster, f"kubectl describe pod {pod}").split("Events:\n", 1)[1]
    header, *lines = events.splitlines()
    assert header.split() == ["Type", "Reason", "Age", "From", "Message"]
    unhealthy = [line for line in lines if "Unhealthy" in line]
    assert len(unhealthy) == 1
    # Since ~v1.20 the event source is `kubelet`, without the node's name.
    count = re.compile(r"\(x\d+ over")
    seed = SEED_003_UNHEALTHY.replace("kubelet, gke-demo-default-pool-ade08258-zjhd", "kubelet")
    assert [count.sub("(xN over", line) for line in norm(unhealthy[0])] == [
        count.sub("(xN over", line) for line in norm(seed)
    ]
    assert re.search(r"\(x5 over 40s\)", unhealthy[0])  # probes at 2, 12, 22, 32 and 42 s
    # luksa/kubia has no tag, so imagePullPolicy is Always: the kubelet pulls it.
    assert [line.split()[1] for line in lines[1:6]] == [
        "Scheduled", "Pulling", "Pulled", "Created", "Started"
    ]  # fmt: skip


# 003 排除服务故障: pod IPs through jsonpath
def test_003_jsonpath_range_prints_name_and_pod_ip():
    cluster, names = headless_cluster(ready=0)
    template = "{range .items[*]}{.metadata.name}--{.status.podIP} {end}"
    out = run_ok(cluster, f'kubectl get pods -o jsonpath="{template}"')
    pairs = [entry.split("--") for entry in out.split()]
    assert [name for name, _ in pairs] == ["dnsutils", *names]
    assert all(re.fullmatch(r"10\.244\.\d+\.\d+", ip) for _, ip in pairs)
    assert out.endswith(" ")  # the template's trailing space, and no newline
