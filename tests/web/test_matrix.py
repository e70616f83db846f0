"""Which frames refresh the reachability matrix (playground/rooms/matrix.py); the
websocket side is in test_consumers.py."""

from __future__ import annotations

import pytest

from playground.rooms import matrix


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        pytest.param({"commands": [{}]}, True, id="a command (a namespace label)"),
        pytest.param({"changes": {"pods": {}}}, True, id="pods"),
        pytest.param({"changes": {"networkPolicies": {}}}, True, id="policies"),
        pytest.param({"changes": {"services": {}}}, False, id="services only"),
        pytest.param({"traces": [{}]}, False, id="traffic only"),
    ],
)
def test_which_frames_refresh_the_matrix(frame, expected):
    assert matrix.affected(frame) is expected
