// Opens the room's websocket and shows "connected" once the server answers a
// ping: the smallest proof that browser, daphne and consumer are wired up.
// The real playground client replaces this.

const PING_ID = 1;

function connect(status) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const url = `${scheme}://${location.host}/ws/rooms/${status.dataset.roomSocket}/`;
  const socket = new WebSocket(url);

  socket.addEventListener("open", () => {
    socket.send(JSON.stringify({ type: "ping", id: PING_ID }));
  });
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "pong" && message.id === PING_ID) {
      status.textContent = "connected";
    } else if (message.type === "error") {
      console.error(`Server: ${message.message}`);
    }
  });
  socket.addEventListener("close", () => {
    status.textContent = "disconnected";
  });
}

const status = document.querySelector("[data-room-socket]");
if (status) connect(status);
