"""Template filters for lessons: a lesson text in the page's language."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from playground.lessons.model import Text

register = template.Library()


@register.filter
def localized(text: Text) -> str:
    """A lesson's line (escaped by the template as usual) in the active language."""
    return text.get(get_language() or "en")


@register.filter
def localized_html(text: Text) -> str:
    """A lesson's prose, rendered from Markdown at load time with raw HTML disabled
    (playground/lessons/loader.py), in the active language."""
    return mark_safe(text.get(get_language() or "en"))  # noqa: S308 - made without raw HTML
