"""Plain function views: the home page with its editor, rooms, the inspector and the export,
and the classroom's pages (the presenter link, forks, the class view, the timeline).

htmx requests (`request.htmx`) get the partial they swap in; everything else
gets a whole page, so each URL also works without JavaScript. Who is the
presenter is decided here and in the consumer from the presenter cookie
(rooms.roles), never from anything the page says.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from playground import lessons, limits, rooms, throttle
from playground.models import Room

roles = rooms.roles
#: How long a browser stays its rooms' presenter, and the same participant (seconds).
PRESENTER_COOKIE_AGE = 60 * 60 * 24 * 30
PARTICIPANT_COOKIE_AGE = 60 * 60 * 24 * 365


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
    context["lessons"] = list(lessons.lessons().values())
    return render(request, "home.html", context)


@require_POST
def start_lesson(request, slug):
    """A new room that runs the lesson, from the home page's list."""
    secret, key = roles.new_secret()
    try:
        room = lessons.create_lesson_room(slug, presenter_key=key)
    except LookupError:
        raise Http404(_("No such lesson")) from None
    # Whoever starts it presents it: a class follows, and each learner forks it.
    return _as_presenter(request, redirect("room", code=room.code), key, secret)


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
        secret, key, room, problems = "", "", None, [rooms.plain_problem(refused)]
    else:
        secret, key = roles.new_secret()
        room, problems = rooms.create_room(text, example_slug, presenter_key=key)
    if room is not None:
        # Its creator presents it: the secret goes in a cookie, never in the room's URL.
        return _as_presenter(request, redirect("room", code=room.code), key, secret)
    chosen = rooms.example(example_slug) or rooms.default_example()
    context = {
        "examples": rooms.examples(),
        "example": chosen,
        "manifest": text,
        "problems": problems,
        "max_manifest": limits.MAX_MANIFEST_BYTES,
        "lessons": list(lessons.lessons().values()),
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
    response = HttpResponse(throttle.misses_message(), status=429, content_type="text/plain")
    response["Retry-After"] = "60"
    return response


@require_GET
def room(request, code):
    try:
        stored = _find_room(request, code)
    except TooManyMisses:
        return _too_many_misses()
    presenter = roles.is_presenter(stored.presenter_key, request.COOKIES)
    role = (
        roles.VIEWER if not stored.presenter_key else roles.PRESENTER if presenter else "follower"
    )
    context = {
        "room": stored,
        "role": role,
        "lesson": lessons.lesson(stored.lesson),
        "example": rooms.example(stored.example),
        "manifest": rooms.latest_manifests(stored),
        # The follower link. The presenter link goes only into the presenter's own page.
        "share_url": request.build_absolute_uri(reverse("room", args=[code])),
        "presenter_url": (
            request.build_absolute_uri(
                reverse(
                    "present",
                    args=[code, request.COOKIES[roles.cookie_name(stored.presenter_key)]],
                )
            )
            if presenter
            else ""
        ),
        "projector": request.GET.get("projector") == "1",
        "speeds": limits.SPEEDS,
        "max_rate": int(limits.MAX_STREAM_RATE),
        "max_manifest": limits.MAX_MANIFEST_BYTES,
        "reason_sentences": rooms.reason_sentences(),
    }
    response = render(request, "room.html", context)
    if roles.participant_id(request.COOKIES) is None:
        token = roles.new_participant_token()
        _keep(request, response, roles.PARTICIPANT_COOKIE, token, PARTICIPANT_COOKIE_AGE)
    return response


@require_GET
def present(request, code, secret):
    """The presenter link: the secret becomes this browser's presenter cookie, and the
    browser goes on to the room's own URL (the one a projector may show)."""
    try:
        stored = _find_room(request, code)
    except TooManyMisses:
        return _too_many_misses()
    if not roles.holds_key(stored.presenter_key, secret):
        # A wrong secret is a guess as much as a wrong code.
        throttle.ROOM_MISSES.spend(throttle.client_of(request.META.get("REMOTE_ADDR")))
        raise Http404("No such presenter link")
    return _as_presenter(request, redirect("room", code=code), stored.presenter_key, secret)


@require_POST
async def fork(request, code):
    """ "Try it yourself": a private copy of the room at its current point, presented by
    whoever made it, who goes straight there."""
    # A fork is a new room: the same limits as making one from the home page.
    refused = await sync_to_async(throttle.may_create_room)(request.META.get("REMOTE_ADDR"))
    if refused:
        return HttpResponse(refused, status=429, content_type="text/plain")
    who = await rooms.participant(code, roles.participant_id(request.COOKIES))
    try:
        copy, secret = await rooms.fork(code, who)
    except rooms.RoomGone:
        raise Http404("No such room") from None
    except ValueError as exc:
        return HttpResponse(str(exc), status=409)
    return _as_presenter(request, redirect("room", code=copy.code), copy.presenter_key, secret)


@require_GET
async def class_view(request, code):
    """The presenter's class view (followers, hands, forks), swapped in by htmx."""
    stored = await _presented(request, code)
    return render(request, "partials/class_view.html", await rooms.class_view(stored))


@require_GET
async def timeline(request, code):
    """The room's commands with a slider, for the presenter to rewind to one of them."""
    stored = await _presented(request, code)
    commands = await rooms.timeline(stored)
    return render(request, "partials/timeline.html", {"room": stored, "commands": commands})


async def _presented(request, code) -> Room:
    """The room, if this request comes from its presenter; else a 404 (as for no room)."""
    stored = await Room.objects.filter(code=code).afirst()
    if stored is None or not roles.is_presenter(stored.presenter_key, request.COOKIES):
        raise Http404("No such room")
    return stored


def _as_presenter(request, response, key: str, secret: str):
    _keep(request, response, roles.cookie_name(key), secret, PRESENTER_COOKIE_AGE)
    return response


def _keep(request, response, name: str, value: str, age: int) -> None:
    """A cookie no script reads and no other site's request carries."""
    response.set_cookie(
        name, value, max_age=age, httponly=True, samesite="Lax", secure=request.is_secure()
    )


@require_GET
async def export(request, code):
    try:
        await _afind_room(request, code)
        text = await rooms.export_yaml(code)
    except TooManyMisses:
        return _too_many_misses()
    except rooms.RoomGone:
        raise Http404(_("No such room")) from None
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
        raise Http404(_("No such room")) from None
    return render(request, "partials/inspector.html", {"info": info})


@require_GET
async def convert(request, code):
    try:
        found = await rooms.conversions(code)
    except rooms.RoomGone:
        raise Http404("No such room") from None
    return render(request, "partials/convert.html", {"conversions": found})
