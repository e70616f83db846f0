"""The benchmark commands in docs/performance.md still run and print their figures.

Their short modes, not their figures: timing belongs to the commands, on a quiet machine.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NUMBER = r"[\d,.]+"


def run_benchmark(*args: str, timeout: float = 120) -> str:
    result = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def figure(pattern: str, text: str) -> float:
    """The number the pattern's `#` stands for; fails when the line is missing."""
    match = re.search(pattern.replace("#", f"({NUMBER})"), text)
    assert match, f"{pattern!r} not in:\n{text}"
    return float(match[1].replace(",", ""))


def test_core_benchmark_applies_the_generated_cluster() -> None:
    out = run_benchmark("benchmarks.bench_core", "--quick")
    assert figure(r"pods: #", out) == 1003
    assert figure(r"kubectl apply \(parse..endpoints\): +# ms", out) > 0
    assert figure(r"= +#x parse", out) > 0
    assert figure(r"kubectl get pods -A: +# ms", out) > 0
    assert figure(r"kubectl delete pod \(\+Endpoints\): +# ms median", out) > 0
    assert figure(r"memory: # MiB for the whole cluster", out) > 0


def test_core_benchmark_times_the_collector_with_and_without_a_freeze() -> None:
    out = run_benchmark("benchmarks.bench_core", "--quick", "--collector")
    for label in ("without", "with"):
        line = next(line for line in out.splitlines() if f", {label} gc.freeze()" in line)
        assert figure(r"apply +# ms", line) > 0
        assert figure(r"first passes over its objects +# ms", line) >= 0
        assert figure(r"each full collection +# ms", line) >= 0


@pytest.mark.parametrize("piece", ["parse", "apply", "delete", "get", "first", "steady", "flip"])
def test_instruction_benchmark_runs_each_piece(piece: str) -> None:
    # Without valgrind here: the piece runs, and says so.
    assert run_benchmark("benchmarks.bench_instructions", piece, "--quick") == f"{piece}: done\n"


def test_clock_benchmark_flips_readiness() -> None:
    out = run_benchmark("benchmarks.bench_clock", "--quick")
    assert figure(r"ready after the first probe round: #", out) == 500
    assert figure(r"ready afterwards: #", out) == 0


@pytest.mark.parametrize("strategy", ["surge", "no-probe", "one-by-one"])
def test_rollout_benchmark_rolls_every_deployment(strategy: str) -> None:
    out = run_benchmark("benchmarks.bench_rollout", "--quick", "--strategy", strategy)
    assert figure(r"pods: #", out) == 1003
    assert figure(r"rollout complete after # simulated s", out) > 0
    assert figure(r"max # ms", out) > 0
    assert figure(r"pods after the rollout: #", out) == 1003  # the old pods are gone


def test_network_benchmark_serves_every_route() -> None:
    out = run_benchmark("benchmarks.bench_network", "--quick")
    for route in ("ClusterIP by IP", "ClusterIP by name \\(DNS\\)", "Ingress, every host"):
        assert figure(route + r".*= +# requests/s", out) > 0


def test_web_benchmark_delivers_every_frame() -> None:
    out = run_benchmark(
        "benchmarks.bench_web", "--no-browser", "--clients", "5", "--seconds", "1",
        "--rate", "20", "--processes", "1", timeout=150,
    )  # fmt: skip
    assert figure(r"frames missed \(seq gaps\): #", out) == 0
    assert figure(r"traces per client: #\.\.", out) > 0


def test_netpol_benchmark_builds_both_matrices() -> None:
    out = run_benchmark("benchmarks.bench_netpol", "--quick")
    assert figure(r"pods: #", out) == 200
    assert figure(r"NetworkPolicies: #", out) == 20
    assert figure(r"matrix per workload .*median # ms", out) > 0
    assert figure(r"matrix per pod \(# rows", out) == 203
    assert figure(r"as the room sends it \(data \+ JSON\): median # ms", out) > 0
    assert figure(r"one connection check: median # µs", out) > 0


def test_shell_benchmark_times_every_pair() -> None:
    out = run_benchmark("benchmarks.bench_shell", "--quick")
    assert figure(r"pods: #", out) == 1003
    for label in ("grep kubia \\| wc -l", "awk \\| sort \\| head", "shell-parsed line",
                  "exec sh -c 'env \\| grep'"):  # fmt: skip
        assert figure(label + r".*= #x", out) > 0


def test_review_benchmark_explains_every_mistake() -> None:
    out = run_benchmark("benchmarks.bench_review", "--quick")
    for mistake in ("indentation", "full-width colon", "tab", "non-breaking space"):
        assert figure(rf"with a {mistake}: +# ms", out) > 0
    assert figure(r"broken copies \(# documents\)", out) == 60
    assert figure(r"Services check, # Services", out) == 100


def test_frames_benchmark_finds_the_same_changes_both_ways() -> None:
    out = run_benchmark("benchmarks.bench_frames", "--quick")
    assert figure(r"pods: #", out) >= 500
    for change in (
        "nothing changed",
        "one pod labelled",
        "one pod turns ready",
        "scaled up or down",
    ):
        assert figure(change + r".*feed +# ms", out) > 0
    assert figure(r"probe runs noticed.*now +# ms on average", out) >= 0


def test_lessons_benchmark_judges_every_step() -> None:
    out = run_benchmark("benchmarks.bench_lessons", "--quick", timeout=300)
    assert figure(r"lessons: #", out) >= 13
    assert figure(r"slowest step, lesson size: # ms", out) > 0
    assert figure(r"slowest step, 300 pods: # ms", out) > 0
    assert figure(r"every check of a lesson at once, 300 pods, slowest lesson: # ms", out) > 0


def test_gateway_benchmark_applies_and_accepts_every_route() -> None:
    out = run_benchmark("benchmarks.bench_gateway", "--quick")
    assert figure(r"kubectl apply \(validate..status\): +# ms", out) > 0
    assert figure(r"= +#x parse", out) > 0
    assert figure(r"routes accepted by the Gateway: +#", out) == 20
    assert figure(r"Gateway / Ingress requests per second: #x", out) > 0


def test_capacity_benchmark_compares_the_same_apply() -> None:
    out = run_benchmark("benchmarks.bench_capacity", "--quick")
    assert figure(r"apply without a capacity: +# ms", out) > 0
    assert figure(r"apply with a room's: +# ms", out) > 0
    assert figure(r"= +#x", out) > 0


def test_processes_benchmark_shares_a_class_and_survives_a_takeover() -> None:
    out = run_benchmark(
        "benchmarks.bench_processes", "--clients", "10", "--seconds", "1", "--takeovers", "1",
        "--watchers", "2", timeout=240,
    )  # fmt: skip
    assert figure(r"frames missed \(seq gaps\) #", out) == 0
    for process in ("owner", "other"):
        line = next(line for line in out.splitlines() if line.startswith(f"  {process} process"))
        assert figure(r"\(5 followers, # in the room", line) == 5
    assert figure(r"never resumed #", out) == 0
    assert figure(r"first frame of the new owner \(slowest follower\): median # s", out) > 0
