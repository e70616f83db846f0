// Projector mode: the diagram takes the whole screen (full screen when the
// browser allows it), its text drawn at 18 px or more, request dots larger and
// slower (on top of the dot size and speed chosen, whose controls stay), and
// the last command with its output as a caption under it, readable from the
// back of a room. `?projector=1` opens a room (a student's fork, say) straight
// in this mode.

import { PAIR_GAP } from "./layout.js";
import { whoLabel } from "./roles.js";

// The diagram's smallest text is 11 px (the badge's 10 px is raised to 11 in this
// mode): drawn at this scale or more, every word is at least 18 px tall.
export const PROJECTOR_SCALE = 18 / 11;
// A large screen may draw it larger still, as far as its height allows.
const PROJECTOR_MAX_SCALE = 2.6;
const DOT_SIZE = 1.8;
const DOT_PACE = 2; // twice as slow as the speed chosen
const LAYER_GAP = 20; // between the diagram's columns (42 otherwise): more room for the text
const CAPTION_LINES = 6;
const BADGE_WIDTH = 62; // the Service type's pill, in diagram units (diagram.js)

export class Projector {
  constructor(root, diagram, dots, page) {
    this.root = root;
    this.diagram = diagram;
    this.dots = dots;
    this.page = page; // {redraw()}
    this.on = false;
    this.toggle = document.querySelector("[data-projector-toggle]");
    this.caption = root.querySelector("[data-caption]");
    this.toggle?.addEventListener("click", () => this.set(!this.on, true));
    this.exit = root.querySelector("[data-projector-exit]");
    this.exit?.addEventListener("click", () => this.set(false, true));
    diagram.addEventListener("drawn", () => {
      if (this.on) this.squeezeBadges();
    });
    if (root.hasAttribute("data-projector")) this.set(true, false);
  }

  set(on, asked) {
    this.on = on;
    document.body.classList.toggle("projector", on);
    this.toggle?.setAttribute("aria-pressed", String(on));
    if (this.exit) this.exit.hidden = !on; // no hidden tab stop off the projector
    this.diagram.minScale = on ? PROJECTOR_SCALE : 1;
    this.diagram.maxScale = on ? PROJECTOR_MAX_SCALE : 1.6;
    this.diagram.layouter.gap = on ? LAYER_GAP : PAIR_GAP;
    this.dots.size = on ? DOT_SIZE : 1;
    this.dots.pace = on ? DOT_PACE : 1;
    this.caption.hidden = !on || !this.caption.dataset.shown;
    if (!on) {
      for (const text of this.diagram.svg.querySelectorAll(".badge text[textLength]")) text.removeAttribute("textLength");
    }
    // Full screen needs the user's click; a page opened with ?projector=1 fills the window.
    if (asked && on && document.fullscreenEnabled && !document.fullscreenElement) {
      document.documentElement.requestFullscreen().catch(() => {});
    } else if (asked && !on && document.fullscreenElement) {
      document.exitFullscreen().catch(() => {});
    }
    this.page.redraw();
  }

  // The last command anyone ran, and the start of its output.
  show(command, who = null) {
    const text = (command.output || [["out", command.stdout], ["err", command.stderr]])
      .map(([, t]) => t || "")
      .join("");
    const lines = text.split("\n").filter((line, i, all) => line || i < all.length - 1);
    const more = lines.length > CAPTION_LINES ? `\n… ${lines.length - CAPTION_LINES}` : "";
    this.caption.querySelector("[data-caption-line]").textContent =
      `$ ${command.line}${who ? `   # ${whoLabel(who)}` : ""}`;
    this.caption.querySelector("[data-caption-output]").textContent = lines.slice(0, CAPTION_LINES).join("\n") + more;
    this.caption.dataset.shown = "1";
    this.caption.hidden = !this.on;
  }

  // The Service type's pill is sized for 10 px text: at 11 px a long type is squeezed in.
  squeezeBadges() {
    for (const text of this.diagram.svg.querySelectorAll(".badge text")) {
      if (!text.hasAttribute("textLength") && text.getComputedTextLength() > BADGE_WIDTH) {
        text.setAttribute("textLength", String(BADGE_WIDTH));
        text.setAttribute("lengthAdjust", "spacingAndGlyphs");
      }
    }
  }
}
