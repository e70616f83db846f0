"""A room as it is stored: seed, initial manifests and an append-only log.

The simulator is deterministic, so `(seed, manifests, log)` is the whole
state: `playground.rooms` rebuilds the live cluster of any room by replaying
its log, in any process, after any restart.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Room(models.Model):
    """A shared cluster, opened at /rooms/<code>/ by everyone who has the link."""

    code = models.SlugField(max_length=32, unique=True)
    seed = models.PositiveIntegerField()
    #: Slug of the built-in example the room started from ("" for pasted manifests).
    example = models.CharField(max_length=64, blank=True)
    #: Slug of the lesson the room runs ("" for none); its progress is in the log.
    lesson = models.CharField(max_length=64, blank=True)
    #: The manifests applied when the room was created (`kubectl apply -f -`).
    manifests = models.TextField()
    created = models.DateTimeField(auto_now_add=True)
    #: When the room was last opened or left (at least hourly while open): rooms untouched
    #: for `KUBEPLAY_RETENTION_DAYS` are deleted by `manage.py purge_rooms`.
    touched = models.DateTimeField(default=timezone.now, db_index=True)
    #: The simulated clock's pacing; the log holds the time actually simulated.
    playing = models.BooleanField(default=True)
    speed = models.FloatField(default=1.0)
    #: Which server process runs the room's clock, and until when (see docs/architecture.md).
    owner = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    #: SHA-256 of the presenter's secret (playground/rooms/roles.py); "" for an open room,
    #: one made before roles existed, which everyone with the link may change.
    presenter_key = models.CharField(max_length=64, blank=True)
    #: Who besides the presenter may change the room: "" nobody, "open" everyone, or
    #: "follower:<participant id>" one follower (roles.Floor).
    floor = models.CharField(max_length=80, blank=True)
    #: A fork: the room it was copied from, how many log entries it copied, and who made
    #: it (`roles.Participant.who()`; `{"role": "rewind"}` for a branch a rewind set aside).
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="forks"
    )
    fork_point = models.PositiveIntegerField(null=True, blank=True)
    forked_by = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.code


class RoomEvent(models.Model):
    """One entry of a room's log, in order: a command, or ticks of the clock and traffic.

    `op` is a JSON object, one of:

    - `{"op": "run", "line": "kubectl ...", "stdin": "...", "by": {...}, "at": 12.5}`:
      a command line (who ran it, `roles.Participant.who()`, and the simulated time it
      ran at are for the timeline; replay reads only `line` and `stdin`); manifests the
      cluster refused whole are logged without them, `"refused": true`, and replay
      skips the entry;
    - `{"op": "streams", "streams": [{id, url, source, rate}, ...], "made": n}`: the
      request streams running from here on (`made`: streams started so far);
    - `{"op": "ticks", "streams": [[url, source], ...], "runs": [[step, [n, ...], repeat], ...]}`:
      `repeat` clock ticks, each advancing the clock `step` simulated seconds and
      then sending `n` requests for each stream;
    - `{"op": "rewind", "to": N}`: the cluster is again as it was after the first N entries;
    - `{"op": "lesson", "lesson": slug, "step": n}`: a note that changes nothing: the
      room's lesson reached step `n` here (`n` = the number of steps when finished).
    """

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="log")
    index = models.PositiveIntegerField()
    op = models.JSONField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["index"]
        constraints = [
            models.UniqueConstraint(fields=["room", "index"], name="one_entry_per_index"),
        ]

    def __str__(self) -> str:
        return f"{self.room_id}#{self.index}"
