"""The built-in scenarios: their YAML on its own, then applied to a simulated cluster."""

from __future__ import annotations

import base64
import json
import re
import shlex
from importlib import resources

import pytest
import yaml

from simulator import scenarios
from simulator.scenarios import DEFAULT, PLACEHOLDERS, SCENARIOS, Scenario, get, recipes

from .conftest import run_ok

SLUGS = [scenario.slug for scenario in SCENARIOS]

#: apiVersion per kind, as a Kubernetes v1.30+ API server serves them.
API_VERSIONS = {
    "ConfigMap": "v1",
    "DaemonSet": "apps/v1",
    "Deployment": "apps/v1",
    "Endpoints": "v1",
    "Gateway": "gateway.networking.k8s.io/v1",
    "HTTPRoute": "gateway.networking.k8s.io/v1",
    "Ingress": "networking.k8s.io/v1",
    "IngressClass": "networking.k8s.io/v1",
    "Namespace": "v1",
    "NetworkPolicy": "networking.k8s.io/v1",
    "Pod": "v1",
    "ReplicationController": "v1",
    "Secret": "v1",
    "Service": "v1",
}
WORKLOADS = {"DaemonSet", "Deployment", "ReplicationController", "Pod"}
#: IngressClass controllers the simulator's built-in controller serves (CONTRACT.md section 3).
NGINX_CONTROLLERS = {"k8s.io/ingress-nginx", "nginx.org/ingress-controller"}
PROGRAMS = {"kubectl", "curl", "ping", "nslookup", "sleep"}


def docs(scenario: Scenario) -> list[dict]:
    return list(yaml.safe_load_all(scenario.manifest))


def namespace_of(doc: dict) -> str:
    """The namespace an object lands in (namespaced kinds default to `default`)."""
    if doc["kind"] in ("Namespace", "Node", "IngressClass"):
        return ""
    return doc["metadata"].get("namespace", "default")


def of_kind(scenario: Scenario, kind: str) -> list[dict]:
    return [doc for doc in docs(scenario) if doc["kind"] == kind]


def pod_templates(scenario: Scenario) -> list[dict]:
    """`{metadata, spec}` of every pod the scenario's workloads make (bare Pods included)."""
    out = []
    for doc in docs(scenario):
        if doc["kind"] == "Pod":
            out.append(doc)
        elif doc["kind"] in WORKLOADS:
            out.append(doc["spec"]["template"])
    return out


def selector_matches(selector: dict, labels: dict) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


def selected_templates(scenario: Scenario, service: dict) -> list[dict]:
    selector = service["spec"]["selector"]
    return [
        template
        for template in pod_templates(scenario)
        if selector_matches(selector, template["metadata"].get("labels") or {})
    ]


def selector_services(scenario: Scenario) -> list[dict]:
    return [svc for svc in of_kind(scenario, "Service") if svc["spec"].get("selector")]


def by_slug(test):
    return pytest.mark.parametrize("scenario", SCENARIOS, ids=SLUGS)(test)


# -- the catalogue --------------------------------------------------------------------


def test_slugs_are_unique():
    assert len(SLUGS) == len(set(SLUGS))


def test_default_is_a_scenario():
    assert get(DEFAULT).slug == DEFAULT == "kubia-affinity"


def test_get_finds_every_scenario():
    for scenario in SCENARIOS:
        assert get(scenario.slug) is scenario


def test_get_unknown_slug_is_a_key_error():
    with pytest.raises(KeyError, match="no-such-scenario"):
        get("no-such-scenario")


def test_every_yaml_file_is_a_scenario():
    files = {
        entry.name.removesuffix(".yaml")
        for entry in resources.files(scenarios).iterdir()
        if entry.name.endswith(".yaml")
    }
    assert files == set(SLUGS)


@by_slug
def test_metadata_is_filled_in(scenario):
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", scenario.slug)
    assert scenario.title.strip()
    assert scenario.summary.strip()
    if scenario.topic == recipes.TOPIC:  # from public recipes and docs, named by path
        assert re.search(r"\b[\w.-]+/[\w./-]+", scenario.source)
    else:  # from the seed notes
        assert re.search(r"\b00\d_[0-9a-f]{16}\.txt\b", scenario.source)
    assert scenario.try_commands


# -- the manifests ---------------------------------------------------------------------


@by_slug
def test_manifest_is_the_package_file(scenario):
    text = resources.files(scenarios).joinpath(f"{scenario.slug}.yaml").read_text("utf-8")
    assert scenario.manifest == text
    assert text.endswith("\n")


@by_slug
def test_every_document_is_a_named_object(scenario):
    documents = docs(scenario)
    assert documents
    for doc in documents:
        assert isinstance(doc, dict)
        assert doc.get("apiVersion")
        assert doc.get("kind")
        assert doc.get("metadata", {}).get("name")
        assert "status" not in doc


@by_slug
def test_api_versions_are_served_by_current_kubernetes(scenario):
    for doc in docs(scenario):
        assert API_VERSIONS.get(doc["kind"]) == doc["apiVersion"], doc["metadata"]["name"]


@by_slug
def test_no_object_twice(scenario):
    keys = [(doc["kind"], namespace_of(doc), doc["metadata"]["name"]) for doc in docs(scenario)]
    assert len(keys) == len(set(keys))


@by_slug
def test_manifest_round_trips(scenario):
    documents = docs(scenario)
    assert list(yaml.safe_load_all(yaml.safe_dump_all(documents))) == documents
    assert json.loads(json.dumps(documents)) == documents  # plain data: no dates, no tags


@by_slug
def test_workload_selectors_match_their_templates(scenario):
    for doc in docs(scenario):
        if doc["kind"] in {"Deployment", "DaemonSet"}:
            selector = doc["spec"]["selector"]["matchLabels"]
        elif doc["kind"] == "ReplicationController":
            selector = doc["spec"]["selector"]
        else:
            continue
        assert selector_matches(selector, doc["spec"]["template"]["metadata"]["labels"])


@by_slug
def test_services_with_selectors_select_a_pod_template(scenario):
    for service in selector_services(scenario):
        assert selected_templates(scenario, service), service["metadata"]["name"]


@by_slug
def test_named_target_ports_exist_in_the_pods(scenario):
    for service in selector_services(scenario):
        for port in service["spec"]["ports"]:
            target = port.get("targetPort", port["port"])
            for template in selected_templates(scenario, service):
                declared = [
                    p.get("name") if isinstance(target, str) else p["containerPort"]
                    for container in template["spec"]["containers"]
                    for p in container.get("ports", [])
                ]
                assert target in declared, (service["metadata"]["name"], target)


@by_slug
def test_multi_port_services_name_every_port(scenario):
    for service in of_kind(scenario, "Service"):
        ports = service["spec"].get("ports", [])
        if len(ports) > 1:
            assert all(port.get("name") for port in ports)


@by_slug
def test_node_ports_are_in_range(scenario):
    for service in of_kind(scenario, "Service"):
        for port in service["spec"].get("ports", []):
            if "nodePort" in port:
                assert 30000 <= port["nodePort"] <= 32767


def test_a_node_port_belongs_to_one_service_across_scenarios():
    owners: dict[int, set[str]] = {}
    for scenario in SCENARIOS:
        for service in of_kind(scenario, "Service"):
            for port in service["spec"].get("ports", []):
                if "nodePort" in port:
                    owners.setdefault(port["nodePort"], set()).add(service["metadata"]["name"])
    assert all(len(names) == 1 for names in owners.values()), owners


@by_slug
def test_ingresses_use_v1_backends_served_by_the_builtin_controller(scenario):
    services = {svc["metadata"]["name"]: svc for svc in of_kind(scenario, "Service")}
    classes = {cls["metadata"]["name"]: cls for cls in of_kind(scenario, "IngressClass")}
    secrets = {secret["metadata"]["name"] for secret in of_kind(scenario, "Secret")}
    for ingress in of_kind(scenario, "Ingress"):
        spec = ingress["spec"]
        name = spec.get("ingressClassName", "nginx")
        assert name == "nginx" or classes[name]["spec"]["controller"] in NGINX_CONTROLLERS
        for rule in spec["rules"]:
            for path in rule["http"]["paths"]:
                assert path["pathType"] in {"Exact", "Prefix", "ImplementationSpecific"}
                assert path["path"].startswith("/")
                backend = path["backend"]["service"]
                ports = [p["port"] for p in services[backend["name"]]["spec"]["ports"]]
                assert backend["port"]["number"] in ports
        for tls in spec.get("tls", []):
            assert tls["secretName"] in secrets


@by_slug
def test_tls_secrets_hold_pem_certificate_and_key(scenario):
    for secret in of_kind(scenario, "Secret"):
        assert secret["type"] == "kubernetes.io/tls"
        crt = base64.b64decode(secret["data"]["tls.crt"], validate=True).decode("ascii")
        key = base64.b64decode(secret["data"]["tls.key"], validate=True).decode("ascii")
        assert crt.startswith("-----BEGIN CERTIFICATE-----\n")
        assert crt.rstrip().endswith("-----END CERTIFICATE-----")
        assert re.match(r"-----BEGIN (RSA )?PRIVATE KEY-----\n", key)


def test_the_demo_certificate_is_labelled_as_test_only():
    manifest = get("ingress-tls").manifest
    assert "TEST-ONLY DEMO CERTIFICATE" in manifest
    assert "kubia.example.com" in manifest.split("kind: Secret")[0].rsplit("---", 1)[1]


@by_slug
def test_try_commands_are_command_lines_with_known_placeholders(scenario):
    for line in scenario.try_commands:
        argv = shlex.split(line)
        assert argv[0] in PROGRAMS, line
        for word in re.findall(r"\b[A-Z][A-Z_]*[A-Z]\b", line):
            assert word in PLACEHOLDERS, (line, word)
        if re.search(r"\bPOD\b", line):
            assert scenario.pod_selector, line
    # The browser fills POD itself and reads only equality selectors (static/playground/room.js).
    if scenario.pod_selector:
        assert re.fullmatch(r"[\w./-]+=[\w.-]+(,[\w./-]+=[\w.-]+)*", scenario.pod_selector)


# -- applied to a simulated cluster -----------------------------------------------------
# These need the whole simulator (`from simulator import Cluster`).

#: try_commands expected to fail, by scenario slug and index: they fail on a real cluster too.
EXPECTED_FAILURES = {
    ("kubia-affinity", 9): "a ClusterIP does not answer ping",
    ("ingress-tls", 4): "curl rejects the self-signed certificate without -k (exit 60)",
    ("gateway-tls", 6): "curl rejects the self-signed certificate without -k (exit 60)",
    ("headless", 2): "no ready pods yet: the headless name is NXDOMAIN",
    ("demo-service", 6): "a ClusterIP does not answer ping",
    ("netpol-deny-all", 2): "web-deny-all drops the connection: curl times out (exit 28)",
    ("daemonset-taints", 3): "externalTrafficPolicy Local: no redis-ds pod on the tainted "
    "control-plane node, so its NodePort drops the request (curl exit 28)",
    ("netpol-allow-from-app", 2): "api-allow lets in app=bookstore only",
    ("netpol-allow-from-namespace", 2): "web-allow-prod lets in purpose=production only",
    ("netpol-deny-egress-allow-dns", 1): "foo may send DNS queries only",
    ("netpol-deny-egress-allow-dns", 3): "without foo-allow-dns the DNS query is dropped",
    ("netpol-deny-egress-allow-dns", 4): "the name no longer resolves (exit 28)",
    ("netpol-allow-ingress-controller", 1): "only the Ingress controller may reach web",
    ("netpol-allow-one-port", 1): "monitoring may reach port 5000 only",
    ("netpol-allow-one-port", 2): "only role=monitoring may reach port 5000",
}


def get_json(cluster, line: str) -> dict:
    return json.loads(run_ok(cluster, f"{line} -o json"))


def applied(scenario: Scenario):
    from simulator import Cluster

    cluster = Cluster(seed=0)
    result = cluster.run("kubectl apply -f -", stdin=scenario.manifest)
    assert result.exit_code == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr
    return cluster, result


def make_every_pod_ready(cluster) -> None:
    """Create the file each exec readiness probe (`ls PATH`) looks for, then let probes run."""
    for pod in get_json(cluster, "kubectl get pods")["items"]:
        for container in pod["spec"]["containers"]:
            command = ((container.get("readinessProbe") or {}).get("exec") or {}).get("command")
            if command:
                where = f"{pod['metadata']['name']} -c {container['name']}"
                run_ok(cluster, f"kubectl exec {where} -- touch {command[-1]}")
    cluster.advance(15)


def ready_addresses(cluster, name: str) -> set[str]:
    endpoints = get_json(cluster, f"kubectl get endpoints {name}")
    return {
        address["ip"]
        for subset in endpoints.get("subsets") or []
        for address in subset.get("addresses") or []
    }


@by_slug
def test_applies_to_a_fresh_cluster(scenario):
    _, result = applied(scenario)
    lines = result.stdout.splitlines()
    assert len(lines) == len(docs(scenario))
    assert all(line.endswith(" created") for line in lines), result.stdout


@by_slug
def test_applying_again_changes_nothing(scenario):
    cluster, _ = applied(scenario)
    out = run_ok(cluster, "kubectl apply -f -", stdin=scenario.manifest)
    assert all(line.endswith((" unchanged", " configured")) for line in out.splitlines()), out


@by_slug
def test_workloads_run_their_pods(scenario):
    cluster, _ = applied(scenario)
    for doc in docs(scenario):
        if doc["kind"] in {"Deployment", "ReplicationController"}:
            labels = doc["spec"]["template"]["metadata"]["labels"]
            selector = ",".join(f"{key}={value}" for key, value in labels.items())
            pods = get_json(cluster, f"kubectl get pods -l {selector}")["items"]
            assert len(pods) == doc["spec"].get("replicas", 1), doc["metadata"]["name"]
            assert {pod["status"]["phase"] for pod in pods} == {"Running"}


@by_slug
def test_every_service_with_a_selector_gets_endpoints(scenario):
    cluster, _ = applied(scenario)
    make_every_pod_ready(cluster)
    for service in selector_services(scenario):
        name = service["metadata"]["name"]
        assert ready_addresses(cluster, name), name


@by_slug
def test_export_rebuilds_the_scenario(scenario):
    from simulator import Cluster

    cluster, _ = applied(scenario)
    exported = cluster.export_yaml()
    objects = {(doc["kind"], namespace_of(doc), doc["metadata"]["name"]) for doc in docs(scenario)}
    assert {
        (d["kind"], namespace_of(d), d["metadata"]["name"])
        for d in yaml.safe_load_all(exported)
        if d
    } == objects
    run_ok(Cluster(seed=0), "kubectl apply -f -", stdin=exported)


def test_manual_endpoints_point_outside_the_cluster():
    cluster, _ = applied(get("manual-endpoints"))
    assert ready_addresses(cluster, "external-service") == {"13.250.94.254", "13.229.188.59"}


@pytest.mark.parametrize("slug", ["readiness", "headless"])
def test_probed_pods_start_not_ready(slug):
    cluster, _ = applied(get(slug))
    cluster.advance(15)
    assert ready_addresses(cluster, "kubia") == set()


def test_daemonset_skips_the_tainted_control_plane_unless_tolerated():
    cluster, _ = applied(get("daemonset-taints"))
    for selector, nodes in [
        ("name=redis-ds", {"worker-1", "worker-2"}),
        ("name=redis-ds-tolerant", {"control-plane", "worker-1", "worker-2"}),
    ]:
        pods = get_json(cluster, f"kubectl get pods -l {selector}")["items"]
        assert sorted(pod["spec"]["nodeName"] for pod in pods) == sorted(nodes)


def test_session_affinity_keeps_a_client_on_one_pod():
    scenario = get("kubia-affinity")
    cluster, _ = applied(scenario)
    pods = get_json(cluster, f"kubectl get pods -l {scenario.pod_selector}")["items"]
    client = pods[0]["metadata"]["name"]
    answers = {run_ok(cluster, f"kubectl exec {client} -- curl -s http://kubia") for _ in range(6)}
    assert len(answers) == 1, answers


def placeholder_values(cluster, scenario: Scenario) -> dict[str, str]:
    values = {}
    if scenario.pod_selector:
        pods = get_json(cluster, f"kubectl get pods -l {scenario.pod_selector}")["items"]
        values["POD"] = sorted(pod["metadata"]["name"] for pod in pods)[0]
    for node in get_json(cluster, "kubectl get nodes")["items"]:
        addresses = node["status"]["addresses"]
        address = next(a["address"] for a in addresses if a["type"] == "InternalIP")
        if node["metadata"]["name"] == "worker-1":
            values["NODE_IP"] = address
        if node["metadata"]["name"] == "control-plane":
            values["CONTROL_PLANE_IP"] = address
    for service in of_kind(scenario, "Service"):
        if service["spec"].get("type") == "LoadBalancer":
            live = get_json(cluster, f"kubectl get svc {service['metadata']['name']}")
            values["EXTERNAL_IP"] = live["status"]["loadBalancer"]["ingress"][0]["ip"]
    return values


@by_slug
def test_try_commands_work_in_order(scenario):
    cluster, _ = applied(scenario)
    values = placeholder_values(cluster, scenario)
    failures = []
    for index, line in enumerate(scenario.try_commands):
        command = re.sub(r"\b[A-Z][A-Z_]*[A-Z]\b", lambda m: values.get(m[0], m[0]), line)
        result = cluster.run(command)
        assert "internal simulator error" not in result.stderr, (command, result.stderr)
        expected_to_fail = (scenario.slug, index) in EXPECTED_FAILURES
        if (result.exit_code != 0) != expected_to_fail:
            failures.append((index, command, result.exit_code, result.stderr.strip()[:200]))
    assert not failures, failures
