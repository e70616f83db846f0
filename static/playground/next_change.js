// "Next change": the simulator says when the cluster next changes by itself
// (a readiness probe reaching its threshold, another scheduled step) and
// what changes; the button moves the clock there with `sleep N`, a command
// the learner could type, so the room's log stays commands only.

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
    this.button.disabled = !change;
    if (!change) {
      this.button.textContent = "Next change";
      this.button.title = "Nothing will change by itself: change something first";
      this.button.setAttribute("aria-label", "Next change: nothing will change by itself");
      return;
    }
    const at = change.at < 100 ? change.at.toFixed(1) : Math.round(change.at);
    this.button.textContent = `Next change: t = ${at} s`;
    this.button.title = `Fast-forward (sleep) to t = ${at} s: ${change.what}`;
    this.button.setAttribute("aria-label", `Fast-forward to t = ${at} s: ${change.what}`);
  }
}
