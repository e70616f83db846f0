// Requests as dots travelling along the drawn edges of their trace's hops,
// drawn on a canvas that covers the visible part of the diagram (moving SVG
// elements would cost a layout per dot per frame). A failed request stops at
// its last hop in red with its reason; one a NetworkPolicy dropped stops where
// the policy holds it (the pod, or the sender for egress) and names the
// policies. Probed pods get a ring that fills up until the next probe, and the
// seconds left. Dot size and speed are the learner's (kept in the browser).

import { gettext, interpolate } from "./i18n.js";
import { MONO } from "./names.js";
import { nextProbeText } from "./pods.js";
import { outcomeText } from "./reasons.js";

const FAIL_HOLD_MS = 2600;
const ARRIVE_MS = 380;
const MAX_DOTS = 600;
export const DOT_SIZES = { small: 3, medium: 4.5, large: 7 };
export const DOT_SPEEDS = { slow: 140, normal: 360, fast: 1000 }; // CSS pixels a second

// The label of a dot a NetworkPolicy stopped: the policies, and which side's.
export function droppedText(trace) {
  const { policies, direction } = trace.blocked;
  const status = trace.status ? `${trace.status} · ` : "";
  const words = direction === "ingress" ? gettext("dropped by %(policies)s (ingress)") : gettext("dropped by %(policies)s (egress)");
  return status + interpolate(words, { policies: policies.join(", ") });
}

export class Dots {
  constructor(canvas, scroller, diagram, clock) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.scroller = scroller;
    this.diagram = diagram;
    this.clock = clock; // () => simulated seconds now
    this.dots = [];
    this.flashes = [];
    this.probeSeen = new Map(); // pod key -> successes+failures last drawn
    this.radius = DOT_SIZES.medium;
    this.speed = DOT_SPEEDS.normal;
    // Projector mode's knobs (projector.js), on top of the learner's size and speed: dots
    // `size` times larger (and their marks), `pace` times slower.
    this.size = 1;
    this.pace = 1;
    this.frames = 0;
    this.fps = 0;
    this.fpsSince = performance.now();
    this.resize();
    new ResizeObserver(() => this.resize()).observe(scroller);
    requestAnimationFrame((now) => this.loop(now));
  }

  resize() {
    const w = this.scroller.clientWidth;
    const h = this.scroller.clientHeight;
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.dpr = dpr;
  }

  setStyle(size, speed) {
    this.radius = DOT_SIZES[size] || DOT_SIZES.medium;
    this.speed = DOT_SPEEDS[speed] || DOT_SPEEDS.normal;
  }

  // Add a trace's dot; `delay` spreads the requests of one frame over the tick. Returns
  // when (performance.now() time) the dot reaches its last hop.
  add(trace, delay = 0) {
    // The boxes passed, each with the row it is passed at (a Gateway's listener, a rule); a
    // request a NetworkPolicy dropped stops at the hop where the policy holds it.
    const blocked = trace.blocked;
    const hops = blocked ? (trace.hops || []).slice(0, blocked.at + 1) : trace.hops || [];
    const stops = [];
    for (const hop of hops) {
      for (const stop of this.diagram.hopStops(hop)) {
        const last = stops[stops.length - 1];
        if ((!last || last.id !== stop.id) && this.diagram.anchor(stop.id)) stops.push(stop);
      }
    }
    if (!stops.length) return performance.now() + delay;
    let points = [this.diagram.anchor(stops[0].id, stops[0].port)];
    for (let i = 0; i + 1 < stops.length; i += 1) {
      const [a, b] = [stops[i], stops[i + 1]];
      points = points.concat(this.diagram.path(a.id, b.id, a.port, b.port).slice(1));
    }
    const lengths = [0];
    for (let i = 1; i < points.length; i += 1) {
      lengths.push(lengths[i - 1] + Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y));
    }
    const total = lengths[lengths.length - 1];
    const duration = points.length > 1 ? Math.min(8000 * this.pace, Math.max(300, (total / this.speed) * 1000 * this.pace)) : 1;
    if (this.dots.length >= MAX_DOTS) this.dots.shift();
    const ok = trace.outcome === "ok";
    const start = performance.now() + delay;
    this.dots.push({
      points, lengths, total, start, duration, ok,
      warn: trace.outcome === "http_error" && trace.status && trace.status < 500,
      reason: ok ? "" : blocked ? droppedText(trace) : outcomeText(trace),
      servedBy: trace.served_by,
    });
    return start + duration;
  }

  get inFlight() {
    return this.dots.length;
  }

  loop(now) {
    this.frames += 1;
    if (now - this.fpsSince >= 1000) {
      this.fps = (this.frames * 1000) / (now - this.fpsSince);
      this.frames = 0;
      this.fpsSince = now;
    }
    this.draw(now);
    requestAnimationFrame((n) => this.loop(n));
  }

  draw(now) {
    const ctx = this.ctx;
    const pods = this.diagram.probedPods();
    // Nothing moves and nothing was drawn: leave the canvas alone (clearing it every
    // frame costs the page as much as drawing a room).
    const idle = !this.dots.length && !pods.length && !this.flashes.length;
    if (idle && this.blank) return;
    this.blank = idle;
    const sx = this.scroller.scrollLeft;
    const sy = this.scroller.scrollTop;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, -sx * this.dpr, -sy * this.dpr);
    ctx.clearRect(sx, sy, this.canvas.width / this.dpr, this.canvas.height / this.dpr);
    this.drawProbes(now, pods);
    const keep = [];
    for (const dot of this.dots) {
      const t = now - dot.start;
      if (t < 0) {
        keep.push(dot);
        continue;
      }
      const hold = (dot.ok ? ARRIVE_MS : FAIL_HOLD_MS) * this.pace;
      const r = this.size;
      if (t > dot.duration + hold) continue;
      keep.push(dot);
      const p = this.position(dot, Math.min(t, dot.duration));
      if (t <= dot.duration) {
        ctx.beginPath();
        ctx.fillStyle = dot.ok ? "#1f6feb" : dot.warn ? "#d97706" : "#dc2626";
        ctx.arc(p.x, p.y, this.radius * r, 0, Math.PI * 2);
        ctx.fill();
      } else if (dot.ok) {
        const k = (t - dot.duration) / hold;
        ctx.beginPath();
        ctx.strokeStyle = `rgba(22, 163, 74, ${1 - k})`;
        ctx.lineWidth = 2 * r;
        ctx.arc(p.x, p.y, (6 + 16 * k) * r, 0, Math.PI * 2);
        ctx.stroke();
      } else {
        const fade = 1 - Math.max(0, (t - dot.duration - hold + 600) / 600);
        ctx.globalAlpha = fade;
        ctx.beginPath();
        ctx.fillStyle = "#dc2626";
        ctx.arc(p.x, p.y, 7 * r, 0, Math.PI * 2);
        ctx.fill();
        ctx.strokeStyle = "#fff";
        ctx.lineWidth = 2 * r;
        ctx.beginPath();
        ctx.moveTo(p.x - 3 * r, p.y - 3 * r);
        ctx.lineTo(p.x + 3 * r, p.y + 3 * r);
        ctx.moveTo(p.x + 3 * r, p.y - 3 * r);
        ctx.lineTo(p.x - 3 * r, p.y + 3 * r);
        ctx.stroke();
        ctx.font = `600 ${Math.round(12 * r)}px system-ui, sans-serif`;
        const w = ctx.measureText(dot.reason).width;
        ctx.fillStyle = "rgba(255,255,255,0.92)";
        ctx.fillRect(p.x + 10 * r, p.y - 9 * r, w + 8 * r, 18 * r);
        ctx.fillStyle = "#b91c1c";
        ctx.fillText(dot.reason, p.x + 14 * r, p.y + 4 * r);
        ctx.globalAlpha = 1;
      }
    }
    this.dots = keep;
  }

  // Where a dot is `t` ms after it set off: the same distance along its path per ms.
  position(dot, t) {
    const pts = dot.points;
    if (pts.length === 1 || !dot.total) return pts[0];
    const d = (t / dot.duration) * dot.total;
    let i = 1;
    while (i < pts.length - 1 && dot.lengths[i] < d) i += 1;
    const span = dot.lengths[i] - dot.lengths[i - 1] || 1;
    const k = Math.min(1, Math.max(0, (d - dot.lengths[i - 1]) / span));
    return { x: pts[i - 1].x + (pts[i].x - pts[i - 1].x) * k, y: pts[i - 1].y + (pts[i].y - pts[i - 1].y) * k };
  }

  drawProbes(now, pods) {
    this.probeLabels = [];
    if (!pods.length) return;
    const simNow = this.clock();
    const ctx = this.ctx;
    const labels = this.probeLabels;
    for (const pod of pods) {
      const { periodSeconds, initialDelaySeconds, startedAt } = pod.probe;
      const [successes, failures] = pod.counts;
      const first = startedAt + initialDelaySeconds;
      let k;
      let left;
      if (simNow < first) {
        k = initialDelaySeconds > 0 ? 1 - (first - simNow) / initialDelaySeconds : 0;
        left = first - simNow;
      } else {
        k = ((simNow - first) % periodSeconds) / periodSeconds;
        left = periodSeconds * (1 - k);
      }
      // The seconds until the next probe, at the end of the probe line, in the chip's own
      // font and scale: the chip keeps this room free (pods.js), so at any zoom the two
      // never overlap. Where it went is kept for tests (`probeLabels`).
      const label = nextProbeText(Math.ceil(left));
      ctx.font = `${11 * pod.scale}px ${MONO}`;
      ctx.fillStyle = "#334155";
      ctx.textAlign = "right";
      ctx.fillText(label, pod.textX, pod.textY);
      ctx.textAlign = "start";
      const width = ctx.measureText(label).width;
      labels.push({ key: pod.key, text: label, x: pod.textX - width, y: pod.textY - 9 * pod.scale, w: width, h: 11 * pod.scale });
      const count = successes + failures;
      const seen = this.probeSeen.get(pod.key);
      if (seen !== undefined && seen !== count) {
        this.flashes.push({ key: pod.key, at: now, ok: successes > 0 && failures === 0 });
      }
      this.probeSeen.set(pod.key, count);
      // The ring, at the chip's scale like its texts (pods.js keeps its corner free); its
      // square, stroke included, is kept for tests like the labels.
      const r = 6 * pod.scale;
      const outer = r + 1.5 * pod.scale;
      labels.push({ key: pod.key, text: "ring", x: pod.x - outer, y: pod.y - outer, w: 2 * outer, h: 2 * outer });
      ctx.beginPath();
      ctx.strokeStyle = "rgba(100, 116, 139, 0.35)";
      ctx.lineWidth = 3 * pod.scale;
      ctx.arc(pod.x, pod.y, r, 0, Math.PI * 2);
      ctx.stroke();
      ctx.beginPath();
      ctx.strokeStyle = failures > 0 || successes === 0 ? "#d97706" : "#16a34a";
      ctx.arc(pod.x, pod.y, r, -Math.PI / 2, -Math.PI / 2 + k * Math.PI * 2);
      ctx.stroke();
      const flash = this.flashes.find((f) => f.key === pod.key);
      if (flash) {
        const a = 1 - (now - flash.at) / 600;
        if (a > 0) {
          ctx.beginPath();
          ctx.strokeStyle = flash.ok ? `rgba(22,163,74,${a})` : `rgba(217,119,6,${a})`;
          ctx.lineWidth = 2;
          ctx.arc(pod.x, pod.y, r + (2 + 8 * (1 - a)) * pod.scale, 0, Math.PI * 2);
          ctx.stroke();
        }
      }
    }
    this.flashes = this.flashes.filter((f) => now - f.at < 600);
  }
}
