from __future__ import annotations


def test_home_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "home.html"
    html = response.content.decode()
    assert "<title>Kubeplay</title>" in html
    assert "/static/django_htmx/htmx-2.min.js" in html  # htmx comes from django-htmx
    assert 'src="/static/playground/room-socket.js"' in html
    assert 'data-room-socket="lobby"' in html


def test_home_page_refuses_post(client):
    assert client.post("/").status_code == 405
