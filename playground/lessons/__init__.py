"""Lessons: the study notes' chapter as guided steps with live checks (docs/lessons.md).

Lessons are data (`content/<slug>.yaml`, validated by `loader` against
`lesson.schema.json`); a lesson room's `tracker` follows its room's changes,
lets the `engine` judge the current step's `checks` (observations the
simulator answers without changing anything) and keeps its progress in the
room's log. The public face:

- `lessons()`, `lesson(slug)`: the lessons, by slug, in order;
- `create_lesson_room(slug)`: a room that starts the lesson;
- `progress_summary(room)` / `aprogress_summary(room)`: where a room is in its lesson;
  `progress_words(room)`: the same in a few words, for the presenter's class view;
- `follower_for`: the rooms package's factory for a lesson room's tracker;
- `LessonError`: a lesson file that is not valid, with every problem.
"""

from __future__ import annotations

from playground import rooms
from playground.lessons.loader import LessonError, lessons
from playground.lessons.model import Lesson
from playground.lessons.progress import aprogress_summary, progress_summary, progress_words
from playground.lessons.tracker import follower_for

__all__ = [
    "Lesson",
    "LessonError",
    "aprogress_summary",
    "create_lesson_room",
    "follower_for",
    "lesson",
    "lessons",
    "progress_summary",
    "progress_words",
]


def lesson(slug: str | None) -> Lesson | None:
    """The lesson with this slug, or None."""
    return lessons().get(slug or "")


def create_lesson_room(slug: str, presenter_key: str = ""):
    """A new room whose cluster starts as the lesson says, running the lesson (presented by
    whoever holds the secret of `presenter_key`, rooms.roles; open without one).

    Raises:
        LookupError: no such lesson.
        ValueError: the lesson's manifests were refused (a lesson file bug).
    """
    chosen = lesson(slug)
    if chosen is None:
        raise LookupError(slug)
    room, problems = rooms.create_room(
        chosen.manifests, lesson=chosen.slug, presenter_key=presenter_key
    )
    if room is None:
        raise ValueError(f"lesson {slug}: its manifests were refused: {problems}")
    return room
