// "Convert to Gateway API": a notice over the diagram while the room has Ingresses
// (their controller, ingress-nginx, is retired), and a dialog that shows each Ingress
// beside the Gateway and HTTPRoutes that replace it. The server renders the dialog's
// content; applying runs its command line in the terminal, like any command, so the
// room's viewers see it too.

import { gettext, interpolate } from "./i18n.js";

export class Convert {
  constructor(root, model, terminal) {
    this.model = model;
    this.terminal = terminal;
    this.url = root.dataset.convertUrl;
    this.notice = root.querySelector("[data-retired]");
    this.dialog = document.querySelector("[data-convert]");
    this.body = this.dialog.querySelector("[data-convert-body]");
    this.notice.querySelector("[data-convert-open]").addEventListener("click", () => this.open());
    this.dialog.querySelector("[data-convert-close]").addEventListener("click", () => this.dialog.close());
    this.body.addEventListener("click", (event) => {
      const button = event.target.closest("[data-convert-apply]");
      if (!button) return;
      this.dialog.close();
      this.terminal.run(button.dataset.command);
    });
  }

  // The notice shows while any Ingress of the learner's is in the room.
  refresh() {
    const ingresses = this.model.list("ingresses").filter((i) => !this.model.isSystem(i.namespace));
    this.notice.hidden = ingresses.length === 0;
  }

  async open() {
    this.body.replaceChildren();
    const waiting = document.createElement("p");
    waiting.textContent = "…";
    this.body.append(waiting);
    this.dialog.showModal();
    try {
      const response = await fetch(this.url, { headers: { Accept: "text/html" } });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      this.body.innerHTML = await response.text();
    } catch (error) {
      waiting.textContent = interpolate(gettext("Could not convert: %(error)s"), { error: error.message });
    }
  }
}
