"""What NGINX Gateway Fabric would change: data planes to provision and statuses to write."""

from __future__ import annotations

from simulator.gatewayapi.reconcile import plan

from .gateway_fixtures import INFRA, NS, World

NOW = "2026-11-22T09:00:00Z"

ROUTE = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - backendRefs: [{name: infra-backend-v1, port: 8080}]
"""


def refs(objects) -> list[tuple[str, str, str]]:
    return [(o["kind"], o["metadata"]["namespace"], o["metadata"]["name"]) for o in objects]


def written(world: World, changes) -> None:
    """Apply a plan to the world, as the state would."""
    for obj in changes.create + changes.update:
        world.objects[(obj["kind"], obj["metadata"]["namespace"], obj["metadata"]["name"])] = obj
    for ref in changes.delete:
        world.objects.pop(ref)
    for obj, status in changes.statuses:
        obj["status"] = status


def test_a_managed_gateway_gets_its_data_plane_and_every_status_once():
    world = World(INFRA, ROUTE)
    first = plan(world, world.graph(), NOW)
    assert refs(first.create) == [
        ("Deployment", NS, "same-namespace-nginx"), ("Service", NS, "same-namespace-nginx"),
    ]  # fmt: skip
    kinds = sorted(obj["kind"] for obj, _ in first.statuses)
    assert kinds == ["Gateway", "GatewayClass", "HTTPRoute"]
    written(world, first)
    again = plan(world, world.graph(), NOW)
    assert not again  # converged: nothing to create, every status already written


def test_listener_ports_follow_the_gateway_and_the_data_plane_goes_with_it():
    world = World(INFRA)
    written(world, plan(world, world.graph(), NOW))
    gateway = world.get("Gateway", NS, "same-namespace")
    gateway["spec"]["listeners"].append({"name": "https", "port": 8443, "protocol": "HTTP"})
    changes = plan(world, world.graph(), NOW)
    assert refs(changes.update) == [
        ("Deployment", NS, "same-namespace-nginx"), ("Service", NS, "same-namespace-nginx"),
    ]  # fmt: skip
    service = changes.update[1]
    assert [p["port"] for p in service["spec"]["ports"]] == [80, 8443]
    written(world, changes)
    world.objects.pop(("Gateway", NS, "same-namespace"))
    assert sorted(plan(world, world.graph(), NOW).delete) == [
        ("Deployment", NS, "same-namespace-nginx"), ("Service", NS, "same-namespace-nginx"),
    ]  # fmt: skip


def test_a_gateway_of_another_class_keeps_the_crd_default_status_and_gets_no_data_plane():
    world = World(INFRA, """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: other}
spec:
  gatewayClassName: istio
  listeners: [{name: http, port: 80, protocol: HTTP}]
""")  # fmt: skip
    changes = plan(world, world.graph(), NOW)
    assert ("Deployment", NS, "other-nginx") not in refs(changes.create)
    pending = next(s for o, s in changes.statuses if o["metadata"]["name"] == "other")
    assert [(c["type"], c["status"], c["reason"]) for c in pending["conditions"]] == [
        ("Accepted", "Unknown", "Pending"), ("Programmed", "Unknown", "Pending"),
    ]  # fmt: skip


def test_a_route_whose_parents_no_controller_answers_gets_no_status():
    world = World(INFRA, """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: lost}
spec:
  parentRefs: [{name: nowhere}]
""")  # fmt: skip
    changes = plan(world, world.graph(), NOW)
    assert "lost" not in [o["metadata"]["name"] for o, _ in changes.statuses]


def test_data_plane_objects_of_no_gateway_are_left_alone_unless_ngf_made_them():
    world = World(INFRA)
    written(world, plan(world, world.graph(), NOW))
    world.add("""
apiVersion: v1
kind: Service
metadata: {name: mine-nginx, labels: {app.kubernetes.io/managed-by: helm}}
spec: {ports: [{port: 80}]}
""")  # fmt: skip
    assert plan(world, world.graph(), NOW).delete == []
