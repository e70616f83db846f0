"""The language of a websocket connection, chosen as Django's LocaleMiddleware chooses it.

Pages get their language from LocaleMiddleware; a websocket has no request
object, so its consumer reads the same two sources from the handshake: the
language cookie the switch sets (`set_language`), then the browser's
Accept-Language header. Messages the consumer sends are then written in it.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

from asgiref.typing import WebSocketScope
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

#: Longest header or cookie looked at (a handshake is untrusted input).
MAX_HEADER = 4096


def language_from_scope(scope: WebSocketScope) -> str:
    """The language code for a websocket's messages: the switch's cookie, then the
    browser's Accept-Language, then `LANGUAGE_CODE`."""
    headers = dict(scope.get("headers") or ())
    cookie_header = headers.get(b"cookie", b"")[:MAX_HEADER].decode("latin-1")
    cookies = SimpleCookie()
    try:
        cookies.load(cookie_header)
    except Exception:  # noqa: BLE001 - a malformed cookie header means no cookie
        cookies = SimpleCookie()
    chosen = cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen is not None:
        try:
            return translation.get_supported_language_variant(chosen.value)
        except LookupError:
            pass
    accept = headers.get(b"accept-language", b"")[:MAX_HEADER].decode("latin-1")
    for code, _quality in trans_real.parse_accept_lang_header(accept):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE
