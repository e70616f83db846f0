"""`kubectl port-forward`: a job of the workstation's shell that `curl localhost` reaches."""

from __future__ import annotations

import pytest

from simulator import Cluster
from simulator.result import ERR, OUT

from .conftest import apply, run_ok
from .test_kubectl_logs import APP


@pytest.fixture
def app() -> Cluster:
    cluster = Cluster(seed=0)
    apply(cluster, APP)
    return cluster


def first_kubia(cluster: Cluster) -> str:
    return sorted(cluster.running_pods("app=kubia"))[0]


def test_a_background_forward_prints_the_job_then_kubectls_lines(app: Cluster) -> None:
    name = first_kubia(app)
    result = app.run(f"kubectl port-forward {name} 8080:8080 &")
    assert result.exit_code == 0
    assert result.output() == [
        (ERR, "[1] 4242\n"),
        (OUT, "Forwarding from 127.0.0.1:8080 -> 8080\nForwarding from [::1]:8080 -> 8080\n"),
    ]
    assert run_ok(app, "jobs") == (
        f"[1]+  Running                 kubectl port-forward {name} 8080:8080 &\n"
    )
    assert run_ok(app, "curl -s localhost:8080") == f"You've hit {name}\n"
    assert run_ok(app, "curl -s http://127.0.0.1:8080/") == f"You've hit {name}\n"


def test_the_trace_goes_from_the_host_straight_to_the_pod_which_logs_localhost(
    app: Cluster,
) -> None:
    name = first_kubia(app)
    run_ok(app, f"kubectl port-forward pod/{name} 9000:8080")
    trace = app.request("http://localhost:9000/").to_dict()
    assert trace["outcome"] == "ok"
    assert trace["served_by"] == name
    assert [(h["kind"], h["name"]) for h in trace["hops"]] == [("client", "host"), ("pod", name)]
    assert trace["hops"][-1]["src_ip"] == "127.0.0.1"
    assert "kubectl port-forward (job [1])" in trace["reason"]
    assert run_ok(app, f"kubectl logs {name}").splitlines()[-1] == (
        "Received request from ::ffff:127.0.0.1"
    )


def test_without_ampersand_it_still_runs_as_a_job_and_says_how_to_stop_it(app: Cluster) -> None:
    result = app.run(f"kubectl port-forward {first_kubia(app)} 8080:8080")
    assert result.stdout.startswith("Forwarding from 127.0.0.1:8080 -> 8080\n")
    assert "job [1]" in result.stderr
    assert "kill %1" in result.stderr
    assert "Running" in run_ok(app, "jobs")


def test_a_service_forward_picks_one_pod_translates_the_port_and_sticks(app: Cluster) -> None:
    result = app.run("kubectl port-forward svc/kubia 9090:80")
    assert result.stdout == (
        "Forwarding from 127.0.0.1:9090 -> 8080\nForwarding from [::1]:9090 -> 8080\n"
    )
    picked = first_kubia(app)
    assert {run_ok(app, "curl -s localhost:9090") for _ in range(6)} == {f"You've hit {picked}\n"}


def test_kill_ends_a_job_and_its_port_stops_answering(app: Cluster) -> None:
    name = first_kubia(app)
    run_ok(app, f"kubectl port-forward {name} 8080:8080 &")
    run_ok(app, "kubectl port-forward svc/kubia 8081:80 &")
    listing = run_ok(app, "jobs -l")
    assert listing.splitlines()[0].startswith("[1]-  4242 Running")
    assert listing.splitlines()[1].startswith("[2]+  4243 Running")
    killed = app.run("kill %1")
    assert (killed.exit_code, killed.stderr) == (
        0,
        f"[1]-  Terminated              kubectl port-forward {name} 8080:8080\n",
    )
    refused = app.run("curl -s localhost:8080")
    assert refused.exit_code == 7
    assert app.run("curl -s localhost:8081").exit_code == 0
    assert app.run("kill 4243").exit_code == 0
    assert run_ok(app, "jobs") == ""
    assert app.run("kill %1").stderr == "bash: kill: %1: no such job\n"
    assert app.run("kill 999").stderr == "bash: kill: (999) - No such process\n"
    assert app.run("kill").exit_code == 2


def test_the_forward_ends_with_kubectls_error_when_its_pod_goes_away(app: Cluster) -> None:
    name = first_kubia(app)
    run_ok(app, f"kubectl port-forward {name} 8080:8080 &")
    deleted = app.run(f"kubectl delete pod {name}")
    assert deleted.stderr == (
        "error: lost connection to pod\n"
        f"[1]+  Exit 1                  kubectl port-forward {name} 8080:8080\n"
    )
    assert run_ok(app, "jobs") == ""
    assert app.run("curl -s localhost:8080").exit_code == 7


def test_a_forward_to_a_port_nothing_listens_on_gives_an_empty_reply(app: Cluster) -> None:
    run_ok(app, "kubectl port-forward web 8081:81")
    result = app.run("curl localhost:8081")
    assert (result.exit_code, result.stderr) == (52, "curl: (52) Empty reply from server\n")


def test_a_random_local_port_replays_the_same(app: Cluster) -> None:
    first = app.run("kubectl port-forward deploy/kubia :8080").stdout
    again = Cluster(seed=0)
    apply(again, APP)
    assert again.run("kubectl port-forward deploy/kubia :8080").stdout == first
    port = int(first.split(":")[1].split()[0])
    assert 32768 <= port <= 60999
    assert app.run(f"curl -s localhost:{port}").exit_code == 0


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (
            "kubectl port-forward web",
            "error: TYPE/NAME and list of ports are required for port-forward\n"
            "See 'kubectl port-forward -h' for help and examples",
        ),
        (
            "kubectl port-forward nope 8080:80",
            'Error from server (NotFound): pods "nope" not found',
        ),
        (
            "kubectl port-forward web 8080:http",
            "error: pod 'web' does not have a named port 'http'",
        ),
        (
            "kubectl port-forward svc/kubia 8080:99",
            "error: service kubia does not have a service port 99",
        ),
        (
            "kubectl port-forward web x:80",
            "error: error parsing local port 'x': strconv.ParseUint: parsing \"x\": invalid syntax",
        ),
        ("kubectl port-forward web 8080:", "error: remote port cannot be empty"),
    ],
)
def test_errors_are_kubectls(app: Cluster, line: str, error: str) -> None:
    result = app.run(line)
    assert (result.exit_code, result.stderr) == (1, error + "\n")


def test_ports_below_1024_and_taken_ports_cannot_listen(app: Cluster) -> None:
    low = app.run("kubectl port-forward web 80:80")
    assert low.exit_code == 1
    assert "bind: permission denied" in low.stderr
    assert low.stderr.endswith("error: unable to listen on any of the requested ports: [{80 80}]\n")
    run_ok(app, "kubectl port-forward web 8080:80")
    taken = app.run("kubectl port-forward web 8080:80")
    assert "bind: address already in use" in taken.stderr
    assert run_ok(app, "jobs").count("\n") == 1


def test_a_pending_pod_cannot_be_forwarded_and_other_jobs_are_refused(app: Cluster) -> None:
    name = first_kubia(app)
    run_ok(app, f"kubectl delete pod {name} --wait=false")
    pending = next(
        p["metadata"]["name"]
        for p in app.state.store.list("Pod")
        if (p.get("status") or {}).get("phase") == "Pending"
    )
    result = app.run(f"kubectl port-forward {pending} 8080:8080")
    assert result.stderr == (
        "error: unable to forward port because pod is not running. Current status=Pending\n"
    )
    refused = app.run("kubectl get pods -w &")
    assert refused.exit_code == 2
    assert "only `kubectl port-forward ... &` runs as a job" in refused.stderr
