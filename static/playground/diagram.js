// The topology as an SVG diagram in columns: clients, Ingress, Services,
// Endpoints, and Pods grouped by Node. Objects keep their SVG element across
// updates and glide to their new place; the server decides every relation
// (which pods an Endpoints lists, where a rule sends), this only draws them.

import { gettext, interpolate, ngettext } from "./i18n.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const PAD = 14;
const GAP = 26;
const CHIP_W = 124;
const CHIP_H = 38;
const CHIP_GAP = 6;
const NODE_HEAD = 34;
const TWEEN_MS = 380;
const GROUP_THRESHOLD = 150; // more pods than this: one chip per workload per node

function svg(tag, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (parent) parent.appendChild(el);
  return el;
}

const measurer = document.createElement("canvas").getContext("2d");
const FONTS = {
  title: "600 12px system-ui, sans-serif",
  sub: "11px ui-monospace, monospace",
};

function textWidth(text, font) {
  measurer.font = font;
  return measurer.measureText(text).width;
}

// A box's heading: the name, with its namespace when that is not "default", so the
// same name in two namespaces reads as two different objects.
const qualified = (obj) => (obj.namespace && obj.namespace !== "default" ? `${obj.namespace}/${obj.name}` : obj.name);

// Cut `text` to `width` pixels: at the end, or in the middle for generated
// names, whose distinctive part is the suffix (kubia-7d9c…-x2z4q).
function fit(text, width, font = FONTS.sub, middle = false) {
  if (textWidth(text, font) <= width) return text;
  const cut = (keep) =>
    middle
      ? `${text.slice(0, Math.ceil(keep / 2))}…${text.slice(text.length - Math.floor(keep / 2))}`
      : `${text.slice(0, keep)}…`;
  // The longest cut that fits, by bisection (a room draws hundreds of names).
  let lo = 0;
  let hi = text.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(cut(mid), font) <= width) lo = mid;
    else hi = mid - 1;
  }
  return lo > 2 ? cut(lo) : "…";
}

const HOST = "client:host";

// The columns, left to right: clients, Ingress (when there is one), Services,
// Endpoints, and nodes in the rest of the width W.
function columns(W, withIngress) {
  const cols = {};
  let x = PAD;
  for (const [name, w] of [["clients", 96], ["ingress", withIngress ? 170 : 0], ["services", 174], ["endpoints", 118]]) {
    cols[name] = { x, w };
    x += w + (w ? GAP : 0);
  }
  cols.nodes = { x, w: Math.max(CHIP_W + 20, W - x - PAD) };
  return cols;
}

// A layout in the making: boxes placed so far, edges, and what later steps need.
class Plan {
  constructor(cols) {
    this.cols = cols;
    this.items = [];
    this.edges = [];
    this.ruleRows = new Map(); // "ingress:ns/name#i" -> {id, dy}
    this.externals = new Map(); // id -> {title, names}
    this.podRank = new Map(); // "ns/pod" -> order in which Endpoints list it
  }

  add(item) {
    this.items.push(item);
    return item;
  }
}

function ease(t) {
  return t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2;
}

export class Diagram extends EventTarget {
  constructor(scroller, model) {
    super();
    this.scroller = scroller;
    this.model = model;
    this.svg = svg("svg", { class: "diagram", role: "group", "aria-label": gettext("Topology diagram") });
    scroller.appendChild(this.svg);
    this.layers = {
      nodes: svg("g", { class: "layer-nodes" }, this.svg),
      edges: svg("g", { class: "layer-edges", "aria-hidden": "true" }, this.svg),
      items: svg("g", { class: "layer-items" }, this.svg),
    };
    this.items = new Map(); // id -> {el, x, y, w, h, sig, ...}
    this.edges = new Map(); // id -> {el, from, to, fromRow, style}
    this.showSystem = false;
    this.grouping = "auto";
    this.grouped = false;
    this.scale = 1;
    this.minScale = 1; // projector.js
    this.maxScale = 1.6; // projector.js
    this.zoom = 1; // follow.js
    this.width = 0;
    this.height = 0;
    this.lookup = new Map();
    this.tweenStart = 0;
    this.tweening = false;
    this.lastDrawMs = 0;
    this.svg.addEventListener("click", (event) => this.activate(event));
    this.svg.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        this.activate(event);
      }
    });
  }

  activate(event) {
    const el = event.target.closest("[data-object]");
    if (!el) return;
    const [kind, namespace, name] = el.dataset.object.split("|");
    this.dispatchEvent(new CustomEvent("select", { detail: { kind, namespace, name } }));
  }

  visible(obj) {
    if (this.showSystem) return true;
    if (this.model.isSystem(obj.namespace)) return false;
    return !(obj.namespace === "default" && obj.name === "kubernetes");
  }

  // -- layout: where everything goes ------------------------------------------

  // Lay out at the largest scale (up to 1.6, for a projector) whose drawing
  // still fits the panel's height; a big room scrolls at scale 1. The view
  // layer may ask for more: `minScale` (projector mode) and `zoom` (a viewer's
  // or the presenter's zoom, applied on top of the fit), and `maxScale`.
  layout() {
    const width = Math.max(760, this.scroller.clientWidth);
    const height = Math.max(300, this.scroller.clientHeight);
    const least = this.minScale;
    this.scale = Math.min(Math.max(this.maxScale, least), Math.max(least, width / 950));
    let layout = this.layoutAt(width / this.scale);
    if (this.scale > least && layout.height * this.scale > height) {
      this.scale = Math.max(least, Math.min(this.scale, height / layout.height));
      this.chipOf = new Map();
      this.upgrade = new Set();
      layout = this.layoutAt(width / this.scale);
    }
    this.scale *= this.zoom;
    return layout;
  }

  // The whole layout at width W, step by step: columns, then each column's boxes
  // top to bottom, then the edges to pods once their chips exist.
  layoutAt(W) {
    const scene = this.visibleObjects();
    this.grouped = this.grouping === "on" || (this.grouping === "auto" && scene.pods.length > GROUP_THRESHOLD);
    const plan = new Plan(columns(W, scene.ingresses.length > 0));
    this.placeClients(plan);
    this.placeIngresses(plan, scene.ingresses);
    this.placeServices(plan, scene);
    let y = this.placeNodes(plan, scene);
    y = this.placeExternals(plan, y);
    const edges = this.edgesToChips(plan.edges);
    const bottom = Math.max(y, ...plan.items.map((i) => i.y + i.h + PAD));
    return { items: plan.items, edges, ruleRows: plan.ruleRows, width: W, height: bottom };
  }

  visibleObjects() {
    const m = this.model;
    return {
      services: m.list("services").filter((s) => this.visible(s)),
      endpoints: m.list("endpoints").filter((e) => this.visible(e)),
      ingresses: m.list("ingresses").filter((i) => this.visible(i)),
      pods: m.list("pods").filter((p) => this.visible(p)),
      nodes: m.list("nodes"),
    };
  }

  // You (the host) and the cluster's DNS, in the first column.
  placeClients(plan) {
    const m = this.model;
    const { x, w } = plan.cols.clients;
    plan.add({
      id: HOST, kind: "client", x, y: PAD, w, h: 52,
      title: gettext("You (host)"), sub: m.host.ip || "", object: "",
      label: interpolate(gettext("Client: your computer (host) %(ip)s"), { ip: m.host.ip || "" }),
    });
    const dnsService = m.get("services", "kube-system/kube-dns");
    plan.add({
      id: "dns", kind: "dns", x, y: PAD + 70, w, h: 44,
      title: gettext("Cluster DNS"), sub: dnsService ? dnsService.clusterIP : "10.96.0.10",
      object: dnsService ? "Service|kube-system|kube-dns" : "", label: gettext("Cluster DNS (CoreDNS)"),
    });
  }

  // The Ingress controller, then each Ingress with one row per rule, each row an edge
  // to its Service.
  placeIngresses(plan, ingresses) {
    if (!ingresses.length) return;
    const { x, w } = plan.cols.ingress;
    let y = PAD;
    const controller = this.model.ingressController;
    const ctl = plan.add({
      id: "ingressctl", kind: "ingressctl", x, y, w, h: 44,
      title: "ingress-nginx", sub: controller.ip || "", object: "",
      label: interpolate(gettext("Ingress controller ingress-nginx %(ip)s"), { ip: controller.ip || "" }),
    });
    plan.edges.push({ id: "e:host-ctl", from: HOST, to: ctl.id, style: "client" });
    y += 44 + 14;
    for (const ing of ingresses) {
      const tlsHosts = new Set((ing.tls || []).flatMap((t) => t.hosts || []));
      const rows = (ing.rules || []).map((r) => ({
        text: `${r.host || "*"}${r.path || "/"}`,
        tls: tlsHosts.has(r.host),
        service: r.service,
        port: r.port,
      }));
      if (ing.defaultBackend) rows.push({ text: gettext("default backend"), service: ing.defaultBackend.service });
      const h = 36 + 17 * rows.length;
      const id = `ingress:${ing.namespace}/${ing.name}`;
      plan.add({
        id, kind: "ingress", x, y, w, h,
        title: ing.name, heading: qualified(ing), sub: ing.tls && ing.tls.length ? "TLS" : "", rows,
        object: `Ingress|${ing.namespace}|${ing.name}`,
        label: interpolate(gettext("Ingress %(name)s: %(rules)s"), {
          name: ing.name,
          rules: rows.map((r) => interpolate(gettext("%(rule)s to %(service)s"), { rule: r.text, service: r.service })).join(", "),
        }),
      });
      plan.edges.push({ id: `e:ctl-${id}`, from: ctl.id, to: id, style: "client" });
      rows.forEach((row, i) => {
        plan.ruleRows.set(`${id}#${i}`, { id, dy: 36 + 17 * i + 6 });
        if (row.service) {
          plan.edges.push({
            id: `e:${id}#${i}`, from: id, fromRow: i, to: `svc:${ing.namespace}/${row.service}`, style: "rule",
          });
        }
      });
      y += h + 12;
    }
  }

  // Services, ordered as Ingress rules name them, then the rest; each Service's
  // Endpoints beside it, and Endpoints without a Service below.
  placeServices(plan, scene) {
    const ruleOrder = new Map();
    for (const ing of scene.ingresses) {
      for (const r of ing.rules || []) {
        const k = `${ing.namespace}/${r.service}`;
        if (!ruleOrder.has(k)) ruleOrder.set(k, ruleOrder.size);
      }
    }
    const services = scene.services.slice().sort((a, b) => {
      const ra = ruleOrder.get(`${a.namespace}/${a.name}`) ?? 1e6;
      const rb = ruleOrder.get(`${b.namespace}/${b.name}`) ?? 1e6;
      return ra - rb || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
    });
    const epByKey = new Map(scene.endpoints.map((e) => [`${e.namespace}/${e.name}`, e]));
    const { x, w } = plan.cols.services;
    let y = PAD;
    for (const svcObj of services) {
      const key = `${svcObj.namespace}/${svcObj.name}`;
      const lines = (svcObj.ports || []).slice(0, 4).map((p) => {
        const target = p.targetPort !== undefined && p.targetPort !== p.port ? `→${p.targetPort}` : "";
        const node = p.nodePort ? ` node:${p.nodePort}` : "";
        return `${p.port}${target}${node}`;
      });
      if (svcObj.loadBalancerIP) lines.push(`LB ${svcObj.loadBalancerIP}`);
      if (svcObj.externalName) lines.push(`→ ${svcObj.externalName}`);
      const h = 40 + 15 * lines.length;
      const type = svcObj.headless ? "Headless" : svcObj.type;
      const id = `svc:${key}`;
      plan.add({
        id, kind: "service", x, y, w, h,
        title: svcObj.name, heading: qualified(svcObj), badge: type, sub: svcObj.headless ? "clusterIP: None" : svcObj.clusterIP || "",
        lines, object: `Service|${svcObj.namespace}|${svcObj.name}`,
        label: interpolate(gettext("Service %(name)s (%(type)s) %(ip)s selector %(selector)s"), {
          name: svcObj.name, type, ip: svcObj.clusterIP || "", selector: svcObj.selectorText || gettext("none"),
        }),
      });
      if (svcObj.type === "NodePort" || svcObj.type === "LoadBalancer") {
        plan.edges.push({ id: `e:host-${id}`, from: HOST, to: id, style: "client" });
      }
      if (svcObj.externalName) {
        const extId = `ext:${svcObj.externalName}`;
        plan.externals.set(extId, { title: svcObj.externalName, names: [svcObj.externalName] });
        plan.edges.push({ id: `e:${id}-${extId}`, from: id, to: extId, style: "external" });
      }
      const ep = epByKey.get(key);
      if (ep) {
        epByKey.delete(key);
        this.placeEndpoints(plan, ep, y);
        plan.edges.push({ id: `e:${id}-ep`, from: id, to: `ep:${key}`, style: "ep" });
      }
      y += Math.max(h, 54) + 12;
    }
    for (const ep of epByKey.values()) {
      this.placeEndpoints(plan, ep, y);
      y += 66;
    }
  }

  // One Endpoints box; an edge to each address's pod (joined to its chip later) or
  // to an address outside the cluster.
  placeEndpoints(plan, ep, y) {
    const key = `${ep.namespace}/${ep.name}`;
    const addresses = ep.addresses || [];
    const ready = addresses.filter((a) => a.ready).length;
    const notReady = addresses.length - ready;
    const id = `ep:${key}`;
    const readyText = interpolate(gettext("%(count)s ready"), { count: ready });
    const notReadyText = notReady ? ` · ${interpolate(gettext("%(count)s not ready"), { count: notReady })}` : "";
    const sub = addresses.length ? readyText + notReadyText : gettext("no addresses");
    plan.add({
      id, kind: "endpoints", x: plan.cols.endpoints.x, y, w: plan.cols.endpoints.w, h: notReady && ready ? 60 : 50,
      title: ep.name, heading: qualified(ep), sub, empty: ready === 0, object: `Endpoints|${ep.namespace}|${ep.name}`,
      label: interpolate(gettext("Endpoints %(name)s: %(state)s"), { name: ep.name, state: sub }),
    });
    for (const address of addresses) {
      if (address.pod) {
        const podKey = `${ep.namespace}/${address.pod}`;
        if (!plan.podRank.has(podKey)) plan.podRank.set(podKey, plan.podRank.size);
        plan.edges.push({ id: "", from: id, toPod: podKey, style: address.ready ? "ready" : "notready" });
      } else {
        const extId = `ext:${address.ip}`;
        if (!plan.externals.has(extId)) plan.externals.set(extId, { title: address.ip, names: [address.ip] });
        plan.edges.push({ id: `e:${id}-${extId}`, from: id, to: extId, style: address.ready ? "ready" : "notready" });
      }
    }
  }

  // Nodes with their pods as chips (one chip per workload when there are many pods);
  // returns the y below them.
  placeNodes(plan, scene) {
    const col = plan.cols.nodes;
    const perRow = Math.max(1, Math.floor((col.w - 16 + CHIP_GAP) / (CHIP_W + CHIP_GAP)));
    const boxes = this.nodeBoxes(plan, scene);
    // Few pods per row leave room: wider chips show more of each name.
    let chipW = Math.min(180, Math.floor((col.w - 16 - (perRow - 1) * CHIP_GAP) / perRow));
    // Many nodes with a few chips each (a big grouped room): node boxes side by side.
    const widest = Math.max(1, ...boxes.map((b) => b.chips.length));
    let across = 1;
    let boxW = col.w;
    let chipsAcross = perRow;
    if (boxes.length > 4 && widest < perRow) {
      chipsAcross = widest;
      boxW = 16 + chipsAcross * (CHIP_W + 16 + CHIP_GAP) - CHIP_GAP;
      across = Math.max(1, Math.floor((col.w + 10) / (boxW + 10)));
      boxW = Math.floor((col.w - (across - 1) * 10) / across);
      chipW = Math.min(180, Math.floor((boxW - 16 - (chipsAcross - 1) * CHIP_GAP) / chipsAcross));
    }
    let y = PAD;
    let rowHeight = 0;
    boxes.forEach((box, n) => {
      const column = n % across;
      if (column === 0 && n > 0) {
        y += rowHeight + 12;
        rowHeight = 0;
      }
      const x0 = col.x + column * (boxW + 10);
      const rows = Math.max(1, Math.ceil(box.chips.length / chipsAcross));
      const h = NODE_HEAD + rows * (CHIP_H + CHIP_GAP) + 6;
      rowHeight = Math.max(rowHeight, h);
      const cordoned = box.node && box.node.unschedulable;
      plan.add({
        id: `node:${box.name}`, kind: "node", x: x0, y, w: boxW, h,
        title: box.title, sub: box.sub, object: box.object, cordoned, roles: box.node ? box.node.roles || [] : [],
        label: interpolate(
          cordoned
            ? ngettext("Node %(name)s %(ip)s, cordoned, %(count)s pod", "Node %(name)s %(ip)s, cordoned, %(count)s pods", box.pods.length)
            : ngettext("Node %(name)s %(ip)s, %(count)s pod", "Node %(name)s %(ip)s, %(count)s pods", box.pods.length),
          { name: box.title, ip: box.sub, count: box.pods.length },
        ),
      });
      box.chips.forEach((chip, i) => {
        chip.x = x0 + 8 + (i % chipsAcross) * (chipW + CHIP_GAP);
        chip.y = y + NODE_HEAD + Math.floor(i / chipsAcross) * (CHIP_H + CHIP_GAP);
        chip.w = chipW;
        chip.h = CHIP_H;
        plan.add(chip);
      });
    });
    return boxes.length ? y + rowHeight + 12 : y;
  }

  // A box per node (and one for pods not scheduled yet), each with its chips in order:
  // pods the Endpoints list first, as they list them, then by workload and name.
  nodeBoxes(plan, scene) {
    const byNode = new Map(scene.nodes.map((n) => [n.name, []]));
    const unscheduled = [];
    for (const pod of scene.pods) {
      if (pod.node && byNode.has(pod.node)) byNode.get(pod.node).push(pod);
      else unscheduled.push(pod);
    }
    const rank = (p) => plan.podRank.get(`${p.namespace}/${p.name}`) ?? 1e6;
    const ownerName = (p) => (p.owner ? `${p.owner.kind}/${p.owner.name}` : `Pod/${p.name}`);
    const boxes = scene.nodes.map((node) => ({
      name: node.name, pods: byNode.get(node.name), title: node.name, sub: node.ip || "",
      object: `Node||${node.name}`, node,
    }));
    if (unscheduled.length) {
      boxes.push({
        name: "(none)", pods: unscheduled, title: gettext("Not scheduled"), sub: gettext("Pending pods"), object: "", node: null,
      });
    }
    for (const box of boxes) {
      box.chips = this.grouped ? this.groupChips(box.name, box.pods, ownerName) : box.pods
        .sort((a, b) => rank(a) - rank(b) || ownerName(a).localeCompare(ownerName(b)) || a.name.localeCompare(b.name))
        .map((p) => this.podChip(p));
    }
    return boxes;
  }

  // Addresses outside the cluster (ExternalName targets, manual Endpoints) in one box
  // below the nodes; returns the y below it.
  placeExternals(plan, y) {
    if (!plan.externals.size) return y;
    const col = plan.cols.nodes;
    const ids = [...plan.externals.keys()];
    const h = NODE_HEAD + ids.length * (26 + 6) + 4;
    plan.add({
      id: "extbox", kind: "extbox", x: col.x, y, w: col.w, h,
      title: gettext("Outside the cluster"), sub: "", object: "", label: gettext("Outside the cluster"),
    });
    ids.forEach((extId, i) => {
      const ext = plan.externals.get(extId);
      plan.add({
        id: extId, kind: "external", x: col.x + 8, y: y + NODE_HEAD + i * 32, w: Math.min(col.w - 16, 260), h: 26,
        title: ext.title, names: ext.names, object: "", label: interpolate(gettext("External address %(address)s"), { address: ext.title }),
      });
    });
    return y + h + 12;
  }

  // Edges from Endpoints to pods, now that pod chips exist (a grouped chip gets one edge,
  // solid if any of its pods is ready).
  edgesToChips(edges) {
    const kept = [];
    const seen = new Set();
    for (const edge of edges) {
      if (edge.toPod) {
        const chip = this.chipOf.get(edge.toPod);
        if (!chip) continue;
        edge.to = chip;
        edge.id = `e:${edge.from}-${chip}`;
      }
      if (seen.has(edge.id)) {
        if (edge.style === "ready") this.upgrade.add(edge.id);
        continue;
      }
      seen.add(edge.id);
      kept.push(edge);
    }
    return kept;
  }

  podChip(pod) {
    const key = `${pod.namespace}/${pod.name}`;
    const state = pod.ready ? "ready" : pod.phase === "Running" ? "notready" : "pending";
    const stateText = pod.ready ? gettext("ready") : pod.phase === "Running" ? gettext("not ready") : (pod.phase || "Pending");
    const id = `pod:${key}`;
    this.chipOf.set(key, id);
    return {
      id, kind: "pod", state, title: pod.name, sub: pod.ip || stateText, probe: pod.probe || null,
      podKey: key, object: `Pod|${pod.namespace}|${pod.name}`,
      label: interpolate(
        pod.node ? gettext("Pod %(name)s, %(state)s%(ip)s on %(node)s") : gettext("Pod %(name)s, %(state)s%(ip)s"),
        { name: pod.name, state: stateText, ip: pod.ip ? `, ${pod.ip}` : "", node: pod.node },
      ),
    };
  }

  groupChips(nodeName, nodePods, ownerName) {
    const groups = new Map();
    for (const pod of nodePods) {
      const owner = ownerName(pod);
      if (!groups.has(owner)) groups.set(owner, []);
      groups.get(owner).push(pod);
    }
    return [...groups.entries()].sort().map(([owner, members]) => {
      const ready = members.filter((p) => p.ready).length;
      const id = `grp:${nodeName}/${owner}`;
      for (const p of members) this.chipOf.set(`${p.namespace}/${p.name}`, id);
      let [kind, name] = owner.split("/");
      const ns = members[0].namespace;
      // Name the group after what a learner created: a ReplicaSet's Deployment.
      const workload = this.model.get("workloads", `${kind}/${ns}/${name}`);
      if (workload && workload.owner) [kind, name] = [workload.owner.kind, workload.owner.name];
      return {
        id, kind: "pod", group: true, state: ready === members.length ? "ready" : ready ? "mixed" : "notready",
        title: name, sub: `×${members.length} · ${interpolate(gettext("%(count)s ready"), { count: ready })}`,
        object: kind === "Pod" ? `Pod|${ns}|${name}` : `${kind}|${ns}|${name}`,
        label: interpolate(gettext("%(count)s pods of %(kind)s %(name)s on %(node)s, %(ready)s ready"), {
          count: members.length, kind, name, node: nodeName, ready,
        }),
      };
    });
  }

  // -- drawing -------------------------------------------------------------------

  render() {
    const started = performance.now();
    this.chipOf = new Map();
    this.upgrade = new Set();
    const layout = this.layout();
    this.width = layout.width;
    this.height = layout.height;
    this.ruleRows = layout.ruleRows;
    this.svg.setAttribute("width", Math.round(layout.width * this.scale));
    this.svg.setAttribute("height", Math.round(layout.height * this.scale));
    this.svg.setAttribute("viewBox", `0 0 ${layout.width} ${layout.height}`);

    const alive = new Set();
    const moved = [];
    for (const item of layout.items) {
      alive.add(item.id);
      const sig = this.signature(item);
      let current = this.items.get(item.id);
      if (!current) {
        // data-id: the box's id, which the view layer points at (follow.js).
        const el = svg("g", { class: `item kind-${item.kind} entering`, "data-id": item.id });
        (item.kind === "node" || item.kind === "extbox" ? this.layers.nodes : this.layers.items).appendChild(el);
        current = { el, x: item.x, y: item.y, w: item.w, h: item.h, fx: item.x, fy: item.y, fw: item.w, fh: item.h };
        this.items.set(item.id, current);
        setTimeout(() => el.classList.remove("entering"), 400);
      } else {
        current.fx = current.x;
        current.fy = current.y;
        current.fw = current.w;
        current.fh = current.h;
        if (current.x !== item.x || current.y !== item.y || current.w !== item.w || current.h !== item.h) {
          moved.push(current);
        }
      }
      current.tx = item.x;
      current.ty = item.y;
      current.tw = item.w;
      current.th = item.h;
      current.item = item;
      if (current.sig !== sig) {
        current.sig = sig;
        this.draw(current, item);
        current.drawnW = current.w;
        current.drawnH = current.h;
      }
    }
    for (const [id, current] of this.items) {
      if (alive.has(id)) continue;
      this.items.delete(id);
      current.el.classList.add("leaving");
      // Fading out: no longer an object anyone can reach or count.
      for (const attr of ["tabindex", "role", "aria-label", "data-object"]) current.el.removeAttribute(attr);
      current.el.setAttribute("aria-hidden", "true");
      setTimeout(() => current.el.remove(), 320);
    }

    const liveEdges = new Set();
    for (const edge of layout.edges) {
      liveEdges.add(edge.id);
      const style = this.upgrade.has(edge.id) ? "ready" : edge.style;
      let current = this.edges.get(edge.id);
      if (!current) {
        current = { el: svg("path", {}, this.layers.edges) };
        this.edges.set(edge.id, current);
      }
      current.from = edge.from;
      current.to = edge.to;
      current.fromRow = edge.fromRow;
      current.el.setAttribute("class", `edge edge-${style}`);
    }
    for (const [id, current] of this.edges) {
      if (!liveEdges.has(id)) {
        current.el.remove();
        this.edges.delete(id);
      }
    }
    this.buildLookup();
    if (moved.length) {
      this.tweenStart = performance.now();
      if (!this.tweening) {
        this.tweening = true;
        requestAnimationFrame((now) => this.step(now));
      }
    } else if (!this.tweening) {
      this.settle();
    }
    this.lastDrawMs = performance.now() - started;
    this.dispatchEvent(new CustomEvent("drawn", { detail: { ms: this.lastDrawMs } }));
  }

  signature(item) {
    return [item.title, item.sub, item.state, item.badge, item.cordoned, item.empty, item.w, item.h,
      (item.lines || []).join(","), (item.rows || []).map((r) => `${r.text}>${r.service}`).join(","),
      item.label].join("|");
  }

  step(now) {
    const t = Math.min(1, (now - this.tweenStart) / TWEEN_MS);
    const k = ease(t);
    for (const current of this.items.values()) {
      current.x = current.fx + (current.tx - current.fx) * k;
      current.y = current.fy + (current.ty - current.fy) * k;
      current.w = current.fw + (current.tw - current.fw) * k;
      current.h = current.fh + (current.th - current.fh) * k;
      this.position(current);
    }
    this.drawEdges();
    if (t < 1) requestAnimationFrame((n) => this.step(n));
    else {
      this.tweening = false;
      this.settle();
    }
  }

  settle() {
    for (const current of this.items.values()) {
      current.x = current.tx;
      current.y = current.ty;
      current.w = current.tw;
      current.h = current.th;
      this.position(current);
    }
    this.drawEdges();
  }

  position(current) {
    current.el.setAttribute("transform", `translate(${current.x.toFixed(1)},${current.y.toFixed(1)})`);
    if (current.box && (current.drawnW !== current.w || current.drawnH !== current.h)) {
      current.box.setAttribute("width", current.w.toFixed(1));
      current.box.setAttribute("height", current.h.toFixed(1));
      current.drawnW = current.w;
      current.drawnH = current.h;
    }
  }

  drawEdges() {
    for (const edge of this.edges.values()) {
      const a = this.items.get(edge.from);
      const b = this.items.get(edge.to);
      if (!a || !b) {
        edge.el.setAttribute("d", "");
        continue;
      }
      const x1 = a.x + a.w;
      const y1 = edge.fromRow !== undefined ? a.y + 36 + 17 * edge.fromRow + 6 : a.y + Math.min(a.h / 2, 26);
      const x2 = b.x;
      const y2 = b.y + Math.min(b.h / 2, b.item && b.item.kind === "node" ? 17 : 26);
      const dx = Math.max(20, (x2 - x1) / 2);
      edge.el.setAttribute("d", `M${x1.toFixed(1)},${y1.toFixed(1)} C${(x1 + dx).toFixed(1)},${y1.toFixed(1)} ${(x2 - dx).toFixed(1)},${y2.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}`);
    }
  }

  draw(current, item) {
    const el = current.el;
    el.replaceChildren();
    const classes = ["item", `kind-${item.kind}`];
    if (item.state) classes.push(`state-${item.state}`);
    if (item.group) classes.push("group");
    if (item.cordoned) classes.push("cordoned");
    if (item.empty) classes.push("empty");
    for (const cls of classes) el.classList.add(cls);
    for (const cls of [...el.classList]) {
      if ((cls.startsWith("state-") || cls === "cordoned" || cls === "empty") && !classes.includes(cls)) {
        el.classList.remove(cls);
      }
    }
    if (item.object) {
      el.dataset.object = item.object;
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "button");
    } else {
      el.setAttribute("role", "img");
    }
    el.setAttribute("aria-label", item.label);
    svg("title", {}, el).textContent = item.label;
    current.box = svg("rect", { class: "box", width: item.w, height: item.h, rx: item.kind === "pod" ? 7 : 6 }, el);
    const text = (x, y, value, cls) => {
      const t = svg("text", { x, y, class: cls }, el);
      t.textContent = value;
      return t;
    };
    switch (item.kind) {
      case "pod": {
        const mark = item.state === "ready" ? "✓" : item.state === "mixed" ? "◐" : item.state === "notready" ? "✗" : "…";
        const room = item.w - (item.probe ? 50 : 30);
        text(8, 15, `${mark} ${fit(item.title, room, FONTS.title, !item.group)}`, "title");
        text(8, 30, fit(item.sub, item.w - 14), "sub");
        break;
      }
      case "node": {
        const title = fit(item.title, item.w / 2, FONTS.title);
        text(10, 21, title, "title");
        const tags = [item.sub, ...item.roles.map((r) => `(${r})`), item.cordoned ? "cordoned" : ""];
        const x = 20 + textWidth(title, FONTS.title);
        text(x, 21, fit(tags.filter(Boolean).join("  "), item.w - x - 8), "sub");
        break;
      }
      case "service": {
        text(10, 17, fit(item.heading, item.w - 16, FONTS.title), "title");
        const badge = svg("g", { class: "badge", transform: `translate(${item.w - 72},22)` }, el);
        svg("rect", { width: 66, height: 15, rx: 7.5 }, badge);
        const b = svg("text", { x: 33, y: 11, "text-anchor": "middle" }, badge);
        b.textContent = fit(item.badge || "", 62, "600 10px system-ui, sans-serif");
        text(10, 33, fit(item.sub, item.w - 84), "sub");
        (item.lines || []).forEach((line, i) => text(10, 49 + 15 * i, fit(line, item.w - 16), "line"));
        break;
      }
      case "ingress": {
        text(10, 17, fit(item.heading, item.w - 44, FONTS.title), "title");
        if (item.sub) text(item.w - 34, 17, "TLS", "sub tls");
        item.rows.forEach((row, i) => {
          text(10, 36 + 17 * i + 10, fit(row.text, item.w - 16), row.tls ? "line rule tls-rule" : "line rule");
        });
        break;
      }
      case "endpoints":
        text(10, 19, fit(item.heading, item.w - 16, FONTS.title), "title");
        item.sub.split(" · ").forEach((line, i) => text(10, 36 + 14 * i, fit(line, item.w - 16), "sub"));
        break;
      default:
        text(10, 19, fit(item.title, item.w - 16, FONTS.title), "title");
        if (item.sub) text(10, 36, fit(item.sub, item.w - 16), "sub");
    }
  }

  // -- anchors for request dots and probe rings ------------------------------------

  buildLookup() {
    const lookup = new Map();
    const put = (k, id) => {
      if (!lookup.has(k)) lookup.set(k, id);
    };
    for (const [id, current] of this.items) {
      const item = current.item;
      if (item.kind === "pod" && !item.group) {
        put(`pod:${item.title}`, id);
        put(`pod:${item.podKey}`, id);
      } else if (item.kind === "service" || item.kind === "endpoints" || item.kind === "ingress") {
        // By namespace/name first (what a hop with a namespace asks for), then by name.
        const namespace = (item.object || "").split("|")[1];
        if (namespace) put(`${item.kind}:${namespace}/${item.title}`, id);
        put(`${item.kind}:${item.title}`, id);
      }
      else if (item.kind === "node") put(`node:${item.title}`, id);
      else if (item.kind === "external") for (const n of item.names) put(`external:${n}`, id);
    }
    for (const [podKey, chip] of this.chipOf) {
      put(`pod:${podKey}`, chip);
      put(`pod:${podKey.split("/")[1]}`, chip);
    }
    for (const svcObj of this.model.list("services")) {
      if (svcObj.loadBalancerIP) put(`lb:${svcObj.loadBalancerIP}`, `svc:${svcObj.namespace}/${svcObj.name}`);
    }
    this.lookup = lookup;
  }

  // The box of a hop's object: by namespace and name when the hop has a namespace.
  named(hop) {
    const byName = this.lookup.get(`${hop.kind}:${hop.name}`);
    return hop.namespace ? this.lookup.get(`${hop.kind}:${hop.namespace}/${hop.name}`) || byName : byName;
  }

  // Center of the object a trace hop passes through, in CSS pixels of the diagram.
  anchor(hop) {
    let id;
    switch (hop.kind) {
      case "client":
        if (hop.name && hop.name !== "host") {
          const name = hop.name.replace(/^pod\//, "");
          id = this.lookup.get(`pod:${name}`) || this.lookup.get(`pod:${name.split("/").pop()}`);
        }
        id = id || "client:host";
        break;
      case "dns":
        id = "dns";
        break;
      case "loadbalancer":
        id = this.lookup.get(`lb:${hop.ip}`) || this.lookup.get(`service:${hop.name}`);
        break;
      case "ingress":
        id = this.named(hop) || "ingressctl";
        break;
      case "external":
        id = this.lookup.get(`external:${hop.name}`) || this.lookup.get(`external:${hop.ip}`) || "extbox";
        break;
      default:
        id = this.named(hop);
    }
    const current = id && this.items.get(id);
    if (!current) return null;
    const h = current.item.kind === "node" || current.item.kind === "extbox" ? 34 : Math.min(current.h, 60);
    return {
      id,
      x: (current.x + current.w / 2) * this.scale,
      y: (current.y + h / 2) * this.scale,
    };
  }

  probedPods() {
    const out = [];
    for (const current of this.items.values()) {
      const item = current.item;
      if (item.kind === "pod" && item.probe) {
        out.push({
          x: (current.x + current.w - 11) * this.scale,
          y: (current.y + 11) * this.scale,
          probe: item.probe,
          counts: this.model.probeCounts.get(item.podKey) || [0, 0],
          key: item.podKey,
        });
      }
    }
    return out;
  }
}
