// The traffic panel: send one request or start a stream, from the host or a
// pod to a target the cluster offers; per-pod hit counters and a live chart
// of how the load spreads over the last seconds.

import { droppedText } from "./dots.js";
import { gettext, interpolate, ngettext } from "./i18n.js";
import { outcomeText, reasonText } from "./reasons.js";
import { say } from "./words.js";

const CHART_SECONDS = 30;
const SHARE_SECONDS = 10;

export function shellQuote(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

// The command a learner would type for one request.
export function curlCommand(url, source) {
  // -sS: no progress meter, but errors shown (a learner needs "Could not resolve host").
  const flags = url.startsWith("https:") ? "-sSk" : "-sS";
  const curl = `curl ${flags} ${shellQuote(url)}`;
  if (source === "host") return curl;
  const [, namespace, name] = source.split("/");
  return `kubectl exec ${name} -n ${namespace} -- ${curl}`;
}

// A target's label in this page's language, from the parts the server sends.
function targetLabel(t) {
  const formats = {
    ingress: gettext("%(address)s (Ingress %(name)s)"),
    "ingress-default": gettext("%(address)s (Ingress %(name)s default)"),
    httproute: gettext("%(address)s (HTTPRoute %(name)s)"),
    externalname: gettext("%(name)s (ExternalName)"),
    nodeport: gettext("%(address)s (NodePort of %(name)s)"),
    loadbalancer: gettext("%(address)s (LoadBalancer %(name)s)"),
    service: gettext("%(address)s (Service)"),
  };
  return t.kind in formats ? interpolate(formats[t.kind], t) : t.label;
}

// Distinct colours for the pods of a chart, in order of first appearance.
const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
  "#7f7f7f", "#bcbd22", "#17becf"];
const colors = new Map();

function colorFor(name) {
  if (!colors.has(name)) colors.set(name, PALETTE[colors.size % PALETTE.length]);
  return colors.get(name);
}

export class Traffic {
  constructor(root, socket, model, terminal) {
    this.root = root;
    this.socket = socket;
    this.model = model;
    this.terminal = terminal;
    this.form = root.querySelector("[data-traffic]");
    this.sourceSelect = root.querySelector("[data-source]");
    this.targetSelect = root.querySelector("[data-targets]");
    this.urlInput = root.querySelector("[data-url]");
    this.rateInput = root.querySelector("[data-rate]");
    this.streamList = root.querySelector("[data-streams]");
    this.hitList = root.querySelector("[data-hits]");
    this.requestList = root.querySelector("[data-requests]");
    this.chart = root.querySelector("[data-chart]");
    this.totals = new Map();
    this.buckets = []; // [{second, counts: Map}]
    this.recent = [];
    this.dirty = false;
    this.targetsVersion = "";
    this.sourcesVersion = "";
    this.chosenFirst = false; // the first request the simulator suggests, chosen once
    this.why = root.querySelector("[data-target-why]");
    this.nothing = root.querySelector("[data-nothing]");
    this.targetSelect.addEventListener("change", () => this.matchSource());
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.sendOne();
    });
    root.querySelector("[data-stream-start]").addEventListener("click", () => this.startStream());
    root.querySelector("[data-hits-reset]").addEventListener("click", () => {
      this.totals.clear();
      this.buckets = [];
      this.dirty = true;
    });
    this.streamList.addEventListener("click", (event) => {
      const button = event.target.closest("[data-stop]");
      if (button) this.socket.notify({ type: "traffic", action: "stop", stream: button.dataset.stop });
    });
    setInterval(() => this.paint(), 250);
  }

  source() {
    return this.sourceSelect.value || "host";
  }

  target() {
    return this.urlInput.value.trim() || this.targetSelect.value;
  }

  sendOne() {
    const url = this.target();
    if (!url) {
      this.nothing.hidden = false;
      this.nothing.focus();
      return;
    }
    this.terminal.run(curlCommand(url, this.source()));
  }

  startStream() {
    const url = this.target();
    const rate = Number(this.rateInput.value);
    if (!url) {
      this.nothing.hidden = false;
      this.nothing.focus();
      return;
    }
    if (!(rate > 0)) return;
    this.socket.notify({ type: "traffic", action: "start", url, source: this.source(), rate });
  }

  // Targets and sources follow the cluster.
  refresh() {
    const targets = this.model.targets;
    const version = JSON.stringify(targets);
    if (version !== this.targetsVersion) {
      this.targetsVersion = version;
      const chosen = this.targetSelect.value;
      const groups = new Map();
      for (const t of targets) {
        if (!groups.has(t.group)) groups.set(t.group, []);
        groups.get(t.group).push(t);
      }
      const nodes = [];
      for (const [group, list] of groups) {
        const optgroup = document.createElement("optgroup");
        optgroup.label = group === "Service" ? gettext("Service names (from a pod)") : group;
        for (const t of list) optgroup.appendChild(new Option(targetLabel(t), t.url, false, t.url === chosen));
        nodes.push(optgroup);
      }
      this.targetSelect.replaceChildren(...nodes);
    }
    const pods = this.model.list("pods").filter((p) => p.phase === "Running" && !this.model.isSystem(p.namespace));
    const sources = pods.map((p) => `pod/${p.namespace}/${p.name}`).sort();
    const sourcesVersion = sources.join(",");
    if (sourcesVersion !== this.sourcesVersion) {
      this.sourcesVersion = sourcesVersion;
      const chosen = this.source();
      const options = [new Option(gettext("your computer (host)"), "host")];
      for (const s of sources) {
        const label = interpolate(gettext("pod %(name)s"), { name: s.split("/")[2] });
        options.push(new Option(label, s, false, s === chosen));
      }
      this.sourceSelect.replaceChildren(...options);
      if (sources.includes(chosen)) this.sourceSelect.value = chosen;
    }
    const first = this.model.requests.first;
    if (!this.chosenFirst && first && (first.from === "host" || sources.length)) {
      this.chosenFirst = true;
      this.targetSelect.value = first.url;
      this.matchSource();
    }
    this.explain();
  }

  chosenTarget() {
    return this.model.targets.find((t) => t.url === this.targetSelect.value) || null;
  }

  // A URL that only works from inside the cluster gets a pod as its source (one in the
  // target's namespace when there is one), and one that only the host resolves gets the host.
  matchSource() {
    const target = this.chosenTarget();
    if (!target) return;
    const current = this.source();
    if (target.from === "host" && current !== "host" && target.group === "Ingress") {
      this.sourceSelect.value = "host";
    } else if (target.from === "pod" && current === "host") {
      const pods = [...this.sourceSelect.options].map((o) => o.value).filter((v) => v !== "host");
      const same = pods.find((v) => v.split("/")[1] === target.namespace);
      if (same || pods[0]) this.sourceSelect.value = same || pods[0];
    }
    this.explain();
  }

  // Why the chosen request works from where it is sent; what to add when there is nothing.
  explain() {
    const { missing, waiting, missingWords, waitingWords, first } = this.model.requests;
    const target = this.chosenTarget();
    let text = target ? say(target.whyWords, target.why) : "";
    if (target && first && target.url === first.url && waiting) {
      text = `${text} ${say(waitingWords, waiting)}`;
    }
    this.why.textContent = text;
    this.why.hidden = !text;
    this.nothing.textContent = say(missingWords, missing);
    this.nothing.hidden = !missing;
  }

  setStreams(streams) {
    const items = streams.map((s) => {
      const li = document.createElement("li");
      const from = s.source === "host" ? gettext("host") : s.source.split("/").pop();
      const label = document.createElement("span");
      label.textContent = `${s.rate}/s ${from} → ${s.url}`;
      const stop = document.createElement("button");
      stop.type = "button";
      stop.dataset.stop = s.id;
      stop.textContent = gettext("Stop");
      stop.setAttribute("aria-label", interpolate(gettext("Stop stream %(rate)s/s to %(url)s"), { rate: s.rate, url: s.url }));
      li.append(label, stop);
      return li;
    });
    this.streamList.replaceChildren(...items);
    this.streamList.hidden = items.length === 0;
  }

  setTotals(hits) {
    this.totals = new Map(Object.entries(hits || {}));
    this.dirty = true;
  }

  // A frame's traces and per-pod hits.
  record(frame) {
    if (frame.hits) {
      const second = Math.floor(performance.now() / 1000);
      let bucket = this.buckets[this.buckets.length - 1];
      if (!bucket || bucket.second !== second) {
        bucket = { second, counts: new Map() };
        this.buckets.push(bucket);
        while (this.buckets.length > CHART_SECONDS) this.buckets.shift();
      }
      for (const [pod, n] of Object.entries(frame.hits)) {
        this.totals.set(pod, (this.totals.get(pod) || 0) + n);
        bucket.counts.set(pod, (bucket.counts.get(pod) || 0) + n);
      }
      this.dirty = true;
    }
    for (const trace of frame.traces || []) {
      this.recent.push(trace);
      this.dirty = true;
    }
    if (this.recent.length > 8) this.recent = this.recent.slice(-8);
  }

  paint() {
    if (!this.dirty) return;
    this.dirty = false;
    const nowSecond = Math.floor(performance.now() / 1000);
    const share = new Map();
    let shareTotal = 0;
    for (const b of this.buckets) {
      if (nowSecond - b.second >= SHARE_SECONDS) continue;
      for (const [pod, n] of b.counts) {
        share.set(pod, (share.get(pod) || 0) + n);
        shareTotal += n;
      }
    }
    const rows = [...this.totals.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([pod, total]) => {
      const li = document.createElement("li");
      const pct = shareTotal ? Math.round((100 * (share.get(pod) || 0)) / shareTotal) : 0;
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colorFor(pod);
      const name = document.createElement("span");
      name.className = "pod";
      name.textContent = pod;
      const count = document.createElement("span");
      count.className = "count";
      count.textContent = String(total);
      const bar = document.createElement("span");
      bar.className = "bar";
      bar.style.setProperty("--share", `${pct}%`);
      bar.title = interpolate(gettext("%(percent)s%% of the last %(seconds)s s"), { percent: pct, seconds: SHARE_SECONDS });
      li.append(swatch, name, bar, count);
      li.setAttribute(
        "aria-label",
        interpolate(ngettext("%(pod)s: %(count)s hit, %(percent)s%% recently", "%(pod)s: %(count)s hits, %(percent)s%% recently", total), {
          pod, count: total, percent: pct,
        }),
      );
      return li;
    });
    this.hitList.replaceChildren(...rows);
    this.paintChart(nowSecond);
    const items = this.recent.slice().reverse().map((t) => {
      const li = document.createElement("li");
      const ok = t.outcome === "ok";
      li.className = ok ? "ok" : "fail";
      const from = t.source === "host" ? gettext("host") : t.source.split("/").pop();
      const status = t.status ? `${t.status} ` : "";
      const result = ok ? `${status}${t.served_by || "ok"}` : t.blocked ? droppedText(t) : outcomeText(t);
      li.textContent = `${ok ? "✓" : "✗"} ${from} → ${t.url}: ${result}`;
      if (!ok || t.reason) {
        const reason = document.createElement("small");
        const { text, lang } = reasonText(t);
        reason.lang = lang;
        reason.textContent = text;
        li.appendChild(reason);
      }
      return li;
    });
    this.requestList.replaceChildren(...items);
  }

  paintChart(nowSecond) {
    const canvas = this.chart;
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const max = Math.max(1, ...this.buckets.map((b) => [...b.counts.values()].reduce((a, n) => a + n, 0)));
    const barW = w / CHART_SECONDS;
    for (const b of this.buckets) {
      const age = nowSecond - b.second;
      if (age >= CHART_SECONDS) continue;
      const x = w - (age + 1) * barW;
      let y = h;
      for (const [pod, n] of [...b.counts.entries()].sort()) {
        const bh = (n / max) * (h - 4);
        ctx.fillStyle = colorFor(pod);
        ctx.fillRect(x + 1, y - bh, barW - 2, bh);
        y -= bh;
      }
    }
    canvas.setAttribute(
      "aria-label",
      interpolate(gettext("Requests per second by pod, last %(seconds)s s (peak %(peak)s/s)"), { seconds: CHART_SECONDS, peak: max }),
    );
  }
}
