// How each kind of box looks: SVG, redrawn only when what it shows changed
// (its signature). Everything that can be cut shows its whole text on hover
// (`<title>`) and to screen readers (`aria-label`).

import { FONTS, fit, textWidth } from "./names.js";

const SVG_NS = "http://www.w3.org/2000/svg";

export function svg(tag, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (parent) parent.appendChild(el);
  return el;
}

export function signature(box) {
  return [box.text || box.title, box.sub, box.state, box.badge, box.cordoned, box.empty, box.w, box.h, box.probeLine,
    (box.lines || []).join(","), (box.rows || []).map((r) => `${r.text}>${r.service}`).join(","), box.label].join("|");
}

const STATE_CLASSES = ["cordoned", "empty", "group"];

// Draw `box` into its element `el` (a <g>); returns the outline rect.
export function drawBox(el, box) {
  el.replaceChildren();
  for (const cls of [...el.classList]) {
    if (cls.startsWith("state-") || STATE_CLASSES.includes(cls)) el.classList.remove(cls);
  }
  el.classList.add("item", `kind-${box.kind}`);
  if (box.state) el.classList.add(`state-${box.state}`);
  for (const cls of STATE_CLASSES) if (box[cls]) el.classList.add(cls);
  if (box.object) {
    el.dataset.object = box.object;
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "button");
  } else {
    delete el.dataset.object;
    el.removeAttribute("tabindex");
    el.setAttribute("role", box.label ? "img" : "presentation");
  }
  if (box.label) {
    el.setAttribute("aria-label", box.label);
    svg("title", {}, el).textContent = box.label;
  }
  const outline = svg("rect", { class: "box", width: box.w, height: box.h, rx: box.kind === "pod" ? 7 : 6 }, el);
  if (box.object) svg("rect", { class: "focus-ring", x: -4, y: -4, width: box.w + 8, height: box.h + 8, rx: 9 }, el);
  // The texts show (parts of) the label, which is what assistive technology reads.
  const text = (x, y, value, cls) => {
    const t = svg("text", { x, y, class: cls, "aria-hidden": "true" }, el);
    t.textContent = value;
    return t;
  };
  switch (box.kind) {
    case "pod": {
      const mark = { ready: "✓", mixed: "◐", notready: "✗", terminating: "⏻" }[box.state] || "…";
      text(8, 15, `${mark} ${box.text || box.title}`, "title");
      text(8, 30, fit(box.sub, box.w - 14), "sub");
      if (box.probeLine) text(8, 45, fit(box.probeLine, box.w - 14), `sub probe${box.probeLine.includes("✗") ? " failing" : ""}`);
      break;
    }
    case "node": {
      // One text (name, a space, address and roles), so it reads as the label says.
      const title = fit(box.title, box.w / 2, FONTS.title);
      const line = svg("text", { x: 10, y: 21, "aria-hidden": "true" }, el);
      svg("tspan", { class: "title" }, line).textContent = `${title} `;
      const rest = box.w - 28 - textWidth(title, FONTS.title);
      svg("tspan", { class: "sub", dx: 6 }, line).textContent = fit(box.sub || "", rest);
      break;
    }
    case "band":
      break;
    case "service": {
      text(10, 17, fit(box.heading, box.w - 16, FONTS.title), "title");
      const badge = svg("g", { class: "badge", transform: `translate(${box.w - 72},22)` }, el);
      svg("rect", { width: 66, height: 15, rx: 7.5 }, badge);
      const b = svg("text", { x: 33, y: 11, "text-anchor": "middle" }, badge);
      b.textContent = fit(box.badge || "", 62, FONTS.badge);
      text(10, 33, fit(box.sub, box.w - 84), "sub");
      (box.lines || []).forEach((line, i) => text(10, 49 + 15 * i, fit(line, box.w - 16), "line"));
      break;
    }
    case "ingress": {
      text(10, 17, fit(box.heading, box.w - 44, FONTS.title), "title");
      if (box.sub) text(box.w - 34, 17, "TLS", "sub tls");
      box.rows.forEach((row, i) => text(10, 36 + 17 * i + 10, fit(row.text, box.w - 16), row.tls ? "line rule tls-rule" : "line rule"));
      break;
    }
    case "endpoints":
      text(10, 19, fit(box.heading, box.w - 16, FONTS.title), "title");
      box.sub.split(" · ").forEach((line, i) => text(10, 36 + 14 * i, fit(line, box.w - 16), "sub"));
      break;
    case "external":
      text(8, 17, fit(box.title, box.w - 12), "sub");
      break;
    default:
      text(10, 19, fit(box.title, box.w - 16, FONTS.title), "title");
      if (box.sub) text(10, 36, fit(box.sub, box.w - 16), "sub");
  }
  return outline;
}

// An SVG path through a route's points.
export function pathOf(points) {
  return points.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
}
