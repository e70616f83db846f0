"""Django settings, read from the environment with defaults that work on a laptop.

Every variable is optional: with none set, Kubeplay runs as one process with a
SQLite file and an in-memory channel layer. The README lists the variables.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
# Local state that must survive restarts but never be committed (git-ignored).
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)


def read_or_create_secret_key(path: Path) -> str:
    """Return the key stored at `path`, creating it on first use.

    The key is written to a temporary file and hard-linked into place, so
    processes starting together all end up with the same key.
    """
    if not path.exists():
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(secrets.token_urlsafe(50))
        tmp.chmod(0o600)
        try:
            path.hardlink_to(tmp)
        except FileExistsError:
            pass  # another process won the race; use its key
        finally:
            tmp.unlink()
    return path.read_text().strip()


DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or read_or_create_secret_key(
    VAR_DIR / "secret_key"
)
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "daphne",  # first, so that `runserver` serves ASGI (websockets) too
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "django_htmx",
    "playground",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the switch's cookie, else the browser's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "playground.urls"
ASGI_APPLICATION = "playground.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
            ]
        },
    }
]

# PostgreSQL (or anything dj-database-url parses) when DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.config(default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL := os.environ.get("REDIS_URL"):
    # Several daphne processes share room groups through Redis. The connection
    # pool's default of 100 runs out when a whole classroom connects at once.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "max_connections": 1000}]},
        }
    }
else:
    # One process: Channels' in-memory layer. It carries only control messages
    # (`room.closed`); frames go straight from a room to its viewers' sockets.
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Rooms (playground/rooms/): how they are paced and how long they stay in memory.
#: Ticks a second: the simulated clock's steps, and one frame per tick at most.
KUBEPLAY_TICK_HZ = 16
#: How often ticks not yet in a room's log are written to it (seconds).
KUBEPLAY_FLUSH_SECONDS = 1.0
#: How long a room with nobody watching stays in memory (seconds).
KUBEPLAY_IDLE_SECONDS = 60.0
#: Whether a new room's clock starts playing.
KUBEPLAY_AUTOPLAY = True
#: Leases on rooms, so one process runs each room when several share the database.
KUBEPLAY_ROOM_LEASES = bool(REDIS_URL)
#: How frames reach viewers under daphne: "direct" frames each once and writes it to every
#: socket (playground/fanout.py), "asgi" sends each copy through the ASGI send.
KUBEPLAY_FANOUT = os.environ.get("KUBEPLAY_FANOUT", "direct")

STATIC_URL = "static/"
#: Browser libraries from the npm registry (package.json; `npm ci` installs them into
#: node_modules, which is never committed) are served under their package's name.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [BASE_DIR / "static", ("elkjs", NODE_MODULES / "elkjs" / "lib")]
STATIC_ROOT = VAR_DIR / "static"  # `manage.py collectstatic` output, for a front proxy

# English and Simplified Chinese (docs/translation.md). The catalogues in locale/ are
# committed compiled (.mo) beside their sources (.po), so nothing compiles at start-up.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
