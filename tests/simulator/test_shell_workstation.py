"""The learner's workstation (`Cluster.run`): files, openssl, and kubectl reading files."""

from __future__ import annotations

import base64
import json

import pytest

from simulator import Cluster
from simulator.network.tls import certificate_from_secret
from simulator.shell import openssl

from .conftest import run_ok


@pytest.fixture
def cluster() -> Cluster:
    return Cluster(seed=7)


def test_files_ls_cat_rm_mkdir_and_their_errors(cluster: Cluster) -> None:
    assert run_ok(cluster, "ls") == ""
    run_ok(cluster, "echo hello > a.txt; mkdir -p d/e; touch d/f")
    assert run_ok(cluster, "ls") == "a.txt  d\n"
    assert run_ok(cluster, "ls | cat") == "a.txt\nd\n"  # one name a line into a pipe
    assert run_ok(cluster, "ls d") == "e  f\n"
    assert run_ok(cluster, "cat a.txt ~/a.txt /home/learner/a.txt") == "hello\n" * 3
    assert run_ok(cluster, "pwd") == "/home/learner\n"
    missing = cluster.run("cat nope")
    assert (missing.stderr, missing.exit_code) == ("cat: nope: No such file or directory\n", 1)
    assert cluster.run("ls nope").stderr == "ls: cannot access 'nope': No such file or directory\n"
    assert cluster.run("ls nope").exit_code == 2
    assert cluster.run("rm d").stderr == "rm: cannot remove 'd': Is a directory\n"
    assert cluster.run("echo x > /etc/passwd").stderr == "bash: /etc/passwd: Permission denied\n"
    assert cluster.run("echo x > no/such").stderr == "bash: no/such: No such file or directory\n"
    assert "localhost" in run_ok(cluster, "cat /etc/hosts")
    run_ok(cluster, "rm -r d a.txt")
    assert run_ok(cluster, "ls") == ""


def test_files_are_bounded(cluster: Cluster) -> None:
    for k in range(64):
        run_ok(cluster, f"touch f{k}")
    full = cluster.run("touch one-more")
    assert full.exit_code == 1
    assert "No space left on device" in full.stderr


def test_kubectl_writes_and_reads_workstation_files(cluster: Cluster) -> None:
    run_ok(cluster, "kubectl create deploy web --image=nginx --dry-run=client -o yaml > web.yaml")
    assert run_ok(cluster, "kubectl apply -f web.yaml") == "deployment.apps/web created\n"
    missing = cluster.run("kubectl apply -f nope.yaml")
    assert missing.stderr == 'error: the path "nope.yaml" does not exist\n'
    run_ok(cluster, 'echo \'{"spec":{"replicas":2}}\' > patch.json')
    assert run_ok(cluster, "kubectl patch deploy web --patch-file patch.json") == (
        "deployment.apps/web patched\n"
    )


def test_a_workstation_replays_byte_for_byte() -> None:
    lines = [
        "openssl genrsa -out tls.key 2048",
        "openssl req -new -x509 -key tls.key -out tls.cert -days 360 -subj /CN=kubia.example.com",
        "alias k=kubectl",
        "k create secret tls tls-secret --cert=tls.cert --key=tls.key",
        "cat tls.key tls.cert | wc -c",
        "kubectl get secret tls-secret -o yaml",
    ]
    first, second = Cluster(seed=3), Cluster(seed=3)
    outputs = [[c.run(line).stdout for line in lines] for c in (first, second)]
    assert outputs[0] == outputs[1]
    assert "kind: Secret" in outputs[0][-1]
    other = Cluster(seed=4)
    for line in lines[:2]:
        other.run(line)
    assert other.run("cat tls.key").stdout != first.run("cat tls.key").stdout


def test_openssl_key_and_certificate_belong_together(cluster: Cluster) -> None:
    run_ok(cluster, "openssl genrsa -out k 2048")
    key = run_ok(cluster, "cat k")
    assert key.startswith("-----BEGIN PRIVATE KEY-----\n")
    assert run_ok(cluster, "ls -l k").startswith("-rw------- 1 learner learner ")
    run_ok(
        cluster,
        "openssl req -new -x509 -key k -out c -days 30 -subj /CN=foo.bar.com/O=Acme "
        "-addext subjectAltName=DNS:foo.bar.com,DNS:*.bar.com",
    )
    cert_text = run_ok(cluster, "cat c")
    assert openssl.certificate_modulus(cert_text) == openssl.key_modulus(key)
    assert openssl.key_modulus(key).bit_length() == 2048
    assert run_ok(cluster, "openssl x509 -in c -noout -subject -dates") == (
        "subject=CN = foo.bar.com, O = Acme\n"
        "notBefore=Nov 22 09:00:00 2026 GMT\nnotAfter=Dec 22 09:00:00 2026 GMT\n"
    )
    run_ok(cluster, "kubectl create secret tls s --cert=c --key=k")
    secret = json.loads(run_ok(cluster, "kubectl get secret s -o json"))
    assert base64.b64decode(secret["data"]["tls.crt"]).decode() == cert_text
    cert = certificate_from_secret(secret)
    assert (cert.subject, cert.issuer) == ("CN=foo.bar.com; O=Acme", "CN=foo.bar.com; O=Acme")
    assert cert.names == ("foo.bar.com", "*.bar.com")
    assert cert.expire == "Dec 22 09:00:00 2026 GMT"


def test_openssl_one_liner_and_mismatched_pairs(cluster: Cluster) -> None:
    made = cluster.run(
        "openssl req -x509 -nodes -days 365 -newkey rsa:2048 -keyout a.key -out a.crt "
        '-subj "/CN=foo.bar.com/O=foo.bar.com"'
    )
    assert made.exit_code == 0
    assert made.stderr.endswith("-----\n")
    run_ok(cluster, "openssl genrsa -out other.key 2048")
    mismatch = cluster.run("kubectl create secret tls t --cert=a.crt --key=other.key")
    assert mismatch.stderr == (
        "error: failed to load key pair tls: private key does not match public key\n"
    )
    verbose = cluster.run("openssl genrsa -verbose 1024")
    assert verbose.stdout.startswith("-----BEGIN PRIVATE KEY-----")
    assert verbose.stderr.startswith("Generating RSA key with 1024 bits\n")
    assert verbose.stderr.endswith("e is 65537 (0x010001)\n")
    assert cluster.run("openssl req -new -x509 -key a.key").stderr.startswith(
        "req: this playground's terminal cannot answer openssl's questions"
    )
    assert cluster.run("openssl req -new -x509 -key nope -subj /CN=x").stderr.startswith(
        "Could not open file or uri for loading private key from nope\n"
    )
    assert cluster.run("openssl genrsa -bogus").stderr == (
        "genrsa: Unknown option: -bogus\ngenrsa: Use -help for summary.\n"
    )
    assert (
        cluster.run("openssl frob").stderr == "Invalid command 'frob'; type \"help\" for a list.\n"
    )
    assert run_ok(cluster, "openssl version").startswith("OpenSSL 3.0.15 ")


def test_unknown_programs_say_what_to_use(cluster: Cluster) -> None:
    result = cluster.run("vi deploy.yaml")
    assert result.exit_code == 127
    assert result.stderr.startswith("bash: vi: command not found\n(vi is not available")
    assert "kubectl edit" in result.stderr
    assert cluster.run("frobnicate").stderr == "bash: frobnicate: command not found\n"


def test_curl_in_a_pipe_shows_its_progress_meter_as_curl_does(cluster: Cluster) -> None:
    on_terminal = cluster.run("curl -k https://192.168.49.2:6443/")
    assert on_terminal.exit_code == 0
    piped = cluster.run("curl -k https://192.168.49.2:6443/ | head -1")
    assert "% Total" not in on_terminal.stderr
    assert "% Total" in piped.stderr
