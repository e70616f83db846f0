// A terminal that runs CONTRACT.md command lines (kubectl, curl, nslookup,
// ping, sleep) in the room, with history. Every button of the playground goes
// through it too, so learners see the command behind each action.

const MAX_LINES = 4000;
const HELP = `Commands run in the simulated cluster, for example:
  kubectl get pods -o wide          kubectl describe svc NAME
  kubectl get endpoints             kubectl scale deploy NAME --replicas=3
  kubectl label pod NAME app=x      kubectl exec POD -- curl -s http://SERVICE
  curl -s http://HOST/PATH          nslookup NAME   ping -c 1 HOST   sleep 10
Here only: clear, history, help. Up and down arrows walk the history.
`;

export class Terminal {
  constructor(root, socket) {
    this.output = root.querySelector("[data-terminal-output]");
    this.form = root.querySelector("[data-terminal-form]");
    this.input = root.querySelector("[data-terminal-input]");
    this.socket = socket;
    this.history = [];
    this.cursor = 0;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const line = this.input.value.trim();
      this.input.value = "";
      if (line) this.run(line);
    });
    this.input.addEventListener("keydown", (event) => this.key(event));
    this.print("Commands run in the simulated cluster; everyone in the room sees their effects. Type help.", "hint");
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
    } else {
      return;
    }
    event.preventDefault();
  }

  print(text, cls) {
    if (!text) return;
    const span = document.createElement("span");
    span.className = cls;
    span.textContent = text.endsWith("\n") ? text : `${text}\n`;
    this.output.appendChild(span);
    while (this.output.childNodes.length > MAX_LINES) this.output.firstChild.remove();
    this.output.scrollTop = this.output.scrollHeight;
  }

  remember(line) {
    if (this.history[this.history.length - 1] !== line) this.history.push(line);
    if (this.history.length > 200) this.history.shift();
    this.cursor = this.history.length;
  }

  // Run a command line (with optional stdin); resolves with the server's result.
  async run(line, stdin = "") {
    this.remember(line);
    const shown = stdin ? `${line} <<EOF  # ${stdin.split("\n").length} lines of YAML` : line;
    this.print(`$ ${shown}`, "prompt");
    if (line === "clear") {
      this.output.replaceChildren();
      return null;
    }
    if (line === "help") {
      this.print(HELP, "out");
      return null;
    }
    if (line === "history") {
      this.print(this.history.map((h, i) => `${String(i + 1).padStart(4)}  ${h}`).join("\n"), "out");
      return null;
    }
    try {
      const result = await this.socket.request({ type: "command", line, stdin });
      this.print(result.stdout, "out");
      this.print(result.stderr, "err");
      return result;
    } catch (error) {
      this.print(error.message, "err");
      return null;
    }
  }

  // Commands other viewers of the room ran (from frames).
  echo(command) {
    this.print(`$ ${command.line}   # run by another viewer`, "prompt other");
    this.print(command.stdout, "out other");
    this.print(command.stderr, "err other");
  }
}
