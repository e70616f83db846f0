from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from channels.generic.websocket import AsyncWebsocketConsumer
from django.http.cookie import parse_cookie
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from playground import fanout, protocol, rooms, throttle
from playground.arrivals import TOO_FAST, TOO_MANY_WAITING, Inbox
from playground.i18n import language_from_scope

logger = logging.getLogger(__name__)


class RoomConsumer(AsyncWebsocketConsumer):
    """One browser's connection to a room, at ws/rooms/<code>/.

    On connect it sends a `snapshot` (or, for a browser reconnecting with
    `?seq=N&epoch=E`, the frames it missed), then forwards the room's frames.
    Messages are admitted when they arrive (playground/arrivals.py) and run
    one after the other. A bad message gets an error frame, never a closed
    socket, so one typo does not cost a learner their session; and nothing one
    browser sends reaches the others except through the room
    (docs/architecture.md, "Websocket protocol"). Each connection is a
    participant of the room's class (rooms.roles): the presenter cookie makes it
    the presenter, anyone else follows. What a message needs of the sender's
    role alone is checked here as it is handled; whether the floor lets the
    sender change the room is checked by the room's owner, under its lock.
    """

    room: rooms.RoomView | None = None
    #: This connection's admitted messages (made as it connects, before any arrives).
    inbox: Inbox
    participant: rooms.roles.Participant | None = None
    language = "en"
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
        self.inbox = Inbox(self.handle)
        await self.accept()
        self.write_direct = fanout.direct_writer(self.base_send)
        client = throttle.client_of((self.scope.get("client") or [None])[0])
        if await throttle.ROOM_MISSES.aexhausted(client):
            await self.send_message(protocol.error(throttle.misses_message()))
            await self.close(code=4429)
            return
        try:
            self.room = await rooms.open_room(self.code)
            cookies = _cookies(self.scope)
            roles = rooms.roles
            presenter = roles.is_presenter(await rooms.presenter_key(self.code), cookies)
            self.participant = await self.room.admit(self, roles.participant_id(cookies), presenter)
            await self.channel_layer.group_add(rooms.group_name(self.code), self.channel_name)
            await self.send_message(
                {
                    "type": "hello",
                    "viewer": self.viewer,
                    "room": self.code,
                    "role": self.participant.role,
                    "number": self.participant.number,
                }
            )
            seq, epoch = _resume_point(self.scope.get("query_string", b""))
            await self.room.join(self, seq, epoch)
        except rooms.NoSuchRoom as exc:  # a wrong link, or a guess: counted against probing
            await throttle.ROOM_MISSES.aspend(client)
            await self._refuse_room(str(exc), 4404)
        except rooms.ServerFull as exc:
            await self._refuse_room(str(exc), 4503)
        except rooms.RoomGone as exc:  # moving between servers: the browser reconnects
            await self._refuse_room(str(exc), 4000)

    async def _refuse_room(self, text: str, code: int) -> None:
        if self.room is not None:
            self.room.leave(self)
            self.room = None
        await self.send_message(protocol.error(text))
        await self.close(code=code)

    async def disconnect(self, code):
        inbox = getattr(self, "inbox", None)
        if inbox is not None:
            inbox.close()
        if self.room is not None:
            await self.channel_layer.group_discard(rooms.group_name(self.code), self.channel_name)
            self.room.leave(self)
            self.room = None

    async def receive(self, text_data=None, bytes_data=None):
        """A message just arrived: admit it, or answer at once (never queue it)."""
        with translation.override(self.language):
            await self._arrived(text_data)

    async def _arrived(self, text_data):
        if self.inbox.flooding():
            return  # closing: what a flood still sends is dropped unread
        spent = self.inbox.spend()
        try:
            message = protocol.decode(text_data)
            request_id = protocol.request_id(message)
        except protocol.ProtocolError as exc:
            await self.refuse(str(exc), exc.request_id)
            return
        if not spent:
            await self.refuse(_(TOO_FAST), request_id)
        elif not self.inbox.offer(message, request_id):
            await self.refuse(_(TOO_MANY_WAITING), request_id)

    async def refuse(self, text: str, request_id) -> None:
        await self.send_message(protocol.error(text, request_id))
        if self.inbox.flooding():
            # A flood, not a browser: drop the connection now, unread (playground/server.py),
            # or close it where the server cannot.
            extensions: dict[str, Any] = dict(self.scope.get("extensions") or {})
            connection = extensions.get("kubeplay.connection")
            if connection is not None:
                connection.abort()
            else:
                await self.close(code=4008)

    async def handle(self, message: dict, request_id) -> None:
        """Run one admitted message; whatever goes wrong is answered with an error frame."""
        with translation.override(self.language):
            await self._handle(message, request_id)

    async def _handle(self, message: dict, request_id) -> None:
        try:
            # What the sender's role alone forbids, first, whatever its page showed; the
            # room's owner checks the floor as it acts.
            rooms.roles.check_role(message["type"], self._me(), message.get("action"))
            await getattr(self, f"on_{message['type']}")(message, request_id)
        except ValueError as exc:  # a ProtocolError, or a request the room refused
            await self.send_message(protocol.error(str(exc), request_id))
        except rooms.RoomGone as exc:
            await self.send_message(protocol.error(str(exc), request_id))
            await self.close(code=4000)
        except Exception:
            logger.exception("room %s: message %r failed", self.code, message.get("type"))
            await self.send_message(
                protocol.error(_("The server could not do that; try again."), request_id)
            )

    def _live(self) -> rooms.RoomView:
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
        result = await self._live().run_command(line, stdin, self.viewer, self._me().id)
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
                self._me().id,
            )
            await self.send_message({"type": "stream", "id": request_id, "stream": stream})
        else:
            stream_id = message.get("stream")
            if stream_id is not None and not isinstance(stream_id, str):
                raise protocol.ProtocolError(
                    _('"stream" must be a stream id, or absent to stop all.')
                )
            await self._live().stop_stream(stream_id, self._me().id)

    async def on_clock(self, message, request_id):
        action = protocol.choice(message, "action", ("play", "pause", "speed"))
        speed = protocol.speed(message)
        if action == "speed" and speed is None:
            raise protocol.ProtocolError(_('"speed" is required to change the speed.'))
        playing = {"play": True, "pause": False}.get(action)
        await self._live().set_clock(playing, speed, self._me().id)

    async def on_inspect(self, message, request_id):
        target = None
        if message.get("kind") is not None:
            target = rooms.Target.parse(
                message.get("kind"), message.get("namespace"), message.get("name")
            )
        await self._live().watch(self, target, request_id)

    async def on_lesson(self, message, request_id):
        reply = await self._live().lesson(self, self._me().id, message)
        await self.send_message({**reply, "id": request_id})

    async def on_matrix(self, message, request_id):
        await self._live().watch_matrix(self, protocol.matrix_view(message), request_id)

    async def on_resync(self, message, request_id):
        seq = protocol.sequence(message)
        epoch = protocol.epoch(message)
        await self._live().resync(self, seq, epoch)

    # -- the class: the presenter's levers, and what followers may do ------------------

    async def on_view(self, message, request_id):
        view = protocol.view(message)
        if view["selected"] is not None:
            view["selected"] = rooms.Target.parse(**view["selected"]).fields()
        await self._live().set_view(view, self._me().id)

    async def on_floor(self, message, request_id):
        mode, number = protocol.floor(message)
        await self._live().set_floor(mode, number, self._me().id)
        await self.send_message({"type": "ok", "id": request_id})

    async def on_rewind(self, message, request_id):
        commands = protocol.sequence(message, "commands")
        branch = await self._live().rewind_to_command(commands, self._me().id)
        await self.send_message({"type": "rewound", "id": request_id, "branch": branch})

    async def on_hand(self, message, request_id):
        await self._live().raise_hand(self._me().id, protocol.flag(message, "raised"))
        await self.send_message({"type": "ok", "id": request_id})

    async def on_name(self, message, request_id):
        await self._live().rename(self._me().id, rooms.clean_name(message.get("name")))
        await self.send_message({"type": "ok", "id": request_id})

    # -- from the room -----------------------------------------------------------------

    async def forward(self, text: str) -> None:
        """Send a frame the room encoded once for all its viewers.

        The hot path, 10-20 times a second per viewer: the room calls it directly
        rather than through the channel layer, whose queue, dispatch task and
        per-message database clean-up cost more than the send itself; and under
        daphne the text is framed once for all viewers (playground/fanout.py). It
        raises when the socket has closed, and the room then drops this viewer.
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
        """A reply to this connection; nothing when its socket closed meanwhile (its
        disconnect is on the way)."""
        try:
            await self.send(text_data=protocol.encode(message))
        except Exception:  # noqa: BLE001 - autobahn's Disconnected, or a closed transport
            logger.info("room %s: reply to a closed connection dropped", self.code)


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
