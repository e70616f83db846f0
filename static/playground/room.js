// A room: the diagram, request dots, terminal, traffic panel, inspector,
// clock and manifests, all fed by one websocket. Data flows one way: the
// server's snapshot and frames update the model; the model is drawn.
// A class on top: roles.js (who may act), follow.js (follow the presenter),
// projector.js (projector mode), classroom.js (the Class panel).

import { Classroom } from "./classroom.js";
import { Convert } from "./convert.js";
import { Diagram } from "./diagram.js";
import { Dots } from "./dots.js";
import { NextChange } from "./next_change.js";
import { setupEditors } from "./editor.js";
import { Follow } from "./follow.js";
import { LessonPanel } from "./lessons.js";
import { ReachabilityPanel } from "./matrix.js";
import { Topology } from "./model.js";
import { Projector } from "./projector.js";
import { Rights, noteText, whoLabel } from "./roles.js";
import { RoomSocket } from "./socket.js";
import { Terminal } from "./terminal.js";
import { Traffic, shellQuote } from "./traffic.js";
import { gettext, interpolate } from "./i18n.js";
import { word } from "./reasons.js";
import { say } from "./words.js";

const root = document.querySelector("[data-room]");
const code = root.dataset.room;
const socket = new RoomSocket(code);
const model = new Topology();
const scroller = root.querySelector("[data-diagram]");
const diagram = new Diagram(scroller, model, root.dataset.elkWorker);
const clock = { time: 0, at: performance.now(), playing: false, speed: 1 };
const simNow = () => (clock.playing ? clock.time + ((performance.now() - clock.at) / 1000) * clock.speed : clock.time);
const dots = new Dots(root.querySelector("[data-dots]"), scroller, diagram, simNow);
const terminal = new Terminal(root.querySelector("[data-terminal]"), socket);
const traffic = new Traffic(root.querySelector("#panel-traffic"), socket, model, terminal);
const convert = new Convert(root, model, terminal);
const reachability = new ReachabilityPanel(root.querySelector("#panel-reachability"), socket, terminal, model);
const nextChange = new NextChange(document.querySelector("[data-next-change]"), model, terminal, () => clock.time);
const rights = new Rights(root, socket);
const page = {
  tab: () => currentTab(),
  selectTab: (name) => selectTab(document.getElementById(`tab-${name}`)),
  inspected: () => inspected,
  inspect: (target) => inspect(target, false),
  redraw: () => {
    if (model.version) redraw();
  },
};
const follow = new Follow(root, socket, diagram, rights, page);
const projector = new Projector(root, diagram, dots, page);
new Classroom(root, socket, rights, terminal);
// A follower without the floor may not fast-forward the clock either.
nextChange.mayAct = () => rights.canAct;
rights.addEventListener("change", () => nextChange.paint());
const lessonRoot = root.querySelector("[data-lesson]");
const lesson = lessonRoot ? new LessonPanel(lessonRoot, socket, terminal) : null;
const stats = { drawMs: 0, frames: 0, lastDelayMs: 0, snapshots: 0, drawn: 0 };
let tickMs = 62;

// For the curious (and the benchmarks): the live objects, from the console.
window.kubeplay = {
  socket, model, diagram, dots, stats, lesson, rights, follow, reachability, traffic, wordReason: word,
  get fps() {
    return dots.fps;
  },
};

// -- connection status ---------------------------------------------------------------

const status = document.querySelector("[data-status]");
const STATUS = {
  connecting: gettext("connecting…"),
  connected: gettext("connected"),
  reconnecting: gettext("reconnecting…"),
  gone: gettext("no such room"),
};
socket.addEventListener("status", (event) => {
  status.textContent = STATUS[event.detail] || event.detail;
  status.dataset.state = event.detail === "connected" ? "ok" : "warn";
});
socket.addEventListener("servererror", (event) => {
  terminal.print(interpolate(gettext("Server: %(message)s"), { message: event.detail.message }), "err");
});

// -- drawing -------------------------------------------------------------------------

function redraw() {
  diagram.render();
  traffic.refresh();
  convert.refresh();
  nextChange.paint();
}

diagram.addEventListener("drawn", (event) => {
  stats.drawMs = event.detail.ms;
  stats.layoutMs = event.detail.layoutMs;
  stats.drawn += 1;
  if (stats.snapshotStarted && !stats.firstDrawMs) {
    stats.firstDrawMs = performance.now() - stats.snapshotStarted;
    stats.drawnAt = performance.now();
    stats.firstQuick = event.detail.quick;
  }
  // ELK's layout drawn (at once, or after the quick first layout).
  if (stats.snapshotStarted && !event.detail.quick && !stats.elkDrawMs) {
    stats.elkDrawMs = performance.now() - stats.snapshotStarted;
    stats.elkLayoutMs = event.detail.layoutMs;
  }
  document.body.dataset.drawn = String(stats.drawn);
});
diagram.addEventListener("failed", (event) =>
  terminal.print(interpolate(gettext("The diagram could not be laid out: %(error)s"), { error: event.detail }), "err"),
);

new ResizeObserver(() => {
  if (model.version) redraw();
}).observe(scroller);

root.querySelector("[data-show-system]").addEventListener("change", (event) => {
  diagram.showSystem = event.target.checked;
  redraw();
});
const grouping = root.querySelector("[data-grouping]");
// ?pods=off|on|auto picks how pods are drawn from the first paint (a link can carry it).
const askedGrouping = new URLSearchParams(location.search).get("pods");
if ([...grouping.options].some((option) => option.value === askedGrouping)) {
  grouping.value = askedGrouping;
  diagram.grouping = askedGrouping;
}
grouping.addEventListener("change", () => {
  diagram.grouping = grouping.value;
  redraw();
});

socket.addEventListener("snapshot", (event) => {
  const m = event.detail;
  const started = performance.now();
  stats.snapshots += 1;
  stats.snapshotAt = started; // ms since the page began to load
  stats.snapshotStarted = started;
  stats.firstDrawMs = 0;
  stats.elkDrawMs = 0;
  tickMs = 1000 / (m.tickHz || 16);
  model.load(m);
  setClock(m.clock);
  traffic.setStreams(m.streams || []);
  traffic.setTotals(m.hits);
  redraw();
  stats.snapshotMs = performance.now() - started;
  fillTry();
  document.body.dataset.seq = String(socket.seq);
  // A new connection starts with nothing inspected on the server: ask again.
  if (inspected) socket.notify({ type: "inspect", ...inspected });
});

socket.addEventListener("frame", (event) => {
  const f = event.detail;
  stats.frames += 1;
  stats.lastDelayMs = Date.now() - f.at;
  if ("nextChange" in f) model.nextChange = f.nextChange;
  if (f.probes) model.probesRan(f.probes);
  if (f.changes) {
    model.apply(f.changes);
    if (f.changes.suggestions) fillTry();
  }
  // Probe counts show on the chips: a probe that ran redraws them (the layout is cached).
  if (f.changes || f.probes) redraw();
  else if ("nextChange" in f) nextChange.paint();
  if (f.clock) setClock(f.clock);
  else syncTime(f.time);
  if (f.streams) traffic.setStreams(f.streams);
  traffic.record(f);
  const traces = f.traces || [];
  const arrivals = traces.map((trace, i) => dots.add(trace, (i * tickMs) / traces.length));
  const mine = (f.commands || []).some((command) => command.by === socket.viewer);
  // A command of this viewer's answers in the terminal when its requests' dots arrive.
  if (mine && arrivals.length) terminal.answerAt(Math.max(...arrivals));
  for (const command of f.commands || []) {
    if (command.by !== socket.viewer) {
      terminal.echo(command, interpolate(gettext("run by %(who)s"), { who: whoLabel(command.who) }));
    }
    projector.show(command, command.who);
  }
  // Changes that are not commands (the clock, streams, a rewind), with who made them.
  for (const note of f.notes || []) {
    terminal.print(`# ${noteText(note)}`, "hint");
  }
  document.body.dataset.seq = String(socket.seq);
});

// -- clock ---------------------------------------------------------------------------

const clockToggle = document.querySelector("[data-clock-toggle]");
const clockSpeed = document.querySelector("[data-clock-speed]");
const clockTime = document.querySelector("[data-clock-time]");

function setClock(state) {
  clock.time = state.time;
  clock.at = performance.now();
  clock.playing = state.playing;
  clock.speed = state.speed;
  clockToggle.setAttribute("aria-pressed", String(state.playing));
  clockToggle.textContent = state.playing ? gettext("Pause") : gettext("Play");
  clockToggle.setAttribute("aria-label", state.playing ? gettext("Pause the clock") : gettext("Play the clock"));
  clockSpeed.value = String(state.speed);
  if (clockSpeed.value !== String(state.speed)) {
    for (const option of clockSpeed.options) {
      if (Number(option.value) === state.speed) option.selected = true;
    }
  }
  paintTime();
}

function syncTime(time) {
  clock.time = time;
  clock.at = performance.now();
}

function paintTime() {
  const t = simNow();
  clockTime.textContent = `t = ${t < 100 ? t.toFixed(1) : Math.round(t)} s`;
}

setInterval(paintTime, 100);
clockToggle.addEventListener("click", () => {
  socket.notify({ type: "clock", action: clock.playing ? "pause" : "play" });
});
clockSpeed.addEventListener("change", () => {
  socket.notify({ type: "clock", action: "speed", speed: Number(clockSpeed.value) });
});

// -- tabs ----------------------------------------------------------------------------

const tabs = [...document.querySelectorAll('[role="tab"]')];

function selectTab(tab) {
  if (!tab) return;
  for (const other of tabs) {
    const selected = other === tab;
    other.setAttribute("aria-selected", String(selected));
    other.tabIndex = selected ? 0 : -1;
    document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
  }
  // The matrix wants room: the side panel widens while it shows.
  const matrixShown = tab.id === "tab-reachability";
  root.classList.toggle("wide-side", matrixShown);
  reachability.setOpen(matrixShown);
  follow.changed();
}

function currentTab() {
  const tab = tabs.find((t) => t.getAttribute("aria-selected") === "true");
  return tab ? tab.id.replace(/^tab-/, "") : "traffic";
}

for (const tab of tabs) {
  tab.addEventListener("click", () => selectTab(tab));
  tab.addEventListener("keydown", (event) => {
    const i = tabs.indexOf(tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = tabs[(next + tabs.length) % tabs.length];
    selectTab(target);
    target.focus();
  });
}

// -- inspector -----------------------------------------------------------------------

// The server sends the inspector of the chosen object (its own partial), then again
// right after each frame that changes what it shows: no timer, no second read.
const inspector = document.getElementById("inspector");
let inspected = null; // {kind, namespace, name}
let held = null; // an inspector that arrived while someone was typing into this one

function inspect(target, focusPanel = true) {
  inspected = target;
  held = null;
  socket.notify({ type: "inspect", ...target });
  if (focusPanel) selectTab(document.getElementById("tab-inspector"));
  follow.changed();
}

const typing = () => inspector.contains(document.activeElement) && document.activeElement.matches("input");

function showInspector(message) {
  held = null;
  inspector.innerHTML = message.html;
}

socket.addEventListener("inspector", (event) => {
  const m = event.detail;
  const wanted = inspected && m.kind === inspected.kind && m.name === inspected.name
    && (m.kind === "Node" || m.namespace === inspected.namespace);
  if (!wanted) return; // an answer about an object no longer chosen
  // Someone typing into the inspector (a label) keeps their text until they leave it.
  if (typing()) held = m;
  else showInspector(m);
});

inspector.addEventListener("focusout", (event) => {
  if (held && !inspector.contains(event.relatedTarget)) showInspector(held);
});

diagram.addEventListener("select", (event) => inspect(event.detail));

inspector.addEventListener("click", (event) => {
  const button = event.target.closest("[data-command]");
  if (button) terminal.run(button.dataset.command);
});
inspector.addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  if (form.dataset.scale) {
    terminal.run(`${form.dataset.scale} --replicas=${Number(form.replicas.value)}`);
  } else if (form.dataset.label) {
    const label = form.label.value.trim();
    if (label) terminal.run(`${form.dataset.label} ${shellQuote(label)} --overwrite`);
  }
});
// `kubectl edit` opens the object in the Manifests panel; a projector shows the last command.
terminal.onResult = (result) => {
  if (result.edit) editObject(result.edit);
  projector.show(result);
};

// -- manifests -----------------------------------------------------------------------

setupEditors();
const manifestsPanel = document.getElementById("panel-manifests");
// The apply result stays until the learner types again: a validation of text typed
// before the click (sent 300 ms after the last keystroke) may answer after it.
let lastInputAt = 0;
let appliedAt = 0;
manifestsPanel.addEventListener("input", () => {
  lastInputAt = performance.now();
});
manifestsPanel.addEventListener("htmx:beforeSwap", (event) => {
  if (appliedAt > lastInputAt) event.detail.shouldSwap = false;
});
manifestsPanel.querySelector("[data-apply]").addEventListener("click", async () => {
  const text = manifestsPanel.querySelector("textarea").value;
  const result = await terminal.run("kubectl apply -f -", text);
  if (result && result.problemsHtml) {
    appliedAt = performance.now();
    // The server's problems list, as validation as you type swaps it in.
    manifestsPanel.querySelector(".problems").outerHTML = result.problemsHtml;
    setupEditors();
  }
});

// `kubectl edit`: the object's YAML replaces the room's manifests in the editor until the
// learner goes back; Apply sends it with `kubectl apply -f -` like any manifest.
const editBanner = manifestsPanel.querySelector("[data-editing]");
let roomManifests = null;

function setEditorText(text) {
  const textarea = manifestsPanel.querySelector("textarea");
  textarea.value = text;
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
}

function editObject(edit) {
  if (roomManifests === null) roomManifests = manifestsPanel.querySelector("textarea").value;
  setEditorText(edit.yaml);
  editBanner.querySelector("[data-editing-ref]").textContent = edit.ref;
  editBanner.hidden = false;
  selectTab(document.getElementById("tab-manifests"));
  manifestsPanel.querySelector("textarea").focus();
}

editBanner.querySelector("[data-editing-done]").addEventListener("click", () => {
  editBanner.hidden = true;
  if (roomManifests !== null) setEditorText(roomManifests);
  roomManifests = null;
});

// -- commands to try -----------------------------------------------------------------

const trySelect = root.querySelector("[data-try]");
const exampleCommands = JSON.parse(document.getElementById("example-commands")?.textContent || '""') || [];
const examplePodSelector = JSON.parse(document.getElementById("pod-selector")?.textContent || '""');
const roomTitle = document.querySelector("[data-room-title]");

// A built-in example keeps the commands of its notes; any other room gets commands and a
// title from its own objects (the simulator's suggestions, kept current by frames).
function fillTry() {
  const { commands, title, titleWords } = model.suggestions;
  if (!exampleCommands.length) {
    const options = [new Option(gettext("Try…"), "")];
    for (const line of commands || []) {
      const option = new Option(line, line);
      option.lang = "en";
      options.push(option);
    }
    trySelect.replaceChildren(...options);
    // A lesson's title stays; otherwise the room is named after its objects.
    if (!lesson) roomTitle.textContent = say(titleWords, title || "");
  }
}

function fillPlaceholders(line) {
  const podSelector = exampleCommands.length ? examplePodSelector : model.suggestions.podSelector || "";
  const running = model.list("pods").filter((p) => p.phase === "Running" && !model.isSystem(p.namespace));
  const wanted = podSelector.split(",").filter(Boolean).map((kv) => kv.split("="));
  const pod = running.find((p) => wanted.every(([k, v]) => p.labels && p.labels[k] === v)) || running[0];
  const worker = model.list("nodes").find((n) => !(n.roles || []).includes("control-plane"));
  const controlPlane = model.list("nodes").find((n) => (n.roles || []).includes("control-plane"));
  const lb = model.list("services").find((s) => s.loadBalancerIP);
  return line
    .replaceAll(/\bPOD\b/g, pod ? pod.name : "POD")
    .replaceAll(/\bNODE_IP\b/g, worker ? worker.ip : "NODE_IP")
    .replaceAll(/\bCONTROL_PLANE_IP\b/g, controlPlane ? controlPlane.ip : "CONTROL_PLANE_IP")
    .replaceAll(/\bEXTERNAL_IP\b/g, lb ? lb.loadBalancerIP : "EXTERNAL_IP");
}

if (trySelect) {
  trySelect.addEventListener("change", () => {
    if (!trySelect.value) return;
    const input = root.querySelector("[data-terminal-input]");
    input.value = fillPlaceholders(trySelect.value);
    trySelect.value = "";
    input.focus();
  });
}

// -- share ---------------------------------------------------------------------------

const dialog = document.querySelector("[data-share]");
document.querySelector("[data-share-open]").addEventListener("click", () => {
  dialog.showModal();
  dialog.querySelector("[data-share-url]").select();
});
dialog.querySelector("[data-share-close]").addEventListener("click", () => dialog.close());
dialog.querySelector("[data-share-copy]").addEventListener("click", async (event) => {
  const input = dialog.querySelector("[data-share-url]");
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    event.target.textContent = gettext("Copied");
  } catch {
    event.target.textContent = gettext("Press Ctrl+C to copy");
  }
});

// -- keyboard: the room gets focus after Simulate; a skip link past the diagram ----------

const heading = document.querySelector("[data-room-heading]");
if (document.activeElement === document.body) heading.focus();
root.querySelector("[data-skip-inspector]").addEventListener("click", (event) => {
  event.preventDefault();
  selectTab(document.getElementById("tab-inspector"));
  const target = inspector.querySelector(".actions button, .actions input, .actions select") || inspector;
  if (target === inspector) inspector.tabIndex = -1;
  target.focus();
});

// -- request dots: size and speed, kept in this browser -------------------------------

const dotSize = root.querySelector("[data-dot-size]");
const dotSpeed = root.querySelector("[data-dot-speed]");
const saved = JSON.parse(localStorage.getItem("kubeplay-dots") || "{}");
if (saved.size) dotSize.value = saved.size;
if (saved.speed) dotSpeed.value = saved.speed;
function dotStyle() {
  dots.setStyle(dotSize.value, dotSpeed.value);
  localStorage.setItem("kubeplay-dots", JSON.stringify({ size: dotSize.value, speed: dotSpeed.value }));
}
dotSize.addEventListener("change", dotStyle);
dotSpeed.addEventListener("change", dotStyle);
dotStyle();

socket.connect();
