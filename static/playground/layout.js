// Where every box goes and how every edge runs: Eclipse Layout Kernel's
// layered algorithm (elkjs, from the npm registry), in a Web Worker so a big
// room's layout never blocks the page. It orders each layer to minimise edge
// crossings and routes edges orthogonally around boxes; layers are fixed by
// kind (scene.js) through ELK's partitioning. Pods are not ELK's concern: a
// band is one box, its chips sit in a grid inside it (pods.js).

const GRAPH_OPTIONS = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.hierarchyHandling": "INCLUDE_CHILDREN",
  "elk.partitioning.activate": "true",
  "elk.layered.thoroughness": "7",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.layered.spacing.nodeNodeBetweenLayers": "42",
  "elk.layered.spacing.edgeNodeBetweenLayers": "12",
  "elk.spacing.nodeNode": "12",
  "elk.spacing.edgeEdge": "6",
  "elk.spacing.edgeNode": "8",
  "elk.padding": "[top=14,left=14,bottom=14,right=14]",
  "elk.json.shapeCoords": "ROOT",
  "elk.json.edgeCoords": "ROOT",
};
const NODE_PADDING = "[top=34,left=10,bottom=8,right=10]";
const EXT_PADDING = "[top=30,left=8,bottom=6,right=8]";

// The ELK graph of a scene: top-level boxes in their layer's partition; nodes and the
// outside box as compounds of their bands and addresses; links as edges.
export function elkGraph(scene) {
  const children = [];
  const compounds = new Map();
  const hasExternals = [...scene.boxes.values()].some((b) => b.parent === "extbox");
  if (hasExternals) {
    const ext = { id: "extbox", kind: "extbox", layer: 6, compound: true, w: 160, h: 40, title: "Outside the cluster", object: "" };
    scene.boxes.set("extbox", ext);
  }
  for (const box of scene.boxes.values()) {
    if (box.kind === "pod") continue; // inside a band
    const node = { id: box.id, width: box.w, height: box.h };
    if (box.compound) {
      node.children = [];
      node.layoutOptions = {
        "elk.padding": box.kind === "node" ? NODE_PADDING : EXT_PADDING,
        "elk.nodeSize.constraints": "MINIMUM_SIZE",
        "elk.nodeSize.minimum": `(${box.w},${box.h})`,
        "elk.partitioning.partition": String(box.layer),
      };
      compounds.set(box.id, node);
    } else if (!box.parent) {
      node.layoutOptions = { "elk.partitioning.partition": String(box.layer) };
    }
    if (box.ports) {
      node.ports = box.ports.map((p) => ({ id: p.id, x: box.w, y: p.dy, width: 1, height: 1, layoutOptions: { "elk.port.side": "EAST" } }));
      node.layoutOptions = { ...node.layoutOptions, "elk.portConstraints": "FIXED_POS" };
    }
    if (!box.parent) children.push(node);
  }
  for (const box of scene.boxes.values()) {
    if (box.kind === "pod" || !box.parent) continue;
    const parent = compounds.get(box.parent);
    if (parent) parent.children.push({ id: box.id, width: box.w, height: box.h });
  }
  const edges = [];
  for (const link of scene.links.values()) {
    if (!scene.boxes.has(link.from) || !scene.boxes.has(link.to)) continue;
    edges.push({ id: link.id, sources: [link.fromPort || link.from], targets: [link.to] });
  }
  return { id: "root", layoutOptions: GRAPH_OPTIONS, children, edges };
}

export class Layouter {
  constructor(workerUrl) {
    // elk-api.js (a classic script) defines ELK; the layout itself runs in elk's worker.
    this.elk = new window.ELK({ workerUrl });
    this.cache = { key: "", result: null };
    this.lastMs = 0;
    // Load and warm the worker while the snapshot is on its way.
    this.elk.layout({ id: "warm", children: [{ id: "a", width: 1, height: 1 }], edges: [] }).catch(() => {});
  }

  // Positions `{id: {x, y, w, h}}` and edge routes `{id: [[x, y], ...]}` for `graph`;
  // the same graph again (a pod turned ready) costs nothing.
  async layout(graph) {
    const key = JSON.stringify(graph);
    if (key === this.cache.key) return this.cache.result;
    const started = performance.now();
    const laid = await this.elk.layout(graph);
    this.lastMs = performance.now() - started;
    const result = { boxes: new Map(), routes: new Map(), width: laid.width, height: laid.height, ms: this.lastMs };
    const walk = (node) => {
      for (const child of node.children || []) {
        result.boxes.set(child.id, { x: child.x, y: child.y, w: child.width, h: child.height });
        walk(child);
      }
      for (const edge of node.edges || []) {
        const points = [];
        for (const s of edge.sections || []) {
          points.push([s.startPoint.x, s.startPoint.y]);
          for (const b of s.bendPoints || []) points.push([b.x, b.y]);
          points.push([s.endPoint.x, s.endPoint.y]);
        }
        result.routes.set(edge.id, points);
      }
    };
    walk(laid);
    this.cache = { key, result };
    return result;
  }
}
