"""kubectl verbs end to end on a default cluster: what a learner types and sees."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from simulator import Cluster

from .conftest import apply, pods
from .manifests_kubia import DEPLOYMENT, KUBIA_RC, KUBIA_READINESS_RC, KUBIA_SVC

ENDPOINTS_WARNING = (
    "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"
)


@pytest.fixture
def kubia(cluster: Cluster) -> Cluster:
    """A cluster with the book's kubia ReplicationController (3 pods) and Service."""
    apply(cluster, KUBIA_RC + "---" + KUBIA_SVC)
    return cluster


def names(cluster: Cluster, **labels: str) -> list[str]:
    return [p["metadata"]["name"] for p in pods(cluster, **labels)]


# -- apply / create ---------------------------------------------------------------------------


def test_apply_reports_created_then_unchanged_then_configured(cluster: Cluster) -> None:
    first = cluster.run("kubectl apply -f -", stdin=KUBIA_RC + "---" + KUBIA_SVC)
    assert (first.stdout, first.exit_code) == (
        "replicationcontroller/kubia created\nservice/kubia created\n",
        0,
    )
    again = cluster.run("kubectl apply -f -", stdin=KUBIA_SVC)
    assert again.stdout == "service/kubia unchanged\n"
    changed = cluster.run("kubectl apply -f -", stdin=KUBIA_SVC.replace("port: 80", "port: 81"))
    assert changed.stdout == "service/kubia configured\n"


def test_group_qualified_success_lines(cluster: Cluster) -> None:
    result = cluster.run("kubectl apply -f -", stdin=DEPLOYMENT.format(replicas=2, image="nginx"))
    assert result.stdout == "deployment.apps/web created\n"


def test_create_refuses_existing_objects(kubia: Cluster) -> None:
    result = kubia.run("kubectl create -f -", stdin=KUBIA_SVC)
    assert result.exit_code == 1
    assert 'services "kubia" already exists' in result.stderr
    assert result.stdout == ""


def test_apply_after_create_warns_about_the_missing_annotation(cluster: Cluster) -> None:
    cluster.run("kubectl create -f -", stdin=KUBIA_SVC)
    result = cluster.run("kubectl apply -f -", stdin=KUBIA_SVC.replace("port: 80", "port: 81"))
    assert result.stderr.startswith(
        "Warning: resource services/kubia is missing the "
        "kubectl.kubernetes.io/last-applied-configuration annotation"
    )
    assert result.stdout == "service/kubia configured\n"


def test_apply_records_the_object_as_kubectls_go_encoder_writes_it(cluster: Cluster) -> None:
    # Go's json.Encoder keeps UTF-8, escapes <, > and & (EscapeHTML) and U+2028; keys sorted,
    # the namespace filled in, an empty annotations map, a trailing newline.
    manifest = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: page}\n"
        'data: {title: "Café <b>&</b>\\u2028", tab: "a\\tb"}\n'
    )
    cluster.run("kubectl apply -f -", stdin=manifest)
    obj = json.loads(cluster.run("kubectl get configmap page -o json").stdout)
    assert obj["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] == (
        '{"apiVersion":"v1","data":{"tab":"a\\tb","title":"Café \\u003cb\\u003e\\u0026'
        '\\u003c/b\\u003e\\u2028"},"kind":"ConfigMap",'
        '"metadata":{"annotations":{},"name":"page","namespace":"default"}}\n'
    )


def test_bad_yaml_fails_with_problems(cluster: Cluster) -> None:
    result = cluster.run("kubectl apply -f -", stdin="kind: Service\nmetadata: [\n")
    assert result.exit_code == 1
    assert result.stderr
    assert result.problems
    assert result.stdout == ""


def test_files_other_than_stdin_are_explained(cluster: Cluster) -> None:
    result = cluster.run("kubectl apply -f deploy.yml")
    assert result.exit_code == 1
    assert result.stderr.startswith('error: the path "deploy.yml" does not exist\n')


def test_apply_needs_a_file(cluster: Cluster) -> None:
    result = cluster.run("kubectl apply")
    assert (result.stderr, result.exit_code) == ("error: must specify one of -f and -k\n", 1)


# -- get --------------------------------------------------------------------------------------


def test_get_pods_table(kubia: Cluster) -> None:
    result = kubia.run("kubectl get pods")
    lines = result.stdout.splitlines()
    assert lines[0] == "NAME          READY   STATUS    RESTARTS   AGE"
    assert len(lines) == 4
    assert all(
        re.fullmatch(r"kubia-\w{5}   1/1     Running   0          0s", line) for line in lines[1:]
    )


def test_get_by_label_and_no_match(kubia: Cluster) -> None:
    assert len(kubia.run("kubectl get pods -l app=kubia -o name").stdout.splitlines()) == 3
    assert (
        len(kubia.run("kubectl get po -l 'app in (kubia, web)' -o name").stdout.splitlines()) == 3
    )
    none = kubia.run("kubectl get pods -l app=nginx")
    assert (none.stdout, none.stderr, none.exit_code) == (
        "",
        "No resources found in default namespace.\n",
        0,
    )


def test_get_several_types_prefixes_kinds_and_separates_tables(kubia: Cluster) -> None:
    result = kubia.run("kubectl get svc,ep")
    assert result.stderr == ENDPOINTS_WARNING
    tables = result.stdout.split("\n\n")
    assert len(tables) == 2
    assert tables[0].splitlines()[0].split()[:2] == ["NAME", "TYPE"]
    assert re.search(r"^service/kubia +ClusterIP", tables[0], re.MULTILINE)
    assert re.search(r"^service/kubernetes +ClusterIP +10\.96\.0\.1 ", tables[0], re.MULTILINE)
    assert tables[1].splitlines()[0].split() == ["NAME", "ENDPOINTS", "AGE"]
    assert re.search(r"^endpoints/kubia +10\.", tables[1], re.MULTILINE)


def test_get_endpoints_lists_ready_pod_ips(kubia: Cluster) -> None:
    result = kubia.run("kubectl get endpoints kubia")
    ips = sorted(p["status"]["podIP"] for p in pods(kubia, app="kubia"))
    row = result.stdout.splitlines()[1]
    assert set(row.split()[1].split(",")) == {f"{ip}:8080" for ip in ips}


def test_get_all_shows_workloads_with_kinds(kubia: Cluster) -> None:
    out = kubia.run("kubectl get all").stdout
    assert re.search(r"^pod/kubia-\w{5} ", out, re.MULTILINE)
    assert re.search(r"^replicationcontroller/kubia +3 +3 +3 ", out, re.MULTILINE)
    assert re.search(r"^service/kubia +ClusterIP ", out, re.MULTILINE)


def test_get_all_namespaces_adds_namespace_column(kubia: Cluster) -> None:
    lines = kubia.run("kubectl get pods -A").stdout.splitlines()
    assert lines[0].startswith("NAMESPACE       NAME ")  # padded to "ingress-nginx"
    assert any(line.startswith("kube-system     coredns-") for line in lines)
    assert any(line.startswith("ingress-nginx   ingress-nginx-controller-") for line in lines)
    assert sum(line.startswith("default         kubia-") for line in lines) == 3


def test_get_nodes_is_cluster_scoped(cluster: Cluster) -> None:
    assert cluster.run("kubectl get nodes -A").stdout.startswith("NAME            STATUS")


def test_get_errors(kubia: Cluster) -> None:
    missing = kubia.run("kubectl get pod nope")
    assert (missing.stderr, missing.exit_code) == (
        'Error from server (NotFound): pods "nope" not found\n',
        1,
    )
    deploy = kubia.run("kubectl get deploy nope")
    assert deploy.stderr == 'Error from server (NotFound): deployments.apps "nope" not found\n'
    unknown = kubia.run("kubectl get foo")
    assert unknown.stderr == 'error: the server doesn\'t have a resource type "foo"\n'
    flag = kubia.run("kubectl get pods --foo")
    assert flag.stderr == "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n"
    mixed = kubia.run("kubectl get pods -l app=kubia kubia-x")
    assert mixed.stderr == "error: name cannot be provided when a selector is specified\n"


def test_get_some_found_some_not(kubia: Cluster) -> None:
    name = names(kubia)[0]
    result = kubia.run(f"kubectl get pods {name} nope")
    assert result.exit_code == 1
    assert name in result.stdout
    assert result.stderr == 'Error from server (NotFound): pods "nope" not found\n'


def test_get_json_single_object_and_list(kubia: Cluster) -> None:
    one = json.loads(kubia.run("kubectl get svc kubia -o json").stdout)
    assert (one["kind"], one["metadata"]["name"]) == ("Service", "kubia")
    assert one["spec"]["selector"] == {"app": "kubia"}
    many = json.loads(kubia.run("kubectl get pods -o json").stdout)
    assert many["kind"] == "List"
    assert len(many["items"]) == 3


def test_get_yaml_round_trips(kubia: Cluster) -> None:
    doc = yaml.safe_load(kubia.run("kubectl get svc kubia -o yaml").stdout)
    assert doc["spec"]["ports"][0]["port"] == 80
    assert doc["metadata"]["creationTimestamp"].endswith("Z")


def test_get_jsonpath(kubia: Cluster) -> None:
    out = kubia.run(
        "kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}--{.status.podIP} {end}'"
    ).stdout
    expected = "".join(f"{p['metadata']['name']}--{p['status']['podIP']} " for p in pods(kubia))
    assert out == expected
    name = kubia.run("kubectl get svc kubia -o jsonpath={.spec.clusterIP}").stdout
    assert re.fullmatch(r"10\.\d+\.\d+\.\d+", name)


def test_get_custom_columns(kubia: Cluster) -> None:
    lines = kubia.run(
        "kubectl get pods -o custom-columns=NAME:.metadata.name,IP:.status.podIP"
    ).stdout.splitlines()
    assert lines[0].split() == ["NAME", "IP"]
    assert len(lines) == 4


def test_get_wide_show_labels_and_label_columns(kubia: Cluster) -> None:
    wide = kubia.run("kubectl get pods -o wide").stdout.splitlines()
    assert wide[0].split()[5:] == ["IP", "NODE", "NOMINATED", "NODE", "READINESS", "GATES"]
    assert re.search(r"   10\.244\.\d+\.\d+ +worker-\d   <none>           <none>$", wide[1])
    labels = kubia.run("kubectl get pods --show-labels").stdout.splitlines()
    assert labels[0].endswith("AGE   LABELS")
    assert labels[1].endswith("app=kubia")
    columns = kubia.run("kubectl get pods -L app").stdout.splitlines()
    assert columns[0].endswith("AGE   APP")
    assert columns[1].endswith("kubia")
    bad = kubia.run("kubectl get pods -o json --show-labels")
    assert bad.stderr == "error: --show-labels option cannot be used with json printer\n"


def test_get_events_after_a_delete(kubia: Cluster) -> None:
    victim = names(kubia)[0]
    kubia.run(f"kubectl delete pod {victim}")
    out = kubia.run("kubectl get events").stdout
    assert out.splitlines()[0].split() == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert "replicationcontroller/kubia" in out


# -- describe ---------------------------------------------------------------------------------


def test_describe_service_lists_endpoints(kubia: Cluster) -> None:
    out = kubia.run("kubectl describe svc kubia").stdout
    ips = sorted(p["status"]["podIP"] for p in pods(kubia, app="kubia"))
    line = next(line for line in out.splitlines() if line.startswith("Endpoints:"))
    assert set(line.split()[1].split(",")) == {f"{ip}:8080" for ip in ips}
    assert re.search(r"^Session Affinity: +ClientIP$", out, re.MULTILINE)
    assert re.search(r"\nEvents: +<none>\n$", out)


def test_describe_prefix_match_and_readiness(cluster: Cluster) -> None:
    apply(cluster, KUBIA_READINESS_RC)
    out = cluster.run("kubectl describe pod kubia").stdout
    assert out.count("Name:             kubia-") == 3  # aligned to "Service Account:"
    readiness = [line for line in out.splitlines() if "Readiness:" in line]
    assert (
        readiness
        == [
            "    Readiness:      exec [ls /var/ready] delay=0s timeout=1s period=10s #success=1 "
            "#failure=3"
        ]
        * 3
    )


def test_describe_rc_and_missing(kubia: Cluster) -> None:
    out = kubia.run("kubectl describe rc kubia").stdout
    assert "Replicas:     3 current / 3 desired\n" in out
    assert "Pods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed\n" in out
    missing = kubia.run("kubectl describe svc nope")
    assert (missing.stderr, missing.exit_code) == (
        'Error from server (NotFound): services "nope" not found\n',
        1,
    )


def test_describe_endpoints_and_node(kubia: Cluster) -> None:
    assert "Subsets:\n  Addresses:" in kubia.run("kubectl describe ep kubia").stdout
    node = kubia.run("kubectl describe node control-plane").stdout
    assert "Taints:             node-role.kubernetes.io/control-plane:NoSchedule\n" in node


# -- delete, scale, label -----------------------------------------------------------------


def test_delete_pod_is_replaced(kubia: Cluster) -> None:
    victim = names(kubia)[0]
    result = kubia.run(f"kubectl delete pod {victim}")
    assert (result.stdout, result.exit_code) == (
        f'pod "{victim}" deleted from default namespace\n',
        0,
    )
    after = names(kubia)
    assert victim not in after
    assert len(after) == 3


def test_delete_forms(kubia: Cluster) -> None:
    assert (
        kubia.run("kubectl delete svc/kubia").stdout
        == 'service "kubia" deleted from default namespace\n'
    )
    before = names(kubia)
    by_label = kubia.run("kubectl delete pods -l app=kubia")
    assert by_label.stdout == "".join(
        f'pod "{name}" deleted from default namespace\n' for name in before
    )
    assert (
        kubia.run("kubectl delete rc/kubia").stdout
        == 'replicationcontroller "kubia" deleted from default namespace\n'
    )
    assert names(kubia) == []
    nothing = kubia.run("kubectl delete pods -l app=kubia")
    assert nothing.stdout == "No resources found\n"
    missing = kubia.run("kubectl delete pod nope")
    assert missing.stderr == 'Error from server (NotFound): pods "nope" not found\n'
    bare = kubia.run("kubectl delete pods")
    assert bare.stderr == "error: resource(s) were provided, but no name was specified\n"


def test_delete_from_stdin(kubia: Cluster) -> None:
    result = kubia.run("kubectl delete -f -", stdin=KUBIA_SVC)
    assert result.stdout == 'service "kubia" deleted from default namespace\n'


def test_scale(kubia: Cluster) -> None:
    result = kubia.run("kubectl scale --replicas=5 rc kubia")
    assert result.stdout == "replicationcontroller/kubia scaled\n"
    assert len(names(kubia)) == 5
    kubia.run("kubectl scale rc/kubia --replicas=1")
    assert len(names(kubia)) == 1
    missing = kubia.run("kubectl scale rc kubia")
    assert missing.stderr.startswith("error: The --replicas=COUNT flag is required")


def test_label_pod_out_of_the_selector(kubia: Cluster) -> None:
    victim = names(kubia)[0]
    clash = kubia.run(f"kubectl label pod {victim} app=foo")
    assert clash.stderr == "error: 'app' already has a value (kubia), and --overwrite is false\n"
    moved = kubia.run(f"kubectl label pod {victim} app=foo --overwrite")
    assert moved.stdout == f"pod/{victim} labeled\n"
    assert len(names(kubia, app="kubia")) == 3  # the RC replaced the orphan
    removed = kubia.run(f"kubectl label pod {victim} app-")
    assert removed.stdout == f"pod/{victim} unlabeled\n"
    same = kubia.run(f"kubectl label pod {victim} extra=1")
    assert same.stdout == f"pod/{victim} labeled\n"
    again = kubia.run(f"kubectl label pod {victim} extra=1")
    assert again.stdout == f"pod/{victim} not labeled\n"


# -- expose -----------------------------------------------------------------------------------


def test_expose_rc(kubia: Cluster) -> None:
    result = kubia.run("kubectl expose rc kubia --port=80 --target-port=8080 --name=kubia-http")
    assert (result.stdout, result.exit_code) == ("service/kubia-http exposed\n", 0)
    svc = kubia.state.store.get("Service", "default", "kubia-http")
    assert svc["spec"]["selector"] == {"app": "kubia"}
    assert svc["spec"]["ports"][0]["port"] == 80
    assert svc["spec"]["ports"][0]["targetPort"] == 8080


def test_expose_deployment_nodeport_with_ports_from_the_template(cluster: Cluster) -> None:
    apply(cluster, DEPLOYMENT.format(replicas=2, image="nginx"))
    result = cluster.run("kubectl expose deploy web --type=NodePort")
    assert result.stdout == "service/web exposed\n"
    row = cluster.run("kubectl get svc web").stdout.splitlines()[1]
    assert re.search(r"NodePort +10\.\S+ +<none> +80:3\d{4}/TCP", row)


def test_expose_errors(kubia: Cluster) -> None:
    node = kubia.run("kubectl expose node worker-1 --port=80")
    assert node.stderr == "error: cannot expose a Node\n"
    missing = kubia.run("kubectl expose rc nope --port=80")
    assert (
        missing.stderr == 'Error from server (NotFound): replicationcontrollers "nope" not found\n'
    )


def test_expose_dry_run_prints_the_service(kubia: Cluster) -> None:
    out = kubia.run(
        "kubectl expose rc kubia --port=8080 --target-port=80 --name=x --dry-run=client -o yaml"
    ).stdout
    doc = yaml.safe_load(out)
    assert doc["spec"]["ports"] == [{"port": 8080, "protocol": "TCP", "targetPort": 80}]
    assert kubia.state.store.get("Service", "default", "x") is None


# -- nodes ------------------------------------------------------------------------------------


def test_taint_and_untaint(cluster: Cluster) -> None:
    tainted = cluster.run("kubectl taint nodes worker-1 dedicated=web:NoSchedule")
    assert tainted.stdout == "node/worker-1 tainted\n"
    node = cluster.state.store.get("Node", "", "worker-1")
    assert {"key": "dedicated", "value": "web", "effect": "NoSchedule"} in node["spec"]["taints"]
    again = cluster.run("kubectl taint nodes worker-1 dedicated=web:NoSchedule")
    assert again.stderr == (
        "error: node worker-1 already has dedicated taint(s) with same "
        "effect(s) and --overwrite is false\n"
    )
    removed = cluster.run("kubectl taint node worker-1 dedicated:NoSchedule-")
    assert removed.stdout == "node/worker-1 untainted\n"
    missing = cluster.run("kubectl taint node worker-1 dedicated:NoSchedule-")
    assert missing.stderr == 'error: taint "dedicated:NoSchedule" not found\n'
    bad = cluster.run("kubectl taint node worker-1 a=b:Sometimes")
    assert bad.stderr.startswith("error: invalid taint effect: Sometimes, unsupported taint effect")


def test_cordon_uncordon(cluster: Cluster) -> None:
    assert cluster.run("kubectl cordon worker-2").stdout == "node/worker-2 cordoned\n"
    assert cluster.run("kubectl cordon worker-2").stdout == "node/worker-2 already cordoned\n"
    row = cluster.run("kubectl get node worker-2").stdout.splitlines()[1]
    assert "Ready,SchedulingDisabled" in row
    assert cluster.run("kubectl uncordon worker-2").stdout == "node/worker-2 uncordoned\n"


# -- exec ---------------------------------------------------------------------------------------


def test_exec_env_and_resolv_conf(kubia: Cluster) -> None:
    pod = names(kubia)[0]
    env = kubia.run(f"kubectl exec {pod} -- env").stdout
    assert "KUBERNETES_SERVICE_HOST=10.96.0.1\n" in env
    resolv = kubia.run(f"kubectl exec {pod} -- cat /etc/resolv.conf").stdout
    assert "nameserver 10.96.0.10" in resolv


def test_exec_touch_makes_the_pod_ready(cluster: Cluster) -> None:
    apply(cluster, KUBIA_READINESS_RC)
    cluster.advance(10)
    pod = names(cluster)[0]
    assert cluster.run(f"kubectl get pod {pod}").stdout.splitlines()[1].split()[1] == "0/1"
    assert cluster.run(f"kubectl exec {pod} -- touch /var/ready").exit_code == 0
    cluster.advance(10)
    assert cluster.run(f"kubectl get pod {pod}").stdout.splitlines()[1].split()[1] == "1/1"
    listed = cluster.run(f"kubectl exec {pod} -- ls /var/ready")
    assert listed.stdout == "/var/ready\n"
    cluster.run(f"kubectl exec {pod} -- rm /var/ready")
    gone = cluster.run(f"kubectl exec {pod} -- ls /var/ready")
    assert gone.exit_code == 2
    assert gone.stderr == (
        "ls: cannot access '/var/ready': No such file or directory\n"
        "command terminated with exit code 2\n"
    )


def test_exec_curl_goes_through_the_network(kubia: Cluster) -> None:
    pod = names(kubia)[0]
    result = kubia.run(f"kubectl exec {pod} -- curl -s http://kubia")
    assert result.exit_code == 0
    assert result.stdout.startswith("You've hit kubia-")
    assert len(result.traces) == 1


def test_exec_errors(kubia: Cluster) -> None:
    pod = names(kubia)[0]
    unknown = kubia.run(f"kubectl exec {pod} -- foo")
    assert unknown.exit_code == 126
    assert unknown.stderr == (
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "foo": '
        "executable file not found in $PATH: unknown\ncommand terminated with exit code 126\n"
    )
    old_style = kubia.run(f"kubectl exec {pod} ls")
    assert old_style.stderr.startswith("error: exec [POD] [COMMAND] is not supported anymore.")
    missing = kubia.run("kubectl exec nope -- ls")
    assert missing.stderr == 'Error from server (NotFound): pods "nope" not found\n'
    shell = kubia.run(f"kubectl exec -it {pod} -- sh -c 'hostname'")
    assert shell.stdout == f"{pod}\n"


def test_exec_picks_a_pod_of_a_workload_or_service_as_logs_does(kubia: Cluster) -> None:
    # One rule for kubectl exec, logs and port-forward (kubectl's GetFirstPod).
    for target in ("rc/kubia", "svc/kubia"):
        exec_pod = kubia.run(f"kubectl exec {target} -- hostname").stdout.strip()
        assert exec_pod in names(kubia)
        assert f"pod/{exec_pod}" in kubia.run(f"kubectl logs {target}").stderr
    no_selector = kubia.run("kubectl exec svc/kubernetes -- ls")
    assert no_selector.exit_code == 1
    assert "Service is defined without a selector" in no_selector.stderr
    kubia.run("kubectl create configmap settings --from-literal=a=b")
    configmap = kubia.run("kubectl exec cm/settings -- ls")
    assert configmap.stderr == "error: cannot attach to *v1.ConfigMap: not implemented\n"


# -- run, create subcommands, misc ---------------------------------------------------------------


def test_run_and_create_deployment(cluster: Cluster) -> None:
    assert cluster.run("kubectl run ngx --image=nginx:alpine").stdout == "pod/ngx created\n"
    pod = cluster.state.store.get("Pod", "default", "ngx")
    assert pod["metadata"]["labels"] == {"run": "ngx"}
    created = cluster.run("kubectl create deploy ngx-dep --image=nginx:alpine --replicas=2")
    assert created.stdout == "deployment.apps/ngx-dep created\n"
    assert len(pods(cluster, app="ngx-dep")) == 2
    dry = yaml.safe_load(
        cluster.run("kubectl create deploy x --image=nginx:alpine --dry-run=client -o yaml").stdout
    )
    assert dry["spec"]["template"]["spec"]["containers"] == [
        {"image": "nginx:alpine", "name": "nginx", "resources": {}}
    ]
    assert cluster.run("kubectl create ns test").stdout == "namespace/test created\n"


def test_unsupported_and_unknown_verbs(cluster: Cluster) -> None:
    top = cluster.run("kubectl top pods")
    assert top.exit_code == 1
    assert top.stderr.startswith('error: "kubectl top" is not available')
    unknown = cluster.run("kubectl frobnicate")
    assert unknown.stderr.startswith('error: unknown command "frobnicate" for "kubectl"')
    assert cluster.run("kubectl").exit_code == 0


def test_version_api_resources_cluster_info_and_help(cluster: Cluster) -> None:
    assert cluster.run("kubectl version").stdout == (
        "Client Version: v1.35.0\nKustomize Version: v5.7.1\nServer Version: v1.35.0\n"
    )
    resources = cluster.run("kubectl api-resources").stdout.splitlines()
    assert resources[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    assert any(
        re.fullmatch(r"deployments +deploy +apps/v1 +true +Deployment", line) for line in resources
    )
    assert cluster.run("kubectl cluster-info").stdout.startswith(
        "Kubernetes control plane is running at https://192.168.49.2:6443\n"
    )
    assert cluster.run("kubectl get -h").stdout.startswith("Usage:\n  kubectl get TYPE")


def test_exec_in_busybox_words_errors_as_busybox(cluster: Cluster) -> None:
    assert cluster.run("kubectl run bb --image=busybox --command -- sleep 3600").exit_code == 0
    result = cluster.run("kubectl exec bb -- cat /nope")
    assert result.stderr == (
        "cat: can't open '/nope': No such file or directory\ncommand terminated with exit code 1\n"
    )
    assert cluster.run("kubectl exec bb -- cat /etc/hostname").stdout == "bb\n"


def test_run_attached_command_then_remove(kubia: Cluster) -> None:
    result = kubia.run(
        "kubectl run -it --rm probe --image=busybox --restart=Never -- nslookup kubia"
    )
    assert result.exit_code == 0
    assert "Name:\tkubia.default.svc.cluster.local" in result.stdout
    assert result.stdout.endswith('pod "probe" deleted from default namespace\n')
    assert kubia.state.store.get("Pod", "default", "probe") is None


UNSCHEDULABLE_POD = """
apiVersion: v1
kind: Pod
metadata:
  name: big
spec:
  nodeSelector:
    disk: ssd
  containers:
  - name: c
    image: nginx
"""


def test_pending_pod_is_described_and_cannot_be_exec_ed(cluster: Cluster) -> None:
    apply(cluster, UNSCHEDULABLE_POD)
    row = cluster.run("kubectl get pod big").stdout.splitlines()[1]
    assert row.split()[:3] == ["big", "0/1", "Pending"]
    text = cluster.run("kubectl describe pod big").stdout
    assert "Node:             <none>\n" in text
    assert "Node-Selectors:  disk=ssd\n" in text
    assert re.search(r"Warning +FailedScheduling +0s +default-scheduler +0/3 nodes", text)
    result = cluster.run("kubectl exec big -- ls")
    assert result.stderr == 'error: unable to upgrade connection: container not found ("c")\n'


DAEMONSET = """
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: redis-ds
spec:
  selector:
    matchLabels:
      name: redis-ds
  template:
    metadata:
      labels:
        name: redis-ds
    spec:
      containers:
      - image: redis:5-alpine
        name: redis
"""


def test_daemonset_follows_the_control_plane_taint(cluster: Cluster) -> None:
    apply(cluster, DAEMONSET)
    header, row = cluster.run("kubectl get ds").stdout.splitlines()
    assert header.split() == [
        "NAME",
        "DESIRED",
        "CURRENT",
        "READY",
        "UP-TO-DATE",
        "AVAILABLE",
        "NODE",
        "SELECTOR",
        "AGE",
    ]
    assert row.split() == ["redis-ds", "2", "2", "2", "2", "2", "<none>", "0s"]
    cluster.run(
        "kubectl taint node control-plane node-role.kubernetes.io/control-plane:NoSchedule-"
    )
    assert cluster.run("kubectl get ds redis-ds").stdout.splitlines()[1].split()[1] == "3"
    text = cluster.run("kubectl describe ds redis-ds").stdout
    assert "Desired Number of Nodes Scheduled: 3\n" in text
    assert "Pods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed\n" in text
