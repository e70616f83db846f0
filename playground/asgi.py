"""ASGI entry point: Django for HTTP, Channels consumers for websockets.

Serve with `daphne playground.asgi:application`.
"""

import gc
import os
import threading

from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
# Set Django up before importing consumers, which may import models.
django_asgi_app = get_asgi_application()

from playground.rooms.worker_process import ZYGOTE  # noqa: E402
from playground.routing import websocket_urlpatterns  # noqa: E402

# The process room workers are forked from loads in the background while the server
# starts, so the first room opened does not wait for it (playground/rooms/worker.py).
threading.Thread(target=ZYGOTE.warm, name="room-zygote", daemon=True).start()

# Everything loaded so far (Django, the apps, the simulator's modules) lives as long
# as the process. Moved to the permanent generation, it is no longer rescanned by
# every full collection the rooms' simulators trigger. Reference counting still frees.
gc.freeze()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Browsers send cookies with cross-site websocket handshakes: only accept
        # pages served from one of our own ALLOWED_HOSTS. Rooms are open to anyone
        # with the link, so there is no session or user middleware: it would wrap
        # every frame sent to every viewer (docs/performance.md, "Playground"). The
        # Channels stubs want their own URLPattern subclass, which re_path never returns.
        "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),  # type: ignore[arg-type]
    }
)
