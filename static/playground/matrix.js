// The reachability panel: who can reach whom on which port under the room's
// NetworkPolicies, as the server computes it (`matrix` messages, sent again
// after each change that may move it). Rows are sources, columns destination
// ports grouped by workload (or pod); a cell passes (✓) or is dropped by the
// destination's ingress (✗ at the target), the source's egress (✗ as it
// leaves), or both. Clicking a cell runs its request in the terminal, so the
// trace shows which policy holds it.

import { gettext, interpolate, ngettext } from "./i18n.js";

const STATES = {
  o: { text: "✓", words: gettext("passes") },
  i: { text: "✗", words: gettext("dropped by the destination's ingress policies") },
  e: { text: "✗", words: gettext("dropped by the source's egress policies") },
  b: { text: "✗", words: gettext("dropped by both the source's egress and the destination's ingress policies") },
};

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

const label = (group) => (group.namespace === "default" ? group.name : `${group.namespace}/${group.name}`);

// A generated name cut in the middle, where it says least (web-6d8579b749-qvcsc → web-6d…-qvcsc).
function short(name, max = 18) {
  return name.length <= max ? name : `${name.slice(0, Math.ceil(max / 2) - 1)}…${name.slice(-Math.floor(max / 2))}`;
}

// A header cell's content: the short name (all of it in the tooltip), then the marks.
function heading(cell, group, marks) {
  cell.append(el("span", { class: "name", title: label(group) }, short(group.name)), marks);
  if (group.namespace !== "default") cell.prepend(el("span", { class: "ns" }, `${short(group.namespace, 14)}/`));
}

export class ReachabilityPanel {
  constructor(panel, socket, terminal, model) {
    this.panel = panel;
    this.socket = socket;
    this.terminal = terminal;
    this.model = model;
    this.view = panel.querySelector("[data-matrix-view]");
    this.table = panel.querySelector("[data-matrix]");
    this.summary = panel.querySelector("[data-matrix-summary]");
    this.open = false;
    this.data = null;
    this.view.addEventListener("change", () => this.ask());
    this.table.addEventListener("click", (event) => {
      const cell = event.target.closest("button[data-command]");
      if (cell) this.terminal.run(cell.dataset.command);
    });
    socket.addEventListener("matrix", (event) => {
      if (this.open && event.detail.view === this.view.value) this.show(event.detail.matrix);
    });
    // A new connection starts with nothing open on the server: ask again.
    socket.addEventListener("snapshot", () => {
      if (this.open) this.ask();
    });
  }

  // The panel was shown (true) or hidden (false): the server sends the matrix only
  // while someone looks at it.
  setOpen(open) {
    if (open === this.open) return;
    this.open = open;
    if (open) this.ask();
    else this.socket.notify({ type: "matrix" });
  }

  ask() {
    this.socket.notify({ type: "matrix", view: this.view.value });
  }

  show(data) {
    this.data = data;
    const groups = data.groups;
    const isolated = groups.filter((g) => g.isolated.ingress.length || g.isolated.egress.length).length;
    const slots = groups.reduce((n, g) => n + g.ports.length, 0);
    let dropped = 0;
    for (const row of data.rows) dropped += [...row].filter((c) => c !== "o").length;
    const counted = data.byPod
      ? ngettext("%(count)s pod", "%(count)s pods", groups.length)
      : ngettext("%(count)s workload", "%(count)s workloads", groups.length);
    this.summary.textContent = interpolate(
      gettext("%(groups)s, %(isolated)s isolated by a NetworkPolicy; %(dropped)s of %(pairs)s source-port pairs dropped."),
      { groups: interpolate(counted, { count: groups.length }), isolated, dropped, pairs: groups.length * slots },
    );

    const head1 = el("tr");
    head1.append(el("th", { scope: "col", rowspan: "2", class: "corner" }, gettext("from ↓  to →")));
    const head2 = el("tr");
    for (const group of groups) {
      if (!group.ports.length) continue;
      const th = el("th", { scope: "colgroup", colspan: String(group.ports.length), class: "dst" });
      heading(th, group, this.marks(group));
      if (this.model.isSystem(group.namespace)) th.classList.add("system");
      head1.append(th);
      for (const port of group.ports) head2.append(el("th", { scope: "col", class: "port" }, port.port));
    }
    const thead = el("thead");
    thead.append(head1, head2);
    const tbody = el("tbody");
    data.rows.forEach((row, i) => {
      const src = groups[i];
      const tr = el("tr");
      const th = el("th", { scope: "row", class: "src" });
      heading(th, src, this.marks(src));
      if (this.model.isSystem(src.namespace)) th.classList.add("system");
      tr.append(th);
      for (const dst of groups) {
        dst.ports.forEach((port, k) => {
          const state = row[dst.first + k];
          const td = el("td", { class: `cell state-${state}` });
          const words = interpolate(gettext("%(src)s to %(dst)s port %(port)s: %(state)s"), {
            src: label(src), dst: label(dst), port: port.port, state: STATES[state].words,
          })
            + (state === "i" || state === "b" ? ` (${dst.isolated.ingress.join(", ")})` : "")
            + (state === "e" || state === "b" ? ` (${src.isolated.egress.join(", ")})` : "");
          if (port.request) {
            const button = el("button", {
              type: "button", "data-command": `${src.exec} ${port.request}`,
              title: interpolate(gettext("%(words)s. Click to send it."), { words }), "aria-label": words,
            }, STATES[state].text);
            td.append(button);
          } else {
            const title = interpolate(gettext("%(words)s (no request to send to %(port)s)"), { words, port: port.port });
            td.append(el("span", { title, "aria-label": words }, STATES[state].text));
          }
          tr.append(td);
        });
      }
      tbody.append(tr);
    });
    this.table.replaceChildren(thead, tbody);
  }

  // Small marks after a name: isolated for ingress (⇥) and egress (↦).
  marks(group) {
    const span = el("span", { class: "marks" });
    if (group.isolated.ingress.length) {
      const title = interpolate(gettext("isolated for ingress by %(policies)s"), { policies: group.isolated.ingress.join(", ") });
      span.append(el("abbr", { class: "iso-in", title }, gettext("in")));
    }
    if (group.isolated.egress.length) {
      const title = interpolate(gettext("isolated for egress by %(policies)s"), { policies: group.isolated.egress.join(", ") });
      span.append(el("abbr", { class: "iso-out", title }, gettext("out")));
    }
    return span;
  }
}
