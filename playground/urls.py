from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog

from playground import views

CODE = r"(?P<code>[a-z0-9-]{1,32})"

urlpatterns = [
    path("", views.home, name="home"),
    # The language switch (Django's set_language: a cookie, then back to the page).
    path("i18n/", include("django.conf.urls.i18n")),
    # The browser modules' strings in the page's language (a script from this origin).
    path("jsi18n/", JavaScriptCatalog.as_view(domain="djangojs"), name="javascript-catalog"),
    path("lessons/<slug:slug>/", views.start_lesson, name="start_lesson"),
    path("validate/", views.validate, name="validate"),
    path("rooms/", views.create_room, name="create_room"),
    re_path(rf"^rooms/{CODE}/$", views.room, name="room"),
    re_path(rf"^rooms/{CODE}/export\.yaml$", views.export, name="export"),
    re_path(rf"^rooms/{CODE}/inspect/$", views.inspect, name="inspect"),
    re_path(rf"^rooms/{CODE}/convert/$", views.convert, name="convert"),
    re_path(
        rf"^rooms/{CODE}/present/(?P<secret>[A-Za-z0-9_-]{{1,100}})/$",
        views.present,
        name="present",
    ),
    re_path(rf"^rooms/{CODE}/fork/$", views.fork, name="fork"),
    re_path(rf"^rooms/{CODE}/class/$", views.class_view, name="class_view"),
    re_path(rf"^rooms/{CODE}/timeline/$", views.timeline, name="timeline"),
]
