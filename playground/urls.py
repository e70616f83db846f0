from django.urls import path, re_path

from playground import views

CODE = r"(?P<code>[a-z0-9-]{1,32})"

urlpatterns = [
    path("", views.home, name="home"),
    path("validate/", views.validate, name="validate"),
    path("rooms/", views.create_room, name="create_room"),
    re_path(rf"^rooms/{CODE}/$", views.room, name="room"),
    re_path(rf"^rooms/{CODE}/export\.yaml$", views.export, name="export"),
    re_path(rf"^rooms/{CODE}/inspect/$", views.inspect, name="inspect"),
    re_path(rf"^rooms/{CODE}/convert/$", views.convert, name="convert"),
]
