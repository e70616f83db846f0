"""A range running out refuses the whole input with the API server's message."""

from __future__ import annotations

from simulator import Cluster

TWO_NODEPORTS = """\
apiVersion: v1
kind: Service
metadata: {name: first}
spec: {type: NodePort, selector: {app: a}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: second}
spec: {type: NodePort, selector: {app: a}, ports: [{port: 80}]}
"""


def _state(cluster: Cluster) -> tuple:
    return cluster.seq, cluster.export_yaml()


def test_node_ports_running_out_refuse_the_whole_input() -> None:
    cluster = Cluster(seed=0)
    cluster.state.service_addresses.node_ports._used.update(
        range(30000, 32767)
    )  # one port left: 32767
    before = _state(cluster)
    result = cluster.run("kubectl apply -f -", stdin=TWO_NODEPORTS)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        'Error from server (InternalError): error when creating "STDIN": Internal error '
        "occurred: failed to allocate a nodePort: range is full"
    )
    assert _state(cluster) == before
    one = cluster.run("kubectl apply -f -", stdin=TWO_NODEPORTS.split("---\n")[0])
    assert (one.exit_code, one.stdout) == (0, "service/first created\n")
    assert cluster.run("kubectl get svc first -o jsonpath={.spec.ports[0].nodePort}").stdout == (
        "32767"
    )


def test_cluster_ips_running_out_refuse_the_whole_input() -> None:
    cluster = Cluster(seed=0)
    cluster.state.service_addresses.cluster_ips.free = lambda: 1
    before = _state(cluster)
    text = TWO_NODEPORTS.replace("type: NodePort, ", "")
    result = cluster.run("kubectl apply -f -", stdin=text)
    assert result.exit_code == 1
    assert "Internal error occurred: failed to allocate a serviceIP: range is full" in (
        result.stderr
    )
    assert _state(cluster) == before


def test_free_counts_follow_allocations() -> None:
    cluster = Cluster(seed=0)
    ips, ports = (
        cluster.state.service_addresses.cluster_ips,
        cluster.state.service_addresses.node_ports,
    )
    free_ips, free_ports = ips.free(), ports.free()
    cluster.run("kubectl apply -f -", stdin=TWO_NODEPORTS)
    assert (ips.free(), ports.free()) == (free_ips - 2, free_ports - 2)


def test_a_node_past_the_last_pod_range_is_accepted_without_one() -> None:
    cluster = Cluster(seed=0)
    cluster.state.node_cidrs.update(range(256))
    result = cluster.run(
        "kubectl apply -f -", stdin="apiVersion: v1\nkind: Node\nmetadata:\n  name: n\n"
    )
    assert (result.exit_code, result.stdout) == (0, "node/n created\n")
    assert cluster.run("kubectl get node n -o jsonpath={.spec.podCIDR}").stdout == ""


def _service(name: str, spec: str) -> str:
    return f"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec: {spec}\n"


def test_one_cluster_ip_asked_twice_in_one_input_is_refused_whole() -> None:
    cluster = Cluster(seed=0)
    spec = "{clusterIP: 10.96.5.5, selector: {app: a}, ports: [{port: 80}]}"
    before = _state(cluster)
    result = cluster.run(
        "kubectl apply -f -", stdin=_service("a", spec) + "---\n" + _service("b", spec)
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(
        'The Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.5.5"}: '
        "failed to allocate IP 10.96.5.5: provided IP is already allocated"
    )
    assert _state(cluster) == before


def test_a_taken_health_check_node_port_is_the_api_servers_internal_error() -> None:
    cluster = Cluster(seed=0)
    spec = (
        "{type: LoadBalancer, externalTrafficPolicy: Local, healthCheckNodePort: %d, "
        "selector: {app: a}, ports: [{port: 80%s}]}"
    )
    assert cluster.run("kubectl apply -f -", stdin=_service("a", spec % (32000, ""))).exit_code == 0
    before = _state(cluster)
    cases = [
        _service("b", spec % (32001, "")) + "---\n" + _service("c", spec % (32000, "")),
        _service("d", spec % (32005, ", nodePort: 32005")),
    ]
    for text in cases:
        result = cluster.run("kubectl apply -f -", stdin=text)
        assert result.exit_code == 1
        assert "Internal error occurred: failed to allocate requested HealthCheck NodePort " in (
            result.stderr
        )
        assert "provided port is already allocated" in result.stderr
        assert _state(cluster) == before
    far = cluster.run("kubectl apply -f -", stdin=_service("e", spec % (40000, "")))
    assert "HealthCheck NodePort 40000: provided port is not in the valid range. " in far.stderr
