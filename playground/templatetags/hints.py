"""Template filters for a manifest review's problems: a hint in the page's language."""

from __future__ import annotations

from django import template

from playground.rooms.creation import hint_text as _hint_text

register = template.Library()


@register.filter
def hint_text(problem: dict) -> str:
    """A problem's hint in the active language (escaped by the template as usual)."""
    return _hint_text(problem)
