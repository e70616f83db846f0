"""The built-in example scenarios: manifests from the seed notes, ready to apply.

Each scenario is one multi-document YAML file in this package
(`<slug>.yaml`), valid for `kubectl apply -f -` on a real Kubernetes v1.30+
cluster, with the names, labels, ports and images the seed notes use so that
learners recognise them. Objects come in an order that works on a real
cluster: ConfigMaps, Secrets and Services before the workloads that read
them (a pod only sees the Service environment variables of Services that
existed when it started), IngressClasses before Ingresses.

`try_commands` are command lines (CONTRACT.md section 2) to run after
applying. Generated names and addresses appear as placeholders, listed in
`PLACEHOLDERS`: `POD` is a pod selected by the scenario's `pod_selector`,
`NODE_IP` a worker node's InternalIP, `CONTROL_PLANE_IP` the control-plane node's,
`EXTERNAL_IP` the LoadBalancer
Service's EXTERNAL-IP.

The seed notes' scenarios come first; NetworkPolicy recipes (`recipes`) follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from simulator.catalogue import gettext_noop

from . import recipes

__all__ = ["DEFAULT", "PLACEHOLDERS", "SCENARIOS", "Scenario", "get"]

#: Placeholder words in `try_commands` and what to put in their place.
PLACEHOLDERS: dict[str, str] = {
    "POD": "the name of a running pod that the scenario's pod_selector matches",
    "NODE_IP": "a worker node's InternalIP (kubectl get nodes -o wide)",
    "CONTROL_PLANE_IP": "the control-plane node's InternalIP (kubectl get nodes -o wide)",
    "EXTERNAL_IP": "the LoadBalancer Service's EXTERNAL-IP (kubectl get svc)",
}


@cache
def _read(slug: str) -> str:
    return resources.files(__name__).joinpath(f"{slug}.yaml").read_text(encoding="utf-8")


@cache
def _kinds(slug: str) -> frozenset[str]:
    return frozenset(_KIND.findall(_read(slug)))


_KIND = re.compile(r"^kind: *(\w+)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Scenario:
    """One built-in example.

    Attributes:
        slug: the file name without `.yaml`, e.g. `kubia-affinity`.
        title: a short title for menus (English; marked for the playground's catalogue).
        summary: one or two sentences for learners (English; marked likewise).
        source: the seed file(s) and section(s) the manifests come from.
        try_commands: command lines to run after applying, in a sensible order;
            placeholders as in `PLACEHOLDERS`.
        pod_selector: a `kubectl -l` selector for the pods that `POD` stands for.
        twin: the slug of the scenario that routes the same traffic the other way: an
            Ingress example's Gateway API twin, and the other way round ("" for none).
        topic: the menu section it belongs to.
    """

    slug: str
    title: str
    summary: str
    source: str
    try_commands: tuple[str, ...]
    pod_selector: str = ""
    twin: str = ""
    topic: str = gettext_noop("Services and Ingress")

    @property
    def manifest(self) -> str:
        """The scenario's multi-document YAML, as `kubectl apply -f -` takes it."""
        return _read(self.slug)

    @property
    def kinds(self) -> frozenset[str]:
        """The kinds of the objects the scenario creates."""
        return _kinds(self.slug)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        slug="kubia-affinity",
        title=gettext_noop("kubia with session affinity"),
        summary=gettext_noop(
            "Three kubia pods behind the Service kubia with sessionAffinity: ClientIP: "
            "every request from one client goes to the same pod. Curl the Service from a "
            "pod several times and see the same name come back."
        ),
        source=(
            "000_bc576c977301e23e.txt §5.1.1 (sessionAffinity: ClientIP); "
            "003_24b935804ce4cf55.txt 介绍服务 (kubia-svc.yaml)"
        ),
        try_commands=(
            "kubectl get pods -o wide",
            "kubectl get svc kubia",
            "kubectl get endpoints kubia",
            "kubectl describe svc kubia",
            "kubectl exec POD -- curl -s http://kubia",
            "kubectl exec POD -- curl -s http://kubia",
            "kubectl exec POD -- curl -s http://kubia.default.svc.cluster.local",
            "kubectl exec POD -- env",
            "kubectl exec POD -- cat /etc/resolv.conf",
            "kubectl exec POD -- ping -c 3 kubia",
        ),
        pod_selector="app=kubia",
    ),
    Scenario(
        slug="named-ports",
        title=gettext_noop("Named ports"),
        summary=gettext_noop(
            "The kubia pods name their container ports http (8080) and https (8443); the "
            "Service kubia exposes 80 and 443 and refers to the pods' ports by name, so the "
            "numbers can change in the pod template without touching the Service."
        ),
        source=(
            "000_bc576c977301e23e.txt §5.1.1 同一个服务暴露多个端口/使用命名的端口; "
            "003_24b935804ce4cf55.txt 介绍服务 and 连接集群外部的服务 (describe svc kubia)"
        ),
        try_commands=(
            "kubectl get pods -o wide",
            "kubectl describe svc kubia",
            "kubectl get endpoints kubia",
            "kubectl describe endpoints kubia",
            "kubectl exec POD -- curl -s http://kubia",
            "kubectl exec POD -- env",
        ),
        pod_selector="app=kubia",
    ),
    Scenario(
        slug="nodeport",
        title=gettext_noop("NodePort Service"),
        summary=gettext_noop(
            "kubia-nodeport opens port 30123 on every node and forwards it to the kubia "
            "pods on 8080. Reach it from outside the cluster at any node's IP, and from "
            "inside at its cluster IP on port 80."
        ),
        source=(
            "003_24b935804ce4cf55.txt 通过 NodePort 类型的服务向外暴露 (kubia-svc-nodeport.yaml); "
            "000_bc576c977301e23e.txt §5.3.1"
        ),
        try_commands=(
            "kubectl get svc kubia-nodeport",
            "kubectl get endpoints kubia-nodeport",
            "kubectl get nodes -o wide",
            "curl -s http://NODE_IP:30123",
            "curl -s http://NODE_IP:30123",
            "kubectl exec POD -- curl -s http://kubia-nodeport",
            "kubectl describe svc kubia-nodeport",
        ),
        pod_selector="app=kubia",
    ),
    Scenario(
        slug="loadbalancer",
        title=gettext_noop("LoadBalancer with externalTrafficPolicy: Local"),
        summary=gettext_noop(
            "kubia-loadbalancer gets an external IP from the load-balancer pool. With "
            "externalTrafficPolicy: Local a node only sends traffic to its own kubia pods, "
            "without SNAT, so the pods see the client's real address; nodes without a kubia "
            "pod drop it."
        ),
        source=(
            "003_24b935804ce4cf55.txt 通过负载均衡器将服务暴露出来 (kubia-svc-loadbalancer.yaml); "
            "000_bc576c977301e23e.txt §5.3.2 and §5.3.3 (externalTrafficPolicy: Local, SNAT)"
        ),
        try_commands=(
            "kubectl get svc kubia-loadbalancer",
            "kubectl describe svc kubia-loadbalancer",
            "kubectl get pods -o wide",
            "curl -s http://EXTERNAL_IP",
            "curl -s http://EXTERNAL_IP",
            "kubectl scale --replicas=1 rc kubia",
            "kubectl get pods -o wide",
            "curl -s http://EXTERNAL_IP",
        ),
        pod_selector="app=kubia",
    ),
    Scenario(
        slug="externalname",
        title=gettext_noop("ExternalName Service"),
        summary=gettext_noop(
            "external-service-externalname is only a DNS alias (a CNAME to httpbin.org): it "
            "has no cluster IP and no endpoints, and a pod that uses it talks to httpbin.org "
            "directly. The kubia pods are there to run curl and nslookup from."
        ),
        source=(
            "003_24b935804ce4cf55.txt 为外部服务创建别名 (external-service-externalname.yaml); "
            "000_bc576c977301e23e.txt §5.2.3"
        ),
        try_commands=(
            "kubectl get svc external-service-externalname",
            "kubectl describe svc external-service-externalname",
            "kubectl exec POD -- nslookup external-service-externalname",
            "kubectl exec POD -- curl -s http://external-service-externalname/get",
            "kubectl exec POD -- curl -s "
            "http://external-service-externalname.default.svc.cluster.local/get",
        ),
        pod_selector="app=kubia",
    ),
    Scenario(
        slug="manual-endpoints",
        title=gettext_noop("A Service with manual Endpoints"),
        summary=gettext_noop(
            "external-service has no selector, so Kubernetes makes no Endpoints for it; the "
            "hand-written Endpoints object of the same name points it at two addresses "
            "outside the cluster, and pods use it like any other Service."
        ),
        source=(
            "003_24b935804ce4cf55.txt 创建一个重定向到外部地址的服务 (external-service.yaml, "
            "external-service-endpoints.yaml); 000_bc576c977301e23e.txt §5.2.2"
        ),
        try_commands=(
            "kubectl get svc external-service",
            "kubectl get endpoints external-service",
            "kubectl describe svc external-service",
            "kubectl exec POD -- curl -v http://external-service",
            "kubectl exec POD -- env",
        ),
        pod_selector="app=kubia",
    ),
    Scenario(
        slug="ingress-tls",
        title=gettext_noop("Ingress with two hosts, several paths and TLS"),
        summary=gettext_noop(
            "One Ingress routes kubia.example.com and foo.example.com to the kubia and bar "
            "Services by host and path (Prefix and Exact), and terminates TLS for "
            "kubia.example.com with a self-signed certificate from the Secret tls-secret; "
            "plain HTTP to that host is redirected to HTTPS."
        ),
        source=(
            "003_24b935804ce4cf55.txt 通过 Ingress 暴露服务 and 配置 Ingress 处理 TLS 传输 "
            "(kubia-ingress-tls.yaml); 000_bc576c977301e23e.txt §5.4.1–§5.4.4 "
            "(several paths, several hosts, TLS)"
        ),
        try_commands=(
            "kubectl get ingress",
            "kubectl describe ingress kubia",
            "kubectl get secret tls-secret",
            "curl -I http://kubia.example.com/",
            "curl -s https://kubia.example.com/",
            "curl -k -v https://kubia.example.com/",
            "curl -k -s https://kubia.example.com/bar",
            "curl -s http://foo.example.com/",
            "curl -s http://foo.example.com/bar",
            "curl -s http://foo.example.com/bar/baz",
            "curl -s -H 'Host: nothing.example.com' http://foo.example.com/",
        ),
        pod_selector="app=kubia",
        twin="gateway-tls",
    ),
    Scenario(
        slug="gateway-tls",
        title=gettext_noop("Gateway API: two hosts, several paths and TLS"),
        summary=gettext_noop(
            "The Ingress example with two hosts and TLS, the Gateway API way: the Gateway "
            "kubia (class nginx, NGINX Gateway Fabric) listens for HTTP on 80 and for HTTPS "
            "on 443 with the certificate in tls-secret; the HTTPRoute kubia sends "
            "kubia.example.com by path to kubia-nodeport and bar, kubia-redirect sends plain "
            "HTTP to HTTPS with 308, and foo routes foo.example.com (PathPrefix / and Exact "
            "/bar)."
        ),
        source=(
            "the ingress-tls example's Services, pods and Secret (003_24b935804ce4cf55.txt "
            "通过 Ingress 暴露服务 and 配置 Ingress 处理 TLS 传输; 000_bc576c977301e23e.txt "
            "§5.4); routes as the Gateway API guides write them (gateway-api.sigs.k8s.io: "
            "HTTP routing, HTTP redirects and rewrites, TLS)"
        ),
        try_commands=(
            "kubectl get gatewayclass",
            "kubectl get gateway kubia",
            "kubectl describe gateway kubia",
            "kubectl get httproute",
            "kubectl describe httproute kubia",
            "curl -I http://kubia.example.com/",
            "curl -s https://kubia.example.com/",
            "curl -k -v https://kubia.example.com/",
            "curl -k -s https://kubia.example.com/bar",
            "curl -s http://foo.example.com/",
            "curl -s http://foo.example.com/bar",
            "curl -s http://foo.example.com/bar/baz",
            "curl -s -H 'Host: nothing.example.com' http://foo.example.com/",
            "kubectl get svc kubia-nginx",
        ),
        pod_selector="app=kubia",
        twin="ingress-tls",
    ),
    Scenario(
        slug="gateway-canary",
        title=gettext_noop("Gateway API canary: 90/10 weights and a header match"),
        summary=gettext_noop(
            "kubia v1 (three pods) and v2 (one pod) behind one HTTPRoute: requests with the "
            "header env: canary always reach v2 (a header match outranks the plain rule); "
            "the rest are split by backendRefs weights, 90 to v1 and 10 to v2."
        ),
        source=(
            "kubia and its v2 image from 000_bc576c977301e23e.txt (Kubernetes in Action, "
            "luksa/kubia:v1 and v2); the split as the Gateway API guide HTTP traffic "
            "splitting writes it (gateway-api.sigs.k8s.io/guides/traffic-splitting)"
        ),
        try_commands=(
            "kubectl get httproute kubia -o yaml",
            "curl -s http://kubia.example.com/",
            "curl -s http://kubia.example.com/",
            "curl -s http://kubia.example.com/",
            "curl -s -H 'env: canary' http://kubia.example.com/",
            "kubectl describe httproute kubia",
            "kubectl get pods -l app=kubia -o wide",
        ),
        pod_selector="app=kubia",
    ),
    Scenario(
        slug="readiness",
        title=gettext_noop("Readiness probe: only ready pods get traffic"),
        summary=gettext_noop(
            "The kubia pods have a readiness probe that runs ls /var/ready, so they start not "
            "ready and the Services have no ready endpoints. Create the file in one pod and, "
            "after the next probe, all traffic goes to that pod; remove it and the pod drops "
            "out again."
        ),
        source=(
            "000_bc576c977301e23e.txt §5.5.2 向 pod 添加就绪探针; "
            "003_24b935804ce4cf55.txt Pod 就绪后发出信号 "
            "(the /var/ready exercise through NodePort 30123)"
        ),
        try_commands=(
            "kubectl get pods",
            "kubectl get endpoints kubia",
            "kubectl describe pod POD",
            "kubectl exec POD -- touch /var/ready",
            "sleep 10",
            "kubectl get pods",
            "kubectl get endpoints kubia",
            "curl -s http://NODE_IP:30123",
            "curl -s http://NODE_IP:30123",
            "kubectl exec POD -- rm /var/ready",
            "sleep 30",
            "kubectl get endpoints kubia",
        ),
        pod_selector="app=kubia",
    ),
    Scenario(
        slug="headless",
        title=gettext_noop("Headless Services and DNS"),
        summary=gettext_noop(
            "kubia-headless has no cluster IP: its DNS name returns one address per ready "
            "kubia pod. kubia-headless-all sets publishNotReadyAddresses and returns every "
            "pod, ready or not. Make pods ready with touch /var/ready and look them up from "
            "the dnsutils pod."
        ),
        source=(
            "003_24b935804ce4cf55.txt 使用 headless 服务来发现独立的 Pod, 通过 DNS 查找 Pod 的 IP, "
            "发现所有 Pod,包括未就绪 Pod (publishNotReadyAddresses); 000_bc576c977301e23e.txt §5.6"
        ),
        try_commands=(
            "kubectl get svc",
            "kubectl get pods -o wide",
            "kubectl exec dnsutils -- nslookup kubia-headless",
            "kubectl exec dnsutils -- nslookup kubia-headless-all",
            "kubectl exec POD -- touch /var/ready",
            "sleep 10",
            "kubectl exec dnsutils -- nslookup kubia-headless",
            "kubectl exec dnsutils -- nslookup kubia",
            "kubectl get endpoints kubia-headless kubia-headless-all",
            "kubectl describe svc kubia-headless",
        ),
        pod_selector="app=kubia",
    ),
    Scenario(
        slug="ngx-dep",
        title=gettext_noop("nginx Deployment behind a Service"),
        summary=gettext_noop(
            "Two nginx pods (Deployment ngx-dep, configured by the ConfigMap ngx-conf to "
            "print the server address and host name) behind ngx-svc, which maps port 8080 to "
            "80 and also opens NodePort 30430; the Ingress ngx-ing (class ngx-ink, NGINX "
            "Inc.'s controller) serves exactly http://ngx.test/."
        ),
        source=(
            "002_3001ca48e7d7dd4c.txt Service：微服务架构的应对之道 (使用 Service, "
            "以域名的方式使用 Service, 对外暴露服务), Deployment (scale, label queries) "
            "and Ingress (ngx-ing, ngx-ink)"
        ),
        try_commands=(
            "kubectl get deploy ngx-dep",
            "kubectl get pods -o wide",
            "kubectl describe svc ngx-svc",
            "kubectl exec POD -- curl -s ngx-svc:8080",
            "kubectl exec POD -- curl -s ngx-svc.default:8080",
            "kubectl exec POD -- curl -s ngx-svc.default.svc.cluster.local:8080",
            "curl -s http://NODE_IP:30430",
            "kubectl get ingressclass",
            "kubectl describe ing ngx-ing",
            "curl -s http://ngx.test/",
            "curl -s http://ngx.test/index.html",
            "kubectl scale --replicas=5 deploy ngx-dep",
            "kubectl get pod -l 'app in (ngx, nginx, ngx-dep)'",
            "kubectl get endpoints ngx-svc",
        ),
        pod_selector="app=ngx-dep",
        twin="gateway-ngx",
    ),
    Scenario(
        slug="gateway-ngx",
        title=gettext_noop("Gateway API: the nginx Deployment's route"),
        summary=gettext_noop(
            "The ngx-dep example with a Gateway instead of the Ingress ngx-ing: the Gateway "
            "ngx-gateway listens on port 80 and the HTTPRoute ngx-route serves exactly "
            "http://ngx.test/ (an Exact path match, as the Ingress's Exact path) from ngx-svc "
            "port 8080."
        ),
        source=(
            "002_3001ca48e7d7dd4c.txt Service：微服务架构的应对之道 and Ingress (ngx-dep, "
            "ngx-conf, ngx-svc, ngx-ing); the route as the Gateway API guide HTTP routing "
            "writes it"
        ),
        try_commands=(
            "kubectl get gateway,httproute",
            "kubectl describe httproute ngx-route",
            "curl -s http://ngx.test/",
            "curl -s http://ngx.test/index.html",
            "kubectl get pods -o wide",
            "kubectl scale --replicas=5 deploy ngx-dep",
            "kubectl get endpoints ngx-svc",
        ),
        pod_selector="app=ngx-dep",
        twin="ngx-dep",
    ),
    Scenario(
        slug="wordpress",
        title=gettext_noop("WordPress and MariaDB behind an Ingress"),
        summary=gettext_noop(
            "WordPress (two pods) finds MariaDB through the Service mariadb-svc, with both "
            "configured from ConfigMaps; wp-svc exposes WordPress on NodePort 30088 and the "
            "Ingress wp-ing (class wp-ngx-ink, NGINX Inc.'s controller) serves it as wp.test."
        ),
        source=(
            "002_3001ca48e7d7dd4c.txt 实战篇 (部署 MariaDB, 部署 WordPress, 部署 Nginx Ingress "
            "Controller); the seed links its YAML files without including them, so these "
            "manifests are rebuilt from its kubectl output (names, labels, images, ports)"
        ),
        try_commands=(
            "kubectl get svc,deploy,pod,cm -l tag=wp3 -o wide",
            "kubectl get ingressclass",
            "kubectl get ing",
            "kubectl exec POD -- env",
            "kubectl exec POD -- nslookup mariadb-svc",
            "kubectl get endpoints mariadb-svc wp-svc",
            "curl -s http://NODE_IP:30088/",
            "curl -s http://wp.test/",
            "kubectl describe ing wp-ing",
        ),
        pod_selector="app=wp-dep-pod",
        twin="gateway-wordpress",
    ),
    Scenario(
        slug="gateway-wordpress",
        title=gettext_noop("Gateway API: WordPress behind a Gateway"),
        summary=gettext_noop(
            "The WordPress example with a Gateway instead of the Ingress wp-ing: the Gateway "
            "wp-gateway's listener takes only the host name wp.test, and the HTTPRoute "
            "wp-route, which names no host of its own, serves it from wp-svc."
        ),
        source=(
            "002_3001ca48e7d7dd4c.txt 实战篇 (MariaDB, WordPress, wp-svc; the Ingress wp-ing "
            "as a Gateway and an HTTPRoute as the Gateway API guide HTTP routing writes "
            "them)"
        ),
        try_commands=(
            "kubectl get gateway wp-gateway",
            "kubectl get httproute wp-route",
            "kubectl describe gateway wp-gateway",
            "curl -s http://wp.test/",
            "curl -s -H 'Host: other.test' http://wp.test/",
            "kubectl get endpoints wp-svc",
        ),
        pod_selector="app=wp-dep-pod",
        twin="wordpress",
    ),
    Scenario(
        slug="daemonset-taints",
        title=gettext_noop("DaemonSets, taints and tolerations"),
        summary=gettext_noop(
            "redis-ds runs one pod on each worker but none on the control-plane node, whose "
            "NoSchedule taint it does not tolerate; redis-ds-tolerant tolerates the taint "
            "(under both its current and its pre-1.24 name) and runs on every node. The "
            "NodePort Service redis-ds (externalTrafficPolicy Local) answers only on nodes "
            "that run a redis-ds pod: a worker answers, the control-plane node does not. "
            "Remove the taint and redis-ds follows, and the control-plane node answers too."
        ),
        source=("002_3001ca48e7d7dd4c.txt Daemonset (YAML 描述, 污点 taint 和 容忍度 toleration)"),
        try_commands=(
            "kubectl get ds",
            "kubectl get pods -o wide",
            "curl -s http://NODE_IP:30379",
            "curl -s --max-time 2 http://CONTROL_PLANE_IP:30379",
            "kubectl describe node control-plane",
            "kubectl taint nodes control-plane node-role.kubernetes.io/control-plane:NoSchedule-",
            "kubectl rollout status ds/redis-ds",
            "kubectl get pods -o wide",
            "curl -s --max-time 2 http://CONTROL_PLANE_IP:30379",
            "kubectl taint nodes control-plane node-role.kubernetes.io/control-plane:NoSchedule",
            "kubectl get ds",
        ),
        pod_selector="name=redis-ds",
    ),
    Scenario(
        slug="demo-service",
        title=gettext_noop("demo-service: the first Service"),
        summary=gettext_noop(
            "The chapter's first example: three k8s-node-demo pods behind demo-service "
            "(port 80 to 8080), reached from a pod by cluster IP, by name and by FQDN, and "
            "from outside through the Ingress demo-ingress as nodeservice.demo.com."
        ),
        source=(
            "000_bc576c977301e23e.txt §5.1.1 创建服务 and 同一个服务暴露多个端口 (the "
            "ReplicationController), §5.1.2 服务发现, §5.4.1–§5.4.2 (demo-ingress)"
        ),
        try_commands=(
            "kubectl get svc",
            "kubectl get endpoints demo-service",
            "kubectl exec POD -- curl -s http://demo-service",
            "kubectl exec POD -- curl -s http://demo-service.default.svc.cluster.local",
            "kubectl exec POD -- env",
            "kubectl exec POD -- cat /etc/resolv.conf",
            "kubectl exec POD -- ping -c 3 demo-service",
            "kubectl get ingress",
            "curl -s http://nodeservice.demo.com",
        ),
        pod_selector="app=k8s-node-demo-replication-controller-label",
        twin="gateway-demo",
    ),
    Scenario(
        slug="gateway-demo",
        title=gettext_noop("Gateway API: demo-service behind a Gateway"),
        summary=gettext_noop(
            "The chapter's first example with a Gateway instead of demo-ingress: the Gateway "
            "demo-gateway and the HTTPRoute demo-route serve nodeservice.demo.com from "
            "demo-service's three k8s-node-demo pods."
        ),
        source=(
            "000_bc576c977301e23e.txt §5.1.1 创建服务 and §5.4.1–§5.4.2 (demo-service, "
            "demo-ingress); the route as the Gateway API guide HTTP routing writes it"
        ),
        try_commands=(
            "kubectl get gateway,httproute",
            "kubectl describe httproute demo-route",
            "curl -s http://nodeservice.demo.com",
            "curl -s http://nodeservice.demo.com/anything",
            "kubectl get endpoints demo-service",
        ),
        pod_selector="app=k8s-node-demo-replication-controller-label",
        twin="demo-service",
    ),
)

SCENARIOS += tuple(Scenario(**recipe, topic=recipes.TOPIC) for recipe in recipes.RECIPES)

#: The scenario the playground opens with.
DEFAULT = "kubia-affinity"

_BY_SLUG = {scenario.slug: scenario for scenario in SCENARIOS}


def get(slug: str) -> Scenario:
    """The scenario called `slug`.

    Raises:
        KeyError: no built-in scenario has that slug.
    """
    try:
        return _BY_SLUG[slug]
    except KeyError:
        raise KeyError(f"unknown scenario {slug!r}") from None
