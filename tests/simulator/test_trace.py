"""Traces are JSON-ready exactly as CONTRACT.md section 5 shows them."""

from __future__ import annotations

import json

import pytest

from simulator.trace import OUTCOMES, Hop, Trace


@pytest.mark.parametrize(
    ("hop", "expected"),
    [
        pytest.param(
            Hop("client", "host", "192.168.49.1"),
            {"kind": "client", "name": "host", "ip": "192.168.49.1"},
            id="absent keys are left out",
        ),
        pytest.param(Hop("endpoints", "kubia"), {"kind": "endpoints", "name": "kubia"}, id="name"),
        pytest.param(
            Hop("pod", "kubia-x", "10.244.1.5", 8080, "worker-1", "10.244.0.3"),
            {
                "kind": "pod",
                "name": "kubia-x",
                "ip": "10.244.1.5",
                "port": 8080,
                "node": "worker-1",
                "src_ip": "10.244.0.3",
            },
            id="every key",
        ),
    ],
)
def test_hop_to_dict(hop: Hop, expected: dict) -> None:
    assert hop.to_dict() == expected


def test_trace_to_dict_is_the_contract_shape() -> None:
    trace = Trace(
        "host",
        "http://kubia.example.com/",
        "ok",
        200,
        "kubia-7d9c-abcde",
        "ingress kubia: host kubia.example.com path / (Prefix) -> service kubia:80 -> "
        "10.244.1.5:8080",
        (
            Hop("client", "host", "192.168.49.1"),
            Hop("ingress", "kubia", "192.168.49.100", 80),
            Hop("service", "kubia", "10.96.12.7", 80),
            Hop("endpoints", "kubia"),
            Hop("pod", "kubia-7d9c-abcde", "10.244.1.5", 8080, "worker-1", "10.244.0.3"),
        ),
        elapsed=0.5,
    )
    data = trace.to_dict()
    assert list(data) == ["source", "url", "outcome", "status", "served_by", "reason", "hops"]
    assert data["hops"][1] == {
        "kind": "ingress",
        "name": "kubia",
        "ip": "192.168.49.100",
        "port": 80,
    }
    assert json.loads(json.dumps(data)) == data  # JSON-ready; elapsed is not part of it


def test_hops_are_immutable_values() -> None:
    hop = Hop("service", "kubia", "10.96.0.5", 80)
    assert hop == Hop("service", "kubia", "10.96.0.5", 80)
    with pytest.raises(AttributeError):
        hop.port = 81  # type: ignore[misc]


def test_outcomes() -> None:
    assert OUTCOMES == (
        "ok",
        "http_error",
        "refused",
        "timeout",
        "dns_error",
        "tls_error",
        "unreachable",
    )
