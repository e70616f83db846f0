"""Seed replay, part 3: the notes' shell sessions: pipes, interactive shells, TLS files, aliases.

Each test replays terminal sessions printed in the seed notes
(`../shared/seeds/*.txt`, beside the project), named in a comment as `<file> <section>`, typing
exactly what the notes type, and compares what comes back with what the notes
show. Names and IPs differ between two clusters and are compared by shape
(`norm()`); where a note was printed by an older tool, the test asserts what
the modern one prints and says so.

An interactive shell (`kubectl exec -it POD -- bash`) is replayed as the
browser terminal runs it: the command returns a session, and each line typed
at the pod's prompt runs as `kubectl exec POD -- bash -c 'LINE'`.
"""

from __future__ import annotations

import re

from simulator import Cluster
from simulator.result import ERR, OUT
from simulator.scenarios import get

from .conftest import apply, run_ok
from .seed_manifests import DEMO_RC, DEMO_SERVICE_NAMED, KUBIA_RS_TWO_PORTS, KUBIA_SVC_TWO_PORTS
from .test_seed_replay_state import cluster_ip, norm, pod_names


def open_shell(cluster: Cluster, line: str) -> dict:
    """Run an `exec -it ... -- sh|bash` line; the session it opens."""
    result = cluster.run(line)
    assert (result.exit_code, result.stdout) == (0, ""), result.stderr
    assert result.session is not None
    return result.session


def typed(cluster: Cluster, session: dict, line: str):
    """A line typed at a session's prompt, sent as the terminal sends it."""
    from shlex import quote

    return cluster.run(f"{session['prefix']} {quote(line)}")


# -- 000 §5.1.2: env and DNS from a bash in the pod -------------------------------------------


def test_000_env_resolv_conf_and_fqdn_from_an_interactive_bash() -> None:
    cluster = Cluster(seed=0)
    apply(cluster, DEMO_SERVICE_NAMED)  # the Service first, so the pods get its variables
    apply(cluster, DEMO_RC)
    pod = pod_names(cluster, "app=k8s-node-demo-replication-controller-label")[0]
    # $ kubectl exec -it k8s-node-demo-replication-controller-2fb2d -- bash
    session = open_shell(cluster, f"kubectl exec -it {pod} -- bash")
    assert session["prompt"] == f"root@{pod}:/# "
    # root@k8s-node-demo-replication-controller-2fb2d:/# env
    env = typed(cluster, session, "env").stdout
    assert f"HOSTNAME={pod}\n" in env
    assert f"DEMO_SERVICE_SERVICE_HOST={cluster_ip(cluster, 'demo-service')}\n" in env
    assert "KUBERNETES_SERVICE_HOST=10.96.0.1\n" in env
    # root@...:/# curl -s http://demo-service.default.svc.cluster.local
    body = typed(cluster, session, "curl -s http://demo-service.default.svc.cluster.local")
    assert re.fullmatch(r"You've hit k8s-node-demo-replication-controller-\w{5}\n", body.stdout)
    # root@...:/# cat /etc/resolv.conf (the notes list nameserver first; containerd writes
    # the search line first, k8s-semantics.md 2.2)
    resolv = typed(cluster, session, "cat /etc/resolv.conf").stdout.splitlines()
    assert sorted(resolv) == sorted(
        ["nameserver 10.96.0.10", "search default.svc.cluster.local svc.cluster.local "
         "cluster.local", "options ndots:5"]
    )  # fmt: skip
    # root@...:/# curl -s http://demo-service
    assert typed(cluster, session, "curl -s http://demo-service").stdout.startswith("You've hit")


# -- 000 §5.4 and 5.5: grep after kubectl; TLS files; the readiness line -------------------


def test_000_ingress_pods_grep_tls_secret_and_readiness_grep() -> None:
    cluster = Cluster(seed=0)
    # $ kubectl get pod --all-namespaces | grep ingress
    lines = run_ok(cluster, "kubectl get pod --all-namespaces | grep ingress").splitlines()
    assert lines
    assert all("ingress" in line for line in lines)
    assert all(re.match(r"ingress-nginx\s+ingress-nginx-controller-", line) for line in lines)
    # $ openssl genrsa -out demo-tls.key 2048
    # The notes show OpenSSL 1.1's "Generating RSA private key, 2048 bit long modulus";
    # OpenSSL 3 prints nothing without -verbose.
    key = cluster.run("openssl genrsa -out demo-tls.key 2048")
    assert (key.stdout, key.stderr, key.exit_code) == ("", "", 0)
    # $ openssl req -new -x509 -key demo-tls.key -out demo-tls.cert -days 360 -subj /CN=...
    cert = cluster.run(
        "openssl req -new -x509 -key demo-tls.key -out demo-tls.cert -days 360 "
        "-subj /CN=nodeservice.demo.com"
    )
    assert (cert.stdout, cert.stderr, cert.exit_code) == ("", "", 0)
    # $ kubectl create secret tls demo-tls-secret --cert=demo-tls.cert --key=demo-tls.key
    assert (
        run_ok(cluster, "kubectl create secret tls demo-tls-secret --cert=demo-tls.cert "
               "--key=demo-tls.key")
        == "secret/demo-tls-secret created\n"
    )  # fmt: skip
    # $ kubectl get secrets
    assert norm(run_ok(cluster, "kubectl get secrets")) == [
        "NAME TYPE DATA AGE",
        "demo-tls-secret kubernetes.io/tls 2 AGE",
    ]
    # $ kubectl describe pod demo-readiness-... | grep Readiness
    apply(cluster, get("readiness").manifest)
    pod = pod_names(cluster, "app=kubia")[0]
    assert run_ok(cluster, f"kubectl describe pod {pod} | grep Readiness") == (
        "    Readiness:      exec [ls /var/ready] delay=0s timeout=1s period=10s "
        "#success=1 #failure=3\n"
    )


# -- 001: the blog's secret and edits ---------------------------------------------------------


def test_001_secret_from_missing_files_and_edit_without_an_editor() -> None:
    cluster = Cluster(seed=0)
    run_ok(cluster, "kubectl create namespace test")
    # $ kubectl create secret tls my-secret --cert /ssl/blog.crt --key ./ssl/blog.key
    #   --namespace test   (the blog's files are on its author's machine, not here)
    missing = cluster.run(
        "kubectl create secret tls my-secret --cert /ssl/blog.crt --key ./ssl/blog.key "
        "--namespace test"
    )
    assert (missing.stderr, missing.exit_code) == (
        "error: open /ssl/blog.crt: no such file or directory\n",
        1,
    )
    # $ kubectl edit deploy nginx-ingress-controller -n ingress-nginx (that controller's name
    # in the blog; ingress-nginx names it ingress-nginx-controller)
    gone = cluster.run("kubectl edit deploy nginx-ingress-controller -n ingress-nginx")
    assert gone.stderr == (
        'Error from server (NotFound): deployments.apps "nginx-ingress-controller" not found\n'
    )
    edit = cluster.run("kubectl edit deploy ingress-nginx-controller -n ingress-nginx")
    assert (edit.stderr, edit.exit_code) == ('error: unable to launch the editor "vi"\n', 1)
    assert edit.edit["ref"] == "deployment.apps/ingress-nginx-controller"
    assert edit.edit["yaml"].startswith("# Please edit the object below.")
    assert "\nkind: Deployment\n" in edit.edit["yaml"]


# -- 002: the geektime course's $out, api-resources | grep, a shell in nginx:alpine ---------


def test_002_dry_run_templates_with_out_and_api_resources_grep() -> None:
    cluster = Cluster(seed=0)
    # The course defines `export out="--dry-run=client -o yaml"` and appends $out.
    run_ok(cluster, 'export out="--dry-run=client -o yaml"')
    # $ kubectl create deploy ngx-dep --image=nginx:alpine $out
    deploy = run_ok(cluster, "kubectl create deploy ngx-dep --image=nginx:alpine $out")
    assert deploy.startswith("apiVersion: apps/v1\nkind: Deployment\n")
    assert "  replicas: 1\n" in deploy
    assert "- image: nginx:alpine\n" in deploy
    assert run_ok(cluster, "kubectl get deploy -o name") == ""  # a dry run created nothing
    # $ kubectl create ing ngx-ing --rule="ngx.test/=ngx-svc:80" --class=ngx-ink $out
    ingress = run_ok(cluster, 'kubectl create ing ngx-ing --rule="ngx.test/=ngx-svc:80" '
                     "--class=ngx-ink $out")  # fmt: skip
    assert "  ingressClassName: ngx-ink\n" in ingress
    assert "        path: /\n        pathType: Exact\n" in ingress
    assert "            name: ngx-svc\n            port:\n              number: 80\n" in ingress
    # $ kubectl api-resources | grep deployment  (the notes add the header by hand: grep
    # keeps only matching lines)
    assert norm(run_ok(cluster, "kubectl api-resources | grep deployment")) == [
        "deployments deploy apps/v1 true Deployment"
    ]
    assert norm(run_ok(cluster, "kubectl api-resources | grep DaemonSet")) == [
        "daemonsets ds apps/v1 true DaemonSet"
    ]
    ingress_types = norm(run_ok(cluster, "kubectl api-resources | grep ingress"))
    assert "ingressclasses networking.k8s.io/v1 false IngressClass" in ingress_types
    assert "ingresses ing networking.k8s.io/v1 true Ingress" in ingress_types
    # $ kubectlapi-resources | grep ingress   (a typo in the notes)
    typo = cluster.run("kubectlapi-resources | grep ingress")
    assert (typo.stderr, typo.exit_code) == ("bash: kubectlapi-resources: command not found\n", 1)
    # $ kubectl version --short   (the flag was removed in kubectl 1.28)
    short = cluster.run("kubectl version --short")
    assert short.stderr == "error: unknown flag: --short\nSee 'kubectl version --help' for usage.\n"
    assert norm(run_ok(cluster, "kubectl version"), ips=False) == [
        "Client Version: v1.35.0", "Kustomize Version: v5.7.1", "Server Version: v1.35.0"
    ]  # fmt: skip


def test_002_a_shell_in_nginx_alpine_curls_the_service_by_each_name() -> None:
    cluster = Cluster(seed=0)
    apply(cluster, get("ngx-dep").manifest)
    pod = pod_names(cluster, "app=ngx-dep")[0]
    ip = cluster_ip(cluster, "ngx-svc")
    # $ kubectl exec -it ngx-dep-6796688696-dp222 -- sh
    session = open_shell(cluster, f"kubectl exec -it {pod} -- sh")
    assert session["prompt"] == "/ # "
    # / # curl 10.100.50.229:8080, then the three DNS forms
    for target in (f"{ip}:8080", "ngx-svc:8080", "ngx-svc.default:8080",
                   "ngx-svc.default.svc.cluster.local:8080"):  # fmt: skip
        answer = typed(cluster, session, f"curl {target}")
        assert (answer.exit_code, answer.stdout.startswith("You've hit ngx-dep-")) == (0, True)
    # $ kubect apply -f ngx-ing.yml   (a typo in the notes)
    assert cluster.run("kubect apply -f ngx-ing.yml").stderr == "bash: kubect: command not found\n"


# -- 003: kubia's env, ping, $KUBIA_SERVICE_PORT_HTTP_MUX1, jsonpath | tr, TLS with curl -v ---


def kubia_two_ports() -> Cluster:
    cluster = Cluster(seed=0)
    apply(cluster, KUBIA_SVC_TWO_PORTS)
    apply(cluster, KUBIA_RS_TWO_PORTS)
    return cluster


def test_003_a_bash_in_kubia_pings_curls_with_the_port_variable_and_reads_resolv_conf() -> None:
    cluster = kubia_two_ports()
    pod = pod_names(cluster, "app=kubia")[0]
    ip = cluster_ip(cluster, "kubia")
    # ø> kubectl exec -it kubia-zhg6k bash   (without `--`: kubectl refuses it since v1.29)
    old = cluster.run(f"kubectl exec -it {pod} bash")
    assert old.stderr.startswith(
        "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead"
    )
    session = open_shell(cluster, f"kubectl exec -it {pod} -- bash")
    # root@kubia-zhg6k:/app# ping 10.66.13.240  (the ClusterIP: every packet lost)
    ping = typed(cluster, session, f"ping -c 3 {ip}")
    # (the notes' Debian image has iputils' ping; the simulator prints BusyBox's wording)
    assert "3 packets transmitted, 0 packets received, 100% packet loss" in ping.stdout
    assert ping.exit_code == 1
    # root@kubia-zhg6k:/app# curl kubia.default.svc.cluster.local:$KUBIA_SERVICE_PORT_HTTP_MUX1
    for name in ("kubia.default.svc.cluster.local", "kubia.default", "kubia"):
        answer = typed(cluster, session, f"curl {name}:$KUBIA_SERVICE_PORT_HTTP_MUX1")
        assert re.fullmatch(r"You've hit kubia-\w{5}\n", answer.stdout), answer.stderr
        assert answer.traces[0].to_dict()["hops"][-1]["port"] == 8090  # the mux1 port
    # ø> kubectl exec kubia-zhg6k -- env  | grep KUBIA_SERVICE
    variables = run_ok(cluster, f"kubectl exec {pod} -- env | grep KUBIA_SERVICE | sort")
    assert variables.splitlines() == [
        f"KUBIA_SERVICE_HOST={ip}",
        "KUBIA_SERVICE_PORT=80",
        "KUBIA_SERVICE_PORT_HTTP_DEFAULT=80",
        "KUBIA_SERVICE_PORT_HTTP_MUX1=90",
    ]


def test_003_jsonpath_into_tr_one_value_a_line() -> None:
    cluster = kubia_two_ports()
    # ø> kubectl get nodes -o jsonpath='{...[?(@.type=="ExternalIP")].address}' | tr ' ' '\n'
    # (the default cluster's nodes have InternalIPs only, as kubeadm's do)
    external = cluster.run(
        "kubectl get nodes -o jsonpath="
        "'{.items[*].status.addresses[?(@.type==\"ExternalIP\")].address}' | tr ' ' '\\n'"
    )
    assert (external.stdout, external.exit_code) == ("", 0)
    internal = run_ok(
        cluster,
        "kubectl get nodes -o jsonpath="
        "'{.items[*].status.addresses[?(@.type==\"InternalIP\")].address}' | tr ' ' '\\n'",
    )
    assert norm(internal) == ["IP", "IP", "IP"]
    # ø> kubectl get pods -o jsonpath="{range .items[*]}{.metadata.name}--{.status.podIP} {end}"
    #    | tr ' ' '\n'
    pairs = run_ok(
        cluster,
        'kubectl get pods -o jsonpath="{range .items[*]}{.metadata.name}--{.status.podIP} '
        "{end}\" | tr ' ' '\\n'",
    )
    assert norm(pairs) == ["kubia-XXXXX--IP"] * 3


def test_003_tls_files_alias_k_and_curl_v_shows_the_certificate_before_the_body() -> None:
    cluster = kubia_two_ports()
    apply(cluster, get("nodeport").manifest)
    # ø> openssl genrsa -out tls.key 2048 ; openssl req ... -days 3650 -subj /CN=...
    run_ok(cluster, "openssl genrsa -out tls.key 2048")
    run_ok(cluster, "openssl req -new -x509 -sha256 -key tls.key  -out tls.cert -days 3650 "
           "-subj /CN=kubia.example.com")  # fmt: skip
    # ø> ls
    assert run_ok(cluster, "ls") == "tls.cert  tls.key\n"
    # ø> k create secret tls tls-secret --cert=tls.cert --key=tls.key   (k: the author's alias)
    run_ok(cluster, "alias k=kubectl")
    assert run_ok(cluster, "k create secret tls tls-secret --cert=tls.cert --key=tls.key") == (
        "secret/tls-secret created\n"
    )
    apply(cluster, """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: kubia
spec:
  tls:
  - hosts: [kubia.example.com]
    secretName: tls-secret
  rules:
  - host: kubia.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: kubia-nodeport, port: {number: 80}}}}
""")  # fmt: skip
    # ø> curl -k -v https://kubia.example.com/
    result = cluster.run("curl -k -v https://kubia.example.com/")
    assert result.exit_code == 0
    verbose = result.stderr.splitlines()
    assert "*  subject: CN=kubia.example.com" in verbose
    assert "*  issuer: CN=kubia.example.com" in verbose
    assert "*  start date: Nov 22 09:00:00 2026 GMT" in verbose
    assert "*  expire date: Nov 19 09:00:00 2036 GMT" in verbose  # 3650 days later
    assert "*  SSL certificate verify result: self-signed certificate (18), continuing anyway." in (
        verbose
    )
    # As on a terminal: the handshake and headers, then the body, then curl's last line.
    streams = [stream for stream, _ in result.output()]
    assert streams == [ERR, OUT, ERR]
    assert result.output()[1][1].startswith("You've hit kubia-")
    assert result.output()[2][1].startswith("* Connection #0 to host kubia.example.com left")


def test_003_what_stays_unavailable_says_so() -> None:
    cluster = kubia_two_ports()
    # echo '35.227.198.7 kubia.example.com' >> /etc/hosts  (the host already resolves it)
    hosts = cluster.run("echo '35.227.198.7 kubia.example.com' >> /etc/hosts")
    assert (hosts.stderr, hosts.exit_code) == ("bash: /etc/hosts: Permission denied\n", 1)
    # ø> http kubia.example.com   (HTTPie)
    httpie = cluster.run("http kubia.example.com")
    assert httpie.exit_code == 127
    assert httpie.stderr.startswith("bash: http: command not found\n")
    # ø> kubectl run dnsutils --image=tutum/dnsutils --generator=run-pod/v1 --command -- ...
    generator = cluster.run(
        "kubectl run dnsutils --image=tutum/dnsutils --generator=run-pod/v1 --command -- "
        "sleep infinity"
    )
    assert generator.stderr.startswith("error: unknown flag: --generator\n")
    # kubectl top stays unsupported, with its own message whatever flags follow
    top = cluster.run("kubectl top pod kubia-abcde --containers --sort-by=cpu")
    assert top.stderr.startswith('error: "kubectl top" is not available in this playground')


# -- a node's point of view (000 §5.1.1: "ssh to a node and curl") ---------------------------


def test_a_debug_shell_on_a_node_curls_a_cluster_ip_and_a_pod_ip() -> None:
    cluster = kubia_two_ports()
    ip = cluster_ip(cluster, "kubia")
    debug = cluster.run("kubectl debug node/worker-1 -it --image=busybox")
    assert re.fullmatch(
        r"Creating debugging pod node-debugger-worker-1-\w{5} with container debugger on node "
        r"worker-1\.\n",
        debug.stdout,
    )
    assert debug.stderr == "If you don't see a command prompt, try pressing enter.\n"
    session = debug.session
    assert session["prompt"] == "/ # "
    assert typed(cluster, session, f"curl -s {ip}").stdout.startswith("You've hit kubia-")
    pod_ip = run_ok(cluster, "kubectl get pods -l app=kubia -o jsonpath={.items[0].status.podIP}")
    assert typed(cluster, session, f"curl -s {pod_ip}:8080").stdout.startswith("You've hit")
    node = run_ok(cluster, f"kubectl get pod {session['pod']} -o jsonpath={{.spec.nodeName}}")
    assert node == "worker-1"
