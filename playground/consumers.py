from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import Callable
from urllib.parse import parse_qs

from channels.generic.websocket import AsyncWebsocketConsumer
from django.http.cookie import parse_cookie
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from playground import fanout, limits, protocol, rooms
from playground.i18n import language_from_scope


class RoomConsumer(AsyncWebsocketConsumer):
    """One browser's connection to a room, at ws/rooms/<code>/.

    On connect it sends a `snapshot` (or, for a browser reconnecting with
    `?seq=N&epoch=E`, the frames it missed), then forwards the room's frames.
    A bad message gets an error frame, never a closed socket, so one typo does
    not cost a learner their session; and nothing one browser sends reaches the
    others except through the room (docs/architecture.md, "Websocket protocol").
    Each message is checked against the sender's role first (rooms.roles): the
    presenter cookie makes a connection its room's presenter, anyone else follows.
    """

    room: rooms.LiveRoom | None = None
    participant: rooms.roles.Participant | None = None
    #: Writes a frame straight into daphne's socket (playground/fanout.py), or None.
    write_direct: Callable[[str], bool] | None = None

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        except asyncio.CancelledError:
            # The server is stopping (daphne cancels every connection before it exits):
            # what the room ran since its last write goes to the log first, so a restart
            # loses no tick, request or stream.
            if self.room is not None:
                with contextlib.suppress(Exception):
                    await self.room.save()
            raise

    async def connect(self):
        self.language = language_from_scope(self.scope)
        with translation.override(self.language):
            await self._connect()

    async def _connect(self):
        self.code = self.scope["url_route"]["kwargs"]["code"]
        self.viewer = secrets.token_hex(4)
        self.tokens = float(limits.MESSAGE_BURST)
        self.refilled = time.monotonic()
        await self.accept()
        self.write_direct = fanout.direct_writer(self.base_send)
        try:
            self.room = await rooms.open_room(self.code)
        except rooms.RoomGone as exc:
            await self.send_message(protocol.error(str(exc)))
            await self.close(code=4404)
            return
        cookies = _cookies(self.scope)
        roles = rooms.roles
        presenter = roles.is_presenter(self.room.classroom.key, cookies)
        self.participant = self.room.admit(roles.participant_id(cookies), presenter)
        await self.channel_layer.group_add(rooms.group_name(self.code), self.channel_name)
        self.room.join(self)
        seq, epoch = _resume_point(self.scope.get("query_string", b""))
        await self.send_message(
            {
                "type": "hello",
                "viewer": self.viewer,
                "room": self.code,
                "role": self.participant.role,
                "number": self.participant.number,
            }
        )
        for text in self.room.catch_up(seq, epoch):
            await self.send(text_data=text)

    async def disconnect(self, code):
        if self.room is not None:
            await self.channel_layer.group_discard(rooms.group_name(self.code), self.channel_name)
            self.room.leave(self)
            self.room = None

    async def receive(self, text_data=None, bytes_data=None):
        with translation.override(self.language):
            await self._receive(text_data)

    async def _receive(self, text_data):
        request_id = None
        try:
            self._spend_token()
            message = protocol.decode(text_data)
            request_id = protocol.request_id(message)
            # The sender's right first, for every message, whatever its page showed.
            floor = self._live().classroom.floor
            rooms.roles.check(message["type"], self._me(), floor, message.get("action"))
            handler = getattr(self, f"on_{message['type']}")
            await handler(message, request_id)
        except ValueError as exc:  # a ProtocolError, or a request the room refused
            await self.send_message(protocol.error(str(exc), request_id))
        except rooms.RoomGone as exc:
            await self.send_message(protocol.error(str(exc), request_id))
            await self.close(code=4000)

    def _spend_token(self) -> None:
        now = time.monotonic()
        self.tokens = min(
            limits.MESSAGE_BURST,
            self.tokens + (now - self.refilled) * limits.MESSAGES_PER_SECOND,
        )
        self.refilled = now
        if self.tokens < 1:
            raise protocol.ProtocolError(
                _("Too many messages: slow down and try again in a second.")
            )
        self.tokens -= 1

    def _live(self) -> rooms.LiveRoom:
        if self.room is None:
            raise rooms.RoomGone(_("This connection has no room."))
        return self.room

    def _me(self) -> rooms.roles.Participant:
        """Who sent the message: set as the connection joins its room, before any is read."""
        if self.participant is None:
            raise rooms.RoomGone(_("This connection has no room."))
        return self.participant

    # -- client messages -------------------------------------------------------------

    async def on_ping(self, message, request_id):
        await self.send_message({"type": "pong", "id": request_id})

    async def on_command(self, message, request_id):
        line, stdin = protocol.command(message)
        result = await self._live().run_command(line, stdin, by=self.viewer, who=self.participant)
        if stdin:
            # Manifests from an editor: their problems as the editor shows them (the
            # server's one problems list, as validation as you type swaps it in).
            result["problemsHtml"] = render_to_string(
                "partials/problems.html",
                {"problems": result["problems"], "applied": result["exitCode"] == 0},
            )
        await self.send_message({"type": "result", "id": request_id, **result})

    async def on_traffic(self, message, request_id):
        action = protocol.choice(message, "action", ("start", "stop"))
        if action == "start":
            stream = await self._live().start_stream(
                protocol.url(message),
                protocol.source(message),
                protocol.rate(message),
                who=self.participant,
            )
            await self.send_message(
                {"type": "stream", "id": request_id, "stream": stream.to_dict()}
            )
        else:
            stream_id = message.get("stream")
            if stream_id is not None and not isinstance(stream_id, str):
                raise protocol.ProtocolError(
                    _('"stream" must be a stream id, or absent to stop all.')
                )
            await self._live().stop_stream(stream_id, who=self.participant)

    async def on_clock(self, message, request_id):
        action = protocol.choice(message, "action", ("play", "pause", "speed"))
        speed = protocol.speed(message)
        if action == "speed" and speed is None:
            raise protocol.ProtocolError(_('"speed" is required to change the speed.'))
        playing = {"play": True, "pause": False}.get(action)
        await self._live().set_clock(playing, speed, who=self.participant)

    async def on_inspect(self, message, request_id):
        target = None
        if message.get("kind") is not None:
            target = rooms.Target.parse(
                message.get("kind"), message.get("namespace"), message.get("name")
            )
        await self._live().watch(self, target, request_id)

    async def on_lesson(self, message, request_id):
        follower = self._live().followers.get("lesson")
        if follower is None:
            raise protocol.ProtocolError(_("This room runs no lesson."))
        reply = await follower.handle(self._live(), self, message, request_id)
        await self.send_message({**reply, "id": request_id})

    async def on_matrix(self, message, request_id):
        await self._live().watch_matrix(self, protocol.matrix_view(message), request_id)

    async def on_resync(self, message, request_id):
        seq = protocol.sequence(message)
        epoch = protocol.epoch(message)
        for text in self._live().catch_up(seq, epoch):
            await self.send(text_data=text)

    # -- the class: the presenter's levers, and what followers may do ------------------

    async def on_view(self, message, request_id):
        view = protocol.view(message)
        if view["selected"] is not None:
            view["selected"] = rooms.Target.parse(**view["selected"]).fields()
        self._live().set_view(view)

    async def on_floor(self, message, request_id):
        mode, number = protocol.floor(message)
        await self._live().classroom.set_floor(mode, number)
        await self.send_message({"type": "ok", "id": request_id})

    async def on_rewind(self, message, request_id):
        commands = protocol.sequence(message, "commands")
        branch = await rooms.rewind(self._live(), commands, self._me())
        await self.send_message({"type": "rewound", "id": request_id, "branch": branch.code})

    async def on_hand(self, message, request_id):
        self._live().classroom.raise_hand(self._me(), protocol.flag(message, "raised"))
        await self.send_message({"type": "ok", "id": request_id})

    async def on_name(self, message, request_id):
        self._live().classroom.rename(self._me(), rooms.clean_name(message.get("name")))
        await self.send_message({"type": "ok", "id": request_id})

    # -- from the room -----------------------------------------------------------------

    async def forward(self, text: str) -> None:
        """Send a frame the room encoded once for all its viewers.

        The hot path, 10-20 times a second per viewer: the room calls it directly
        rather than through the channel layer, whose queue, dispatch task and
        per-message database clean-up cost more than the send itself; and under
        daphne the text is framed once for all viewers (playground/fanout.py).
        """
        if self.write_direct is None or not self.write_direct(text):
            # ASGI lets a send carry only the key it uses, and Channels' test communicator
            # insists on exactly one; asgiref's TypedDict wants both (`bytes: None`).
            await self.base_send({"type": "websocket.send", "text": text})  # type: ignore[arg-type]

    async def room_closed(self, event):  # from the room's channel-layer group
        # The room was dropped from memory after an error; the browser reconnects
        # and this process replays the log afresh.
        await self.close(code=4000)

    async def send_message(self, message: dict) -> None:
        await self.send(text_data=protocol.encode(message))


def _cookies(scope) -> dict[str, str]:
    """The handshake's cookies (the websocket stack has no cookie middleware: it would wrap
    every frame sent)."""
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            return parse_cookie(value.decode("latin-1"))
    return {}


def _resume_point(query_string: bytes) -> tuple[int | None, str]:
    """`(seq, epoch)` from `?seq=N&epoch=E`, or `(None, "")` for a fresh start."""
    query = parse_qs(query_string.decode("latin-1"))
    seq = (query.get("seq") or [""])[0]
    epoch = (query.get("epoch") or [""])[0][:32]
    if seq.isdigit() and len(seq) < 12:
        return int(seq), epoch
    return None, ""
