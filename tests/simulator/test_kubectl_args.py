"""Command-line parsing: pflag's rules and cobra's error wording."""

from __future__ import annotations

import pytest

from simulator.kubectl.args import BOOL, INT, Flag, parse
from simulator.kubectl.errors import KubectlError

COMMANDS = {
    "get": (
        Flag("output", "o"),
        Flag("selector", "l"),
        Flag("all-namespaces", "A", BOOL),
        Flag("show-labels", type=BOOL),
    ),
    "exec": (Flag("container", "c"), Flag("stdin", "i", BOOL), Flag("tty", "t", BOOL)),
    "scale": (Flag("replicas", type=INT),),
}


@pytest.mark.parametrize(
    ("argv", "flags", "positional"),
    [
        pytest.param(
            ["get", "pods", "-o", "wide"], {"output": "wide"}, ["pods"], id="short, space"
        ),
        pytest.param(["get", "pods", "-owide"], {"output": "wide"}, ["pods"], id="short, joined"),
        pytest.param(["get", "pods", "-o=yaml"], {"output": "yaml"}, ["pods"], id="short, equals"),
        pytest.param(["get", "--output=json", "svc"], {"output": "json"}, ["svc"], id="long"),
        pytest.param(
            ["-n", "kube-system", "get", "pods"],
            {"namespace": "kube-system"},
            ["pods"],
            id="global flag before the verb",
        ),
        pytest.param(
            ["get", "pods", "-A", "--show-labels"],
            {"all-namespaces": True, "show-labels": True},
            ["pods"],
            id="booleans",
        ),
        pytest.param(
            ["get", "pods", "-l", "app in (a, b)"],
            {"selector": "app in (a, b)"},
            ["pods"],
            id="selector with spaces",
        ),
        pytest.param(
            ["exec", "-it", "kubia", "--", "curl", "-s", "x"],
            {"stdin": True, "tty": True},
            ["kubia", "curl", "-s", "x"],
            id="stacked bools",
        ),
        pytest.param(
            ["scale", "--replicas=5", "deploy", "web"], {"replicas": 5}, ["deploy", "web"], id="int"
        ),
    ],
)
def test_parse(argv, flags, positional) -> None:
    args = parse(argv, COMMANDS)
    assert args.flags == flags
    assert args.positional == positional


def test_dash_position_is_kept() -> None:
    args = parse(["exec", "kubia", "-c", "main", "--", "ls", "-l"], COMMANDS)
    assert args.dash == 1
    assert args.positional == ["kubia", "ls", "-l"]
    assert args.get("container") == "main"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ["get", "pods", "--foo"],
            "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.",
            id="long",
        ),
        pytest.param(
            ["get", "pods", "-x"],
            "error: unknown shorthand flag: 'x' in -x\nSee 'kubectl get --help' for usage.",
            id="short",
        ),
        pytest.param(
            ["get", "pods", "-n"],
            "error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.",
            id="missing value",
        ),
        pytest.param(
            ["scale", "--replicas=x"],
            'error: invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing '
            "\"x\": invalid syntax\nSee 'kubectl scale --help' for usage.",
            id="bad int",
        ),
    ],
)
def test_flag_errors(argv, message) -> None:
    with pytest.raises(KubectlError) as err:
        parse(argv, COMMANDS)
    assert str(err.value) == message
