"""Warnings beside errors, and every independent problem of a multi-document paste."""

from __future__ import annotations

import pytest

from simulator import Cluster
from simulator.problems import Problem, format_problems, warning_lines
from simulator.review import review_manifests
from tests.fixtures.notes import INGRESS_LINE, MISTAKES, NOTES

LEGACY_WARNING = (
    "Warning: extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; "
    "use networking.k8s.io/v1 Ingress\n"
)


def test_the_notes_paste_is_applied_with_one_warning_for_its_ingress() -> None:
    result = Cluster(0).run("kubectl apply -f -", stdin=NOTES)
    assert result.exit_code == 0
    assert result.stdout == (
        "replicationcontroller/k8s-node-demo-replication-controller created\n"
        "service/demo-service created\n"
        "ingress.networking.k8s.io/demo-ingress created\n"
    )
    assert result.stderr == LEGACY_WARNING
    (warning,) = result.problems
    assert (warning.severity, warning.document, warning.line, warning.column) == (
        "warning",
        2,
        INGRESS_LINE,
        1,
    )
    assert warning.message == LEGACY_WARNING.removeprefix("Warning: ").rstrip("\n")
    assert warning.hint.startswith("Kubernetes stopped serving Ingress in extensions/v1beta1")


def test_warnings_stay_beside_errors_when_the_input_is_refused() -> None:
    review = review_manifests(MISTAKES["tab"].text)
    assert [(p.severity, p.line) for p in review.problems] == [("error", 36), ("warning", 42)]


def test_kubectl_prints_each_warning_text_once() -> None:
    second = NOTES.split("---\n")[2].replace("name: demo-ingress", "name: other")
    result = Cluster(0).run("kubectl apply -f -", stdin=NOTES + "---\n" + second)
    assert result.stderr == LEGACY_WARNING
    assert [p.name for p in result.problems] == ["demo-ingress", "other"]


def test_hand_written_endpoints_get_the_api_servers_deprecation_warning() -> None:
    text = (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: external\nspec:\n  ports:\n"
        "  - port: 80\n---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: external\n"
        "subsets:\n- addresses:\n  - ip: 11.11.11.11\n  ports:\n  - port: 80\n"
    )
    result = Cluster(0).run("kubectl apply -f -", stdin=text)
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"
    )
    (warning,) = result.problems
    assert (warning.kind, warning.line) == ("Endpoints", 9)


SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - name: http
          containerPort: 8080
"""


def hints(text: str, cluster: Cluster | None = None) -> list[tuple[str, str]]:
    review = review_manifests(text, cluster=cluster.state.store if cluster else None)
    return [(p.field, p.hint) for p in review.warnings]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(SERVICE + "---\n" + DEPLOYMENT, [], id="selector and ports match"),
        pytest.param(
            SERVICE,
            [
                (
                    "spec.selector",
                    "Service “web” selects app=web, but no pod or pod template in this input or "
                    "in the cluster's namespace “default” carries that label: it gets no "
                    "endpoints, and connections to it are refused.",
                )
            ],
            id="nothing selected",
        ),
        pytest.param(
            SERVICE.replace("app: web", "app: wbe") + "---\n" + DEPLOYMENT,
            [
                (
                    "spec.selector",
                    "Service “web” selects app=wbe, but no pod or pod template in this input or "
                    "in the cluster's namespace “default” carries that label: it gets no "
                    "endpoints, and connections to it are refused. The pods here are labelled "
                    "app=web.",
                )
            ],
            id="a typo in the selector",
        ),
        pytest.param(
            SERVICE.replace("name: web", "name: web\n  namespace: shop") + "---\n" + DEPLOYMENT,
            [
                (
                    "spec.selector",
                    "Service “web” selects app=web, but no pod or pod template in this input or "
                    "in the cluster's namespace “shop” carries that label: it gets no endpoints, "
                    "and connections to it are refused. Pods in namespace “default” match, but "
                    "a Service only selects pods in its own namespace.",
                )
            ],
            id="pods in another namespace",
        ),
        pytest.param(
            SERVICE.replace("targetPort: 8080", "targetPort: 9376") + "---\n" + DEPLOYMENT,
            [
                (
                    "spec.ports[0].targetPort",
                    "No container selected by Service “web” declares containerPort 9376 (they "
                    "declare: 8080). A Kubeplay container listens only on the ports it "
                    "declares, so connections to port 80 would be refused.",
                )
            ],
            id="targetPort no container declares",
        ),
        pytest.param(
            SERVICE.replace("    targetPort: 8080\n", "") + "---\n" + DEPLOYMENT,
            [
                (
                    "spec.ports[0].port",
                    "No container selected by Service “web” declares containerPort 80 (they "
                    "declare: 8080). A Kubeplay container listens only on the ports it "
                    "declares, so connections to port 80 would be refused.",
                )
            ],
            id="targetPort left out defaults to port",
        ),
        pytest.param(
            SERVICE.replace("targetPort: 8080", "targetPort: htp") + "---\n" + DEPLOYMENT,
            [
                (
                    "spec.ports[0].targetPort",
                    "No container selected by Service “web” has a port named “htp” (their port "
                    "names: http), so no pod becomes an endpoint for port 80.",
                )
            ],
            id="named targetPort no container names",
        ),
        pytest.param(
            SERVICE.replace("targetPort: 8080", "targetPort: http") + "---\n" + DEPLOYMENT,
            [],
            id="named targetPort declared",
        ),
        pytest.param(
            SERVICE.replace("  selector:\n    app: web\n", ""),
            [],
            id="no selector (manual endpoints)",
        ),
        pytest.param(
            SERVICE.replace("  selector:\n    app: web\n", "  type: ExternalName\n").replace(
                "  ports:\n  - port: 80\n    targetPort: 8080\n", "  externalName: a.b\n"
            ),
            [],
            id="ExternalName",
        ),
        pytest.param(
            SERVICE + "---\n" + DEPLOYMENT.replace("      containers:", "    containers:"),
            [],
            id="pods whose document has errors are not judged",
        ),
    ],
)
def test_services_that_reach_no_pod_or_port(text: str, expected: list) -> None:
    assert hints(text) == expected


def test_pods_already_running_in_the_cluster_count() -> None:
    cluster = Cluster(0)
    assert cluster.run("kubectl apply -f -", stdin=DEPLOYMENT).exit_code == 0
    assert hints(SERVICE, cluster) == []
    assert hints(SERVICE.replace("targetPort: 8080", "targetPort: 9090"), cluster) == [
        (
            "spec.ports[0].targetPort",
            "No container selected by Service “web” declares containerPort 9090 (they declare: "
            "8080). A Kubeplay container listens only on the ports it declares, so connections "
            "to port 80 would be refused.",
        )
    ]


def test_kubeplays_own_warnings_never_reach_stderr() -> None:
    result = Cluster(0).run("kubectl apply -f -", stdin=SERVICE)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "service/web created\n", "")
    (warning,) = result.problems
    assert (warning.severity, warning.message, warning.field, warning.line) == (
        "warning",
        "",
        "spec.selector",
        6,
    )


def test_no_service_is_judged_after_a_syntax_error() -> None:
    # The broken document might be the one with the pods.
    text = (
        SERVICE
        + "---\n"
        + DEPLOYMENT.replace("  replicas", " replicas").replace("  template:", " template:")
    )
    review = review_manifests(text)
    assert review.errors
    assert review.warnings == []


def test_every_independent_problem_of_a_multi_document_paste_is_listed() -> None:
    broken_service = SERVICE.replace("  ports:", " ports:")  # syntax error in document 1
    colon = DEPLOYMENT.replace("      containers:", "      containers：")  # document 2
    bad_port = SERVICE.replace("name: web", "name: api").replace(
        "targetPort: 8080", "targetPort: 8080\n    nodePort: 80"
    )  # a field error in document 3
    text = "---\n".join([broken_service, colon, bad_port])
    cluster = Cluster(0)
    result = cluster.run("kubectl apply -f -", stdin=text)
    assert result.exit_code == 1
    services = cluster.state.store.list("Service", "default")
    assert [s["metadata"]["name"] for s in services] == ["kubernetes"]  # nothing applied
    located = [(p.document, p.line, p.severity) for p in result.problems]
    assert located == [(0, 8, "error"), (1, 25, "error"), (2, 42, "error")]
    assert "yaml: line 8: did not find expected key" in result.problems[0].message
    assert result.problems[1].hint.startswith("A full-width colon")
    assert result.problems[2].field == "spec.ports[0].nodePort"
    assert result.stderr.count("\n") == 3


def test_json_input_stops_at_its_first_error() -> None:
    text = '{"kind": "Pod",}\n{"kind": "Service", "x": }'
    review = review_manifests(text)
    assert len(review.errors) == 1
    assert review.errors[0].message.startswith("error: error parsing STDIN: json: line 1")


def test_warnings_and_findings_are_not_kubectl_output() -> None:
    warning = Problem(0, "apiVersion", "v1 Endpoints is deprecated", severity="warning")
    finding = Problem(0, "", "", line=3, hint="A tab")
    error = Problem(0, "", "error: boom", line=1)
    assert format_problems([warning, finding, error]) == "error: boom (document 1, line 1)"
    assert warning_lines([warning, finding, warning]) == ["Warning: v1 Endpoints is deprecated"]
    assert warning.kubectl_text() == "Warning: v1 Endpoints is deprecated"
    assert finding.kubectl_text() == "A tab"
    assert (warning.is_error, error.is_error) == (False, True)


def test_a_label_value_that_is_no_string_is_refused_not_an_internal_error() -> None:
    text = """apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds}
spec:
  selector: {matchLabels: {name: ds}}
  template:
    metadata: {labels: {name: []}}
    spec: {containers: [{name: c, image: redis}]}
"""
    result = Cluster(seed=0).run("kubectl apply -f -", stdin=text)
    assert result.exit_code == 1
    assert "internal simulator error" not in result.stderr
    assert "cannot unmarshal array into Go struct field ObjectMeta" in result.stderr


def test_a_selector_value_that_is_no_string_is_refused_not_an_internal_error() -> None:
    service = """apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  selector: {app: db, tier: {name: x}}
  ports: [{port: 3306}]
"""
    result = Cluster(seed=0).run("kubectl apply -f -", stdin=service + "---\n" + service)
    assert result.exit_code == 1
    assert "internal simulator error" not in result.stderr
    assert "cannot unmarshal object into Go struct field ServiceSpec.spec.selector" in result.stderr


def test_a_label_that_is_no_string_in_a_refused_document_is_reported_not_crashed_on() -> None:
    # Found by the fuzz test: the selection warnings indexed every label value.
    text = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: kubia}\n"
        "spec: {selector: {app: kubia}, ports: [{port: 80}]}\n---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
        "spec:\n  selector: {matchLabels: {app: kubia}}\n"
        "  template:\n    metadata: {labels: {app: []}}\n"
        "    spec: {containers: [{name: web, image: nginx}]}\n"
    )
    cluster = Cluster(seed=0)
    result = cluster.run("kubectl apply -f -", stdin=text)
    assert result.exit_code == 1
    assert "internal simulator error" not in result.stderr
    assert 'The Deployment "web" is invalid' in result.stderr
    assert "kubia" not in cluster.run("kubectl get svc").stdout  # nothing applied
