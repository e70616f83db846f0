// Where every box goes and how every edge runs: Eclipse Layout Kernel's
// layered algorithm (elkjs, from the npm registry), in a Web Worker so a big
// room's layout never blocks the page. It orders each layer to minimise edge
// crossings and routes edges orthogonally around boxes; layers are fixed by
// kind (scene.js) through ELK's partitioning.
//
// ELK's cost grows with what it must order, so it gets a flat graph of few
// nodes (measured: docs/performance.md, "Drawing the layout"):
// - a Service and its Endpoints (same name) are one ELK node, the two boxes
//   side by side on one line, so the link between them is never crossed;
// - a node (or the box of addresses outside the cluster) is one ELK node whose
//   bands (pods.js) are stacked inside it in the order of the Endpoints that
//   list them, each band reached through a port on the node's left side; a
//   node of many bands has one port, and a spine inside its left edge takes
//   each link on to its band (ELK orders a few ports far faster than many);
//   links out of a band (to the NetworkPolicies that select its pods, the
//   last layer) leave by ports on the node's right side the same way.

import { gettext } from "./i18n.js";
import { quickLayout } from "./quick_layout.js";

const GRAPH_OPTIONS = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.partitioning.activate": "true",
  // One graph, not one per connected component: columns by kind hold across the room.
  "elk.separateConnectedComponents": "false",
  // Layers come from the partitions: the cheapest layering that honours them.
  "elk.layered.layering.strategy": "LONGEST_PATH",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.layered.spacing.nodeNodeBetweenLayers": "42",
  "elk.layered.spacing.edgeNodeBetweenLayers": "12",
  "elk.spacing.nodeNode": "12",
  "elk.spacing.edgeEdge": "6",
  "elk.spacing.edgeNode": "8",
  "elk.padding": "[top=14,left=14,bottom=14,right=14]",
};
// While they are cheap: more random restarts of crossing minimisation, and the model's
// order (the manifests') to break ties, which keeps small rooms' layouts steady. A big
// room drops both (measured: a quarter of ELK's time at 500 objects).
const bySize = (nodes) => ({
  "elk.layered.thoroughness": String(nodes <= 40 ? 7 : nodes <= 120 ? 3 : 1),
  "elk.layered.considerModelOrder.strategy": nodes <= 40 ? "NODES_AND_EDGES" : "NONE",
});
export const PAIR_GAP = 42; // between a Service and its Endpoints
const HEAD = 34; // a node's heading, above its bands
const PORTS_UP_TO = 4; // bands of a node that get a port each; more share one
const SPINE_X = 5; // where the shared port's spine runs, inside the node's left edge
const INNER_GAP = 8;
const INNER_PAD = 10;
const port = (id, x, y, side) => ({ id, x, y, width: 1, height: 1, layoutOptions: { "elk.port.side": side } });

// Services paired with their Endpoints: svc id -> ep id, where both are drawn.
function pairs(scene) {
  const out = new Map();
  for (const box of scene.boxes.values()) {
    if (box.kind !== "service") continue;
    const ep = `ep:${box.id.slice(4)}`;
    if (scene.boxes.has(ep)) out.set(box.id, ep);
  }
  return out;
}

// The ELK graph of a scene, and the plan that turns ELK's answer back into boxes:
// `members` (ELK node -> [[box id, dx, dy]]) and `ports` (box id -> ELK port). `gap`:
// between layers and inside a pair (projector mode narrows it, for larger text).
export function elkGraph(scene, gap = PAIR_GAP) {
  const paired = pairs(scene);
  const pairedEp = new Set(paired.values());
  const members = new Map();
  const target = new Map(); // box id -> the ELK node or port an edge to it ends at
  const spine = new Map(); // band id -> its node, for the bands behind a shared port
  const source = new Map(); // box id -> the ELK node or port an edge from it starts at
  const children = [];
  const top = (box) => !box.parent && box.kind !== "pod" && box.kind !== "band" && !pairedEp.has(box.id);
  const svcW = Math.max(0, ...[...paired.keys()].map((id) => scene.boxes.get(id).w));
  const order = new Map(); // Endpoints id -> its place in the model
  const contents = new Map(); // compound id -> inner boxes, in order
  const sources = new Set([...scene.links.values()].map((link) => link.from)); // boxes links start at
  for (const box of scene.boxes.values()) {
    if (box.kind === "endpoints") order.set(box.id, order.size);
    if (box.parent && box.kind !== "pod") {
      if (!contents.has(box.parent)) contents.set(box.parent, []);
      contents.get(box.parent).push(box);
    }
  }
  const hasExternals = contents.has("extbox");
  if (hasExternals) {
    scene.boxes.set("extbox", { id: "extbox", kind: "extbox", layer: 6, compound: true, w: 160, h: 40, title: gettext("Outside the cluster"), object: "" });
  }
  for (const box of scene.boxes.values()) {
    if (!top(box)) continue;
    const node = { id: box.id, width: box.w, height: box.h, layoutOptions: { "elk.partitioning.partition": String(box.layer) } };
    if (paired.has(box.id)) {
      const ep = scene.boxes.get(paired.get(box.id));
      const h = Math.max(box.h, ep.h);
      const epX = svcW + gap;
      node.width = epX + ep.w;
      node.height = h;
      members.set(box.id, [[box.id, 0, (h - box.h) / 2], [ep.id, epX, (h - ep.h) / 2]]);
      node.ports = [port(`${box.id}#in`, 0, h / 2, "WEST"), port(`${box.id}#out`, node.width, h / 2, "EAST")];
      node.layoutOptions["elk.portConstraints"] = "FIXED_POS";
      target.set(box.id, `${box.id}#in`);
      source.set(ep.id, `${box.id}#out`);
      target.set(ep.id, `${box.id}#out`);
    } else if (box.compound) {
      // Stacked inside: bands in the order of the first Endpoints that lists them.
      const inner = contents.get(box.id) || [];
      const rank = (b) => Math.min(1e9, ...(b.signature || "").split(",").map((ep) => order.get(ep) ?? 1e9));
      inner.sort((a, b) => rank(a) - rank(b));
      const top = box.kind === "node" ? HEAD : 30;
      const shared = inner.length > PORTS_UP_TO;
      node.ports = shared ? [port(`${box.id}#in`, 0, HEAD / 2, "WEST")] : [];
      node.width = Math.max(box.w, ...inner.map((b) => b.w + 2 * INNER_PAD));
      // Links out of a band (to the NetworkPolicies that select its pods) leave by the
      // node's right side: a port per band, or one shared port.
      const out = inner.some((b) => sources.has(b.id));
      if (shared && out) node.ports.push(port(`${box.id}#out`, node.width, HEAD / 2, "EAST"));
      members.set(box.id, [[box.id, 0, 0]]);
      // A port each: one band under the other. A shared port: bands in rows across the
      // node's width, the links running in the gaps above the rows.
      const across = shared ? Math.max(box.w, ...inner.map((b) => b.w + 2 * INNER_PAD)) - 2 * INNER_PAD : 0;
      let x = 0;
      let y = top;
      let rowH = 0;
      for (const b of inner) {
        if (x > 0 && x + b.w > across) {
          x = 0;
          y += rowH + INNER_GAP;
          rowH = 0;
        }
        members.get(box.id).push([b.id, INNER_PAD + x, y]);
        if (shared) spine.set(b.id, { node: box.id, gap: y - INNER_GAP / 2 });
        else node.ports.push(port(`${b.id}#in`, 0, y + Math.min(b.h / 2, 19), "WEST"));
        target.set(b.id, shared ? `${box.id}#in` : `${b.id}#in`);
        if (sources.has(b.id)) {
          if (!shared) node.ports.push(port(`${b.id}#out`, node.width, y + Math.min(b.h / 2, 19), "EAST"));
          source.set(b.id, shared ? `${box.id}#out` : `${b.id}#out`);
        }
        if (shared) {
          x += b.w + INNER_GAP;
          rowH = Math.max(rowH, b.h);
        } else y += b.h + INNER_GAP;
      }
      if (shared) y += rowH + INNER_GAP;
      node.height = Math.max(box.h, y);
      node.layoutOptions["elk.portConstraints"] = "FIXED_POS";
    } else if (box.ports) {
      node.ports = box.ports.map((p) => port(p.id, box.w, p.dy, "EAST"));
      node.layoutOptions["elk.portConstraints"] = "FIXED_POS";
    }
    if (!members.has(box.id)) members.set(box.id, [[box.id, 0, 0]]);
    children.push(node);
  }
  const edges = [];
  for (const link of scene.links.values()) {
    if (!scene.boxes.has(link.from) || !scene.boxes.has(link.to)) continue;
    if (paired.get(link.from) === link.to) continue; // drawn straight, inside the pair
    const from = link.fromPort || source.get(link.from) || link.from;
    edges.push({ id: link.id, sources: [from], targets: [target.get(link.to) || link.to] });
  }
  const options = { ...GRAPH_OPTIONS, ...bySize(children.length), "elk.layered.spacing.nodeNodeBetweenLayers": String(gap) };
  return { graph: { id: "root", layoutOptions: options, children, edges }, members, paired, spine };
}

// Boxes `{id: {x, y, w, h}}` and edge routes `{id: [[x, y], ...]}` from ELK's answer.
export function placed(scene, plan, laid) {
  const result = { boxes: new Map(), routes: new Map(), width: laid.width, height: laid.height };
  for (const node of laid.children || []) {
    for (const [id, dx, dy] of plan.members.get(node.id) || []) {
      const box = scene.boxes.get(id);
      const own = id === node.id && !plan.paired.has(id);
      result.boxes.set(id, { x: node.x + dx, y: node.y + dy, w: own ? node.width : box.w, h: own ? node.height : box.h });
    }
  }
  for (const edge of laid.edges || []) {
    const points = [];
    for (const s of edge.sections || []) {
      points.push([s.startPoint.x, s.startPoint.y]);
      for (const b of s.bendPoints || []) points.push([b.x, b.y]);
      points.push([s.endPoint.x, s.endPoint.y]);
    }
    result.routes.set(edge.id, points);
  }
  // From a shared port, down the node's spine, along the gap above the band's row and
  // into the band from above.
  for (const link of scene.links.values()) {
    const behind = plan.spine.get(link.to);
    const points = behind && result.routes.get(link.id);
    if (!points || !points.length) continue;
    const n = result.boxes.get(behind.node);
    const band = result.boxes.get(link.to);
    const [x, y] = points[points.length - 1];
    const gap = n.y + behind.gap;
    const into = band.x + SPINE_X + 6;
    points.push([x + SPINE_X, y], [n.x + SPINE_X, gap], [into, gap], [into, band.y]);
  }
  // Out of a band with a port of its own: from its right edge along the port's line
  // (behind a shared port, the link starts at the node's side).
  for (const link of scene.links.values()) {
    const band = scene.boxes.get(link.from);
    const points = band && band.kind === "band" && !plan.spine.has(link.from) && result.routes.get(link.id);
    if (!points || !points.length) continue;
    const at = result.boxes.get(link.from);
    points.unshift([at.x + at.w, points[0][1]]);
  }
  for (const link of scene.links.values()) {
    if (plan.paired.get(link.from) !== link.to) continue;
    const a = result.boxes.get(link.from);
    const b = result.boxes.get(link.to);
    if (a && b) result.routes.set(link.id, [[a.x + a.w, a.y + a.h / 2], [b.x, b.y + b.h / 2]]);
  }
  return result;
}

// A small graph shaped like a room's (pairs with ports, nodes with bands), to warm ELK up.
function warmGraph() {
  const children = [{ id: "c", width: 90, height: 44, layoutOptions: { "elk.partitioning.partition": "0" } }];
  const edges = [];
  for (let i = 0; i < 8; i += 1) {
    children.push({
      id: `s${i}`, width: 300, height: 48, ports: [port(`s${i}i`, 0, 24, "WEST"), port(`s${i}o`, 300, 24, "EAST")],
      layoutOptions: { "elk.partitioning.partition": "3", "elk.portConstraints": "FIXED_POS" },
    });
    edges.push({ id: `c${i}`, sources: ["c"], targets: [`s${i}i`] });
  }
  for (let n = 0; n < 3; n += 1) {
    const ports = [];
    for (let i = 0; i < 8; i += 1) {
      ports.push(port(`n${n}p${i}`, 0, 40 + 30 * i, "WEST"));
      if ((i + n) % 3) edges.push({ id: `e${n}-${i}`, sources: [`s${i}o`], targets: [`n${n}p${i}`] });
    }
    children.push({ id: `n${n}`, width: 400, height: 300, ports, layoutOptions: { "elk.partitioning.partition": "5", "elk.portConstraints": "FIXED_POS" } });
  }
  return { id: "warm", layoutOptions: { ...GRAPH_OPTIONS, ...bySize(60) }, children, edges };
}

// How long the first layout waits for ELK before drawing the quick one (quick_layout.js).
const QUICK_AFTER_MS = 60;
const delay = (ms) => new Promise((resolve) => setTimeout(() => resolve(null), ms));

export class Layouter {
  constructor(workerUrl) {
    // elk-api.js (a classic script) defines ELK; the layout itself runs in elk's worker,
    // which elk_start.js started as the page began (one Layouter per page takes it).
    const started = window.kubeplayElk;
    window.kubeplayElk = null;
    this.elk = started ? started.elk : new window.ELK({ workerUrl });
    this.cache = { key: "", laid: null };
    this.pending = null; // {key, promise}: ELK's layout under way
    this.warm = false; // ELK has laid out a room: its code is compiled
    this.quick = null; // {key, laid}: the quick layout drawn while ELK was cold
    this.lastMs = 0;
    this.gap = PAIR_GAP; // between layers (projector.js narrows it)
    // Called when ELK's layout replaces a quick one (the diagram draws again), or fails.
    this.onRefined = () => {};
    this.onFailed = () => {};
    // Compile ELK's code paths (ports, partitions, routing) while the snapshot is on its
    // way: a cold first layout costs several times a warm one.
    this.warming = this.elk.layout(warmGraph()).catch(() => {});
  }

  run(graph, key) {
    const started = performance.now();
    return this.elk.layout(graph).then((laid) => {
      this.lastMs = performance.now() - started;
      this.cache = { key, laid };
      this.warm = true;
      return laid;
    });
  }

  // Positions `{id: {x, y, w, h}}` and edge routes `{id: [[x, y], ...]}` for `graph`
  // (`quick`: the page's quick layout, ELK's to follow); the same graph again (a pod
  // turned ready) costs nothing.
  async layout(scene) {
    const plan = elkGraph(scene, this.gap);
    const key = JSON.stringify(plan.graph);
    if (key === this.cache.key) return placed(scene, plan, this.cache.laid);
    if (!this.pending || this.pending.key !== key) this.pending = { key, promise: this.run(plan.graph, key) };
    const { promise } = this.pending;
    if (!this.warm) {
      // ELK is cold (its first layouts compile it): unless it answers at once, draw the
      // quick layout now and ELK's when it comes.
      const laid = await Promise.race([promise, delay(QUICK_AFTER_MS)]);
      if (!laid) {
        if (!this.quick || this.quick.key !== key) {
          promise.then(() => this.pending && this.pending.key === key && this.onRefined(), (error) => this.onFailed(error));
          const started = performance.now();
          this.quick = { key, laid: quickLayout(plan.graph, this.gap) };
          this.lastMs = performance.now() - started;
        }
        return { ...placed(scene, plan, this.quick.laid), quick: true };
      }
    }
    return placed(scene, plan, await promise);
  }
}
