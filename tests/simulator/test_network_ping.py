"""ping (BusyBox): pods and nodes answer, cluster IPs never do."""

from __future__ import annotations

from simulator.network import Network
from simulator.network.testing import FakeState


def cluster() -> Network:
    state = FakeState()
    state.add_pod("kubia-a", {"app": "kubia"}, node="worker-1")  # 10.244.1.2
    state.add_pod("client", {"app": "client"}, node="worker-2")  # 10.244.2.2
    state.add_service("kubia", {"app": "kubia"})  # 10.96.100.1
    return Network(state)


def test_ping_a_pod_on_another_node() -> None:
    result = cluster().run(["ping", "-c", "3", "10.244.1.2"], "pod/client")
    lines = result.stdout.split("\n")
    assert lines[0] == "PING 10.244.1.2 (10.244.1.2): 56 data bytes"
    assert [line.split(" time=")[0] for line in lines[1:4]] == [
        f"64 bytes from 10.244.1.2: seq={seq} ttl=63" for seq in range(3)
    ]
    assert lines[4:8] == [
        "",
        "--- 10.244.1.2 ping statistics ---",
        "3 packets transmitted, 3 packets received, 0% packet loss",
        lines[7],
    ]
    assert lines[7].startswith("round-trip min/avg/max = 0.")
    assert (result.stderr, result.exit_code) == ("", 0)
    assert result.traces[0].to_dict() == {
        "source": "pod/client",
        "url": "10.244.1.2",
        "outcome": "ok",
        "status": None,
        "served_by": "kubia-a",
        "reason": "kubia-a (10.244.1.2) answered the ICMP echo",
        "hops": [
            {"kind": "client", "name": "client", "ip": "10.244.2.2", "node": "worker-2"},
            {"kind": "pod", "name": "kubia-a", "ip": "10.244.1.2", "node": "worker-1"},
        ],
    }
    again = cluster().run(["ping", "-c", "3", "10.244.1.2"], "pod/client")
    assert again.stdout == result.stdout  # round trips are reproducible


def test_ping_a_service_loses_every_packet() -> None:
    result = cluster().run(["ping", "-c", "3", "kubia"], "pod/client")
    assert result.stdout == (
        "PING kubia (10.96.100.1): 56 data bytes\n"
        "\n"
        "--- kubia ping statistics ---\n"
        "3 packets transmitted, 0 packets received, 100% packet loss\n"
    )
    assert result.exit_code == 1
    trace = result.traces[0]
    assert trace.outcome == "timeout"
    assert trace.reason == (
        "10.96.100.1 is the cluster IP of service kubia: kube-proxy only forwards the service's "
        "ports and no interface owns the address, so nothing answers ICMP echo (a cluster IP is "
        "not pingable; test it with curl)"
    )
    assert [h.kind for h in trace.hops] == ["client", "dns", "service"]


def test_ping_defaults_to_four_packets_and_quiet_mode() -> None:
    result = cluster().run(["ping", "-q", "192.168.49.3"])
    assert result.stdout.startswith(
        "PING 192.168.49.3 (192.168.49.3): 56 data bytes\n\n--- 192.168.49.3 ping statistics ---\n"
        "4 packets transmitted, 4 packets received, 0% packet loss\n"
    )
    assert result.traces[0].served_by == "worker-1"


def test_ping_errors() -> None:
    network = cluster()
    bad = network.run(["ping", "-c", "1", "nosuch"], "pod/client")
    assert (bad.stdout, bad.stderr, bad.exit_code) == ("", "ping: bad address 'nosuch'\n", 1)
    assert bad.traces[0].outcome == "dns_error"
    usage = network.run(["ping"], "pod/client")
    assert usage.exit_code == 1
    assert "Usage: ping [OPTIONS] HOST" in usage.stderr
    from_host = network.run(["ping", "-c", "1", "10.244.1.2"])
    assert (from_host.exit_code, from_host.traces[0].outcome) == (1, "unreachable")
