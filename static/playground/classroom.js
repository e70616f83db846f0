// The Class panel. A presenter: who may change the room (only them, everyone,
// or one follower), the class view the server renders (followers, raised
// hands, forks; refreshed by htmx every few seconds and whenever the server
// says the class changed), and the timeline to rewind the room. A follower:
// how the floor stands, a raised hand, and a name to be known by.

import { gettext, interpolate } from "./i18n.js";

const NAME_KEY = "kubeplay-name";

export class Classroom {
  constructor(root, socket, rights, terminal) {
    this.root = root;
    this.socket = socket;
    this.rights = rights;
    this.terminal = terminal;
    this.panel = root.querySelector("[data-class-panel]");
    this.raised = false;
    if (!this.panel) return;
    // The server's news that the class changed: the class view asks for itself again.
    socket.addEventListener("class", () => document.body.dispatchEvent(new Event("kp-class")));
    rights.addEventListener("change", () => this.showFloor());
    socket.addEventListener("hello", () => this.greet());
    if (this.panel.querySelector("[data-floor-choice]")) this.presenterPanel();
    else this.followerPanel();
    this.showFloor();
  }

  async ask(message) {
    try {
      return await this.socket.request(message);
    } catch (error) {
      this.terminal.print(error.message, "err");
      return null;
    }
  }

  // -- the presenter --------------------------------------------------------------------

  presenterPanel() {
    this.panel.querySelector("[data-floor-choice]").addEventListener("change", (event) => {
      if (event.target.name === "floor") this.ask({ type: "floor", mode: event.target.value });
    });
    this.panel.addEventListener("click", (event) => {
      const hand = event.target.closest("[data-floor-hand]");
      if (hand) this.ask({ type: "floor", mode: "follower", follower: Number(hand.dataset.floorHand) });
      if (event.target.closest("[data-floor-take]")) this.ask({ type: "floor", mode: "presenter" });
      if (event.target.closest("[data-rewind-reset]")) this.rewind(0);
      const item = event.target.closest("[data-rewind-list] li");
      if (item) this.choose(Number(item.dataset.n));
    });
    this.panel.addEventListener("input", (event) => {
      if (event.target.matches("[data-rewind-slider]")) this.choose(Number(event.target.value));
    });
    this.panel.addEventListener("submit", (event) => {
      if (!event.target.matches("[data-rewind]")) return;
      event.preventDefault();
      this.rewind(Number(event.target.querySelector("[data-rewind-slider]").value));
    });
    this.panel.addEventListener("htmx:afterSwap", (event) => {
      if (event.target.matches("[data-timeline]")) {
        const slider = this.panel.querySelector("[data-rewind-slider]");
        this.choose(Number(slider.value));
      }
    });
  }

  // The point of the timeline the slider is on: its command marked in the list.
  choose(n) {
    const slider = this.panel.querySelector("[data-rewind-slider]");
    if (!slider) return;
    slider.value = String(n);
    this.panel.querySelector("[data-rewind-shown]").textContent = String(n);
    for (const item of this.panel.querySelectorAll("[data-rewind-list] li")) {
      const n2 = Number(item.dataset.n);
      item.classList.toggle("kept", n2 <= n);
      item.classList.toggle("chosen", n2 === n);
      if (n2 === n) item.scrollIntoView({ block: "nearest" });
    }
  }

  async rewind(n) {
    const reply = await this.ask({ type: "rewind", commands: n });
    if (!reply) return;
    this.terminal.print(
      interpolate(gettext("The room is back at command %(number)s; what came after is in a branch."), { number: n }),
      "hint",
    );
    this.panel.querySelector("[data-timeline-load]").click(); // the timeline as it is now
    document.body.dispatchEvent(new Event("kp-class")); // the branch is a fork
  }

  // -- a follower -----------------------------------------------------------------------

  followerPanel() {
    this.handButton = this.panel.querySelector("[data-hand]");
    this.nameInput = this.panel.querySelector("[data-name]");
    this.nameInput.value = localStorage.getItem(NAME_KEY) || "";
    this.handButton.addEventListener("click", async () => {
      const raised = !this.raised;
      if (await this.ask({ type: "hand", raised })) this.setHand(raised);
    });
    this.nameInput.addEventListener("change", () => {
      const name = this.nameInput.value.trim();
      localStorage.setItem(NAME_KEY, name);
      this.ask({ type: "name", name });
    });
  }

  setHand(raised) {
    this.raised = raised;
    this.handButton.setAttribute("aria-pressed", String(raised));
    this.handButton.textContent = raised ? gettext("Lower hand") : gettext("Raise hand");
  }

  // A new connection (a reload, a restart): the server learns the name and hand again.
  greet() {
    if (!this.nameInput) return;
    if (this.nameInput.value.trim()) this.ask({ type: "name", name: this.nameInput.value.trim() });
    if (this.raised) this.ask({ type: "hand", raised: true });
  }

  showFloor() {
    const status = this.panel?.querySelector("[data-floor-status]");
    if (status) status.textContent = this.rights.describe();
    const choice = this.panel?.querySelector("[data-floor-choice]");
    if (!choice) return;
    const floor = this.rights.floor;
    for (const radio of choice.querySelectorAll('input[name="floor"]')) {
      radio.checked = radio.value === (floor.mode === "open" ? "open" : "presenter");
    }
    const holder = choice.querySelector("[data-floor-holder]");
    holder.hidden = floor.mode !== "follower";
    holder.textContent =
      floor.mode === "follower" ? interpolate(gettext("Follower %(number)s has control."), { number: floor.follower ?? "?" }) : "";
  }
}
