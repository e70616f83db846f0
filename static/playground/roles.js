// What this browser may do in the room, as the server decides it: its role
// (from `hello`) and the room's floor (from the snapshot and frames). The
// server checks every message anyway; this only keeps the page honest, by
// disabling the controls that change the cluster while they would be refused.

import { phrase } from "./phrases.js";

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
    if (floor.mode === "open") return phrase("floorOpen");
    if (floor.mode === "follower") {
      return floor.follower === this.number ? phrase("floorYou") : phrase("floorOther", { n: floor.follower ?? "?" });
    }
    return phrase("floorPresenter");
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
    if (input) input.placeholder = locked ? phrase("readOnly") : this.placeholder;
  }
}
