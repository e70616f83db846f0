"""ASGI entry point: Django for HTTP, Channels consumers for websockets.

Serve with `daphne playground.asgi:application`.
"""

import os

from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
# Set Django up before importing consumers, which may import models.
django_asgi_app = get_asgi_application()

from playground.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Browsers send cookies with cross-site websocket handshakes: only accept
        # pages served from one of our own ALLOWED_HOSTS. Rooms are open to anyone
        # with the link, so there is no session or user middleware: it would wrap
        # every frame sent to every viewer (docs/performance.md, "Playground").
        "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
    }
)
