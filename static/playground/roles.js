// What this browser may do in the room, as the server decides it: its role
// (from `hello`) and the room's floor (from the snapshot and frames). The
// server checks every message anyway; this only keeps the page honest, by
// disabling the controls that change the cluster while they would be refused.

import { gettext, interpolate } from "./i18n.js";

// Controls that change the cluster: commands, clock, traffic, apply, inspector actions.
const ACT = [
  "[data-clock-toggle]", "[data-clock-speed]",
  "[data-traffic] button", "[data-traffic] input", "[data-traffic] select", "[data-streams] [data-stop]",
  "[data-apply]", "[data-terminal-input]", "[data-terminal-form] button", "[data-terminal-form] select",
  "#inspector [data-command]", "#inspector form button", "#inspector form input",
].join(", ");

export class Rights extends EventTarget {
  constructor(root, socket) {
    super();
    this.root = root;
    this.role = root.dataset.role || "viewer";
    this.number = 0;
    this.floor = { mode: "presenter" };
    this.placeholder = root.querySelector("[data-terminal-input]")?.placeholder || "";
    socket.addEventListener("hello", (event) => {
      this.role = event.detail.role || this.role;
      this.number = event.detail.number || 0;
      this.update();
    });
    socket.addEventListener("snapshot", (event) => this.setFloor(event.detail.floor));
    socket.addEventListener("frame", (event) => {
      if (event.detail.floor) this.setFloor(event.detail.floor);
    });
    // The inspector and the streams' list are redrawn whole: their buttons follow the rights too.
    const relock = new MutationObserver(() => this.lock());
    for (const redrawn of root.querySelectorAll("#inspector, [data-streams]")) {
      relock.observe(redrawn, { childList: true });
    }
    this.update();
  }

  get presenter() {
    return this.role === "presenter";
  }

  get canAct() {
    if (this.role !== "follower") return true;
    const floor = this.floor;
    return floor.mode === "open" || (floor.mode === "follower" && floor.follower === this.number);
  }

  setFloor(floor) {
    if (!floor) return;
    this.floor = floor;
    this.update();
  }

  // How the floor stands, for this browser: a sentence (followers show it).
  describe() {
    const floor = this.floor;
    if (floor.mode === "open") return gettext("The floor is open: you may change the room too.");
    if (floor.mode === "follower") {
      if (floor.follower === this.number) return gettext("The presenter handed you control: you may change the room.");
      return interpolate(gettext("Follower %(number)s has control; you are following."), { number: floor.follower ?? "?" });
    }
    return gettext("You are following: the presenter changes this room, you watch and inspect.");
  }

  update() {
    this.root.dataset.canAct = String(this.canAct);
    this.lock();
    this.dispatchEvent(new Event("change"));
  }

  lock() {
    const locked = !this.canAct;
    for (const el of document.querySelectorAll(ACT)) el.disabled = locked;
    const input = this.root.querySelector("[data-terminal-input]");
    if (input) {
      input.placeholder = locked
        ? gettext("Only the presenter changes this room. “Try it yourself” gives you a copy of your own.")
        : this.placeholder;
    }
  }
}

// How frames name a participant ({role, number, name}): "presenter", "follower 3 (Li)".
export function whoLabel(who) {
  if (!who || !who.role) return gettext("someone");
  let text;
  if (who.role === "presenter") text = gettext("presenter");
  else if (who.role === "lesson") text = gettext("the lesson");
  else if (!who.number) text = who.role === "follower" ? gettext("a follower") : gettext("someone");
  else if (who.role === "follower") text = interpolate(gettext("follower %(number)s"), { number: who.number });
  else text = interpolate(gettext("viewer %(number)s"), { number: who.number });
  return who.name ? `${text} (${who.name})` : text;
}

// A change that is not a command (a frame's `notes`), in words.
export function noteText(note) {
  const formats = {
    play: gettext("%(who)s started the clock"),
    pause: gettext("%(who)s paused the clock"),
    speed: gettext("%(who)s set the clock to %(detail)s×"),
    start: gettext("%(who)s started a stream to %(detail)s"),
    stop: gettext("%(who)s stopped a stream"),
    rewind: gettext("%(who)s moved the room back to command %(detail)s"),
  };
  return interpolate(formats[note.what] || "%(who)s: %(detail)s", { who: whoLabel(note.who), detail: note.detail });
}
