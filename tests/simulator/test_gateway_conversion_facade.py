"""`Cluster.convert_ingresses`: what the room's "Convert to Gateway API" shows and applies."""

from __future__ import annotations

import yaml

from simulator import Cluster
from simulator.scenarios import get

CLASSLESS = """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: plain, namespace: shop}
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"""


def cluster_with(*manifests: str) -> Cluster:
    cluster = Cluster(seed=3)
    for text in manifests:
        result = cluster.run("kubectl apply -f -", text)
        assert result.exit_code == 0, result.stderr
    return cluster


def test_each_ingress_class_gets_its_own_conversion_and_command():
    # An Ingress without a class gets the default IngressClass (nginx) from admission.
    cluster = cluster_with(
        get("ingress-tls").manifest, get("ngx-dep").manifest,
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n", CLASSLESS,
    )  # fmt: skip
    found = {c.ingress_class: c for c in cluster.convert_ingresses()}
    assert sorted(found) == ["nginx", "ngx-ink"]
    assert found["nginx"].ingresses == ("default/kubia", "shop/plain")
    assert found["nginx"].apply_command == (
        "ingress2gateway print --providers=ingress-nginx -A | kubectl apply -f -"
    )
    assert found["ngx-ink"].print_command.endswith("--ingress-nginx-ingress-class=ngx-ink")
    assert found["ngx-ink"].ingresses == ("default/ngx-ing",)
    assert "Gateway shop/nginx" in found["nginx"].objects


def test_the_conversion_is_what_the_command_prints_and_changes_nothing():
    cluster = cluster_with(get("ingress-tls").manifest)
    before = cluster.export_yaml()
    (conversion,) = cluster.convert_ingresses()
    assert cluster.export_yaml() == before
    printed = cluster.run(conversion.print_command)
    assert printed.exit_code == 0
    assert printed.stdout == conversion.gateway_yaml
    assert printed.stderr == conversion.report
    kinds = [f"{d['kind']} {d['metadata']['namespace']}/{d['metadata']['name']}"
             for d in yaml.safe_load_all(conversion.gateway_yaml)]  # fmt: skip
    assert list(conversion.objects) == kinds
    assert [n.level for n in conversion.notes] == ["WARNING"]
    assert "URL normalization" in conversion.notes[0].message


def test_the_ingresses_are_shown_as_the_learner_applies_them():
    cluster = cluster_with(get("ingress-tls").manifest)
    (conversion,) = cluster.convert_ingresses()
    (ingress,) = yaml.safe_load_all(conversion.ingress_yaml)
    assert ingress["kind"] == "Ingress"
    assert "status" not in ingress
    assert "uid" not in ingress["metadata"]
    assert ingress["spec"]["tls"][0]["secretName"] == "tls-secret"


def test_apply_command_creates_what_it_shows():
    cluster = cluster_with(get("ingress-tls").manifest)
    (conversion,) = cluster.convert_ingresses()
    result = cluster.run(conversion.apply_command)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{kind.lower()}.gateway.networking.k8s.io/{ref.split('/')[1]} created"
        for kind, ref in (o.split() for o in conversion.objects)
    ]


def test_a_room_without_ingresses_has_nothing_to_convert():
    assert Cluster(seed=1).convert_ingresses() == []
