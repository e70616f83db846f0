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
    re_path(
        rf"^rooms/{CODE}/present/(?P<secret>[A-Za-z0-9_-]{{1,100}})/$",
        views.present,
        name="present",
    ),
    re_path(rf"^rooms/{CODE}/fork/$", views.fork, name="fork"),
    re_path(rf"^rooms/{CODE}/class/$", views.class_view, name="class_view"),
    re_path(rf"^rooms/{CODE}/timeline/$", views.timeline, name="timeline"),
]
