// Words the room's scripts put together, in the page's language: the server
// renders them into <script type="application/json" id="phrases"> (views.py,
// PHRASES), with {placeholders} filled in here.

const element = document.getElementById("phrases");
const PHRASES = element ? JSON.parse(element.textContent) : {};

export function phrase(key, values = {}) {
  const text = PHRASES[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

// How frames name a participant ({role, number, name}): "presenter", "follower 3 (Li)".
export function whoLabel(who) {
  if (!who || !who.role) return phrase("someone");
  const base = who.role === "presenter" ? phrase("presenter") : phrase(who.role, { n: who.number });
  return who.name ? `${base} (${who.name})` : base;
}
