"""Why a room cannot be used now, in words for the learner."""

from __future__ import annotations


class RoomGone(Exception):
    """The room does not exist, or it moved (reloaded, or run by another process now)."""


class ServerFull(RoomGone):
    """The rooms loaded here use all the memory they may; this one cannot load now."""


class NoSuchRoom(RoomGone):
    """No room has this code (a wrong link, or a guess)."""
