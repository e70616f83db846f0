// Names that fit their boxes without losing what tells siblings apart.
//
// A pod's name is its workload's name, the pod-template hash (Deployments)
// and a random suffix: redis-ds-tolerant-fqqsk, kubia-7d9c5b8f4-x2z4q. Cut in
// the middle, "redis-d…t-fqqsk" no longer says whether the pod is redis-ds's or
// redis-ds-tolerant's. So the hash goes first, then the start of the
// workload's name, keeping its end and the suffix; the full name stays in the
// box's tooltip and accessible label, and in the inspector.

const measurer = document.createElement("canvas").getContext("2d");

// The fonts site.css gives the diagram's texts, measured in the same families (a
// family missing from the list would measure in another face than the one drawn).
const css = getComputedStyle(document.documentElement);
export const MONO = css.getPropertyValue("--mono").trim() || "ui-monospace, monospace";
const SANS = css.fontFamily || "system-ui, sans-serif";
export const FONTS = {
  title: `600 12px ${SANS}`,
  sub: `11px ${MONO}`,
  badge: `600 10px ${SANS}`,
};

const widths = new Map(); // font -> Map(text -> px): a room draws the same names often

export function textWidth(text, font = FONTS.sub) {
  let cache = widths.get(font);
  if (!cache) widths.set(font, (cache = new Map()));
  let w = cache.get(text);
  if (w === undefined) {
    if (cache.size > 20000) cache.clear();
    measurer.font = font;
    w = measurer.measureText(text).width;
    cache.set(text, w);
  }
  return w;
}

// Width of a box that shows `texts` (`[text, font]` pairs) in their fonts, within bounds.
export function widthFor(texts, min, max, pad = 22) {
  let w = 0;
  for (const [text, font] of texts) w = Math.max(w, textWidth(text || "", font));
  return Math.min(max, Math.max(min, Math.ceil(w + pad)));
}

// Cut `text` at its end to `width` pixels: the longest prefix that fits, by bisection.
export function fit(text, width, font = FONTS.sub) {
  if (textWidth(text, font) <= width) return text;
  let lo = 0;
  let hi = text.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(`${text.slice(0, mid)}…`, font) <= width) lo = mid;
    else hi = mid - 1;
  }
  return lo > 1 ? `${text.slice(0, lo)}…` : "…";
}

// A pod's name in three parts: the workload a learner made (`base`), the template
// hash ("" for DaemonSets, ReplicationControllers and bare pods) and the suffix.
export function podParts(name, owner, workloadOwner) {
  if (owner && name.startsWith(`${owner}-`)) {
    const suffix = name.slice(owner.length + 1);
    if (workloadOwner && owner.startsWith(`${workloadOwner}-`)) {
      return { base: workloadOwner, hash: owner.slice(workloadOwner.length + 1), suffix };
    }
    return { base: owner, hash: "", suffix };
  }
  return null;
}

// The pod's name fitted to `width`: the whole name, else without the hash, else the end
// of the workload's name (as long as no other workload in `bases` ends the same way)
// with the suffix, else a cut in the middle.
export function podLabel(name, parts, width, font = FONTS.title, bases = []) {
  if (textWidth(name, font) <= width) return name;
  if (!parts) return middle(name, width, font);
  const { base, hash, suffix } = parts;
  const tail = `${hash ? "-…" : ""}-${suffix}`;
  const whole = `${base}${tail}`;
  if (textWidth(whole, font) <= width) return whole;
  for (let keep = base.length - 1; keep >= 2; keep -= 1) {
    const end = base.slice(-keep);
    const text = `…${end}${tail}`;
    if (textWidth(text, font) > width) continue;
    const ambiguous = bases.some((other) => other !== base && other.endsWith(end));
    return ambiguous ? middle(whole, width, font) : text;
  }
  return middle(name, width, font);
}

// Cut in the middle, keeping both ends (for names with no known structure).
export function middle(text, width, font = FONTS.title) {
  if (textWidth(text, font) <= width) return text;
  let lo = 0;
  let hi = text.length - 1;
  const cut = (keep) => `${text.slice(0, Math.ceil(keep / 2))}…${text.slice(text.length - Math.floor(keep / 2))}`;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(cut(mid), font) <= width) lo = mid;
    else hi = mid - 1;
  }
  return lo > 2 ? cut(lo) : "…";
}

// A heading: the name, with its namespace when that is not "default", so the same name
// in two namespaces reads as two different objects.
export const qualified = (obj) => (obj.namespace && obj.namespace !== "default" ? `${obj.namespace}/${obj.name}` : obj.name);
