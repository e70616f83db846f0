"""Every path that writes labels refuses what the API server refuses, with its message,
and changes nothing; the export of what is accepted applies again."""

from __future__ import annotations

import pytest

from simulator import Cluster

KEY_ERROR = (
    "Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' "
    "or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
    "'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)


@pytest.fixture
def cluster() -> Cluster:
    cluster = Cluster(seed=0)
    assert cluster.run("kubectl create deployment web --image=nginx").exit_code == 0
    return cluster


@pytest.mark.parametrize(
    ("line", "head"),
    [
        ("kubectl label deploy web 'a b=c'", 'The Deployment "web" is invalid: metadata.labels: '),
        ("kubectl label deploy/web --overwrite 'a b=c' ok=1",
         'The Deployment "web" is invalid: metadata.labels: '),
        ("kubectl run p --image=nginx --labels='a b=c'",
         'The Pod "p" is invalid: metadata.labels: '),
        ("kubectl expose deploy web --port=80 --labels='a b=c'",
         'The Service "web" is invalid: metadata.labels: '),
        ("""kubectl patch deploy web -p '{"metadata":{"labels":{"a b":"c"}}}'""",
         'The Deployment "web" is invalid: metadata.labels: '),
        ("""kubectl patch deploy web --type=merge -p '{"metadata":{"annotations":{"a b":"c"}}}'""",
         'The Deployment "web" is invalid: metadata.annotations: '),
    ],
)  # fmt: skip
def test_a_bad_label_key_is_refused_with_the_api_servers_words(
    cluster: Cluster, line: str, head: str
) -> None:
    before = cluster.seq, cluster.export_yaml()
    result = cluster.run(line)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == head + KEY_ERROR + "\n"
    assert (cluster.seq, cluster.export_yaml()) == before


def test_a_bad_label_value_is_refused_by_kubectl_itself(cluster: Cluster) -> None:
    result = cluster.run("kubectl label deploy web 'x=<img>'")
    assert result.exit_code == 1
    assert result.stderr.startswith('error: invalid label value: "x=<img>": a valid label must')


def test_accepted_labels_export_and_apply_again(cluster: Cluster) -> None:
    assert cluster.run("kubectl label deploy web example.com/tier=web-1 ok=").exit_code == 0
    fresh = Cluster(seed=0)
    result = fresh.run("kubectl apply -f -", stdin=cluster.export_yaml())
    assert result.exit_code == 0, result.stderr
    shown = fresh.run("kubectl get deploy web --show-labels").stdout
    assert "example.com/tier=web-1" in shown


def test_annotate_sets_overwrites_and_removes_as_kubectl_does(cluster: Cluster) -> None:
    assert cluster.run("kubectl annotate deploy web team=blue").stdout == (
        "deployment.apps/web annotated\n"
    )
    same = cluster.run("kubectl annotate deploy web team=blue")
    assert same.exit_code == 0  # the same value is no overwrite
    clash = cluster.run("kubectl annotate deploy web team=red")
    assert (clash.exit_code, clash.stderr) == (
        1,
        "error: --overwrite is false but found the following declared annotation(s): "
        "'team' already has a value (blue)\n",
    )
    assert cluster.run("kubectl annotate deploy web team=red --overwrite").exit_code == 0
    both = cluster.run("kubectl annotate deploy web team- team=x")
    assert both.stderr == (
        "error: can not both modify and remove the following annotation(s) in the same "
        "command: team\n"
    )
    assert cluster.run("kubectl annotate deploy web team-").exit_code == 0
    annotations = cluster.run("kubectl get deploy web -o jsonpath={.metadata.annotations}")
    assert "team" not in annotations.stdout


def test_annotate_refuses_a_bad_key_with_the_api_servers_words(cluster: Cluster) -> None:
    before = cluster.seq, cluster.export_yaml()
    result = cluster.run("kubectl annotate deploy web 'a b=c'")
    assert result.stderr == (
        'The Deployment "web" is invalid: metadata.annotations: ' + KEY_ERROR + "\n"
    )
    assert (cluster.seq, cluster.export_yaml()) == before


def test_an_annotated_ingress_class_changes_who_serves_it() -> None:
    cluster = Cluster(seed=0)
    ingress = (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n"
        "  ingressClassName: nginx\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n"
    )
    assert cluster.run("kubectl apply -f -", stdin=ingress).exit_code == 0
    result = cluster.run("kubectl annotate ingress web example.com/owner=team-a")
    assert (result.exit_code, result.stdout) == (0, "ingress.networking.k8s.io/web annotated\n")
    fresh = Cluster(seed=0)
    assert fresh.run("kubectl apply -f -", stdin=cluster.export_yaml()).exit_code == 0
    owner = fresh.run(
        "kubectl get ing web -o 'jsonpath={.metadata.annotations.example\\.com/owner}'"
    )
    assert owner.stdout == "team-a"
