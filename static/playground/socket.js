// The room's websocket: snapshot on connect, frames in order, resync after a
// gap or a dropped connection, and replies matched to requests by id.
// Protocol: docs/architecture.md, "Websocket protocol".

import { gettext } from "./i18n.js";

const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 3000];
const NO_SUCH_ROOM = 4404;

export class RoomSocket extends EventTarget {
  constructor(code) {
    super();
    this.code = code;
    this.seq = null; // last frame applied
    this.epoch = "";
    this.viewer = "";
    this.nextId = 1;
    this.pending = new Map(); // id -> {resolve, reject}
    this.retries = 0;
    this.resyncing = false;
    this.socket = null;
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    let url = `${scheme}://${location.host}/ws/rooms/${this.code}/`;
    if (this.seq !== null) {
      url += `?seq=${this.seq}&epoch=${encodeURIComponent(this.epoch)}`;
    }
    const socket = new WebSocket(url);
    this.socket = socket;
    this.status("connecting");
    socket.addEventListener("open", () => {
      this.retries = 0;
      this.status("connected");
    });
    socket.addEventListener("message", (event) => this.receive(event.data));
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) return;
      for (const { reject } of this.pending.values()) reject(new Error(gettext("Connection lost.")));
      this.pending.clear();
      if (event.code === NO_SUCH_ROOM) {
        this.status("gone");
        return;
      }
      const delay = RETRY_DELAYS_MS[Math.min(this.retries, RETRY_DELAYS_MS.length - 1)];
      this.retries += 1;
      this.status("reconnecting");
      setTimeout(() => this.connect(), delay);
    });
  }

  status(text) {
    this.dispatchEvent(new CustomEvent("status", { detail: text }));
  }

  receive(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    switch (message.type) {
      case "part":
        this.part(message);
        break;
      case "hello":
        this.viewer = message.viewer;
        this.emit("hello", message);
        break;
      case "snapshot":
        this.epoch = message.epoch;
        this.seq = message.seq;
        this.resyncing = false;
        this.emit("snapshot", message);
        break;
      case "frame":
        this.frame(message);
        break;
      case "inspector":
        this.settle(message, true);
        this.emit("inspector", message);
        break;
      case "matrix":
        this.settle(message, true);
        this.emit("matrix", message);
        break;
      case "lesson":
        this.settle(message, true);
        this.emit("lesson", message);
        break;
      case "error":
        if (!this.settle(message, false)) this.emit("servererror", message);
        break;
      default:
        // A reply to a request, or news the server sends unasked (`class`).
        if (!this.settle(message, true)) this.emit(message.type, message);
    }
  }

  // A large message arrives in parts; the last part delivers the whole.
  part(message) {
    if (!this.parts || this.parts.id !== message.id) this.parts = { id: message.id, data: [] };
    this.parts.data[message.index] = message.data;
    if (message.index === message.count - 1) {
      const text = this.parts.data.join("");
      this.parts = null;
      this.receive(text);
    }
  }

  frame(message) {
    if (this.seq === null) return; // waiting for the snapshot
    if (message.epoch !== this.epoch) {
      this.resync();
      return;
    }
    if (message.seq <= this.seq) return; // already applied (sent before our snapshot)
    if (message.seq !== this.seq + 1) {
      this.resync();
      return;
    }
    this.seq = message.seq;
    this.resyncing = false;
    this.emit("frame", message);
  }

  resync() {
    if (this.resyncing) return;
    this.resyncing = true;
    this.send({ type: "resync", seq: this.seq ?? 0, epoch: this.epoch });
  }

  settle(message, ok) {
    const waiter = message.id != null && this.pending.get(message.id);
    if (!waiter) return false;
    this.pending.delete(message.id);
    if (ok) waiter.resolve(message);
    else waiter.reject(new Error(message.message));
    return true;
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  get open() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  send(message) {
    if (!this.open) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  // Send a message and wait for its reply (a message with the same id).
  request(message) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (!this.send({ ...message, id })) {
        reject(new Error(gettext("Not connected to the server; reconnecting…")));
        return;
      }
      this.pending.set(id, { resolve, reject });
    });
  }

  // Traffic and clock messages get no reply when they succeed.
  notify(message) {
    if (!this.send(message)) this.emit("servererror", { message: gettext("Not connected to the server.") });
  }
}
