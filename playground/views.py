"""Plain function views: the home page with its editor, rooms, the inspector and the export.

htmx requests (`request.htmx`) get the partial they swap in; everything else
gets a whole page, so each URL also works without JavaScript.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from playground import limits, rooms
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


@require_GET
def room(request, code):
    stored = get_object_or_404(Room, code=code)
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
        text = await rooms.export_yaml(code)
    except rooms.RoomGone:
        raise Http404("No such room") from None
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kubeplay-{code}.yaml"'
    return response


@require_GET
async def inspect(request, code):
    query = request.GET
    try:
        info = await rooms.inspect(
            code, query.get("kind", ""), query.get("namespace", ""), query.get("name", "")
        )
    except ValueError as exc:
        return HttpResponse(str(exc), status=400)
    except rooms.RoomGone:
        raise Http404("No such room") from None
    return render(request, "partials/inspector.html", {"info": info})
