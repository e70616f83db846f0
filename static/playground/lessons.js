// A lesson room's panel: the server's `lesson` messages say which step is current
// and which of its checks hold; this ticks them, opens the current step, and runs
// the step's buttons: hints (shown here, one at a time), "show me" (the server
// runs the solution's commands as commands of this viewer, which everyone sees)
// and "reset this step" (the server rewinds the room to where the step began).

import { gettext, interpolate } from "./i18n.js";

export class LessonPanel {
  constructor(root, socket, terminal) {
    this.root = root;
    this.socket = socket;
    this.terminal = terminal;
    this.steps = [...root.querySelectorAll("[data-step]")];
    this.progress = root.querySelector("[data-lesson-progress]");
    this.done = root.querySelector("[data-lesson-done]");
    this.state = null;
    socket.addEventListener("lesson", (event) => this.show(event.detail));
    root.addEventListener("click", (event) => this.click(event));
  }

  show(message) {
    const previous = this.state;
    this.state = message;
    const finished = message.finished;
    this.steps.forEach((li, i) => {
      const state = finished || i < message.step ? "done" : i === message.step ? "current" : "todo";
      li.dataset.state = state;
      li.querySelector("[data-step-state]").textContent = {
        done: gettext("(done)"),
        current: gettext("(current step)"),
        todo: gettext("(to do)"),
      }[state];
      for (const check of li.querySelectorAll("[data-check]")) {
        const passed = state === "done" || (state === "current" && Boolean(message.checks[check.dataset.check]));
        check.dataset.passed = String(passed);
        check.querySelector("[data-check-state]").textContent = passed ? gettext("done") : gettext("not yet");
      }
      for (const button of li.querySelectorAll("button")) {
        button.disabled = state !== "current";
      }
    });
    if (!previous || previous.step !== message.step) {
      // The current step opens; the one just done (or, on load, every other step) closes.
      this.steps.forEach((li, i) => {
        const details = li.querySelector("details");
        if (i === message.step) details.open = true;
        else if (!previous || i === previous.step) details.open = false;
      });
      const current = this.steps[message.step];
      if (current && previous) current.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
    this.done.hidden = !finished;
    this.progress.textContent = finished
      ? gettext("All steps done.")
      : interpolate(gettext("Step %(step)s of %(steps)s"), { step: message.step + 1, steps: message.steps });
  }

  click(event) {
    const button = event.target.closest("button");
    if (!button || button.disabled) return;
    const li = button.closest("[data-step]");
    const step = Number(li.dataset.step);
    if (button.matches("[data-hint-next]")) this.hint(li, button);
    else if (button.matches("[data-show-me]")) this.showMe(step, button);
    else if (button.matches("[data-reset-step]")) this.reset(step, button);
  }

  hint(li, button) {
    const hidden = [...li.querySelectorAll("[data-hint][hidden]")];
    if (hidden.length) hidden[0].hidden = false;
    if (hidden.length <= 1) {
      button.textContent = gettext("No more hints");
      button.setAttribute("aria-disabled", "true");
    } else {
      button.textContent = gettext("Another hint");
    }
  }

  async showMe(step, button) {
    button.disabled = true;
    try {
      const reply = await this.socket.request({ type: "lesson", action: "show", step });
      for (const result of reply.results) this.terminal.shown(result);
    } catch (error) {
      this.terminal.print(error.message, "err");
    } finally {
      button.disabled = !this.state || this.state.step !== step;
    }
  }

  async reset(step, button) {
    const question = gettext(
      "Reset this step? The room goes back to how it was when the step began, for everyone in it.",
    );
    if (!window.confirm(question)) return;
    button.disabled = true;
    try {
      await this.socket.request({ type: "lesson", action: "reset", step });
      this.terminal.print(gettext("The step was reset: the room is as it was when the step began."), "hint");
    } catch (error) {
      this.terminal.print(error.message, "err");
    } finally {
      button.disabled = !this.state || this.state.step !== step;
    }
  }
}
