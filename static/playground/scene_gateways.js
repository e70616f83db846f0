// Gateway API in the scene: Gateways (a row per listener) in the gateways layer and
// HTTPRoutes (a row per rule) in the routes layer, between the clients and the
// Services. Each listener row links to the routes attached to it, each rule row to its
// backends with the share of the rule's traffic each gets. The server resolved
// everything (which listener a route attached to, whether a backend resolves, each
// weight); this only words what it said, refusals and unresolved backends included.

import { gettext, interpolate, ngettext } from "./i18n.js";
import { HOST, LAYERS } from "./layers.js";
import { FONTS, qualified, widthFor } from "./names.js";
import { word } from "./reasons.js";

export const ROW0 = 36; // y of a box's first row
export const ROW_H = 17; // height of a row

export const gatewayId = (ns, name) => `gateway:${ns}/${name}`;
export const routeId = (ns, name) => `httproute:${ns}/${name}`;
export const listenerPort = (gid, i) => `${gid}#L${i}`;
export const rulePort = (rid, i) => `${rid}#${i}`;

// The Service a Gateway's data plane runs as (its `<name>-nginx` LoadBalancer Service,
// and that Service's Endpoints): drawn as the Gateway itself, not among the Services.
export function dataPlaneKeys(gateways) {
  return new Set(gateways.filter((g) => g.dataPlane).map((g) => `${g.dataPlane.namespace}/${g.dataPlane.name}`));
}

// A weight as the share of its rule's traffic: "90%" (only when a rule splits).
function share(rule, backend) {
  const total = rule.backends.reduce((sum, b) => sum + (b.weight || 0), 0);
  if (rule.backends.length < 2) return backend.weight === 0 ? "0%" : "";
  return total ? `${Math.round((100 * (backend.weight || 0)) / total)}%` : "0%";
}

function listenerRow(listener) {
  const count = listener.attachedRoutes;
  return {
    text: `${listener.name} :${listener.port} ${listener.hostname || "*"}`,
    tls: listener.protocol === "HTTPS",
    broken: !listener.valid,
    count: String(count),
    note: listener.valid
      ? interpolate(ngettext("%(count)s route attached", "%(count)s routes attached", count), { count })
      : listener.reason,
  };
}

function gateways(scene, list) {
  for (const gw of list) {
    const id = gatewayId(gw.namespace, gw.name);
    const rows = gw.listeners.map(listenerRow);
    const ready = gw.managed && gw.programmed === "True";
    const sub = gw.address || (gw.managed ? gettext("no address yet") : gettext("no controller"));
    const heading = qualified(gw);
    scene.box({
      id, kind: "gateway", layer: LAYERS.gateways, title: gw.name, heading, sub, rows, broken: !ready,
      reason: ready ? "" : gw.reason, listeners: gw.listeners.map((l) => l.name),
      h: ROW0 + ROW_H * rows.length + 4,
      w: widthFor([[heading, FONTS.title], [sub, FONTS.sub], ...rows.map((r) => [`${r.text}  ${r.count}`, FONTS.sub])], 140, 220),
      ports: rows.map((_, i) => ({ id: listenerPort(id, i), dy: ROW0 + ROW_H * i + 6 })),
      object: `Gateway|${gw.namespace}|${gw.name}`,
      spoken: "Gateway",
      detail: [
        interpolate(gettext("class %(class)s"), { class: gw.className }),
        ready ? gettext("programmed") : interpolate(gettext("not programmed: %(reason)s"), { reason: gw.reason }),
        ...rows.map((r) => `${r.text} (${r.note})`),
      ].join(", "),
    });
    scene.link(HOST, id, ready ? "client" : "broken");
  }
}

// Why a route carries no traffic, in the words of its status (or of the missing parent).
function routeProblem(route) {
  if (route.accepted) return "";
  const refused = route.parents.find((p) => !p.accepted);
  if (refused) return refused.reason;
  const ignored = route.ignored[0];
  if (ignored) return (ignored.reasonWords && word(ignored.reasonWords)) || ignored.reason;
  return gettext("no parentRefs: not attached to any Gateway");
}

function routes(scene, list) {
  for (const route of list) {
    const id = routeId(route.namespace, route.name);
    const why = routeProblem(route);
    // A row per rule; under a rule with a backend that does not resolve, a row with why.
    const rows = [];
    const ruleRow = [];
    for (const rule of route.rules) {
      const failing = rule.backends.filter((b) => !b.valid);
      let text = rule.label;
      if (rule.redirect) text += ` → ${rule.redirect.replace(/^RequestRedirect /, "")}`;
      const note = failing.map((b) => `${b.service}: ${b.reason}`).join(", ") || rule.problem || "";
      ruleRow.push(rows.length);
      rows.push({ text, broken: Boolean(note), note });
      if (note) rows.push({ text: `  ${note}`, reason: true, note: failing.map((b) => b.message).join(" ") || note });
    }
    const heading = qualified(route);
    const sub = route.hostnames.length ? route.hostnames.join(", ") : gettext("any hostname");
    scene.box({
      id, kind: "httproute", layer: LAYERS.routes, title: route.name, heading, sub, rows, broken: Boolean(why), reason: why,
      h: ROW0 + ROW_H * (rows.length + (why ? 1 : 0)) + 4,
      w: widthFor([[heading, FONTS.title], [sub, FONTS.sub], ...rows.map((r) => [`✗ ${r.text}`, FONTS.sub])], 150, 240),
      ports: ruleRow.map((row, i) => ({ id: rulePort(id, i), dy: ROW0 + ROW_H * row + 6 })),
      object: `HTTPRoute|${route.namespace}|${route.name}`,
      spoken: "HTTPRoute",
      detail: [
        why,
        ...route.rules.map((rule) => interpolate(gettext("%(rule)s to %(service)s"), {
          rule: rule.label,
          service: rule.backends.map((b) => `${b.service}${b.valid ? "" : ` (${b.reason})`}`).join(", ") || gettext("no backend"),
        })),
      ].filter(Boolean).join("; "),
    });
    for (const parent of route.parents) {
      const gid = gatewayId(parent.namespace, parent.name);
      const gw = scene.boxes.get(gid);
      if (!gw) continue;
      const style = parent.accepted ? "client" : "broken";
      const rows = parent.listeners.map((name) => gw.listeners.indexOf(name)).filter((i) => i >= 0);
      if (!rows.length) scene.link(gid, id, style);
      for (const row of rows) scene.link(gid, id, style, listenerPort(gid, row));
    }
    route.rules.forEach((rule, i) => {
      for (const b of rule.backends) {
        const style = !b.valid ? "broken" : b.weight === 0 ? "idle" : "route";
        const link = scene.link(id, `svc:${b.namespace}/${b.service}`, style, rulePort(id, i));
        link.label = b.valid ? share(rule, b) : "✗";
      }
    });
  }
}

// Gateways before routes, so a route finds its Gateway's listeners.
export const gatewayKinds = [
  { collection: "gateways", add: gateways },
  { collection: "httproutes", add: routes },
];
