"""curl 7.88.1's command line and output, byte for byte where a learner sees it."""

from __future__ import annotations

import pytest

from simulator.network import Network
from simulator.network.curl_args import CurlUsageError, parse_args
from simulator.network.testing import FakeState

TRY = "curl: try 'curl --help' or 'curl --manual' for more information\n"
METER_HEAD = (
    "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
    "                                 Dload  Upload   Total   Spent    Left  Speed\n"
)


def cluster() -> Network:
    """Service kubia (10.96.100.1:80 -> 8080) with one pod kubia-a; a client pod."""
    state = FakeState()
    state.add_pod("kubia-a", {"app": "kubia"}, node="worker-1")
    state.add_pod("client", {"app": "client"}, node="worker-2")
    state.add_service("kubia", {"app": "kubia"})
    state.add_ingress(
        "kubia",
        [
            {
                "host": "kubia.example.com",
                "http": {
                    "paths": [
                        {
                            "path": "/",
                            "pathType": "Prefix",
                            "backend": {"service": {"name": "kubia", "port": {"number": 80}}},
                        }
                    ]
                },
            }
        ],
    )
    return Network(state)


# -- arguments ------------------------------------------------------------------------------


def test_parse_combined_and_attached_options() -> None:
    opts = parse_args(["-sSkv", "-HHost: a.example.com", "-m5", "--resolve", "a:80:1.2.3.4", "u"])
    assert (opts.silent, opts.show_error, opts.insecure, opts.verbose) == (True, True, True, True)
    assert opts.headers == [("Host", "a.example.com")]
    assert (opts.max_time, opts.resolve, opts.urls) == (5.0, ["a:80:1.2.3.4"], ["u"])
    opts = parse_args(["--connect-timeout", "0.5", "-o", "/dev/null", "-w", "%{http_code}", "u"])
    assert (opts.connect_timeout, opts.output, opts.write_out) == (0.5, "/dev/null", "%{http_code}")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--nope", "u"], f"curl: option --nope: is unknown\n{TRY}", id="unknown"),
        pytest.param(["-sZ", "u"], f"curl: option -sZ: is unknown\n{TRY}", id="unknown short"),
        pytest.param(["-s"], f"curl: no URL specified!\n{TRY}", id="no URL"),
        pytest.param(["u", "-H"], f"curl: option -H: requires parameter\n{TRY}", id="missing"),
        pytest.param(
            ["-m", "soon", "u"],
            f"curl: option -m: expected a proper numerical parameter\n{TRY}",
            id="not a number",
        ),
        pytest.param(
            ["--max-time=5", "u"], f"curl: option --max-time=5: is unknown\n{TRY}", id="no ="
        ),
    ],
)
def test_usage_errors(args: list[str], message: str) -> None:
    with pytest.raises(CurlUsageError) as error:
        parse_args(args)
    assert (error.value.text, error.value.exit_code) == (message, 2)
    result = cluster().run(["curl", *args])
    assert (result.stdout, result.stderr, result.exit_code) == ("", message, 2)


# -- output -------------------------------------------------------------------------------------


def test_body_on_stdout_and_nothing_else_on_a_terminal() -> None:
    result = cluster().run(["curl", "http://kubia"], "pod/client", tty=True)
    assert (result.stdout, result.stderr, result.exit_code) == ("You've hit kubia-a\n", "", 0)
    assert [t.outcome for t in result.traces] == ["ok"]


def test_progress_meter_when_stdout_is_not_a_terminal() -> None:
    # `kubectl exec POD -- curl URL` (no -t): why the book adds -s
    result = cluster().run(["curl", "http://kubia"], "pod/client")
    assert result.stdout == "You've hit kubia-a\n"
    assert result.stderr == (
        METER_HEAD
        + "100    19    0    19    0     0   6333      0 --:--:-- --:--:-- --:--:--  6333\n"
    )
    assert cluster().run(["curl", "-s", "http://kubia"], "pod/client").stderr == ""


def test_verbose_http() -> None:
    result = cluster().run(["curl", "-v", "http://kubia/"], "pod/client", tty=True)
    assert result.stderr == (
        "*   Trying 10.96.100.1:80...\n"
        "* Connected to kubia (10.96.100.1) port 80 (#0)\n"
        "> GET / HTTP/1.1\n"
        "> Host: kubia\n"
        "> User-Agent: curl/7.88.1\n"
        "> Accept: */*\n"
        "> \n"
        "< HTTP/1.1 200 OK\n"
        "< Date: Sun, 22 Nov 2026 09:00:00 GMT\n"
        "< Connection: keep-alive\n"
        "< Transfer-Encoding: chunked\n"
        "< \n"
        "* Connection #0 to host kubia left intact\n"
    )


def test_verbose_not_a_terminal_adds_data_notes_and_the_meter() -> None:
    result = cluster().run(["curl", "-v", "http://kubia/"], "pod/client")
    assert result.stderr.startswith(METER_HEAD + "*   Trying 10.96.100.1:80...\n")
    assert "< \n{ [19 bytes data]\n* Connection #0 to host kubia left intact\n100 " in (
        result.stderr
    )


def test_head_prints_the_response_head() -> None:
    result = cluster().run(["curl", "-I", "http://kubia:80/"], "pod/client", tty=True)
    assert result.stdout == (
        "HTTP/1.1 200 OK\r\n"
        "Date: Sun, 22 Nov 2026 09:00:00 GMT\r\n"
        "Connection: keep-alive\r\n"
        "Transfer-Encoding: chunked\r\n"
        "\r\n"
    )


def test_ingress_response_head_and_custom_host_header() -> None:
    network = cluster()
    result = network.run(["curl", "-siH", "Host: kubia.example.com", "http://192.168.49.100/"])
    assert result.stdout == (
        "HTTP/1.1 200 OK\r\n"
        "Date: Sun, 22 Nov 2026 09:00:00 GMT\r\n"
        "Transfer-Encoding: chunked\r\n"
        "Connection: keep-alive\r\n"
        "\r\n"
        "You've hit kubia-a\n"
    )
    verbose = network.run(["curl", "-v", "-H", "Host: kubia.example.com", "http://192.168.49.100/"])
    assert (
        "> GET / HTTP/1.1\n> User-Agent: curl/7.88.1\n> Accept: */*\n"
        "> Host: kubia.example.com\n> \n"
    ) in verbose.stderr


def test_resolve_option() -> None:
    result = cluster().run(
        [
            "curl",
            "-v",
            "--resolve",
            "kubia.example.com:80:192.168.49.100",
            "http://kubia.example.com/",
        ]
    )
    assert result.stderr.startswith(
        "* Added kubia.example.com:80:192.168.49.100 to DNS cache\n"
        "* Hostname kubia.example.com was found in DNS cache\n"
        "*   Trying 192.168.49.100:80...\n"
    )
    assert result.stdout == "You've hit kubia-a\n"


def test_write_out_and_output() -> None:
    result = cluster().run(
        ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{remote_ip}\\n", "http://kubia"],
        "pod/client",
    )
    assert (result.stdout, result.exit_code) == ("200 10.96.100.1\n", 0)


def test_post_data() -> None:
    result = cluster().run(["curl", "-v", "-d", "a=1", "http://kubia/"], "pod/client", tty=True)
    assert "> POST / HTTP/1.1\n" in result.stderr
    assert "> Content-Length: 3\n> Content-Type: application/x-www-form-urlencoded\n" in (
        result.stderr
    )


def test_several_urls_give_several_traces() -> None:
    result = cluster().run(["curl", "-s", "http://kubia", "http://kubia"], "pod/client")
    assert result.stdout == "You've hit kubia-a\nYou've hit kubia-a\n"
    assert len(result.traces) == 2


# -- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "code", "message"),
    [
        pytest.param("http://nosuchsvc/", 6, "Could not resolve host: nosuchsvc", id="NXDOMAIN"),
        pytest.param(
            "http://10.244.1.2:8081/",
            7,
            "Failed to connect to 10.244.1.2 port 8081 after 0 ms: Couldn't connect to server",
            id="refused",
        ),
        pytest.param(
            "http://10.244.9.9/",
            7,
            "Failed to connect to 10.244.9.9 port 80 after 3071 ms: Couldn't connect to server",
            id="no route to host",
        ),
        pytest.param(
            "ftp://kubia/",
            1,
            'Protocol "ftp" not supported or disabled in libcurl',
            id="protocol",
        ),
        pytest.param("http://:80/", 3, "URL using bad/illegal format or missing URL", id="url"),
    ],
)
def test_error_lines(url: str, code: int, message: str) -> None:
    network = cluster()
    result = network.run(["curl", url], "pod/client", tty=True)
    assert (result.stdout, result.stderr, result.exit_code) == (
        "",
        f"curl: ({code}) {message}\n",
        code,
    )
    silent = network.run(["curl", "-s", url], "pod/client")
    assert (silent.stderr, silent.exit_code) == ("", code)
    meter = network.run(["curl", url], "pod/client")
    assert meter.stderr.startswith(METER_HEAD + "  0     0    0     0    0     0      0      0 ")


def test_verbose_refused() -> None:
    result = cluster().run(["curl", "-v", "http://10.244.1.2:8081/"], "pod/client", tty=True)
    assert result.stderr == (
        "*   Trying 10.244.1.2:8081...\n"
        "* connect to 10.244.1.2 port 8081 failed: Connection refused\n"
        "* Failed to connect to 10.244.1.2 port 8081 after 0 ms: Couldn't connect to server\n"
        "* Closing connection 0\n"
        "curl: (7) Failed to connect to 10.244.1.2 port 8081 after 0 ms: Couldn't connect to "
        "server\n"
    )


def test_kernel_timeout_without_curl_timeouts() -> None:
    result = cluster().run(["curl", "-v", "http://kubia:8080/"], "pod/client", tty=True)
    assert result.stderr == (
        "*   Trying 10.96.100.1:8080...\n"
        "* connect to 10.96.100.1 port 8080 failed: Connection timed out\n"
        "* Failed to connect to kubia port 8080 after 130002 ms: Couldn't connect to server\n"
        "* Closing connection 0\n"
        "curl: (28) Failed to connect to kubia port 8080 after 130002 ms: Couldn't connect to "
        "server\n"
    )
    assert result.exit_code == 28
    assert result.traces[0].elapsed == pytest.approx(130.002)
    meter = cluster().run(["curl", "http://kubia:8080/"], "pod/client")
    assert " 0:02:10 " in meter.stderr  # the time spent column


def test_unknown_tool_and_unknown_pod() -> None:
    network = cluster()
    assert network.run(["wget", "http://kubia"]).exit_code == 127
    missing = network.run(["curl", "http://kubia"], "pod/ghost")
    assert (missing.stderr, missing.exit_code) == (
        'Error from server (NotFound): pods "ghost" not found\n',
        1,
    )
