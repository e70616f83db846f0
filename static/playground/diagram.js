// The topology as an SVG diagram: the scene (scene.js, pods.js) laid out by
// ELK (layout.js) and drawn box by box (draw.js). Objects keep their SVG
// element across updates and glide to their new place; edges follow the
// routes the layout found. Request dots ask it for anchors and routes.

import { gettext } from "./i18n.js";
import { drawBox, pathOf, signature, svg } from "./draw.js";
import { Layouter } from "./layout.js";
import { PodPlacer } from "./pods.js";
import { buildScene, HOST } from "./scene.js";
import { dataPlaneKeys, listenerPort, rulePort } from "./scene_gateways.js";

const TWEEN_MS = 380;
const MIN_SCALE = 0.75; // smaller, and names are too small to read
const BIG_ROOM_PODS = 60;

function ease(t) {
  return t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2;
}

export class Diagram extends EventTarget {
  constructor(scroller, model, workerUrl) {
    super();
    this.scroller = scroller;
    this.model = model;
    this.layouter = new Layouter(workerUrl);
    // ELK's layout, when it replaces the quick first one: drawn again, the boxes glide.
    this.layouter.onRefined = () => this.render();
    this.layouter.onFailed = (error) => this.dispatchEvent(new CustomEvent("failed", { detail: error }));
    this.placer = new PodPlacer();
    this.svg = svg("svg", { class: "diagram", role: "group", "aria-label": gettext("Topology diagram") });
    scroller.appendChild(this.svg);
    this.layers = {
      nodes: svg("g", { class: "layer-nodes" }, this.svg),
      edges: svg("g", { class: "layer-edges", "aria-hidden": "true" }, this.svg),
      items: svg("g", { class: "layer-items" }, this.svg),
    };
    this.items = new Map(); // id -> {el, box, x, y, ...}
    this.edges = new Map(); // id -> {el, link}
    this.routes = new Map(); // "from>to" -> points
    this.lookup = new Map(); // what a trace hop names -> box id (empty until the first draw)
    this.chipOf = new Map(); // pod key -> chip id
    this.showSystem = false;
    this.grouping = "auto";
    this.grouped = false;
    this.scale = 1;
    // The view layer's knobs: `zoom` on top of the fit (follow.js), and the least and
    // the most the fit may scale to (projector.js).
    this.zoom = 1;
    this.minScale = MIN_SCALE;
    this.maxScale = 1.6;
    this.busy = false;
    this.again = false;
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

  // The scene at the panel's width: pods get what the layers to their left leave.
  scene() {
    // A Gateway's data-plane Service and Endpoints are the Gateway's box; drawn on their
    // own only with the system objects.
    const dataPlane = this.showSystem ? new Set() : dataPlaneKeys(this.model.list("gateways"));
    const visible = (o) => this.visible(o) && !dataPlane.has(`${o.namespace}/${o.name}`);
    const scene = buildScene(this.model, visible);
    const widest = new Map();
    for (const box of scene.boxes.values()) widest.set(box.layer, Math.max(widest.get(box.layer) || 0, box.w));
    const left = [...widest.values()].reduce((sum, w) => sum + w + this.layouter.gap, 28);
    const pods = this.model.list("pods").filter(visible);
    // A big room is drawn at the smallest scale (0.75, more in projector mode): its nodes get
    // the width that frees, for rows of bands rather than one long column.
    const fit = Math.min(this.maxScale, Math.max(this.minScale, 1, this.scroller.clientWidth / 950));
    const shrink = pods.length > BIG_ROOM_PODS ? this.minScale : fit;
    const panel = Math.max(760, this.scroller.clientWidth) / shrink;
    this.grouped = this.placer.place(scene, pods, this.model.list("nodes"), Math.max(220, panel - left - 20), this.grouping);
    return scene;
  }

  // Lay out and draw; while a layout runs, later calls make one more run at its end.
  async render() {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      do {
        this.again = false;
        const started = performance.now();
        const scene = this.scene();
        const result = await this.layouter.layout(scene);
        if (this.again) continue; // the model moved on meanwhile: lay out the newest
        this.apply(scene, result);
        this.lastDrawMs = performance.now() - started;
        const detail = { ms: this.lastDrawMs, layoutMs: this.layouter.lastMs, quick: Boolean(result.quick) };
        this.dispatchEvent(new CustomEvent("drawn", { detail }));
      } while (this.again);
    } catch (error) {
      this.dispatchEvent(new CustomEvent("failed", { detail: error }));
    } finally {
      this.busy = false;
    }
  }

  apply(scene, result) {
    const width = this.scroller.clientWidth || 950;
    const height = this.scroller.clientHeight || 500;
    // Fit the width, from MIN_SCALE up to 1.6 (or what projector mode asks), then no taller
    // than the panel when that still leaves 1 (the projector's least); zoom goes on top.
    const least = Math.max(this.minScale, 1);
    this.scale = Math.min(this.maxScale, Math.max(this.minScale, width / result.width));
    if (this.scale > least && result.height * this.scale > height) this.scale = Math.max(least, height / result.height);
    this.scale *= this.zoom;
    this.svg.setAttribute("width", Math.round(result.width * this.scale));
    this.svg.setAttribute("height", Math.round(result.height * this.scale));
    this.svg.setAttribute("viewBox", `0 0 ${Math.round(result.width)} ${Math.round(result.height)}`);
    const alive = new Set();
    const entering = [];
    // The first drawing fades nothing in: there is nothing to tell it apart from.
    const first = this.items.size === 0;
    let moved = false;
    this.chipOf = new Map();
    for (const box of scene.boxes.values()) {
      const at = this.placeOf(box, scene, result);
      if (!at) continue;
      alive.add(box.id);
      if (box.kind === "pod") for (const key of box.podKeys || [box.podKey]) this.chipOf.set(key, box.id);
      let current = this.items.get(box.id);
      if (!current) {
        // data-id: the box's id, which the presenter's pointer aims at (follow.js).
        const el = svg("g", { class: `item kind-${box.kind}${first ? "" : " entering"}`, "data-id": box.id });
        (box.compound || box.kind === "band" ? this.layers.nodes : this.layers.items).appendChild(el);
        current = { el, x: at.x, y: at.y, w: at.w, h: at.h };
        this.items.set(box.id, current);
        if (!first) entering.push(el);
      }
      current.from = { x: current.x, y: current.y, w: current.w, h: current.h };
      current.to = at;
      if (current.x !== at.x || current.y !== at.y || current.w !== at.w || current.h !== at.h) moved = true;
      current.box = box;
      const sig = signature({ ...box, w: at.w, h: at.h });
      if (current.sig !== sig) {
        current.sig = sig;
        current.outline = drawBox(current.el, { ...box, w: at.w, h: at.h });
        current.drawnW = at.w;
        current.drawnH = at.h;
      }
    }
    if (entering.length) setTimeout(() => entering.forEach((el) => el.classList.remove("entering")), 600);
    for (const [id, current] of this.items) {
      if (alive.has(id)) continue;
      this.items.delete(id);
      current.el.classList.add("leaving");
      // Fading out: no longer an object anyone can reach or count.
      for (const attr of ["tabindex", "role", "aria-label", "data-object"]) current.el.removeAttribute(attr);
      current.el.setAttribute("aria-hidden", "true");
      setTimeout(() => current.el.remove(), 320);
    }
    this.pendingEdges = { scene, result };
    this.buildLookup(scene);
    if (moved) {
      this.tweenStart = performance.now();
      if (!this.tweening) {
        this.tweening = true;
        requestAnimationFrame((now) => this.step(now));
      }
    } else if (!this.tweening) this.settle();
  }

  placeOf(box, scene, result) {
    if (box.kind === "pod") {
      const band = result.boxes.get(box.parent);
      return band ? { x: band.x + box.dx, y: band.y + box.dy, w: box.w, h: box.h } : null;
    }
    return result.boxes.get(box.id) || null;
  }

  step(now) {
    const k = ease(Math.min(1, (now - this.tweenStart) / TWEEN_MS));
    for (const c of this.items.values()) {
      c.x = c.from.x + (c.to.x - c.from.x) * k;
      c.y = c.from.y + (c.to.y - c.from.y) * k;
      c.w = c.from.w + (c.to.w - c.from.w) * k;
      c.h = c.from.h + (c.to.h - c.from.h) * k;
      this.position(c);
    }
    if (k < 1) requestAnimationFrame((n) => this.step(n));
    else {
      this.tweening = false;
      this.settle();
    }
  }

  settle() {
    for (const c of this.items.values()) {
      Object.assign(c, c.to);
      this.position(c);
    }
    this.drawEdges();
  }

  position(c) {
    c.el.setAttribute("transform", `translate(${c.x.toFixed(1)},${c.y.toFixed(1)})`);
    if (c.outline && (c.drawnW !== c.w || c.drawnH !== c.h)) {
      c.outline.setAttribute("width", c.w.toFixed(1));
      c.outline.setAttribute("height", c.h.toFixed(1));
      c.drawnW = c.w;
      c.drawnH = c.h;
    }
  }

  // Edges along the layout's routes (drawn once boxes reach their places).
  drawEdges() {
    if (!this.pendingEdges) return;
    const { scene, result } = this.pendingEdges;
    const live = new Set();
    for (const link of scene.links.values()) {
      const points = result.routes.get(link.id);
      if (!points || !points.length) continue;
      live.add(link.id);
      let edge = this.edges.get(link.id);
      if (!edge) {
        edge = { el: svg("path", {}, this.layers.edges) };
        this.edges.set(link.id, edge);
      }
      edge.el.setAttribute("class", `edge edge-${link.style}`);
      edge.el.setAttribute("d", pathOf(points));
      this.drawLabel(edge, link, points);
    }
    for (const [id, edge] of this.edges) {
      if (!live.has(id)) {
        edge.el.remove();
        if (edge.label) edge.label.remove();
        this.edges.delete(id);
      }
    }
  }

  // A weight on its edge: past the first turn, where the edges of one rule have parted.
  drawLabel(edge, link, points) {
    if (!link.label) {
      if (edge.label) edge.label.remove();
      edge.label = null;
      return;
    }
    if (!edge.label) edge.label = svg("text", {}, this.layers.edges);
    edge.label.textContent = link.label;
    edge.label.setAttribute("class", `edge-label edge-label-${link.style}`);
    const [x, y] = points.length > 2 ? points[2] : [(points[0][0] + points[1][0]) / 2, points[0][1]];
    edge.label.setAttribute("x", (x + 14).toFixed(1));
    edge.label.setAttribute("y", (y - 3).toFixed(1));
  }

  // -- anchors and routes for request dots and probe rings ----------------------------

  buildLookup(scene) {
    const lookup = new Map();
    const put = (k, id) => lookup.has(k) || lookup.set(k, id);
    for (const [id, current] of this.items) {
      const box = current.box;
      if (["service", "endpoints", "ingress", "gateway", "httproute"].includes(box.kind)) {
        const namespace = (box.object || "").split("|")[1];
        if (namespace) put(`${box.kind}:${namespace}/${box.title}`, id);
        put(`${box.kind}:${box.title}`, id);
        if (box.kind === "service") {
          const s = this.model.get("services", `${namespace}/${box.title}`);
          if (s && s.loadBalancerIP) put(`lb:${s.loadBalancerIP}`, id);
        }
      } else if (box.kind === "node") put(`node:${box.title}`, id);
      else if (box.kind === "external") for (const n of box.names) put(`external:${n}`, id);
    }
    for (const [podKey, chip] of this.chipOf) {
      put(`pod:${podKey}`, chip);
      put(`pod:${podKey.split("/")[1]}`, chip);
    }
    this.lookup = lookup;
    this.routes = new Map();
    for (const link of scene.links.values()) {
      const points = this.pendingEdges.result.routes.get(link.id);
      if (!points || !points.length) continue;
      // By box, and by the row (a listener, a rule) the link leaves from.
      for (const key of [`${link.from}>${link.to}`, link.fromPort && `${link.fromPort}>${link.to}`]) {
        if (key && !this.routes.has(key)) this.routes.set(key, points);
      }
    }
  }

  named(hop) {
    const byName = this.lookup.get(`${hop.kind}:${hop.name}`);
    return hop.namespace ? this.lookup.get(`${hop.kind}:${hop.namespace}/${hop.name}`) || byName : byName;
  }

  // The box a trace hop passes through, or null when it is not drawn.
  hopBox(hop) {
    switch (hop.kind) {
      case "client": {
        if (hop.name && hop.name !== "host") {
          const name = hop.name.replace(/^pod\//, "");
          return this.lookup.get(`pod:${name}`) || this.lookup.get(`pod:${name.split("/").pop()}`) || HOST;
        }
        return HOST;
      }
      case "dns":
        return "dns";
      case "loadbalancer":
        return this.lookup.get(`lb:${hop.ip}`) || this.lookup.get(`service:${hop.name}`);
      case "ingress":
        return this.named(hop) || "ingressctl";
      case "external":
        return this.lookup.get(`external:${hop.name}`) || this.lookup.get(`external:${hop.ip}`) || "extbox";
      default:
        return this.named(hop);
    }
  }

  // The boxes a trace hop passes, as stops `{id, port}`: one box, or for a `gateway` hop
  // the Gateway at its listener's row, then the HTTPRoute at its rule's row.
  hopStops(hop) {
    if (hop.kind !== "gateway") {
      const id = this.hopBox(hop);
      return id ? [{ id, port: null }] : [];
    }
    const stops = [];
    const gid = this.named(hop);
    const gateway = gid && this.items.get(gid);
    if (gateway) {
      const row = (gateway.box.listeners || []).indexOf(hop.listener);
      stops.push({ id: gid, port: row >= 0 ? listenerPort(gid, row) : null });
    }
    if (hop.route) {
      const ns = hop.namespace || "default";
      const rid = this.lookup.get(`httproute:${ns}/${hop.route}`) || this.lookup.get(`httproute:${hop.route}`);
      if (rid) stops.push({ id: rid, port: hop.rule !== undefined && hop.rule !== null ? rulePort(rid, hop.rule) : null });
    }
    return stops;
  }

  // Centre of a box's head (or of the row a port leaves from), in CSS pixels of the diagram.
  anchor(id, port = null) {
    const c = id && this.items.get(id);
    if (!c) return null;
    const row = port && (c.box.ports || []).find((p) => p.id === port);
    const head = row ? row.dy : c.box.compound ? 17 : Math.min(c.h / 2, 26);
    return { id, x: (c.x + c.w / 2) * this.scale, y: (c.y + head) * this.scale };
  }

  // The points a dot follows from box `a` to box `b`: the drawn edge between them (through
  // one box in between, such as the Ingress controller, or into a pod's band), else a
  // straight line.
  // From a row's port (`fromPort`), the edge that leaves that row when there is one.
  path(a, b, fromPort = null, toPort = null) {
    const start = this.anchor(a, fromPort);
    const end = this.anchor(b, toPort);
    if (!start || !end) return null;
    const s = this.scale;
    const along = (points) => points.map(([x, y]) => ({ x: x * s, y: y * s }));
    const target = this.items.get(b);
    const band = target && target.box.parent && target.box.kind === "pod" ? target.box.parent : null;
    const direct =
      (fromPort && this.routes.get(`${fromPort}>${b}`)) || this.routes.get(`${a}>${b}`) || (band && this.routes.get(`${a}>${band}`));
    if (direct) return [start, ...along(direct), end];
    for (const [key, first] of this.routes) {
      if (!key.startsWith(`${a}>`)) continue;
      const mid = key.slice(a.length + 1);
      const second = this.routes.get(`${mid}>${b}`);
      if (second) return [start, ...along(first), ...along(second), end];
    }
    return [start, end];
  }

  probedPods() {
    const out = [];
    for (const c of this.items.values()) {
      const box = c.box;
      if (box.kind === "pod" && box.probe) {
        out.push({
          x: (c.x + c.w - 11) * this.scale, y: (c.y + 11) * this.scale, probe: box.probe,
          counts: this.model.probeCounts.get(box.podKey) || [0, 0], key: box.podKey,
          // The countdown: right-aligned in the room the chip keeps for it, on the probe
          // line's baseline, in its font at the diagram's scale.
          textX: (c.x + c.w - 7) * this.scale, textY: (c.y + 45) * this.scale, scale: this.scale,
        });
      }
    }
    return out;
  }
}
