"""The wire format alone: validation of client fields, large messages in parts."""

from __future__ import annotations

import json

import pytest

from playground import protocol


def test_a_small_message_goes_whole():
    text = protocol.encode({"type": "frame", "seq": 1})
    assert protocol.split(text) == [text]


def test_a_large_message_goes_in_parts_that_join_back():
    text = protocol.encode({"type": "snapshot", "pad": "é" * 700_000})
    parts = [json.loads(p) for p in protocol.split(text)]
    assert len(parts) > 1
    assert {p["type"] for p in parts} == {"part"}
    assert [p["index"] for p in parts] == list(range(len(parts)))
    assert {p["count"] for p in parts} == {len(parts)}
    assert len({p["id"] for p in parts}) == 1
    assert "".join(p["data"] for p in parts) == text
    assert all(len(p.encode()) < 1024 * 1024 for p in protocol.split(text))


@pytest.mark.parametrize(
    ("source", "ok"),
    [
        ("host", True),
        ("pod/kubia-7d9c-abcde", True),
        ("pod/default/kubia-7d9c-abcde", True),
        ("pod/", False),
        ("pod/a/b/c", False),
        ("pod/<script>", False),
        ("Host", False),
    ],
)
def test_sources(source, ok):
    if ok:
        assert protocol.source({"source": source}) == source
    else:
        with pytest.raises(protocol.ProtocolError):
            protocol.source({"source": source})


@pytest.mark.parametrize("rate", [0, -1, 201, float("nan"), float("inf"), True, "10", None])
def test_bad_rates(rate):
    with pytest.raises(protocol.ProtocolError):
        protocol.rate({"rate": rate})


def test_command_with_stdin_within_the_limit():
    line, stdin = protocol.command({"line": " kubectl apply -f - ", "stdin": "kind: Pod\n"})
    assert (line, stdin) == ("kubectl apply -f -", "kind: Pod\n")
