// A terminal that runs command lines on the learner's simulated workstation
// (kubectl, curl, pipes into grep...) with history. Every button of the
// playground goes through it too, so learners see the command behind each action.
//
// An interactive shell in a pod (`kubectl exec -it POD -- sh`) is a mode of
// this terminal: the server answers with a session (prompt and command
// prefix); each line typed at the pod's prompt is sent as the full command
// `kubectl exec POD -- sh -c 'LINE'`, so the room's log holds real commands
// and other viewers see what ran. `exit`, Ctrl-C, Ctrl-D, a lost connection
// or the pod going away end the session.

import { gettext, interpolate, ngettext } from "./i18n.js";
import { shellQuote } from "./traffic.js";

const MAX_LINES = 4000;
const EXAMPLES = `  kubectl get pods -o wide          kubectl describe svc NAME | grep Endpoints
  kubectl get endpoints             kubectl scale deploy NAME --replicas=3
  kubectl exec -it POD -- sh        kubectl exec POD -- env | grep SERVICE
  curl -s http://HOST/PATH          nslookup NAME   ping -c 1 HOST   sleep 10
  alias k=kubectl                   openssl genrsa -out tls.key 2048`;

function help() {
  return [
    gettext("Commands run on your simulated workstation, next to the cluster, for example:"),
    EXAMPLES,
    gettext("Pipes (| grep, head, tail, wc -l, sort, tr, cut, awk), ; && || and > FILE work."),
    gettext("Here only: clear, history, help. Up and down arrows walk the history."),
    "",
  ].join("\n");
}

const PLACEHOLDER = () => gettext("kubectl get pods -o wide   (type help)");

// "# N lines of YAML" after a command that reads manifests from stdin.
function yamlLines(stdin) {
  const count = stdin.split("\n").length;
  return interpolate(ngettext("%(count)s line of YAML", "%(count)s lines of YAML", count), { count });
}

export class Terminal {
  constructor(root, socket) {
    this.output = root.querySelector("[data-terminal-output]");
    this.form = root.querySelector("[data-terminal-form]");
    this.input = root.querySelector("[data-terminal-input]");
    this.promptLabel = root.querySelector(".prompt");
    this.socket = socket;
    this.history = [];
    this.cursor = 0;
    this.onResult = null;
    this.session = null;
    this.arrival = 0; // when the dots of this viewer's last command reach their pods
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const line = this.input.value.trim();
      this.input.value = "";
      if (this.session) this.sessionLine(line);
      else if (line) this.run(line);
    });
    this.input.addEventListener("keydown", (event) => this.key(event));
    socket.addEventListener("status", (event) => {
      if (event.detail !== "connected" && this.session) this.leave(gettext("the connection to the room was lost"));
    });
    this.print(gettext("Commands run in the simulated cluster; everyone in the room sees their effects. Type help."), "hint");
  }

  key(event) {
    if (event.key === "ArrowUp" && this.cursor > 0) {
      this.cursor -= 1;
      this.input.value = this.history[this.cursor];
    } else if (event.key === "ArrowDown" && this.cursor < this.history.length) {
      this.cursor += 1;
      this.input.value = this.history[this.cursor] ?? "";
    } else if (event.key === "l" && event.ctrlKey) {
      this.output.replaceChildren();
    } else if (event.key === "c" && event.ctrlKey && this.session && this.input.selectionStart === this.input.selectionEnd) {
      this.print(`${this.session.prompt}${this.input.value}^C`, "prompt");
      this.input.value = "";
      this.leave();
    } else if (event.key === "d" && event.ctrlKey && this.session && !this.input.value) {
      this.leave();
    } else {
      return;
    }
    event.preventDefault();
  }

  print(text, cls) {
    if (!text) return;
    const span = document.createElement("span");
    span.className = cls;
    // The terminal speaks English (kubectl, curl); the playground's own notes speak the page's language.
    if (cls === "hint") span.lang = document.documentElement.lang;
    span.textContent = text.endsWith("\n") ? text : `${text}\n`;
    this.output.appendChild(span);
    while (this.output.childNodes.length > MAX_LINES) this.output.firstChild.remove();
    this.output.scrollTop = this.output.scrollHeight;
  }

  // stdout and stderr in the order the program wrote them (`output`), each in its colour.
  printResult(result, extra = "") {
    const pieces = result.output || [["out", result.stdout], ["err", result.stderr]];
    for (const [stream, text] of pieces) this.print(text, `${stream === "err" ? "err" : "out"}${extra}`);
  }

  remember(line) {
    if (this.history[this.history.length - 1] !== line) this.history.push(line);
    if (this.history.length > 200) this.history.shift();
    this.cursor = this.history.length;
  }

  // Run a command line (with optional stdin); resolves with the server's result.
  async run(line, stdin = "") {
    this.remember(line);
    const shown = stdin ? `${line} <<EOF  # ${yamlLines(stdin)}` : line;
    this.print(`$ ${shown}`, "prompt");
    if (line === "clear") {
      this.output.replaceChildren();
      return null;
    }
    if (line === "help") {
      this.print(help(), "out");
      return null;
    }
    if (line === "history") {
      this.print(this.history.map((h, i) => `${String(i + 1).padStart(4)}  ${h}`).join("\n"), "out");
      return null;
    }
    return this.send(line, stdin);
  }

  // The dots of the command just run arrive at `when` (performance.now() time): its answer
  // is printed then, as a real curl answers once the request has made its way.
  answerAt(when) {
    this.arrival = when;
  }

  async waitForDots(result) {
    const wait = this.arrival - performance.now();
    this.arrival = 0;
    if (result.traces && wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 8000)));
  }

  async send(line, stdin = "") {
    try {
      this.arrival = 0;
      const result = await this.socket.request({ type: "command", line, stdin });
      await this.waitForDots(result);
      if (result.edit) {
        const opened = gettext("Opened %(ref)s in the Manifests panel: change it and press Apply.");
        this.print(interpolate(opened, { ref: result.edit.ref }), "hint");
      } else {
        this.printResult(result);
      }
      if (result.session) this.enter(result.session);
      if (this.onResult) this.onResult(result);
      return result;
    } catch (error) {
      this.print(error.message, "err");
      return null;
    }
  }

  // -- an interactive shell in a pod -------------------------------------------------

  enter(session) {
    this.session = session;
    this.promptLabel.textContent = session.prompt.trimEnd();
    this.input.placeholder = interpolate(gettext("a shell in %(pod)s: exit or Ctrl-C to leave"), { pod: session.pod });
    this.output.closest("[data-terminal]").dataset.session = session.pod;
  }

  leave(why = "") {
    const session = this.session;
    if (!session) return;
    this.session = null;
    this.promptLabel.textContent = "$";
    this.input.placeholder = PLACEHOLDER();
    delete this.output.closest("[data-terminal]").dataset.session;
    if (why) this.print(interpolate(gettext("Left the shell in %(pod)s: %(why)s."), { pod: session.pod, why }), "hint");
    if (session.exit) this.run(session.exit);
  }

  async sessionLine(line) {
    const session = this.session;
    this.print(`${session.prompt}${line}`, "prompt");
    if (!line) return;
    this.remember(line);
    if (line === "exit" || line === "logout") {
      this.leave();
      return;
    }
    if (line === "clear") {
      this.output.replaceChildren();
      return;
    }
    try {
      this.arrival = 0;
      const result = await this.socket.request({ type: "command", line: `${session.prefix} ${shellQuote(line)}` });
      await this.waitForDots(result);
      this.printResult(result);
      if (this.onResult) this.onResult(result);
      if (/^Error from server \(NotFound\): pods /.test(result.stderr || "")) this.leave(gettext("the pod is gone"));
    } catch (error) {
      this.print(error.message, "err");
    }
  }

  // A command the server ran for this viewer (a lesson's "show me"), as if typed here.
  shown(result) {
    this.remember(result.line);
    this.print(`$ ${result.line}${result.stdin ? `  # ${yamlLines(result.stdin)}` : ""}`, "prompt");
    this.printResult(result);
    if (this.onResult) this.onResult(result);
  }

  // Commands other viewers of the room ran (from frames), named with who ran them.
  echo(command, who) {
    this.print(`$ ${command.line}   # ${who}`, "prompt other");
    this.printResult(command, " other");
  }
}
