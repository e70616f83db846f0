// Gateway API in the diagram: Gateways (one row per listener) and HTTPRoutes (one row
// per rule) in two columns between the clients and the Services. The server resolved
// everything (which listener a route attached to, whether a backend resolves, each
// weight); this only places boxes and edges, and words what the server said.

import { gettext, interpolate, ngettext } from "./i18n.js";

const HOST = "client:host";
export const ROW0 = 36; // y of a box's first row
export const ROW_H = 17; // height of a row

const qualified = (obj) => (obj.namespace && obj.namespace !== "default" ? `${obj.namespace}/${obj.name}` : obj.name);

export const gatewayId = (ns, name) => `gateway:${ns}/${name}`;
export const routeId = (ns, name) => `httproute:${ns}/${name}`;

// The Services and Endpoints a Gateway's data plane runs as (its `<name>-nginx`
// LoadBalancer Service): drawn as the Gateway itself, not again among the Services.
export function dataPlaneKeys(gateways) {
  return new Set(gateways.filter((g) => g.dataPlane).map((g) => `${g.dataPlane.namespace}/${g.dataPlane.name}`));
}

// Backends in the order the routes name them, for the Services column.
export function backendOrder(routes, order) {
  for (const route of routes) {
    for (const rule of route.rules || []) {
      for (const b of rule.backends || []) {
        const k = `${b.namespace}/${b.service}`;
        if (!order.has(k)) order.set(k, order.size);
      }
    }
  }
}

// A weight as the share of its rule's traffic: "90%" (only when a rule splits).
function share(rule, backend) {
  const total = rule.backends.reduce((sum, b) => sum + (b.weight || 0), 0);
  if (rule.backends.length < 2) return backend.weight === 0 ? "0%" : "";
  return total ? `${Math.round((100 * (backend.weight || 0)) / total)}%` : "0%";
}

function listenerRow(listener) {
  const host = listener.hostname || "*";
  const count = listener.attachedRoutes;
  return {
    text: `${listener.name} :${listener.port} ${host}`,
    tls: listener.protocol === "HTTPS",
    broken: !listener.valid,
    count: String(count),
    note: listener.valid
      ? interpolate(ngettext("%(count)s route attached", "%(count)s routes attached", count), { count })
      : listener.reason,
  };
}

// Gateways, then HTTPRoutes ordered by the first Gateway they attach to; returns nothing,
// adding boxes, rule rows and edges to `plan`.
export function placeGateways(plan, gateways, routes) {
  if (!gateways.length && !routes.length) return;
  const gatewayRows = new Map(); // gateway id -> listener name -> row index
  let y = 14;
  const { x, w } = plan.cols.gateways;
  for (const gw of gateways) {
    const id = gatewayId(gw.namespace, gw.name);
    const rows = gw.listeners.map(listenerRow);
    gatewayRows.set(id, new Map(gw.listeners.map((l, i) => [l.name, i])));
    const ready = gw.managed && gw.programmed === "True";
    const h = ROW0 + ROW_H * rows.length + 4;
    plan.add({
      id, kind: "gateway", x, y, w, h,
      title: gw.name, heading: qualified(gw), rows, broken: !ready,
      sub: gw.address || (gw.managed ? gettext("no address yet") : gettext("no controller")),
      reason: ready ? "" : gw.reason,
      object: `Gateway|${gw.namespace}|${gw.name}`,
      label: interpolate(
        ready
          ? gettext("Gateway %(name)s (class %(class)s) %(address)s: programmed; listeners %(listeners)s")
          : gettext("Gateway %(name)s (class %(class)s) %(address)s: not programmed, %(reason)s; listeners %(listeners)s"),
        {
          name: gw.name, class: gw.className, address: gw.address || "", reason: gw.reason,
          listeners: rows.map((r) => `${r.text} (${r.note})`).join(", "),
        },
      ),
    });
    rows.forEach((_, i) => plan.ruleRows.set(`${id}#${i}`, { id, dy: ROW0 + ROW_H * i + 6 }));
    plan.edges.push({ id: `e:host-${id}`, from: HOST, to: id, style: ready ? "client" : "broken" });
    y += h + 12;
  }

  const order = new Map(gateways.map((g, i) => [`${g.namespace}/${g.name}`, i]));
  const rank = (route) => Math.min(1e6, ...route.parents.map((p) => order.get(`${p.namespace}/${p.name}`) ?? 1e6));
  const sorted = routes.slice().sort((a, b) => rank(a) - rank(b) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  y = 14;
  const col = plan.cols.routes;
  for (const route of sorted) {
    const id = routeId(route.namespace, route.name);
    const why = routeProblem(route);
    // One row per rule; under a rule with a backend that does not resolve, a row with why.
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
    const lines = why ? 1 : 0;
    const h = ROW0 + ROW_H * (rows.length + lines) + 4;
    plan.add({
      id, kind: "httproute", x: col.x, y, w: col.w, h,
      title: route.name, heading: qualified(route), rows, broken: Boolean(why), reason: why,
      sub: route.hostnames.length ? route.hostnames.join(", ") : gettext("any hostname"),
      object: `HTTPRoute|${route.namespace}|${route.name}`,
      label: interpolate(why ? gettext("HTTPRoute %(name)s (%(why)s): %(rules)s") : gettext("HTTPRoute %(name)s: %(rules)s"), {
        name: route.name, why,
        rules: route.rules.map((rule) => interpolate(gettext("%(rule)s to %(service)s"), {
          rule: rule.label,
          service: rule.backends.map((b) => `${b.service}${b.valid ? "" : ` (${b.reason})`}`).join(", ") || gettext("no backend"),
        })).join("; "),
      }),
    });
    for (const parent of route.parents) {
      const gid = gatewayId(parent.namespace, parent.name);
      const listenerRows = gatewayRows.get(gid);
      const attached = listenerRows ? parent.listeners.map((name) => listenerRows.get(name)).filter((i) => i !== undefined) : [];
      const style = parent.accepted ? "client" : "broken";
      if (!attached.length) plan.edges.push({ id: `e:${gid}-${id}`, from: gid, to: id, style });
      for (const row of attached) plan.edges.push({ id: `e:${gid}#${row}-${id}`, from: gid, fromRow: row, to: id, style });
    }
    route.rules.forEach((rule, i) => {
      const row = ruleRow[i];
      plan.ruleRows.set(`${id}#${i}`, { id, dy: ROW0 + ROW_H * row + 6 });
      for (const b of rule.backends) {
        const style = !b.valid ? "broken" : b.weight === 0 ? "idle" : "route";
        plan.edges.push({
          id: `e:${id}#${i}-${b.namespace}/${b.service}`, from: id, fromRow: row,
          to: `svc:${b.namespace}/${b.service}`, style, label: b.valid ? share(rule, b) : "✗",
        });
      }
    });
    y += h + 12;
  }
}

// Why a route carries no traffic, in the words of its status (or of the missing parent).
function routeProblem(route) {
  if (route.accepted) return "";
  const refused = route.parents.find((p) => !p.accepted);
  if (refused) return refused.reason;
  const ignored = route.ignored[0];
  if (ignored) return ignored.reason;
  return gettext("no parentRefs: not attached to any Gateway");
}
