"""kubectl's AGE column: apimachinery's HumanDuration, from simulated time."""

from __future__ import annotations

import pytest

from simulator.clock import timestamp
from simulator.kubectl.age import age, human_duration, rfc1123z, since


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        pytest.param(-5, "<invalid>", id="clock skew beyond a second"),
        pytest.param(-1, "0s", id="one second early"),
        pytest.param(0, "0s", id="just created"),
        pytest.param(59, "59s", id="seconds"),
        pytest.param(119, "119s", id="seconds up to two minutes"),
        pytest.param(120, "2m", id="two minutes"),
        pytest.param(150, "2m30s", id="minutes and seconds"),
        pytest.param(531, "8m51s", id="kubia service age"),
        pytest.param(599, "9m59s", id="last with seconds"),
        pytest.param(600, "10m", id="ten minutes"),
        pytest.param(3 * 3600 - 1, "179m", id="minutes up to three hours"),
        pytest.param(3 * 3600, "3h", id="three hours"),
        pytest.param(7 * 3600 + 20 * 60, "7h20m", id="hours and minutes"),
        pytest.param(20 * 3600, "20h", id="hours"),
        pytest.param(47 * 3600, "47h", id="hours up to two days"),
        pytest.param(76 * 3600, "3d4h", id="days and hours"),
        pytest.param(7 * 86400, "7d", id="whole days"),
        pytest.param(18 * 86400, "18d", id="days"),
        pytest.param(400 * 86400, "400d", id="days up to two years"),
        pytest.param(800 * 86400, "2y70d", id="years and days"),
        pytest.param(9 * 365 * 86400, "9y", id="years"),
    ],
)
def test_human_duration(seconds: float, text: str) -> None:
    assert human_duration(seconds) == text


def test_age_is_simulated_now_minus_creation() -> None:
    obj = {"metadata": {"creationTimestamp": timestamp(100)}}
    assert age(obj, 400) == "5m"
    assert age({"metadata": {}}, 400) == "<unknown>"
    assert since("not a time", 5) == "<unknown>"


def test_rfc1123z_is_gos_layout() -> None:
    assert rfc1123z(timestamp(0)) == "Sun, 22 Nov 2026 09:00:00 +0000"
