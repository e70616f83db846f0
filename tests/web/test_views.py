from __future__ import annotations

import pytest
import yaml
from django.test import Client

from playground import limits, rooms
from playground.models import Room
from tests.fixtures.rooms import make_room, manifest

pytestmark = pytest.mark.django_db(transaction=True)

HX = {"HTTP_HX_REQUEST": "true"}


def test_home_page_has_the_editor_prefilled_and_every_example(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "home.html"
    html = response.content.decode()
    assert "<title>Kubeplay</title>" in html
    assert "/static/django_htmx/htmx-2.min.js" in html  # htmx comes from django-htmx
    default = rooms.default_example()
    assert 'aria-label="Manifests (YAML)"' in html
    assert "kind: Service" in html
    for example in rooms.examples():
        assert f'href="?example={example["slug"]}"' in html
    assert f'<h2 id="editor-title">{default["title"]}</h2>' in html
    assert "No problems" in html


def test_examples_menu_covers_the_seeds():
    slugs = {e["slug"] for e in rooms.examples()}
    assert {
        "kubia-affinity", "named-ports", "nodeport", "loadbalancer", "externalname",
        "manual-endpoints", "ingress-tls", "readiness", "headless", "ngx-dep", "wordpress",
    } <= slugs  # fmt: skip


def test_choosing_an_example_with_htmx_swaps_only_the_editor(client):
    response = client.get("/?example=wordpress", **HX)
    assert response.status_code == 200
    assert response.templates[0].name == "partials/home_editor.html"
    html = response.content.decode()
    assert html.startswith('<form id="editor-form"')
    assert "wordpress" in html.lower()
    assert 'name="example" value="wordpress"' in html


def test_unknown_example_falls_back_to_the_default(client):
    response = client.get("/?example=<script>")
    assert response.status_code == 200
    assert f'name="example" value="{rooms.default_example()["slug"]}"' in response.content.decode()


def test_validation_lists_every_problem_with_its_line(client):
    response = client.post("/validate/", {"manifests": manifest("broken")}, **HX)
    assert response.status_code == 200
    assert response.templates[0].name == "partials/problems.html"
    html = response.content.decode()
    assert 'data-line="' in html
    assert "problem" in html
    # A name holding HTML is shown as text, never as markup.
    assert "<img src=x" not in html


def test_validation_of_good_manifests(client):
    response = client.post("/validate/", {"manifests": manifest("kubia")}, **HX)
    assert "No problems" in response.content.decode()


def test_validation_of_yaml_syntax_error_points_at_the_line(client):
    response = client.post("/validate/", {"manifests": "apiVersion: v1\nkind: [\n"}, **HX)
    assert 'data-line="' in response.content.decode()


def test_oversized_manifests_are_refused_with_a_message(client):
    text = "# " + "x" * limits.MAX_MANIFEST_BYTES
    response = client.post("/validate/", {"manifests": text}, **HX)
    assert "too large" in response.content.decode()


def test_validation_needs_the_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/validate/", {"manifests": "x"}).status_code == 403


def test_simulate_creates_a_room_and_opens_it(client):
    response = client.post("/rooms/", {"manifests": manifest("kubia"), "example": "nodeport"})
    room = Room.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/rooms/{room.code}/"
    assert room.manifests == manifest("kubia")
    # Pasted over the example: the room is not the example, its title and commands come
    # from its own objects.
    assert room.example == ""


def test_an_example_simulated_as_it_comes_keeps_its_title_and_commands(client):
    text = rooms.example("nodeport")["manifest"]
    client.post("/rooms/", {"manifests": text + "\n", "example": "nodeport"})
    room = Room.objects.get()
    assert room.example == "nodeport"
    page = client.get(f"/rooms/{room.code}/").content.decode()
    assert "NodePort Service" in page


def test_simulate_with_problems_shows_them_and_creates_nothing(client):
    response = client.post("/rooms/", {"manifests": manifest("broken")})
    assert response.status_code == 200
    assert 'data-line="' in response.content.decode()
    assert not Room.objects.exists()


def test_simulate_needs_the_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/rooms/", {"manifests": manifest("kubia")}).status_code == 403


def test_room_page(client):
    room = make_room()
    response = client.get(f"/rooms/{room.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-room="{room.code}"' in html
    assert 'src="/static/playground/room.js"' in html
    assert f"http://testserver/rooms/{room.code}/" in html  # the share link
    assert f'href="/rooms/{room.code}/export.yaml"' in html


def test_unknown_room_is_404(client):
    assert client.get("/rooms/nosuchroom/").status_code == 404
    assert client.get("/rooms/nosuchroom/export.yaml").status_code == 404


def test_export_downloads_yaml_that_applies(client):
    room = make_room()
    response = client.get(f"/rooms/{room.code}/export.yaml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/yaml")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    kinds = {doc["kind"] for doc in yaml.safe_load_all(text) if doc}
    assert {"Service", "Deployment", "Ingress"} <= kinds
    assert rooms.validate(text) == []


def test_inspector_shows_yaml_describe_and_selection(client):
    room = make_room()
    response = client.get(
        f"/rooms/{room.code}/inspect/",
        {"kind": "Service", "namespace": "default", "name": "kubia"},
        **HX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "kubectl describe" in html
    assert "Selector:" in html
    assert "apiVersion: v1" in html
    assert "has app=kubia" in html
    assert "gets traffic" in html


def test_inspector_of_a_pod_offers_its_actions(client):
    room = make_room("readiness")
    pods = [p for p in client_snapshot(room)["pods"] if p["labels"].get("app") == "kubia"]
    response = client.get(
        f"/rooms/{room.code}/inspect/",
        {"kind": "Pod", "namespace": "default", "name": pods[0]["name"]},
        **HX,
    )
    html = response.content.decode()
    assert f"kubectl exec {pods[0]['name']} -n default -c kubia -- touch /var/ready" in html
    assert f"kubectl delete pod {pods[0]['name']} -n default" in html
    assert "Remove label app" in html


def test_inspector_toggles_an_http_probe_by_closing_its_port(client):
    room, problems = rooms.create_room(
        """
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - name: web
    image: nginx
    ports: [{name: http, containerPort: 80}]
    readinessProbe: {httpGet: {path: /, port: http}}
"""
    )
    assert room is not None, problems
    response = client.get(
        f"/rooms/{room.code}/inspect/", {"kind": "Pod", "namespace": "default", "name": "web"}, **HX
    )
    html = response.content.decode()
    assert "kubectl exec web -n default -c web -- kubeplay-port close 80" in html
    assert "close port 80 (probe will fail)" in html


def client_snapshot(room):
    from playground.rooms import replay

    return replay(room.seed, room.manifests, []).snapshot()


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "Secret", "namespace": "default", "name": "x"},
        {"kind": "Pod", "namespace": "default", "name": "<b>"},
        {"kind": "Pod", "namespace": "../x", "name": "a"},
    ],
)
def test_inspector_refuses_bad_requests(client, query):
    room = make_room()
    assert client.get(f"/rooms/{room.code}/inspect/", query).status_code == 400


def test_convert_shows_each_ingress_beside_its_gateway_api_objects(client):
    room = make_room()
    response = client.get(f"/rooms/{room.code}/convert/", **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "ingress-nginx" in html
    assert "retired in March 2026" in html
    assert "Ingress (ingress-nginx)" in html
    assert "Gateway API (ingress2gateway)" in html
    assert "kind: HTTPRoute" in html
    assert "gatewayClassName: nginx" in html
    assert "URL normalization" in html  # the report: what does not convert
    command = "ingress2gateway print --providers=ingress-nginx -A | kubectl apply -f -"
    assert f'data-command="{command}"' in html


def test_convert_escapes_what_the_learner_wrote_and_404s_for_unknown_rooms(client):
    room, problems = rooms.create_room(
        """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: x
  annotations: {nginx.ingress.kubernetes.io/configuration-snippet: "<script>alert(1)</script>"}
spec:
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"""
    )
    assert room is not None, problems
    html = client.get(f"/rooms/{room.code}/convert/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "configuration-snippet" in html  # reported as not converted
    assert client.get("/rooms/nosuchroom/convert/").status_code == 404


def test_ingress_examples_say_ingress_nginx_is_retired_and_others_do_not(client):
    html = client.get("/", {"example": "ingress-tls"}, **HX).content.decode()
    assert "ingress-nginx is retired" in html
    html = client.get("/", {"example": "nodeport"}, **HX).content.decode()
    assert "ingress-nginx is retired" not in html


def test_validation_says_a_million_replicas_is_over_the_rooms_limit(client):
    text = manifest("kubia").replace("replicas: 3", "replicas: 1000000")
    assert "replicas: 1000000" in text
    response = client.post("/validate/", {"manifests": text}, **HX)
    html = response.content.decode()
    assert "No problems" not in html
    assert f"limit of {limits.ROOM_MAX_REPLICAS:,} replicas per object" in html
    room, problems = rooms.create_room(text)
    assert room is None
    assert "replicas per object" in problems[0]["message"]
