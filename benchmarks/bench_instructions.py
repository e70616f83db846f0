"""One piece of the simulator's work, for counting its instructions with valgrind.

Run under callgrind, collecting only inside `functools.reduce`, which wraps the
piece measured (imports, parsing and the cluster it needs are left out):

    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=functools_reduce \\
        python -m benchmarks.bench_instructions PIECE [--quick]

and read `Collected` on valgrind's last line. Instruction counts do not move
with the machine's load, so two versions of the code compare run against run
(set PYTHONHASHSEED=0 for the same count every time). The pieces, on the
bench_core cluster (10,003 pods; `--quick`: a tenth):

    parse     PyYAML's CSafeLoader alone, the yardstick of bench_core
    apply     `kubectl apply -f -` of the whole manifest
    delete    200 `kubectl delete pod`, each pod replaced
    get       5 `kubectl get pods -A`
    first     the first probe round: half the pods turn ready, half fail
    steady    10 probe rounds where nothing changes
    flip      3 probe rounds in which the ready half fails and turns not ready
    rollout   bench_rollout's rollout: every Deployment's new image, the clock
              moved 1 s at a time until all report complete (the apply left out)
    requests  1,000 requests from a pod to a Service's cluster IP (each answered
              one written to the answering container's log)
"""

from __future__ import annotations

import argparse
import functools
import gc

import yaml

from simulator import Cluster

from .workload import manifest

PIECES = ("parse", "apply", "delete", "get", "first", "steady", "flip", "rollout", "requests")


def measured(work) -> None:
    """Run `work()` inside the C function valgrind is told to collect in."""
    functools.reduce(lambda _, fn: fn(), [work], None)


def measure_on_cluster(piece: str, cluster: Cluster) -> None:
    """The pieces that need the applied cluster."""
    state = cluster.state
    names = [p["metadata"]["name"] for p in state.store.list("Pod", "default")]
    if piece == "delete":
        victims = names[:: max(1, len(names) // 200)][:201]
        assert cluster.run(f"kubectl delete pod {victims.pop()}").exit_code == 0  # imports

        def delete() -> None:
            for name in victims:
                assert cluster.run(f"kubectl delete pod {name}").exit_code == 0

        measured(delete)
        return
    if piece == "requests":
        for name in names:
            state.touch("default", name, None, "/var/ready")
        cluster.advance(10)  # every pod ready: the Services answer
        svc = next(s for s in state.store.list("Service", "default") if "selector" in s["spec"])
        url = f"http://{svc['spec']['clusterIP']}:{svc['spec']['ports'][0]['port']}/"
        source = f"pod/{names[0]}"
        assert cluster.request(url, source=source).outcome == "ok"  # plan and client built
        measured(lambda: [cluster.request(url, source=source) for _ in range(1000)])
        return
    if piece == "get":
        cluster.run("kubectl get pods -A")
        measured(lambda: [cluster.run("kubectl get pods -A") for _ in range(5)])
        return
    for name in names[::2]:
        state.touch("default", name, None, "/var/ready")
    if piece == "first":
        measured(lambda: cluster.advance(10))
        return
    cluster.advance(10)
    cluster.advance(10)
    if piece == "steady":
        measured(lambda: [cluster.advance(10) for _ in range(10)])
        return
    for name in names[::2]:
        state.remove_file("default", name, None, "/var/ready")
    measured(lambda: [cluster.advance(10) for _ in range(3)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("piece", choices=PIECES)
    parser.add_argument("--quick", action="store_true", help="a tenth of the size")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    text = manifest(services=1000 // scale, deployments=200 // scale, nodes=100 // scale)
    list(yaml.load_all(text, Loader=yaml.CSafeLoader))
    Cluster(seed=2).run("kubectl get pods")  # imports
    gc.disable()  # as bench_core times: the work, not the collector

    def apply() -> Cluster:
        cluster = Cluster(seed=1)
        result = cluster.run("kubectl apply -f -", stdin=text)
        assert result.exit_code == 0, result.stderr[:500]
        return cluster

    if args.piece == "rollout":
        from .bench_rollout import EXEC_PROBE, PRESTOP, PROBE, rolled

        text = text.replace(EXEC_PROBE, PROBE + PRESTOP)
        cluster = apply()
        cluster.advance(2)
        changed = text.replace("image: luksa/kubia\n", "image: luksa/kubia:v2\n")
        assert cluster.run("kubectl apply -f -", stdin=changed).exit_code == 0

        def roll() -> None:
            while rolled(cluster) < 200 // scale:
                cluster.advance(1)

        measured(roll)
    elif args.piece == "parse":
        measured(lambda: list(yaml.load_all(text, Loader=yaml.CSafeLoader)))
    elif args.piece == "apply":
        measured(apply)
    else:
        measure_on_cluster(args.piece, apply())
    print(f"{args.piece}: done")


if __name__ == "__main__":
    main()
