"""`-o json`, `-o yaml`, `-o name` and JSONPath templates."""

from __future__ import annotations

import json

import pytest
import yaml

from simulator import Cluster
from simulator.kubectl import jsonpath
from simulator.kubectl.go_syntax import go_value, quote
from simulator.kubectl.output import as_list, resource_name, to_json, to_yaml

from .builders import make_node, make_pod


def test_json_is_indented_by_four_sorted_and_escaped() -> None:
    assert to_json({"b": "<x&y>", "a": 1}) == (
        '{\n    "a": 1,\n    "b": "\\u003cx\\u0026y\\u003e"\n}\n'
    )


def test_several_objects_print_as_a_list() -> None:
    data = json.loads(to_json(as_list([make_pod("a"), make_pod("b")])))
    assert data["kind"] == "List"
    assert data["apiVersion"] == "v1"
    assert data["metadata"] == {"resourceVersion": ""}
    assert [p["metadata"]["name"] for p in data["items"]] == ["a", "b"]


def test_yaml_style_matches_kubectl() -> None:
    shared = {"app": "kubia"}  # objects may share nested dicts: no anchors in the output
    obj = {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {
            "name": "x",
            "labels": shared,
            "annotations": {"note": "a\nb\n"},
            "creationTimestamp": "2026-11-22T09:00:00Z",
        },
        "spec": {
            "selector": shared,
            "ports": [{"port": 80, "name": "80"}],
            "flags": ["", "true"],
            "empty": {},
            "nothing": None,
        },
    }
    assert to_yaml(obj) == (
        "apiVersion: v1\n"
        "kind: Pod\n"
        "metadata:\n"
        "  annotations:\n"
        "    note: |\n"
        "      a\n"
        "      b\n"
        '  creationTimestamp: "2026-11-22T09:00:00Z"\n'
        "  labels:\n"
        "    app: kubia\n"
        "  name: x\n"
        "spec:\n"
        "  empty: {}\n"
        "  flags:\n"
        '  - ""\n'
        '  - "true"\n'
        "  nothing: null\n"
        "  ports:\n"
        '  - name: "80"\n'
        "    port: 80\n"
        "  selector:\n"
        "    app: kubia\n"
    )
    assert yaml.safe_load(to_yaml(obj)) == obj


def test_name_output() -> None:
    assert resource_name("deployment.apps", {"metadata": {"name": "web"}}) == "deployment.apps/web"


LIST = as_list(
    [make_pod("kubia-m7xnj", ip="10.0.2.4"), make_pod("kubia-wpk4k", ip="10.0.0.8", ready=False)]
)


@pytest.mark.parametrize(
    ("template", "data", "expected"),
    [
        pytest.param("{.items[*].metadata.name}", LIST, "kubia-m7xnj kubia-wpk4k", id="wildcard"),
        pytest.param(
            '{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}',
            LIST,
            "kubia-m7xnj\t10.0.2.4\nkubia-wpk4k\t10.0.0.8\n",
            id="range with escapes",
        ),
        pytest.param(
            "{range .items[*]}{.metadata.name}--{.status.podIP} {end}",
            LIST,
            "kubia-m7xnj--10.0.2.4 kubia-wpk4k--10.0.0.8 ",
            id="literal text in range",
        ),
        pytest.param(
            '{.items[*].status.conditions[?(@.type=="Ready")].status}',
            LIST,
            "True False",
            id="filter",
        ),
        pytest.param(
            '{.status.addresses[?(@.type=="InternalIP")].address}',
            make_node("n"),
            "192.168.49.2",
            id="filter on a single object",
        ),
        pytest.param(
            "{.metadata.labels}",
            make_pod("p", {"b": "2", "a": "1"}),
            '{"a":"1","b":"2"}',
            id="maps print as JSON",
        ),
        pytest.param("{.metadata.missing}", make_pod("p"), "", id="missing keys print nothing"),
        pytest.param("name: {.metadata.name}", make_pod("p"), "name: p", id="text around"),
        pytest.param(
            "{.spec.containers[0].ports[0].containerPort}", make_pod("p"), "8080", id="numbers"
        ),
        pytest.param(
            "{.metadata.labels.app\\.kubernetes\\.io/name}",
            make_pod("p", {"app.kubernetes.io/name": "web"}),
            "web",
            id="escaped dots",
        ),
    ],
)
def test_jsonpath_templates(template: str, data: dict, expected: str) -> None:
    assert jsonpath.render(template, data) == expected


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        pytest.param("{.items[*", "unterminated array", id="open bracket"),
        pytest.param("{.items[*]", "unclosed action", id="open action"),
        pytest.param("{.items[?(@.x==}", "unterminated filter", id="open filter"),
        pytest.param("{.items[?(@.x==1)}", "unclosed array expect ]", id="filter without ]"),
        pytest.param("{#}", "unrecognized character in action: U+0023 '#'", id="odd character"),
        pytest.param("{\t}", "unrecognized character in action: U+0009", id="a tab"),
        pytest.param("{.items[a]}", "invalid array index a", id="word as index"),
        pytest.param("{.items[-]}", "array index - is not a number", id="lone minus"),
        pytest.param("{-}", "cannot parse number -", id="lone sign"),
        pytest.param("{1.2.3}", "cannot parse number 1.2.3", id="two dots"),
        pytest.param('{"abc}', "unterminated quoted string", id="open quote"),
        pytest.param('{"\\q"}', 'unquote string "\\q" error invalid syntax', id="bad escape"),
        pytest.param("{......a}", "invalid multiple recursive descent", id="recursive twice"),
    ],
)
def test_parse_errors_are_client_gos(template: str, reason: str) -> None:
    with pytest.raises(jsonpath.TemplateError) as caught:
        jsonpath.render(template, LIST)
    assert str(caught.value) == reason


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        pytest.param("{end}", "not in range, nothing to end", id="end outside a range"),
        pytest.param("{metadata.name}", "unrecognized identifier metadata", id="no leading dot"),
        pytest.param("{true}", "unexpected Node Bool: true", id="a bare boolean"),
    ],
)
def test_execution_errors_are_client_gos(template: str, reason: str) -> None:
    with pytest.raises(jsonpath.ExecutionError) as caught:
        jsonpath.render(template, LIST)
    assert str(caught.value) == reason


def test_a_range_left_open_runs_to_the_end_as_client_go_runs_it() -> None:
    names = jsonpath.render("{range .items[*]}{.metadata.name}{' '}", LIST)
    assert names == "kubia-m7xnj kubia-wpk4k "
    assert jsonpath.render("{range.items[*]}{.metadata.name},{end}", LIST) == (
        "kubia-m7xnj,kubia-wpk4k,"
    )
    assert jsonpath.render("{range}{.kind}{end}", LIST) == "List"


def test_kubectl_prints_parse_and_execution_errors_as_kubectl_does() -> None:
    cluster = Cluster(seed=0)
    parse = cluster.run("kubectl get pods -o 'jsonpath={.items[*'")
    assert (parse.exit_code, parse.stdout) == (1, "")
    assert parse.stderr == "error: error parsing jsonpath {.items[*, unterminated array\n"
    run = cluster.run("kubectl get ns default -o 'jsonpath={end}'")
    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr.startswith(
        'error: error executing jsonpath "{end}": Error executing template: not in range, '
        "nothing to end. Printing more information for debugging the template:\n"
        "\ttemplate was:\n\t\t{end}\n\tobject given to jsonpath engine was:\n"
        '\t\tmap[string]interface {}{"apiVersion":"v1", "kind":"Namespace", '
        '"metadata":map[string]interface {}{'
    )
    assert run.stderr.endswith("}\n\n\n")


def test_go_values_are_written_as_fmt_writes_them() -> None:
    value = {"b": [1, True, None, "x\ty"], "a": {"é": 2.5}}
    assert go_value(value) == (
        'map[string]interface {}{"a":map[string]interface {}{"é":2.5}, '
        '"b":[]interface {}{1, true, interface {}(nil), "x\\ty"}}'
    )
    assert quote('say "hi"\n\x07') == '"say \\"hi\\"\\n\\a"'
