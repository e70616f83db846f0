"""Benchmark of a lesson's checks: what judging them costs after a change.

Run: `python -m benchmarks.bench_lessons` (`--quick`: fewer runs, 300 pods; `--pods N`).
For every lesson and every step, the room is brought to the step's start (the
solutions of the steps before it run on a fresh cluster); before each timed
run a node's label changes (untimed), so the caches a command invalidates are
cold, and the engine judges the step's checks as it does after a command (`LessonRun.judge` with
fresh observations: every object, command and request check is read again;
`ran`, `traffic` and `held` checks cost nothing to speak of). The same is then
timed with the learner's workload scaled to `--pods` pods (default 1,000):
the lesson's first ReplicationController, Deployment or the DaemonSet's
Deployment is scaled with `kubectl scale`, the way a learner would.

It also times judging every check of the lesson at once (every step's checks
against the state at the last step), an upper bound of what any step costs.
Figures are medians of process CPU time per judgement, in milliseconds; the
goals are 20 ms at the lesson's size and 100 ms at 1,000 pods. They go to
docs/performance.md ("Lessons").
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
django.setup()

from playground.lessons import lessons, placeholders  # noqa: E402
from playground.lessons.engine import LessonRun  # noqa: E402
from playground.lessons.model import Lesson  # noqa: E402
from playground.rooms.log import APPLY  # noqa: E402
from simulator import Cluster  # noqa: E402


def cpu_ms(fn, runs: int, before=None) -> float:
    """Median CPU milliseconds of `fn()` over `runs` runs, the collector paused;
    `before(i)`, untimed, runs before each."""
    samples = []
    for i in range(runs):
        if before is not None:
            before(i)
        gc.disable()
        start = time.process_time()
        fn()
        samples.append((time.process_time() - start) * 1000)
        gc.enable()
    return statistics.median(samples)


def states(lesson: Lesson, seed: int):
    """`(step index, cluster at the step's start)` for every step of the lesson."""
    for index in range(len(lesson.steps)):
        cluster = Cluster(seed)
        cluster.run(APPLY, stdin=lesson.manifests)
        for step in lesson.steps[:index]:
            for command in step.solution:
                cluster.run(placeholders.fill(command.line, cluster), stdin=command.stdin)
        yield index, cluster


def scale_up(cluster: Cluster, pods: int) -> str:
    """Scale the lesson's first workload to `pods` pods; returns what was scaled."""
    for resource in ("rc", "deploy"):
        names = cluster.observe(f"kubectl get {resource} -o name").stdout.split()
        if names:
            cluster.run(f"kubectl scale {names[0]} --replicas={pods}")
            cluster.advance(1)
            return names[0]
    return "(nothing to scale)"


def change(cluster: Cluster):
    """A change before each judgement, as a learner's command is (untimed): a node's label
    moves, so kube-proxy's tables, routes and cached plans are built again on the next read."""

    def relabel(i: int) -> None:
        cluster.run(f"kubectl label node worker-1 bench={i} --overwrite")

    return relabel


def judge_cost(lesson: Lesson, index: int, cluster: Cluster, runs: int) -> float:
    run = LessonRun(lesson, index)
    return cpu_ms(lambda: run.judge_only(cluster), runs, before=change(cluster))


def all_checks_cost(lesson: Lesson, cluster: Cluster, runs: int) -> float:
    runs_by_step = [LessonRun(lesson, i) for i in range(len(lesson.steps))]

    def judge_all() -> None:
        for run in runs_by_step:
            run.judge_only(cluster)

    return cpu_ms(judge_all, runs, before=change(cluster))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, 300 pods")
    parser.add_argument("--pods", type=int, default=1000)
    args = parser.parse_args()
    runs = 5 if args.quick else 21
    pods = 300 if args.quick else args.pods
    print(f"lessons: {len(lessons())}; runs per figure: {runs}; scaled: {pods} pods")
    print(f"{'lesson':<20} {'step':>4} {'small ms':>9} {f'{pods} pods ms':>13}  scaled")
    worst_small = worst_big = 0.0
    for lesson in lessons().values():
        for index, cluster in states(lesson, seed=7):
            small = judge_cost(lesson, index, cluster, runs)
            scaled = scale_up(cluster, pods)
            big = judge_cost(lesson, index, cluster, runs)
            worst_small, worst_big = max(worst_small, small), max(worst_big, big)
            print(f"{lesson.slug:<20} {index:>4} {small:>9.2f} {big:>13.2f}  {scaled}")
    print(f"slowest step, lesson size: {worst_small:.2f} ms (goal 20 ms)")
    print(f"slowest step, {pods} pods: {worst_big:.2f} ms (goal 100 ms)")
    worst_all = 0.0
    for lesson in lessons().values():
        *_, (last, cluster) = states(lesson, seed=7)
        scale_up(cluster, pods)
        worst_all = max(worst_all, all_checks_cost(lesson, cluster, max(3, runs // 4)))
    print(f"every check of a lesson at once, {pods} pods, slowest lesson: {worst_all:.2f} ms")


if __name__ == "__main__":
    main()
