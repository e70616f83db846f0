"""Selectors as kubectl -l and the API's LabelSelector read them."""

from __future__ import annotations

import pytest

from simulator.labels import (
    SelectorError,
    equality_items,
    format_selector,
    from_label_selector,
    matches,
    parse_selector,
)

POD = {"app": "kubia", "rel": "beta", "env": "prod"}


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        pytest.param("app=kubia", POD, True, id="equality matches"),
        pytest.param("app==kubia", POD, True, id="double equals"),
        pytest.param("app=other", POD, False, id="equality mismatch"),
        pytest.param("app!=other", POD, True, id="not equals"),
        pytest.param("app!=kubia", POD, False, id="not equals same value"),
        pytest.param("missing!=x", POD, True, id="not equals absent key"),
        pytest.param("rel in (beta,canary)", POD, True, id="in"),
        pytest.param("rel notin (beta)", POD, False, id="notin"),
        pytest.param("missing notin (x)", POD, True, id="notin absent key"),
        pytest.param("env", POD, True, id="exists"),
        pytest.param("!env", POD, False, id="not exists"),
        pytest.param("!missing", POD, True, id="not exists absent"),
        pytest.param("app=kubia,rel in (beta),!missing", POD, True, id="combined"),
        pytest.param("app=kubia,rel=stable", POD, False, id="combined one fails"),
    ],
)
def test_parse_and_match(text: str, labels: dict, expected: bool) -> None:
    assert matches(parse_selector(text), labels) is expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("app in (", id="unclosed set"),
        pytest.param("app in ()", id="empty set"),
        pytest.param("app=kubia,,", id="double comma"),
        pytest.param("-bad=x", id="bad key"),
        pytest.param("app=ku bia", id="space in value"),
    ],
)
def test_bad_selectors_are_refused(text: str) -> None:
    with pytest.raises(SelectorError):
        parse_selector(text)


def test_label_selector_with_expressions() -> None:
    selector = from_label_selector(
        {
            "matchLabels": {"app": "kubia"},
            "matchExpressions": [{"key": "env", "operator": "In", "values": ["prod", "dev"]}],
        }
    )
    assert matches(selector, POD)
    assert not matches(selector, {"app": "kubia", "env": "test"})
    assert equality_items(selector) is None
    assert format_selector(selector) == "app=kubia,env in (dev,prod)"


def test_empty_selector_formats_as_none() -> None:
    assert format_selector(()) == "<none>"
    assert equality_items(parse_selector("a=b,c=d")) == {"a": "b", "c": "d"}
