from __future__ import annotations

import logging
import secrets
from urllib.parse import parse_qs

from channels.generic.websocket import AsyncWebsocketConsumer
from django.template.loader import render_to_string

from playground import protocol, rooms, throttle
from playground.arrivals import TOO_FAST, TOO_MANY_WAITING, Inbox

logger = logging.getLogger(__name__)


class RoomConsumer(AsyncWebsocketConsumer):
    """One browser's connection to a room, at ws/rooms/<code>/.

    On connect it sends a `snapshot` (or, for a browser reconnecting with
    `?seq=N&epoch=E`, the frames it missed), then forwards the room's frames.
    Messages are admitted when they arrive (playground/arrivals.py) and run
    one after the other. A bad message gets an error frame, never a closed
    socket, so one typo does not cost a learner their session; and nothing one
    browser sends reaches the others except through the room
    (docs/architecture.md, "Websocket protocol").
    """

    room: rooms.RoomView | None = None
    inbox: Inbox | None = None

    async def connect(self):
        self.code = self.scope["url_route"]["kwargs"]["code"]
        self.viewer = secrets.token_hex(4)
        self.inbox = Inbox(self.handle)
        await self.accept()
        client = throttle.client_of((self.scope.get("client") or [None])[0])
        if await throttle.ROOM_MISSES.aexhausted(client):
            await self.send_message(protocol.error(throttle.MISSES_MESSAGE))
            await self.close(code=4429)
            return
        try:
            self.room = await rooms.open_room(self.code)
            await self.channel_layer.group_add(rooms.group_name(self.code), self.channel_name)
            await self.send_message({"type": "hello", "viewer": self.viewer, "room": self.code})
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
        if self.inbox is not None:
            self.inbox.close()
        if self.room is not None:
            await self.channel_layer.group_discard(rooms.group_name(self.code), self.channel_name)
            self.room.leave(self)
            self.room = None

    async def receive(self, text_data=None, bytes_data=None):
        """A message just arrived: admit it, or answer at once (never queue it)."""
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
            await self.refuse(TOO_FAST, request_id)
        elif not self.inbox.offer(message, request_id):
            await self.refuse(TOO_MANY_WAITING, request_id)

    async def refuse(self, text: str, request_id) -> None:
        await self.send_message(protocol.error(text, request_id))
        if self.inbox.flooding():
            # A flood, not a browser: drop the connection now, unread (playground/server.py),
            # or close it where the server cannot.
            connection = self.scope.get("extensions", {}).get("kubeplay.connection")
            if connection is not None:
                connection.abort()
            else:
                await self.close(code=4008)

    async def handle(self, message: dict, request_id) -> None:
        """Run one admitted message; whatever goes wrong is answered with an error frame."""
        try:
            await getattr(self, f"on_{message['type']}")(message, request_id)
        except ValueError as exc:  # a ProtocolError, or a request the room refused
            await self.send_message(protocol.error(str(exc), request_id))
        except rooms.RoomGone as exc:
            await self.send_message(protocol.error(str(exc), request_id))
            await self.close(code=4000)
        except Exception:
            logger.exception("room %s: message %r failed", self.code, message.get("type"))
            await self.send_message(
                protocol.error("The server could not do that; try again.", request_id)
            )

    def _live(self) -> rooms.RoomView:
        if self.room is None:
            raise rooms.RoomGone("This connection has no room.")
        return self.room

    # -- client messages -------------------------------------------------------------

    async def on_ping(self, message, request_id):
        await self.send_message({"type": "pong", "id": request_id})

    async def on_command(self, message, request_id):
        line, stdin = protocol.command(message)
        result = await self._live().run_command(line, stdin, by=self.viewer)
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
                protocol.url(message), protocol.source(message), protocol.rate(message)
            )
            await self.send_message({"type": "stream", "id": request_id, "stream": stream})
        else:
            stream_id = message.get("stream")
            if stream_id is not None and not isinstance(stream_id, str):
                raise protocol.ProtocolError('"stream" must be a stream id, or absent to stop all.')
            await self._live().stop_stream(stream_id)

    async def on_clock(self, message, request_id):
        action = protocol.choice(message, "action", ("play", "pause", "speed"))
        speed = protocol.speed(message)
        if action == "speed" and speed is None:
            raise protocol.ProtocolError('"speed" is required to change the speed.')
        playing = {"play": True, "pause": False}.get(action)
        await self._live().set_clock(playing, speed)

    async def on_inspect(self, message, request_id):
        target = None
        if message.get("kind") is not None:
            target = rooms.Target.parse(
                message.get("kind"), message.get("namespace"), message.get("name")
            )
        await self._live().watch(self, target, request_id)

    async def on_resync(self, message, request_id):
        seq = protocol.sequence(message)
        epoch = protocol.epoch(message)
        await self._live().resync(self, seq, epoch)

    # -- from the room -----------------------------------------------------------------

    async def forward(self, text: str) -> None:
        """Send a frame the room encoded once for all its viewers.

        The hot path, 10-20 times a second per viewer: the room calls it directly
        rather than through the channel layer, whose queue, dispatch task and
        per-message database clean-up cost more than the send itself. It raises
        when the socket has closed, and the room then drops this viewer.
        """
        await self.base_send({"type": "websocket.send", "text": text})

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


def _resume_point(query_string: bytes) -> tuple[int | None, str]:
    """`(seq, epoch)` from `?seq=N&epoch=E`, or `(None, "")` for a fresh start."""
    query = parse_qs(query_string.decode("latin-1"))
    seq = (query.get("seq") or [""])[0]
    epoch = (query.get("epoch") or [""])[0][:32]
    if seq.isdigit() and len(seq) < 12:
        return int(seq), epoch
    return None, ""
