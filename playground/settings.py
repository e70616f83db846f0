"""Django settings, read from the environment with defaults that work on a laptop.

Every variable is optional: with none set, Kubeplay runs as one process with a
SQLite file and an in-memory channel layer. The README lists the variables.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

import dj_database_url

_Database = TypeVar("_Database", bound=Mapping[str, object])

BASE_DIR = Path(__file__).resolve().parent.parent
# Local state that must survive restarts but never be committed (git-ignored): the
# database and the secret key, so only this account may read it.
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(mode=0o700, exist_ok=True)
VAR_DIR.chmod(0o700)


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


def private_sqlite_file(database: _Database) -> _Database:
    """Create a SQLite database's file (and its folder) readable by this account only.

    SQLite gives its journal and WAL files the database file's permissions, so a
    file made here with 0600 before Django first connects keeps them all private.
    """
    name = str(database.get("NAME") or "")
    if database.get("ENGINE") != "django.db.backends.sqlite3" or name in ("", ":memory:"):
        return database
    if name.startswith("file:"):
        return database  # a URI (shared memory, tests): nothing on disk to protect
    path = Path(name)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    return database


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """`SECURE_PROXY_SSL_HEADER` from "X-Forwarded-Proto: https" (header, then value)."""
    header, _, expected = value.partition(":")
    if not header.strip() or not expected.strip():
        return None
    return "HTTP_" + header.strip().upper().replace("-", "_"), expected.strip()


DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or read_or_create_secret_key(
    VAR_DIR / "secret_key"
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

# Behind a TLS-terminating reverse proxy (docs/architecture.md, "Running and scaling"):
# the origins browsers post forms from, and the header by which the proxy says a
# request came over HTTPS. Without them every POST fails Django's CSRF check.
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
if header := proxy_ssl_header(os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "")):
    SECURE_PROXY_SSL_HEADER = header

# Served over HTTPS only (DJANGO_HTTPS=1): plain HTTP redirected, cookies never sent
# in clear, and browsers told to use HTTPS for a year (HSTS).
HTTPS = os.environ.get("DJANGO_HTTPS") == "1"
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and os.environ.get("DJANGO_HSTS_SUBDOMAINS") != "0"
SECURE_HSTS_PRELOAD = HTTPS and os.environ.get("DJANGO_HSTS_PRELOAD") != "0"

INSTALLED_APPS = [
    "daphne",  # first, so that `runserver` serves ASGI (websockets) too
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",  # its checks catch settings in the old format
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
    "csp.middleware.CSPMiddleware",
]

# Content-Security-Policy (django-csp): scripts, styles and connections from this
# site only, no inline script or style, nothing framed. The room's websocket is
# 'self' too (CSP 3 matches ws: and wss: of the page's own host).
SELF, NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # The page's empty icon is a data: URL (base.html).
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

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
    "default": private_sqlite_file(
        dj_database_url.config(default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
    ),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL := os.environ.get("REDIS_URL"):
    # channels_redis ships no types.
    from channels_redis.core import RedisChannelLayer  # type: ignore[import-untyped]

    # Several daphne processes share rooms through Redis (playground/rooms/bus.py). The
    # connection pool's default of 100 runs out when a whole classroom connects at once.
    # channels_redis waits for a channel's next message with blocking reads (BZPOPMIN)
    # of `brpop_timeout` seconds (5), and redis-py gives up on any socket read after
    # its default socket timeout, also 5 s: Redis's empty answer at the end of a block
    # raced that deadline and lost whenever the machine was busy ("Timeout reading
    # from ..."). A read of this layer may last a whole block, plus time for a slow
    # server; a dead one is still noticed (TCP keepalive, and this timeout).
    _REDIS_HOSTS = [
        {
            "address": REDIS_URL,
            "max_connections": 1000,
            "socket_timeout": RedisChannelLayer.brpop_timeout + 25,
            "socket_keepalive": True,
        }
    ]
    CHANNEL_LAYERS = {
        # Consumers' channels: only control messages (`room.closed`).
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": _REDIS_HOSTS},
        },
        # The processes' bus (playground/rooms/bus.py), a layer of its own: channels_redis
        # reads all of a layer's channels in a process through one lock that every waiting
        # consumer contends for, so with a thousand viewers arriving the bus's requests
        # waited seconds in Redis behind them (docs/performance.md).
        "bus": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": _REDIS_HOSTS,
                "prefix": "kubeplay-bus",
                # Each process reads one channel for all its rooms' frames: room for
                # a few seconds of them while it catches up.
                "capacity": 5000,
            },
        },
    }
else:
    # One process: Channels' in-memory layer. It carries only control messages
    # (`room.closed`); frames go straight from a room to its viewers' sockets.
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

#: Rooms nobody opened for this many days are deleted by `manage.py purge_rooms`
#: (run daily; README, "Operations").
KUBEPLAY_RETENTION_DAYS = float(os.environ.get("KUBEPLAY_RETENTION_DAYS", "90"))

# Counters of playground/throttle.py: shared by every process when they share Redis.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kubeplay",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Rooms (playground/rooms/): how they are paced and how long they stay in memory.
#: Ticks a second: the simulated clock's steps, and one frame per tick at most.
KUBEPLAY_TICK_HZ = 16
#: How often ticks not yet in a room's log are written to it (seconds).
KUBEPLAY_FLUSH_SECONDS = 1.0
#: How long a room with nobody watching stays in memory (seconds).
KUBEPLAY_IDLE_SECONDS = 60.0
#: Where each live room's simulator runs (playground/rooms/worker.py): "process", one
#: worker process per room, so no room's work stalls another's; "thread" and "inline"
#: (on the event loop) are for measurements.
KUBEPLAY_ROOM_WORKER = os.environ.get("KUBEPLAY_ROOM_WORKER", "process")
#: The memory the live rooms of one server process may hold together (their worker
#: processes' resident memory, MiB): idle rooms unload to make room, then new ones wait.
KUBEPLAY_ROOMS_MEMORY_MB = int(os.environ.get("KUBEPLAY_ROOMS_MEMORY_MB", "4096"))
#: Whether a new room's clock starts playing.
KUBEPLAY_AUTOPLAY = True
#: Leases on rooms, so one process runs each room when several share the database.
KUBEPLAY_ROOM_LEASES = bool(REDIS_URL)
#: How long a room's lease outlives its owner (renewed every third of it): another
#: process takes the room over this long after its owner died, at the latest.
KUBEPLAY_LEASE_SECONDS = float(os.environ.get("KUBEPLAY_LEASE_SECONDS", "3"))

# Abuse (playground/throttle.py): per client address (IPv6: per /64), counted in the
# cache. A school behind one address shares them, hence the generous defaults.
#: Rooms one client may create per minute and per day.
KUBEPLAY_ROOMS_PER_MINUTE = int(os.environ.get("KUBEPLAY_ROOMS_PER_MINUTE", "30"))
KUBEPLAY_ROOMS_PER_DAY = int(os.environ.get("KUBEPLAY_ROOMS_PER_DAY", "500"))
#: Unknown room codes one client may ask for per minute before its room lookups are refused.
KUBEPLAY_ROOM_MISSES_PER_MINUTE = int(os.environ.get("KUBEPLAY_ROOM_MISSES_PER_MINUTE", "30"))
#: How frames reach viewers under daphne: "direct" frames each once and writes it to every
#: socket (playground/fanout.py), "asgi" sends each copy through the ASGI send.
KUBEPLAY_FANOUT = os.environ.get("KUBEPLAY_FANOUT", "direct")

STATIC_URL = "static/"
#: Browser libraries from the npm registry (package.json; `npm ci` installs them into
#: node_modules, which is never committed) are served under their package's name.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [BASE_DIR / "static", ("elkjs", NODE_MODULES / "elkjs" / "lib")]
# `manage.py collectstatic` output, which the front proxy serves (deploy/nginx.conf).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or VAR_DIR / "static")

# English and Simplified Chinese (docs/translation.md). The catalogues in locale/ are
# committed compiled (.mo) beside their sources (.po), so nothing compiles at start-up.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
