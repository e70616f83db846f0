from django.urls import re_path

from playground import consumers

websocket_urlpatterns = [
    # Room codes are short lowercase slugs, so they are safe in group names.
    # django-stubs types re_path's view as a Django view only; Channels routes ASGI apps.
    re_path(r"^ws/rooms/(?P<code>[a-z0-9-]{1,32})/$", consumers.RoomConsumer.as_asgi()),  # type: ignore[arg-type]
]
