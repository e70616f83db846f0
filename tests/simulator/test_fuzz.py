"""Property tests: no manifest or command line reaches an internal error, a refused input
changes nothing, and the export of any fuzzed room applies to a fresh cluster again.

Examples are derandomized (the same ones every run, so CI is deterministic) and
few enough to keep the module within some tens of seconds; run with
`--hypothesis-seed=N` and a larger `FUZZ_EXAMPLES` to search further.
"""

from __future__ import annotations

import json
import os
import shlex

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import SCENARIOS, Capacity, Cluster

from .fuzzing import command_lines, manifests, twins

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "120"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SCENARIO = st.sampled_from([s.slug for s in SCENARIOS])
_BY_SLUG = {s.slug: s for s in SCENARIOS}
# Verbs whose one invocation changes one thing or nothing (kubectl applies the others
# object by object, so a late failure leaves the earlier objects changed, as there).
WHOLE = {"apply", "run", "expose", "create", "patch", "edit"}


# A room's kind of limits, small: fuzzed replicas may then be any int32.
CAPACITY = Capacity(replicas=100, pods=400, objects=400, nodes=10)
MAX_INT = 70_000


def prepared(slug: str) -> Cluster:
    cluster = Cluster(seed=0, capacity=CAPACITY)
    result = cluster.run("kubectl apply -f -", stdin=_BY_SLUG[slug].manifest)
    assert result.exit_code == 0, result.stderr
    return cluster


def state(cluster: Cluster) -> tuple:
    """What a refused input must leave as it was: the change feed, the objects, the view."""
    return cluster.seq, cluster.export_yaml(), json.dumps(cluster.snapshot(), sort_keys=True)


def check_sane(line: str, result) -> None:
    assert isinstance(result.stdout, str)
    assert isinstance(result.stderr, str)
    assert "internal simulator error" not in result.stderr, (line, result.stderr)
    assert 0 <= result.exit_code <= 255, (line, result.exit_code)
    if result.exit_code and _plain_kubectl(line):
        assert result.stderr.strip(), f"{line!r} failed without a message"


def _plain_kubectl(line: str) -> list[str] | None:
    """The words of a kubectl line with nothing for the shell to do, else None."""
    if any(c in line for c in "|;&<>$`\\*?~#{}[]\n"):
        return None
    try:
        words = shlex.split(line)
    except ValueError:
        return None
    return words if words[:1] == ["kubectl"] else None


def _whole(line: str) -> bool:
    words = _plain_kubectl(line)
    if not words or "--" in words:
        return False
    verbs = [w for w in words[1:] if not w.startswith("-")]
    return bool(verbs) and verbs[0] in WHOLE and len(verbs) <= 3


@FUZZ
@given(slug=SCENARIO, verb=st.sampled_from(["apply", "create"]), text=manifests(MAX_INT))
def test_fuzzed_manifests_are_applied_whole_or_refused_whole(slug: str, verb: str, text: str):
    cluster = prepared(slug)
    before = state(cluster)
    line = f"kubectl {verb} -f -"
    result = cluster.run(line, stdin=text)
    check_sane(line, result)
    if result.exit_code and "(AlreadyExists)" not in result.stderr:
        assert state(cluster) == before, result.stderr


@FUZZ
@given(slug=SCENARIO, text=twins(MAX_INT))
def test_what_two_objects_both_ask_for_is_refused_whole(slug: str, text: str):
    cluster = prepared(slug)
    before = state(cluster)
    result = cluster.run("kubectl apply -f -", stdin=text)
    check_sane("kubectl apply -f -", result)
    if result.exit_code:
        assert state(cluster) == before, result.stderr


@FUZZ
@given(slug=SCENARIO, lines=st.lists(command_lines(), min_size=1, max_size=3))
def test_fuzzed_command_lines_fail_cleanly(slug: str, lines: list[str]):
    cluster = prepared(slug)
    for line in lines:
        before = state(cluster) if _whole(line) else None
        result = cluster.run(line)
        check_sane(line, result)
        if before is not None and result.exit_code:
            assert state(cluster) == before, (line, result.stderr)


def routes(cluster: Cluster) -> dict:
    """Services (type, selector, ports) and Ingress routes, as `kubectl get -o json` shows."""
    found = {}
    services = json.loads(cluster.run("kubectl get svc -A -o json").stdout)["items"]
    for svc in services:
        spec = svc["spec"]
        ports = sorted(
            (p.get("name", ""), p["port"], str(p.get("targetPort")), p.get("protocol"))
            for p in spec.get("ports") or ()
        )
        found["svc", svc["metadata"]["namespace"], svc["metadata"]["name"]] = (
            spec.get("type"), spec.get("selector"), ports, spec.get("externalName"),
            spec.get("sessionAffinity"), spec.get("clusterIP") == "None",
        )  # fmt: skip
    ingresses = json.loads(cluster.run("kubectl get ing -A -o json").stdout)["items"]
    for ing in ingresses:
        spec = ing["spec"]
        found["ing", ing["metadata"]["namespace"], ing["metadata"]["name"]] = (
            spec.get("ingressClassName"), spec.get("rules"), spec.get("tls"),
            spec.get("defaultBackend"),
        )  # fmt: skip
    return found


@FUZZ
@given(slug=SCENARIO, lines=st.lists(command_lines(), max_size=4), text=manifests(MAX_INT))
def test_the_export_of_a_fuzzed_room_applies_again(slug: str, lines: list[str], text: str):
    cluster = prepared(slug)
    cluster.run("kubectl apply -f -", stdin=text)
    for line in lines:
        cluster.run(line)
    exported = cluster.export_yaml()
    fresh = Cluster(seed=0)
    result = fresh.run("kubectl apply -f -", stdin=exported)
    assert result.exit_code == 0, (result.stderr, exported)
    assert routes(fresh) == routes(cluster)


_TEMPLATE_CHARS = "{}[]().*@$?=!<>\"' ,:-0123456789abcemnrgtx\\/\n\t"
_LISTED = {
    "apiVersion": "v1",
    "kind": "List",
    "metadata": {"resourceVersion": ""},
    "items": [
        {"metadata": {"name": "a", "labels": {"x.y/z": "1"}}, "spec": {"ports": [{"port": 80}]}}
    ],
}


@FUZZ
@given(template=st.text(alphabet=_TEMPLATE_CHARS, max_size=40))
def test_any_jsonpath_template_prints_or_fails_as_kubectl_does(template: str):
    from simulator.kubectl import jsonpath

    try:
        printed = jsonpath.render(template, _LISTED)
    except (jsonpath.TemplateError, jsonpath.ExecutionError) as err:
        printed = str(err)  # client-go's reason, never empty
        assert printed
    assert isinstance(printed, str)


_DEPLOYMENT = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: bar}\nspec:\n  replicas: 1\n"
    "  selector: {matchLabels: {app: bar}}\n  template:\n    metadata: {labels: {app: bar}}\n"
    "    spec:\n      tolerations: %s\n      containers:\n"
    "      - {name: kubia, image: luksa/kubia, ports: %s, env: %s}\n"
)


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        (_DEPLOYMENT % ("[]", "[null]", "[]"), "containers[0].ports[0].containerPort: Required"),
        (_DEPLOYMENT % ("[]", "[]", "[null]"), "containers[0].env[0].name: Required value"),
        (_DEPLOYMENT % ("[null]", "[]", "[]"), "tolerations[0].operator: Invalid value"),
        (
            "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
            "spec: {selector: {app: a}, ports: [null]}\n",
            "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535",
        ),
        (
            "apiVersion: v1\nkind: Node\nmetadata: {name: n9}\nspec: {taints: [null]}\n",
            'spec.taints[0].key: Invalid value: ""',
        ),
    ],
)
def test_a_null_item_of_a_list_of_structs_is_the_empty_struct(text: str, cause: str) -> None:
    """Found by the fuzzer: Go decodes `[null]` into one zero struct, which validation
    refuses; it used to pass and crash the kubelet or the Service controller."""
    cluster = Cluster(seed=0)
    before = state(cluster)
    result = cluster.run("kubectl apply -f -", stdin=text)
    assert result.exit_code == 1
    assert cause in result.stderr
    assert state(cluster) == before
