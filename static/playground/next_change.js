// "Next change": the simulator says when the cluster next changes by itself
// (a readiness probe reaching its threshold, another scheduled step) and
// what changes; the button moves the clock there with `sleep N`, a command
// the learner could type, so the room's log stays commands only.

import { gettext, interpolate } from "./i18n.js";
import { say } from "./words.js";

// Seconds to sleep from `now` to reach `at`: rounded up to the millisecond, so the clock
// lands on the change or just after it, never just before.
export function sleepFor(at, now) {
  return Math.max(0.001, Math.ceil((at - now) * 1000 + 1) / 1000);
}

export class NextChange {
  constructor(button, model, terminal, serverTime) {
    this.button = button;
    this.model = model;
    this.terminal = terminal;
    this.serverTime = serverTime; // the clock as the server last reported it
    this.mayAct = () => true; // whether this browser may change the room (roles.js)
    button.addEventListener("click", () => {
      const change = this.model.nextChange;
      if (!change) return;
      // From the last time the server reported: a clock that played on since only
      // shortens the wait, so `sleep` never stops short of the change.
      this.terminal.run(`sleep ${sleepFor(change.at, this.serverTime())}`);
    });
  }

  paint() {
    const change = this.model.nextChange;
    this.button.disabled = !change || !this.mayAct();
    if (!change) {
      this.button.textContent = gettext("Next change");
      this.button.title = gettext("Nothing will change by itself: change something first");
      this.button.setAttribute("aria-label", gettext("Next change: nothing will change by itself"));
      return;
    }
    const at = change.at < 100 ? change.at.toFixed(1) : Math.round(change.at);
    const what = say(change.words, change.what);
    this.button.textContent = interpolate(gettext("Next change: t = %(at)s s"), { at });
    this.button.title = interpolate(gettext("Fast-forward (sleep) to t = %(at)s s: %(what)s"), { at, what });
    this.button.setAttribute("aria-label", interpolate(gettext("Fast-forward to t = %(at)s s: %(what)s"), { at, what }));
  }
}
