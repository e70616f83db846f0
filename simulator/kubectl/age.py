"""Ages as kubectl prints them (apimachinery `duration.HumanDuration`), from simulated time.

Objects carry `metadata.creationTimestamp` in RFC 3339 as written by
`simulator.clock.timestamp`; an age is the simulated `now` minus that instant,
never the wall clock.
"""

from __future__ import annotations

from datetime import UTC, datetime

from simulator.clock import EPOCH

_EPOCH_SECONDS = EPOCH.timestamp()
_parsed: dict[str, float] = {}


def human_duration(seconds: float) -> str:
    """kubectl's AGE text for a duration: `59s`, `2m30s`, `5m`, `7h20m`, `20h`, `3d4h`, `14d`.

    Mirrors `k8s.io/apimachinery/pkg/util/duration.HumanDuration`: about two
    significant figures; durations below -1s are `<invalid>`, -1s..0s is `0s`.
    """
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        rest = s % 60
        return f"{minutes}m{rest}s" if rest else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h{rest}m" if rest else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d{rest}h" if rest else f"{hours // 24}d"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = (hours // 24) % 365
        years = hours // 24 // 365
        return f"{years}y{days}d" if days else f"{years}y"
    return f"{hours // 24 // 365}y"


def seconds_of(stamp: str | None) -> float | None:
    """Simulated seconds for an RFC 3339 timestamp (None when absent or malformed).

    Results are cached: thousands of pods share a handful of creation times, and
    this sits on the `kubectl get pods -A` hot path.
    """
    if not stamp:
        return None
    found = _parsed.get(stamp)
    if found is None:
        try:
            at = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except (TypeError, ValueError):
            return None
        found = at.timestamp() - _EPOCH_SECONDS
        if len(_parsed) < 100_000:
            _parsed[stamp] = found
    return found


def since(stamp: str | None, now: float) -> str:
    """The age of `stamp` at simulated time `now`, or `<unknown>` without a timestamp."""
    at = seconds_of(stamp)
    if at is None:
        return "<unknown>"
    return human_duration(now - at)


def age(obj: dict, now: float) -> str:
    """The AGE cell of an API object."""
    return since(obj["metadata"].get("creationTimestamp"), now)


def rfc1123z(stamp: str | None) -> str:
    """A timestamp as Go's `time.RFC1123Z` (`Mon, 02 Jan 2006 15:04:05 -0700`) for describe."""
    if not stamp:
        return "<unknown>"
    try:
        at = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return at.strftime("%a, %d %b %Y %H:%M:%S %z")


def go_time(stamp: str | None) -> str:
    """A timestamp as Go's `time.Time.String()` prints it in UTC: `2006-01-02 15:04:05 +0000 UTC`.

    kubectl prints `metav1.Time` this way where a describer formats it with `%s`
    (`Created on:` of a NetworkPolicy); the zone is kubectl's own, UTC here.
    """
    if not stamp:
        return "0001-01-01 00:00:00 +0000 UTC"
    try:
        at = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S +0000 UTC")
