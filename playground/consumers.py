from __future__ import annotations

from channels.generic.websocket import AsyncWebsocketConsumer

from playground import protocol


class RoomConsumer(AsyncWebsocketConsumer):
    """One browser's connection to a room, at ws/rooms/<code>/.

    For now it only answers pings. Snapshots, frames and commands arrive with
    playground.rooms. A bad message gets an error frame, never a closed socket,
    so one typo does not cost a learner their session.
    """

    async def receive(self, text_data=None, bytes_data=None):
        try:
            message = protocol.decode(text_data)
        except protocol.ProtocolError as exc:
            await self.send_message(protocol.error(str(exc)))
            return
        if message["type"] == "ping":
            await self.send_message({"type": "pong", "id": message.get("id")})
        else:
            await self.send_message(
                protocol.error(f"Unknown message type {message['type']!r}; expected: ping.")
            )

    async def send_message(self, message: dict) -> None:
        await self.send(text_data=protocol.encode(message))
