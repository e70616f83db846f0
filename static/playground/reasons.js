// Why a request went where it went, in this page's language. The simulator says a
// trace's reason as a sentence under a key with its values (simulator/reasons.py);
// frames carry them as `reasonWords` beside the English `reason`, and the room page
// holds every such sentence already translated (the `reason-sentences` JSON, from
// Django's catalogue), in the simulator's `{name}` form. A value is a name, an
// address, a number or a tool's own words (kept as they are), or another sentence.

import { gettext } from "./i18n.js";

let table = null;

function sentences() {
  if (table === null) {
    const data = document.getElementById("reason-sentences");
    table = data ? JSON.parse(data.textContent) : {};
  }
  return table;
}

// `{name}` filled from `values`; `{name!c}` with its first letter capitalised (a
// sentence starts with it); `{{` and `}}` are braces, as in Python's str.format.
export function fill(sentence, values) {
  return sentence.replace(/\{\{|\}\}|\{(\w+)(!c)?\}/g, (match, name, capital) => {
    if (match === "{{") return "{";
    if (match === "}}") return "}";
    const value = String(values[name] ?? "");
    return capital ? value.charAt(0).toUpperCase() + value.slice(1) : value;
  });
}

// The sentence `said` ({key, values} or {parts}) in this page's words; null when a key
// is not in the page's table (a page older than the server that sent it).
export function word(said, known = sentences()) {
  if (said.parts) {
    const parts = said.parts.map((part) => word(part, known));
    if (parts.includes(null) || !("then" in known)) return null;
    return parts.reduce((first, then) => fill(known.then, { first, then }));
  }
  const sentence = known[said.key];
  if (sentence === undefined) return null;
  const values = {};
  for (const [name, value] of Object.entries(said.values)) {
    values[name] = typeof value === "object" && value !== null ? word(value, known) : value;
    if (values[name] === null) return null;
  }
  return fill(sentence, values);
}

// A trace's reason as the page shows it: `{text, lang}`, the simulator's English
// (lang "en") when the page cannot word it.
export function reasonText(trace) {
  const worded = trace.reasonWords ? word(trace.reasonWords) : null;
  if (worded === null) return { text: trace.reason || "", lang: "en" };
  return { text: worded, lang: document.documentElement.lang };
}

// A trace's outcome (CONTRACT.md's words) as a short label for a failed request.
const OUTCOMES = {
  // Translators: a request's outcome, after its HTTP status if it has one ("503 http_error").
  http_error: gettext("http_error"),
  refused: gettext("refused"),
  timeout: gettext("timeout"),
  dns_error: gettext("dns_error"),
  tls_error: gettext("tls_error"),
  unreachable: gettext("unreachable"),
};

export function outcomeText(trace) {
  const status = trace.status ? `${trace.status} ` : "";
  return `${status}${OUTCOMES[trace.outcome] ?? trace.outcome}`;
}
