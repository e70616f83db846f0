"""Parsing learner input: YAML and JSON shapes, limits, tags, locations, the error format and
the resource-type registry."""

from __future__ import annotations

import random
import time  # bounds below are CPU time: the work done, whatever else the machine runs

import pytest
import yaml

from simulator import kinds, manifest_screens, manifests
from simulator.manifests import Limits, parse_manifests
from simulator.problems import ManifestError, Problem, format_problems


def refusal(text: str, **limits: int) -> Problem:
    """The single problem `parse_manifests` raises for `text`."""
    with pytest.raises(ManifestError) as caught:
        parse_manifests(text, limits=Limits(**limits) if limits else manifests.DEFAULT_LIMITS)
    (problem,) = caught.value.problems
    return problem


SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: kubia
spec:
  ports:
  - port: 80
"""


# --- shapes ------------------------------------------------------------------------------


def test_multi_document_yaml_keeps_source_indexes_and_lines() -> None:
    text = SERVICE + "---\n---\n# only a comment\n---\n" + SERVICE.replace("kubia", "other")
    parsed = parse_manifests(text)
    assert [(d.index, d.line, d.obj["metadata"]["name"]) for d in parsed.documents] == [
        (0, 1, "kubia"),
        (3, 12, "other"),
    ]


def test_comment_only_input_has_no_documents() -> None:
    assert parse_manifests("# nothing here\n---\n").documents == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            '{"kind": "Service", "apiVersion": "v1"}', [(0, None, "Service")], id="json object"
        ),
        pytest.param(
            '{"kind": "Pod"}\n{"kind": "Service"}',
            [(0, None, "Pod"), (1, None, "Service")],
            id="concatenated json objects",
        ),
        pytest.param(
            '[{"kind": "Pod"}, {"kind": "Service"}]',
            [(0, 0, "Pod"), (0, 1, "Service")],
            id="json array of objects",
        ),
        pytest.param(
            '{"kind": "List", "apiVersion": "v1", "items": [{"kind": "Pod"}]}',
            [(0, 0, "Pod")],
            id="json List",
        ),
        pytest.param(
            "kind: List\napiVersion: v1\nitems:\n- kind: Pod\n- kind: Service\n",
            [(0, 0, "Pod"), (0, 1, "Service")],
            id="yaml List",
        ),
        pytest.param("kind: List\napiVersion: v1\n", [], id="List without items"),
        pytest.param(
            "{kind: Service, apiVersion: v1}",
            [(0, None, "Service")],
            id="yaml flow mapping that is not json",
        ),
    ],
)
def test_input_shapes(text: str, expected: list) -> None:
    parsed = parse_manifests(text)
    assert [(d.index, d.item, d.obj["kind"]) for d in parsed.documents] == expected


def test_typed_list_items_get_kind_and_api_version() -> None:
    text = "apiVersion: v1\nkind: ServiceList\nitems:\n- metadata: {name: a}\n"
    (document,) = parse_manifests(text).documents
    assert document.obj == {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}}
    assert (document.line, document.item) == (4, 0)


def test_list_items_know_their_lines() -> None:
    text = "apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  metadata: {name: a}\n- kind: Pod\n"
    assert [d.line for d in parse_manifests(text).documents] == [4, 6]


def test_bytes_input_is_decoded() -> None:
    assert parse_manifests(SERVICE.encode()).documents[0].obj["kind"] == "Service"


def test_byte_order_mark_is_ignored() -> None:
    assert parse_manifests("\ufeff" + SERVICE).documents[0].obj["kind"] == "Service"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("2024-01-01", "2024-01-01", id="date stays a string"),
        pytest.param("2024-01-01T10:00:00Z", "2024-01-01T10:00:00Z", id="timestamp stays"),
        pytest.param("!!timestamp 2024-01-01", "2024-01-01", id="explicit timestamp tag"),
        pytest.param("1:30", "1:30", id="sexagesimal stays a string"),
        pytest.param("80", 80, id="int"),
        pytest.param("0x1F", 31, id="hex int"),
        pytest.param("0", 0, id="zero"),
        pytest.param("0755", 493, id="YAML 1.1 octal int"),
        pytest.param("00", 0, id="octal zero"),
        pytest.param("1_000", 1000, id="int with underscores"),
        pytest.param("-8", -8, id="negative int"),
        pytest.param("0b101", 5, id="binary int"),
        pytest.param("\u0665", "\u0665", id="a non-ASCII digit stays a string"),
        pytest.param("1.5", 1.5, id="float"),
        pytest.param("true", True, id="bool"),
        pytest.param("~", None, id="null"),
        pytest.param('"80"', "80", id="quoted number is a string"),
    ],
)
def test_scalars_match_kubectls_yaml_reading(value: str, expected: object) -> None:
    (document,) = parse_manifests(f"kind: Pod\nvalue: {value}\n").documents
    assert document.obj["value"] == expected


def test_a_word_keeps_its_reading_whether_quoted_or_plain_in_any_order() -> None:
    # Plain scalars' tags are remembered between documents; quoting must still win.
    text = "kind: Pod\na: '80'\nb: 80\nc: 'true'\nd: true\n---\nkind: Pod\na: 80\nb: '80'\n"
    first, second = (d.obj for d in parse_manifests(text).documents)
    assert (first["a"], first["b"], first["c"], first["d"]) == ("80", 80, "true", True)
    assert (second["a"], second["b"]) == (80, "80")


def test_inline_merge_key_without_aliases() -> None:
    (document,) = parse_manifests("kind: Pod\nm:\n  <<: {app: web}\n  tier: db\n").documents
    assert document.obj["m"] == {"app": "web", "tier": "db"}


def test_accepted_aliases_are_copied_not_shared() -> None:
    text = "kind: Pod\na: &labels {app: web}\nb: *labels\nc:\n  <<: *labels\n  tier: db\n"
    (document,) = parse_manifests(text).documents
    obj = document.obj
    assert obj["b"] == {"app": "web"}
    assert obj["c"] == {"app": "web", "tier": "db"}
    assert obj["a"] is not obj["b"]


# --- problems while parsing --------------------------------------------------------------


def test_syntax_error_has_kubectls_shape_and_location() -> None:
    text = SERVICE + "---\nkind: Pod\nmetadata:\n  name: a\n  labels: app: web\n"
    problem = refusal(text)
    assert problem.message == (
        "error: error parsing STDIN: error converting YAML to JSON: yaml: line 12: "
        "mapping values are not allowed in this context"
    )
    assert (problem.document, problem.line, problem.column) == (1, 12, 14)


def test_source_name_appears_in_messages() -> None:
    with pytest.raises(ManifestError) as caught:
        parse_manifests("a: b: c", source="svc.yaml")
    assert "error parsing svc.yaml:" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "kind: Pod\nx: !!python/object/apply:os.system [ls]\n",
            "error: refused: language-specific YAML tags are not allowed (line 2)",
            id="python tag",
        ),
        pytest.param(
            "kind: Pod\nx: !ruby/object {}\n",
            "error: refused: language-specific YAML tags are not allowed (line 2)",
            id="local tag",
        ),
        pytest.param(
            "kind: Pod\nx: !!set {a}\n",
            "error: refused: the YAML tag !!set is not supported; use plain mappings, "
            "lists and strings (line 2)",
            id="set tag",
        ),
        pytest.param(
            "kind: Pod\nx: !!binary aGVsbG8=\n",
            "error: refused: the YAML tag !!binary is not supported; use plain "
            "mappings, lists and strings (line 2)",
            id="binary tag",
        ),
        pytest.param(
            "kind: Pod\ndata:\n  80: http\n",
            "error: error parsing STDIN: mapping keys must be strings; put the key 80 "
            "in quotes (line 3)",
            id="number key",
        ),
        pytest.param(
            "kind: Pod\n? [a, b]\n: c\n",
            "error: error parsing STDIN: mapping keys must be strings; put the key "
            "(a collection) in quotes (line 2)",
            id="collection key",
        ),
        pytest.param(
            "just a string\n",
            'error: unable to decode "STDIN": json: cannot unmarshal string into Go '
            "value of type map[string]interface {}",
            id="scalar document",
        ),
        pytest.param(
            "- 1\n- 2\n",
            'error: unable to decode "STDIN": item 0 of the list is a number, not an object',
            id="list of numbers",
        ),
        pytest.param(
            "kind: Pod\nx: \x07\n",
            "error: error parsing STDIN: error converting YAML to JSON: yaml: line 2: "
            "control characters are not allowed: unacceptable character #x0007",
            id="control character",
        ),
    ],
)
def test_refused_input(text: str, message: str) -> None:
    assert refusal(text).message == message


def test_json_syntax_error_is_located() -> None:
    problem = refusal('{"kind": "Pod",\n "metadata": {"name": }')
    assert problem.message == (
        "error: error parsing STDIN: json: line 2, column 23: Expecting value"
    )
    assert (problem.line, problem.column) == (2, 23)


# --- limits ------------------------------------------------------------------------------


def test_too_large_input_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parser must not run")

    monkeypatch.setattr(manifests._Loader, "__init__", no_parsing)
    monkeypatch.setattr(manifests.json.JSONDecoder, "raw_decode", no_parsing)
    text = "# " + "x" * int(2.1 * 1024 * 1024) + "\n"
    started = time.process_time()
    problem = refusal(text)
    assert time.process_time() - started < 0.5
    assert problem.message == (
        "error: refused: the input is 2,202,012 bytes; the limit is 2,097,152 bytes (2 MiB)"
    )


def test_size_counts_utf8_bytes() -> None:
    text = "kind: Pod\nx: " + "é" * 600 + "\n"
    assert "the input is 1,214 bytes" in refusal(text, max_bytes=1024).message


def test_too_many_documents() -> None:
    text = "kind: Pod\n---\n" * 6
    assert refusal(text, max_documents=5).message == (
        "error: refused: more than 5 documents in one input"
    )


def test_too_many_list_items() -> None:
    text = "kind: List\nitems:\n" + "- kind: Pod\n" * 6
    assert refusal(text, max_documents=5).message == (
        "error: refused: more than 5 documents in one input"
    )


def test_many_empty_documents_stop_early() -> None:
    started = time.process_time()
    refusal("---\n" * 400_000)
    assert time.process_time() - started < 1.0


def _nested_block(depth: int) -> str:
    return "".join(f"{'  ' * level}k{level}:\n" for level in range(depth)) + "  " * depth + "x\n"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param(_nested_block(70), 64, id="block mappings"),
        pytest.param("kind: Pod\nx: " + "[" * 70 + "]" * 70 + "\n", 2, id="flow sequences"),
        pytest.param("- " * 100_000 + "x\n", 1, id="100k compact sequences"),
        pytest.param("x: " + "[" * 500_000 + "]" * 500_000, 1, id="500k flow sequences"),
        pytest.param('{"a": ' * 100 + "1" + "}" * 100, None, id="json objects"),
        pytest.param(
            '[{"kind": "Pod", "x": ' + "[" * 3000 + "]" * 3000 + "}]",
            None,
            id="json beyond the recursion limit",
        ),
        pytest.param(
            "root:\r" + "".join(f"{' ' * n}a{n}:\r" for n in range(1, 80)) + " " * 80 + "b\r",
            None,
            id="old mac line breaks",
        ),
    ],
)
def test_too_deep_input_is_refused_quickly(text: str, line: int | None) -> None:
    started = time.process_time()
    problem = refusal(text)
    assert time.process_time() - started < 1.0
    assert problem.message.startswith("error: refused: nesting deeper than 64 levels")
    if line is not None:
        assert problem.line == line


def test_flow_style_manifests_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_scan(*args: object) -> None:
        raise AssertionError("the slow depth scan must not run")

    monkeypatch.setattr(manifest_screens, "scan_depth_events", no_scan)
    monkeypatch.setattr(manifests, "check_depths", no_scan)
    text = "".join(
        f"---\nkind: Service\nmetadata: {{name: s{i}, labels: {{app: a}}}}\n"
        f"spec: {{selector: {{app: a}}, ports: [{{port: 80, targetPort: 8080}}]}}\n"
        for i in range(1000)
    )
    assert len(parse_manifests(text).documents) == 1000


def test_many_flow_collections_in_one_document_are_measured_exactly() -> None:
    text = "kind: Pod\nitems:\n" + "- {a: [1, {b: 2}]}\n" * 600
    (document,) = parse_manifests(text).documents
    assert len(document.obj["items"]) == 600


def test_flow_nesting_cannot_cross_documents() -> None:
    with pytest.raises(ManifestError) as caught:
        parse_manifests("x: [[[\n---\n]]]\n")
    assert [(p.document, p.line) for p in caught.value.problems] == [(0, 2), (1, 3)]
    for problem in caught.value.problems:
        assert problem.message.startswith("error: error parsing STDIN: error converting YAML")


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def _spine(rng: random.Random, depth: int) -> object:
    # One deep path with small siblings, in random mapping/sequence mixes.
    if depth == 0:
        return rng.choice(["x", 1, None])
    child = _spine(rng, depth - 1)
    if rng.random() < 0.5:
        return {"k": child, "z": "s"} if rng.random() < 0.5 else {"k": child}
    return [child, "s"] if rng.random() < 0.5 else ["s", child]


def test_cheap_depth_bound_never_underestimates(monkeypatch: pytest.MonkeyPatch) -> None:
    # The text screen may say "provably within the limit" only when that is true.
    def no_scan(*args: object) -> None:
        raise AssertionError("these inputs are shallow enough for the cheap screen")

    monkeypatch.setattr(manifest_screens, "scan_depth_events", no_scan)
    rng = random.Random(7)
    for _ in range(400):
        obj = {"root": _spine(rng, rng.randint(1, 80))}
        text = yaml.safe_dump(
            obj, indent=rng.choice([2, 3, 4]), default_flow_style=rng.choice([False, None, True])
        )
        limits = Limits(max_depth=rng.choice([8, 16, 32, 64]))
        walk_needed = manifest_screens.screen_depth(text, limits)
        if not walk_needed:
            assert _depth(obj) <= limits.max_depth, text


def test_depth_at_the_limit_is_accepted() -> None:
    (document,) = parse_manifests(_nested_block(63)).documents
    assert "k0" in document.obj


def test_wide_but_shallow_indentation_is_accepted() -> None:
    # 40 columns of indentation exceed the cheap bound, so the exact walk decides.
    text = "kind: Pod\nspec:\n" + " " * 40 + "a: 1\n" + " " * 40 + "b:\n" + " " * 48 + "c: 2\n"
    assert parse_manifests(text).documents[0].obj["spec"]["b"] == {"c": 2}


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_billion_laughs_is_refused_in_well_under_a_second() -> None:
    started = time.process_time()
    problem = refusal(BILLION_LAUGHS)
    assert time.process_time() - started < 0.2
    assert problem.message.startswith("error: refused: YAML aliases would expand to more than")


def test_many_aliases_are_refused() -> None:
    text = "a: &x 1\nb: [" + ", ".join(["*x"] * 101) + "]\n"
    # The line is the anchor's: the node that is reused too often.
    assert refusal(text).message == "error: refused: more than 100 YAML aliases (line 1)"


def test_recursive_alias_is_refused() -> None:
    problem = refusal("kind: Pod\nloop: &x [1, *x]\n")
    assert problem.message == (
        "error: refused: a YAML alias refers to a node that contains it (line 2)"
    )


def test_ampersands_and_stars_in_strings_are_not_aliases() -> None:
    text = 'kind: Ingress\nhost: "*.example.com"\nurl: http://x/?a=1&b=2\nwild: a*b\n'
    (document,) = parse_manifests(text).documents
    assert document.obj["host"] == "*.example.com"


# --- locate ------------------------------------------------------------------------------

TWO_PORTS = """\
apiVersion: v1
kind: Service
metadata:
  name: kubia
  labels: {app: kubia, "example.com/tier": web}
spec:
  ports:
  - port: 80
    targetPort: 8080
  - port: 443
---
kind: Secret
data:
  tls.crt: abc
"""


@pytest.mark.parametrize(
    ("document", "field", "expected"),
    [
        pytest.param(0, "spec.ports[1].name", (10, 5), id="missing field falls back to item"),
        pytest.param(0, "spec.ports[0].targetPort", (9, 5), id="existing field points at key"),
        pytest.param(0, "spec.ports[7].port", (7, 3), id="missing index falls back to list"),
        pytest.param(0, "metadata.labels[example.com/tier]", (5, 24), id="bracketed key"),
        pytest.param(0, "spec.selector", (6, 1), id="missing key falls back to parent"),
        pytest.param(0, "", (1, 1), id="document start"),
        pytest.param(1, "data[tls.crt]", (14, 3), id="dotted key in second document"),
        pytest.param(9, "spec", (None, None), id="unknown document"),
    ],
)
def test_locate(document: int, field: str, expected: tuple) -> None:
    assert parse_manifests(TWO_PORTS).locate(document, field) == expected


def test_locate_list_items_and_json() -> None:
    text = "kind: List\nitems:\n- kind: Pod\n  metadata: {name: a}\n- kind: Pod\n  spec: {}\n"
    parsed = parse_manifests(text)
    assert parsed.locate(0, "spec", item=1) == (6, 3)
    parsed = parse_manifests('{"kind": "Pod"}\n  {"kind": "Service", "spec": {"ports": []}}')
    assert parsed.locate(1, "spec.ports") == (2, 32)


def test_locate_is_lazy(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    original = yaml.compose_all
    monkeypatch.setattr(yaml, "compose_all", lambda *a, **k: calls.append(1) or original(*a, **k))
    parsed = parse_manifests(TWO_PORTS)
    assert calls == []
    parsed.locate(0, "spec")
    parsed.locate(1, "data")
    assert calls == [1]


# --- problems and their text -------------------------------------------------------------


def test_problem_text_and_dict() -> None:
    problem = Problem(1, "spec.ports[1].name", "Required value", "Service", "kubia", 14, 7)
    assert str(problem) == (
        'document 2, line 14, column 7: The Service "kubia" is invalid: '
        "spec.ports[1].name: Required value"
    )
    assert problem.to_dict() == {
        "document": 1,
        "field": "spec.ports[1].name",
        "message": "Required value",
        "kind": "Service",
        "name": "kubia",
        "line": 14,
        "column": 7,
        "severity": "error",
        "hint": "",
        "excerpt": "",
        "text": str(problem),
    }


def test_format_one_cause() -> None:
    problem = Problem(0, "spec.ports[0].nodePort", "Invalid value: 80: bad", "Service", "x", 9)
    assert format_problems([problem]) == (
        'The Service "x" is invalid: spec.ports[0].nodePort: Invalid value: 80: bad '
        "(document 1, line 9)"
    )


def test_format_several_causes_and_objects() -> None:
    problems = [
        Problem(0, "spec.ports[0].name", "Required value", "Service", "x", 8, 5),
        Problem(0, "spec.ports[1].name", "Required value", "Service", "x", 10, 5),
        Problem(
            1,
            "",
            "error: resource mapping not found ...\nensure CRDs are installed first",
            "Foo",
            "y",
            12,
            1,
        ),
        Problem(2, "", "error: error parsing STDIN: yaml: line 20: oops", line=20),
    ]
    assert format_problems(problems, locations=False) == (
        'The Service "x" is invalid: \n'
        "* spec.ports[0].name: Required value\n"
        "* spec.ports[1].name: Required value\n"
        "error: resource mapping not found ...\n"
        "ensure CRDs are installed first\n"
        "error: error parsing STDIN: yaml: line 20: oops"
    )
    assert format_problems(problems).splitlines() == [
        'The Service "x" is invalid: ',
        "* spec.ports[0].name: Required value (document 1, line 8, column 5)",
        "* spec.ports[1].name: Required value (document 1, line 10, column 5)",
        "error: resource mapping not found ... (document 2, line 12, column 1)",
        "ensure CRDs are installed first",
        "error: error parsing STDIN: yaml: line 20: oops",
    ]


def test_manifest_error_carries_problems_and_text() -> None:
    with pytest.raises(ManifestError) as caught:
        parse_manifests("a: b: c")
    error = caught.value
    assert isinstance(error.problems[0], Problem)
    assert str(error) == format_problems(error.problems)


# --- the resource registry ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("svc", "Service"),
        ("services", "Service"),
        ("Service", "Service"),
        ("po", "Pod"),
        ("ep", "Endpoints"),
        ("ing", "Ingress"),
        ("no", "Node"),
        ("deploy", "Deployment"),
        ("deployments.apps", "Deployment"),
        ("deployment.v1.apps", "Deployment"),
        ("rs", "ReplicaSet"),
        ("rc", "ReplicationController"),
        ("ds", "DaemonSet"),
        ("ns", "Namespace"),
        ("cm", "ConfigMap"),
        ("ev", "Event"),
        ("ingressclasses", "IngressClass"),
        ("endpointslices.discovery.k8s.io", "EndpointSlice"),
        ("SECRETS", "Secret"),
    ],
)
def test_lookup(name: str, kind: str) -> None:
    assert kinds.lookup(name).kind == kind


def test_lookup_unknown() -> None:
    assert kinds.lookup("foo") is None


@pytest.mark.parametrize(
    ("kind", "api_version", "qualified", "resource_qualified", "namespaced"),
    [
        ("Service", "v1", "service", "services", True),
        ("Deployment", "apps/v1", "deployment.apps", "deployments.apps", True),
        (
            "Ingress",
            "networking.k8s.io/v1",
            "ingress.networking.k8s.io",
            "ingresses.networking.k8s.io",
            True,
        ),
        (
            "IngressClass",
            "networking.k8s.io/v1",
            "ingressclass.networking.k8s.io",
            "ingressclasses.networking.k8s.io",
            False,
        ),
        ("Node", "v1", "node", "nodes", False),
    ],
)
def test_type_names(
    kind: str, api_version: str, qualified: str, resource_qualified: str, namespaced: bool
) -> None:
    resource = kinds.by_kind(kind)
    assert (
        resource.api_version,
        resource.qualified,
        resource.resource_qualified,
        resource.namespaced,
    ) == (api_version, qualified, resource_qualified, namespaced)


@pytest.mark.parametrize(
    ("api_version", "kind", "expected"),
    [
        ("v1", "Service", "Service"),
        ("apps/v1", "Deployment", "Deployment"),
        ("extensions/v1beta1", "Ingress", "Ingress"),
        ("networking.k8s.io/v1beta1", "Ingress", "Ingress"),
        ("apps/v1beta1", "Deployment", None),
        ("v1", "Deployment", None),
        ("v1", "service", None),
        ("v1", "Foo", None),
    ],
)
def test_resolve_manifest_type(api_version: str, kind: str, expected: str | None) -> None:
    resource = kinds.resolve_manifest_type(api_version, kind)
    assert (resource.kind if resource else None) == expected


def test_every_type_is_unique() -> None:
    assert len({t.kind for t in kinds.RESOURCE_TYPES}) == len(kinds.RESOURCE_TYPES)
