"""Plain function views: the home page with its editor, rooms, the inspector and the export.

htmx requests (`request.htmx`) get the partial they swap in; everything else
gets a whole page, so each URL also works without JavaScript.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from playground import limits, rooms, throttle
from playground.models import Room


@require_GET
def home(request):
    chosen = rooms.example(request.GET.get("example")) or rooms.default_example()
    context = {
        "examples": rooms.examples(),
        "example": chosen,
        "manifest": chosen["manifest"],
        "problems": rooms.validate(chosen["manifest"]),
        "max_manifest": limits.MAX_MANIFEST_BYTES,
    }
    if request.htmx:
        return render(request, "partials/home_editor.html", context)
    return render(request, "home.html", context)


@require_POST
def validate(request):
    text = request.POST.get("manifests", "")
    return render(request, "partials/problems.html", {"problems": rooms.validate(text)})


@require_POST
def create_room(request):
    text = request.POST.get("manifests", "")
    example_slug = request.POST.get("example", "")[:64]
    refused = throttle.may_create_room(request.META.get("REMOTE_ADDR"))
    if refused:
        room, problems = None, [rooms.plain_problem(refused)]
    else:
        room, problems = rooms.create_room(text, example_slug)
    if room is not None:
        return redirect("room", code=room.code)
    chosen = rooms.example(example_slug) or rooms.default_example()
    context = {
        "examples": rooms.examples(),
        "example": chosen,
        "manifest": text,
        "problems": problems,
        "max_manifest": limits.MAX_MANIFEST_BYTES,
    }
    # 200, as Django form views do: a 4xx status would log an error in the browser console.
    return render(request, "home.html", context)


class TooManyMisses(Exception):
    """This client asked for too many rooms that do not exist (answered 429)."""


def _find_room(request, code: str) -> Room:
    """The room `code`, counting a miss against the client; Http404 or TooManyMisses."""
    client = throttle.client_of(request.META.get("REMOTE_ADDR"))
    if throttle.ROOM_MISSES.exhausted(client):
        raise TooManyMisses
    stored = Room.objects.filter(code=code).first()
    if stored is None:
        throttle.ROOM_MISSES.spend(client)
        raise Http404("No such room")
    return stored


async def _afind_room(request, code: str) -> None:
    client = throttle.client_of(request.META.get("REMOTE_ADDR"))
    if await throttle.ROOM_MISSES.aexhausted(client):
        raise TooManyMisses
    if not await Room.objects.filter(code=code).aexists():
        await throttle.ROOM_MISSES.aspend(client)
        raise Http404("No such room")


def _too_many_misses() -> HttpResponse:
    response = HttpResponse(throttle.MISSES_MESSAGE, status=429, content_type="text/plain")
    response["Retry-After"] = "60"
    return response


@require_GET
def room(request, code):
    try:
        stored = _find_room(request, code)
    except TooManyMisses:
        return _too_many_misses()
    context = {
        "room": stored,
        "example": rooms.example(stored.example),
        "manifest": rooms.latest_manifests(stored),
        "share_url": request.build_absolute_uri(reverse("room", args=[code])),
        "speeds": limits.SPEEDS,
        "max_rate": int(limits.MAX_STREAM_RATE),
        "max_manifest": limits.MAX_MANIFEST_BYTES,
    }
    return render(request, "room.html", context)


@require_GET
async def export(request, code):
    try:
        await _afind_room(request, code)
        text = await rooms.export_yaml(code)
    except TooManyMisses:
        return _too_many_misses()
    except rooms.RoomGone:
        raise Http404("No such room") from None
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kubeplay-{code}.yaml"'
    return response


@require_GET
async def inspect(request, code):
    query = request.GET
    try:
        await _afind_room(request, code)
    except TooManyMisses:
        return _too_many_misses()
    try:
        info = await rooms.inspect(
            code, query.get("kind", ""), query.get("namespace", ""), query.get("name", "")
        )
    except ValueError as exc:
        return HttpResponse(str(exc), status=400)
    except rooms.RoomGone:
        raise Http404("No such room") from None
    return render(request, "partials/inspector.html", {"info": info})
