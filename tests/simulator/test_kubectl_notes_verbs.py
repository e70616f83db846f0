"""kubectl verbs of the notes: create service|ingress|secret, patch, edit, exec sessions."""

from __future__ import annotations

import json

import pytest

from simulator import Cluster
from simulator.kubectl.patching import PatchError, apply_patch, merge_patch

from .conftest import run_ok


@pytest.fixture
def cluster() -> Cluster:
    c = Cluster(seed=1)
    run_ok(c, "kubectl create deploy web --image=nginx --port=80")
    return c


def obj(cluster: Cluster, what: str) -> dict:
    return json.loads(run_ok(cluster, f"kubectl get {what} -o json"))


def test_create_service_builds_what_kubectl_builds(cluster: Cluster) -> None:
    run_ok(cluster, "kubectl create service clusterip web --tcp=5678:8080,443")
    spec = obj(cluster, "svc web")["spec"]
    assert spec["selector"] == {"app": "web"}
    assert [(p["name"], p["port"], p["targetPort"]) for p in spec["ports"]] == [
        ("5678-8080", 5678, 8080),
        ("443-443", 443, 443),
    ]
    run_ok(cluster, "kubectl create service nodeport np --tcp=80 --node-port=30123")
    assert obj(cluster, "svc np")["spec"]["ports"][0]["nodePort"] == 30123
    run_ok(cluster, "kubectl create service externalname ext --external-name=httpbin.org")
    assert obj(cluster, "svc ext")["spec"]["externalName"] == "httpbin.org"
    errors = {
        "kubectl create service clusterip x": "error: at least one tcp port specifier must be "
        "provided\n",
        "kubectl create service externalname x": "error: external name must be specified\n",
        "kubectl create service externalname x --external-name=Bad_Name": "error: invalid "
        "service external name Bad_Name\n",
        "kubectl create service frob x": "error: you must specify the type of service: "
        "clusterip, nodeport, loadbalancer, externalname\nSee 'kubectl create service -h' for "
        "help and examples\n",
        "kubectl create service clusterip x --tcp=80 --image=nginx": "error: unknown flag: "
        "--image\nSee 'kubectl create service clusterip --help' for usage.\n",
        "kubectl create service nodeport dup --tcp=80 --node-port=30123": 'The Service "dup" is '
        "invalid: spec.ports[0].nodePort: Invalid value: 30123: provided port is already "
        "allocated\n",
    }
    for line, message in errors.items():
        result = cluster.run(line)
        assert (result.stderr, result.exit_code) == (message, 1), line


def test_create_ingress_rules_tls_and_default_backend(cluster: Cluster) -> None:
    run_ok(
        cluster,
        "kubectl create ingress simple --rule=foo.com/bar*=svc1:8080,tls=my-cert "
        "--rule=/path=svc2:http --default-backend=defsvc:80 --annotation=a=b",
    )
    ing = obj(cluster, "ingress simple")
    rules = ing["spec"]["rules"]
    assert rules[0]["host"] == "foo.com"
    assert rules[0]["http"]["paths"][0] == {
        "backend": {"service": {"name": "svc1", "port": {"number": 8080}}},
        "path": "/bar",
        "pathType": "Prefix",
    }
    assert "host" not in rules[1]
    assert rules[1]["http"]["paths"][0]["backend"]["service"]["port"] == {"name": "http"}
    assert ing["spec"]["tls"] == [{"hosts": ["foo.com"], "secretName": "my-cert"}]
    assert ing["spec"]["defaultBackend"]["service"] == {"name": "defsvc", "port": {"number": 80}}
    assert ing["metadata"]["annotations"]["a"] == "b"
    bad = cluster.run("kubectl create ingress x --rule=foo.com=svc")
    assert bad.stderr == (
        "error: rule foo.com=svc is invalid and should be in format "
        "host/path=svcname:svcport[,tls[=secret]]\n"
    )


def test_strategic_merge_merges_lists_by_their_keys() -> None:
    live = {
        "kind": "Deployment",
        "spec": {"template": {"spec": {"containers": [
            {"name": "a", "image": "x", "ports": [{"containerPort": 80}],
             "env": [{"name": "A", "value": "1"}]},
            {"name": "b", "image": "y"},
        ], "tolerations": [{"key": "k"}]}}},
    }  # fmt: skip
    patch = {"spec": {"template": {"spec": {"containers": [
        {"name": "a", "image": "z", "ports": [{"containerPort": 8080}],
         "env": [{"name": "A", "$patch": "delete"}]},
        {"name": "b", "$patch": "delete"},
        {"name": "c", "image": "w"},
    ], "tolerations": [{"key": "t"}]}}}}  # fmt: skip
    spec = apply_patch("strategic", live, patch)["spec"]["template"]["spec"]
    assert spec["containers"] == [
        {"name": "a", "image": "z", "ports": [{"containerPort": 80}, {"containerPort": 8080}],
         "env": []},
        {"name": "c", "image": "w"},
    ]  # fmt: skip
    assert spec["tolerations"] == [{"key": "t"}]  # no merge key: replaced
    assert live["spec"]["template"]["spec"]["containers"][1]["name"] == "b"  # left alone
    service = {"kind": "Service", "spec": {"ports": [{"port": 80, "name": "h"}]}}
    merged = apply_patch("strategic", service, {"spec": {"ports": [{"port": 443, "name": "s"}]}})
    assert [p["port"] for p in merged["spec"]["ports"]] == [80, 443]
    replaced = apply_patch("strategic", service, {"spec": {"ports": [{"$patch": "replace"},
                                                                     {"port": 1}]}})  # fmt: skip
    assert replaced["spec"]["ports"] == [{"port": 1}]
    with pytest.raises(PatchError, match="does not contain declared merge key: port"):
        apply_patch("strategic", service, {"spec": {"ports": [{"name": "x"}]}})


def test_merge_patch_follows_rfc_7386() -> None:
    # RFC 7386 appendix A's examples.
    assert merge_patch({"a": "b"}, {"a": "c"}) == {"a": "c"}
    assert merge_patch({"a": "b"}, {"b": "c"}) == {"a": "b", "b": "c"}
    assert merge_patch({"a": "b"}, {"a": None}) == {}
    assert merge_patch({"a": [{"b": "c"}]}, {"a": [1]}) == {"a": [1]}
    assert merge_patch({"e": None}, {"a": 1}) == {"e": None, "a": 1}
    assert merge_patch({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}) == {"a": {"b": "d"}}


def test_patch_through_kubectl(cluster: Cluster) -> None:
    assert run_ok(cluster, 'kubectl patch deploy web -p \'{"spec":{"replicas":2}}\'') == (
        "deployment.apps/web patched\n"
    )
    assert obj(cluster, "deploy web")["spec"]["replicas"] == 2
    assert run_ok(cluster, "kubectl patch deploy/web -p 'spec: {replicas: 2}'") == (
        "deployment.apps/web patched (no change)\n"
    )
    json_patch = (
        "kubectl patch deploy web --type=json "
        '-p \'[{"op":"add","path":"/metadata/labels/x","value":"y"}]\''
    )
    run_ok(cluster, json_patch)
    assert obj(cluster, "deploy web")["metadata"]["labels"]["x"] == "y"
    failed = cluster.run(
        'kubectl patch deploy web --type json -p \'[{"op":"remove","path":"/spec/nope"}]\''
    )
    assert (failed.stderr, failed.exit_code) == (
        "The request is invalid: remove operation does not apply: doc is missing path: "
        "/spec/nope\n",
        1,
    )
    immutable = cluster.run(
        "kubectl patch deploy web --type merge -p "
        '\'{"spec":{"selector":{"matchLabels":{"app":"other"}}}}\''
    )
    assert immutable.exit_code == 1
    assert immutable.stderr.startswith('The Deployment "web" is invalid: ')
    assert obj(cluster, "deploy web")["spec"]["selector"] == {"matchLabels": {"app": "web"}}
    assert cluster.run("kubectl patch deploy nope -p '{}'").stderr == (
        'Error from server (NotFound): deployments.apps "nope" not found\n'
    )
    assert cluster.run("kubectl patch deploy web -p '{bad'").stderr.startswith(
        'error: unable to parse "{bad": yaml: '
    )


def test_unsupported_verbs_refuse_before_reading_flags(cluster: Cluster) -> None:
    for line in ("kubectl cp --no-preserve web:/tmp /tmp", "kubectl -n x top pod --containers",
                 "kubectl drain worker-1 --ignore-daemonsets"):  # fmt: skip
        result = cluster.run(line)
        assert result.exit_code == 1
        assert "is not available in this playground" in result.stderr
        assert "unknown flag" not in result.stderr


def test_exec_sessions_and_scripts(cluster: Cluster) -> None:
    pod = run_ok(cluster, "kubectl get pods -o jsonpath={.items[0].metadata.name}")
    session = cluster.run(f"kubectl exec -it {pod} -- sh").session
    assert session == {
        "namespace": "default",
        "pod": pod,
        "container": "nginx",
        "shell": "sh",
        "prompt": "# ",
        "prefix": f"kubectl exec {pod} -- sh -c",
    }
    assert cluster.run(f"kubectl exec {pod} -- sh").output() == []  # no stdin: ends at once
    script = cluster.run(f"kubectl exec -i {pod} -- sh", stdin="hostname\nexit 3\necho never\n")
    assert (script.stdout, script.exit_code) == (f"{pod}\n", 3)
    assert script.stderr == "command terminated with exit code 3\n"
    quoted = cluster.run(f"kubectl exec {pod} -- sh -c 'echo \"$HOSTNAME\" | tr a-z A-Z'")
    assert quoted.stdout == pod.upper() + "\n"
    nested = cluster.run(f"kubectl exec {pod} -- sh -c \"sh -c 'echo deep'\"")
    assert nested.stdout == "deep\n"
    assert cluster.run(f"kubectl exec {pod} -- sh -c 'cd /nope'").stderr.startswith(
        "sh: 1: cd: can't cd to /nope\n"
    )
