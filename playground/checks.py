"""System checks: problems Django reports before serving (`manage.py check`, `runserver`)."""

from __future__ import annotations

from django.core import checks


def lesson_files(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Every lesson file loads; otherwise one error per file, listing its problems."""
    from playground.lessons.loader import CONTENT, LessonError, load

    errors: list[checks.CheckMessage] = []
    for path in sorted(CONTENT.glob("*.yaml")):
        try:
            load(path)
        except LessonError as err:
            errors.append(checks.Error(str(err), obj=path.name, id="kubeplay.E001"))
    return errors


def register() -> None:
    checks.register(lesson_files, "kubeplay")
