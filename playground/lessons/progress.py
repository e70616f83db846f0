"""A room's lesson progress, read from its log (for the class view and the home page).

The tracker writes a note into the log each time a step is done
(playground/lessons/tracker.py), so the latest note is the progress: no
table of its own, nothing to keep in step with the log.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from playground.lessons.loader import lessons
from playground.models import Room, RoomEvent


def progress_summary(room: Room) -> dict[str, Any] | None:
    """Where a room is in its lesson, or None when it runs none.

    Returns a dict: `lesson` (slug), `title` (in the active language), `step` (the
    current step's index, from 0), `steps` (how many), `done` (steps done),
    `finished` (every step done). One query; call it from a view or a thread.
    """
    lesson = lessons().get(room.lesson) if room.lesson else None
    if lesson is None:
        return None
    note = (
        RoomEvent.objects.filter(room=room, op__op="lesson", op__lesson=lesson.slug)
        .order_by("-index")
        .values_list("op", flat=True)
        .first()
    )
    steps = len(lesson.steps)
    step = min(int(note["step"]), steps) if note else 0
    return {
        "lesson": lesson.slug,
        "title": lesson.title.get(get_language() or "en"),
        "step": step,
        "steps": steps,
        "done": step,
        "finished": step >= steps,
    }


aprogress_summary = sync_to_async(progress_summary)


def progress_words(room: Room) -> str | None:
    """`progress_summary` in a few words, for the presenter's class view (rooms.add_progress)."""
    summary = progress_summary(room)
    if summary is None:
        return None
    if summary["finished"]:
        return _("%(title)s: finished") % summary
    return _("%(title)s: step %(step)s of %(steps)s") % {**summary, "step": summary["step"] + 1}
