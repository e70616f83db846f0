// How each kind of box looks: SVG, redrawn only when what it shows changed
// (its signature). Everything that can be cut shows its whole text on hover
// (`<title>`) and to screen readers (`aria-label`).

import { gettext, interpolate } from "./i18n.js";
import { FONTS, fit, textWidth } from "./names.js";
import { ROW0, ROW_H } from "./scene_gateways.js";

const SVG_NS = "http://www.w3.org/2000/svg";

export function svg(tag, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (parent) parent.appendChild(el);
  return el;
}

export function signature(box) {
  return [box.text || box.title, box.sub, box.state, box.badge, box.cordoned, box.empty, box.w, box.h, box.probeLine, box.isoIn, box.isoOut,
    (box.lines || []).join(","), (box.rows || []).map((r) => `${r.text}>${r.service}${r.broken}${r.count}${r.note}`).join(","),
    box.spoken, box.detail, box.reason].join("|");
}

const STATE_CLASSES = ["cordoned", "empty", "group", "broken"];

// What assistive technology reads: the kind, then the box's texts as they are shown and
// in the order shown (so the name a speech user reads off the screen is in it, WCAG's
// "label in name"), then what the box does not show; a text cut to fit is added whole.
export function spokenLabel(box, shown, cut) {
  if (!shown.length && !box.detail) return box.spoken || "";
  const [first = "", ...rest] = shown;
  const head = box.spoken ? `${box.spoken} ${first}`.trim() : first;
  const whole = cut.length ? interpolate(gettext("in full: %(texts)s"), { texts: cut.join(", ") }) : "";
  return [head, ...rest, box.detail, whole].filter(Boolean).join(", ");
}

// Draw `box` into its element `el` (a <g>); returns the outline rect.
export function drawBox(el, box) {
  el.replaceChildren();
  for (const cls of [...el.classList]) {
    if (cls.startsWith("state-") || STATE_CLASSES.includes(cls)) el.classList.remove(cls);
  }
  el.classList.add("item", `kind-${box.kind}`);
  if (box.state) el.classList.add(`state-${box.state}`);
  for (const cls of STATE_CLASSES) if (box[cls]) el.classList.add(cls);
  const title = svg("title", {}, el);
  const outline = svg("rect", { class: "box", width: box.w, height: box.h, rx: box.kind === "pod" ? 7 : 6 }, el);
  if (box.object) svg("rect", { class: "focus-ring", x: -4, y: -4, width: box.w + 8, height: box.h + 8, rx: 9 }, el);
  // Every text drawn is collected for the label; the texts themselves are hidden from
  // assistive technology, which reads the label instead.
  const shown = [];
  const cut = [];
  const show = (value, whole = value) => {
    if (value) shown.push(value);
    if (value !== whole) cut.push(whole);
    return value;
  };
  const text = (x, y, whole, width, cls, font = FONTS.sub, value = fit(whole, width, font)) => {
    const t = svg("text", { x, y, class: cls, "aria-hidden": "true" }, el);
    t.textContent = show(value, whole);
    // SVG draws no text outside <text>: this space only keeps words of two texts apart
    // for whatever reads the box's text content.
    el.append(" ");
    return t;
  };
  switch (box.kind) {
    case "pod": {
      // The mark is the state the next text says in words.
      const mark = { ready: "✓", mixed: "◐", notready: "✗", terminating: "⊘" }[box.state] || "…";
      const t = svg("text", { x: 8, y: 15, class: "title", "aria-hidden": "true" }, el);
      t.textContent = `${mark} ${show(box.text || box.title, box.title)}`;
      el.append(" ");
      text(8, 30, box.sub, box.w - 14, "sub");
      // Right of the probe line, the countdown to the next probe (dots.js): kept free.
      if (box.probeLine) text(8, 45, box.probeLine, box.w - 14 - (box.nextW || 0), `sub probe${box.probeFailing ? " failing" : ""}`);
      // A wall on the side traffic comes in by (left) or leaves by (right): a NetworkPolicy
      // isolates the pod for that direction.
      if (box.isoIn) svg("rect", { class: "iso iso-in", x: 0, y: 0, width: 4, height: box.h, rx: 2 }, el);
      if (box.isoOut) svg("rect", { class: "iso iso-out", x: box.w - 4, y: 0, width: 4, height: box.h, rx: 2 }, el);
      break;
    }
    case "node": {
      // One text (name, a space, address and roles).
      const name = fit(box.title, box.w / 2, FONTS.title);
      const line = svg("text", { x: 10, y: 21, "aria-hidden": "true" }, el);
      svg("tspan", { class: "title" }, line).textContent = `${name} `;
      const rest = fit(box.sub || "", box.w - 28 - textWidth(name, FONTS.title));
      svg("tspan", { class: "sub", dx: 6 }, line).textContent = rest;
      show(`${name} ${rest}`.trim(), `${box.title} ${box.sub || ""}`.trim());
      break;
    }
    case "band":
      break;
    case "service": {
      text(10, 17, box.heading, box.w - 16, "title", FONTS.title);
      const badge = svg("g", { class: "badge", transform: `translate(${box.w - 72},22)`, "aria-hidden": "true" }, el);
      svg("rect", { width: 66, height: 15, rx: 7.5 }, badge);
      const b = svg("text", { x: 33, y: 11, "text-anchor": "middle" }, badge);
      b.textContent = show(fit(box.badge || "", 62, FONTS.badge), box.badge || "");
      badge.append(" ");
      text(10, 33, box.sub, box.w - 84, "sub");
      (box.lines || []).forEach((line, i) => text(10, 49 + 15 * i, line, box.w - 16, "line"));
      break;
    }
    case "ingress": {
      text(10, 17, box.heading, box.w - 44, "title", FONTS.title);
      if (box.sub) text(box.w - 34, 17, "TLS", 40, "sub tls");
      box.rows.forEach((row, i) => text(10, 36 + 17 * i + 10, row.text, box.w - 16, row.tls ? "line rule tls-rule" : "line rule"));
      break;
    }
    case "gateway":
    case "httproute":
      drawRows(box, text);
      break;
    case "endpoints":
      text(10, 19, box.heading, box.w - 16, "title", FONTS.title);
      box.sub.split(" · ").forEach((line, i) => text(10, 36 + 14 * i, line, box.w - 16, "sub"));
      break;
    case "external":
      text(8, 17, box.title, box.w - 12, "sub");
      break;
    case "netpol":
      text(10, 17, box.heading, box.w - 16, "title", FONTS.title);
      text(10, 32, box.sub, box.w - 16, "sub");
      text(10, 47, box.lines[0], box.w - 16, "line");
      break;
    default:
      text(10, 19, box.title, box.w - 16, "title", FONTS.title);
      if (box.sub) text(10, 36, box.sub, box.w - 16, "sub");
  }
  const label = spokenLabel(box, shown, cut);
  title.textContent = label;
  if (label) el.setAttribute("aria-label", label);
  else el.removeAttribute("aria-label");
  if (box.object) {
    el.dataset.object = box.object;
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "button");
  } else {
    delete el.dataset.object;
    el.removeAttribute("tabindex");
    el.setAttribute("role", label ? "img" : "presentation");
  }
  if (!label) title.remove();
  return outline;
}

// A Gateway's listeners or an HTTPRoute's rules, a row each: a listener's attached
// routes counted at the right, a refusal or a backend that does not resolve in red with
// its reason (whole on hover).
function drawRows(box, text) {
  text(10, 17, box.heading, box.w - 16, "title", FONTS.title);
  text(10, 31, box.sub, box.w - 16, "sub");
  box.rows.forEach((row, i) => {
    const y = ROW0 + ROW_H * i + 10;
    const cls = row.reason ? "line reason" : `line rule${row.tls ? " tls-rule" : ""}${row.broken ? " broken-rule" : ""}`;
    const t = text(10, y, `${row.broken ? "✗ " : ""}${row.text}`, box.w - (row.count ? 34 : 16), cls);
    if (row.note) svg("title", {}, t).textContent = row.note;
    if (row.count) {
      const count = text(box.w - 8, y, row.count, 30, "sub count");
      count.setAttribute("text-anchor", "end");
    }
  });
  if (box.reason) text(10, ROW0 + ROW_H * box.rows.length + 10, `✗ ${box.reason}`, box.w - 16, "line reason");
}

// An SVG path through a route's points.
export function pathOf(points) {
  return points.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
}
