// A first layout of ELK's graph in a few milliseconds, on the page, for the first
// draw while ELK's worker is still cold: compiling ELK and its first runs cost several
// times a warm layout (docs/performance.md, "Drawing the layout"), so a room's
// first draw would wait for it. ELK's own layout replaces this one as soon as it
// comes (the boxes glide there); this one only has to be legible meanwhile:
// - the same layers (partitions) as columns, left to right;
// - each column ordered by the barycentre of its neighbours' ports, swept right
//   then left then right (the classic heuristic ELK's crossing minimisation starts from);
// - orthogonal edges: out of the source, down a vertical channel in the gap before the
//   target's column, into the target; an edge that skips columns runs along a lane
//   that no box of the columns it crosses occupies, so no edge runs through a box.
// It returns what ELK returns (children with x/y, edges with sections), so
// layout.js's `placed` reads either.

const PAD = 14;
const NODE_GAP = 12; // between boxes of a column
const CHANNEL = 6; // between vertical segments in a gap
const CLEAR = 4; // a lane's distance from boxes

function partitionOf(node) {
  return Number((node.layoutOptions || {})["elk.partitioning.partition"] || 0);
}

export function quickLayout(graph, gap) {
  const nodes = graph.children;
  const ends = new Map(); // node or port id -> {node, dx, dy}
  for (const n of nodes) {
    ends.set(n.id, { node: n, dx: null, dy: null });
    for (const p of n.ports || []) ends.set(p.id, { node: n, dx: p.x, dy: p.y });
  }
  const parts = [...new Set(nodes.map(partitionOf))].sort((a, b) => a - b);
  const column = new Map(nodes.map((n) => [n.id, parts.indexOf(partitionOf(n))]));
  const columns = parts.map(() => []);
  for (const n of nodes) columns[column.get(n.id)].push(n);
  const edges = graph.edges
    .map((e) => ({ id: e.id, from: ends.get(e.sources[0]), to: ends.get(e.targets[0]), port: e.sources[0] }))
    .filter((e) => e.from && e.to);

  // Rows: stack each column, then reorder it by its neighbours' barycentres.
  const y = new Map();
  const stack = (col) => {
    let at = PAD;
    for (const n of col) {
      y.set(n.id, at);
      at += n.height + NODE_GAP;
    }
  };
  columns.forEach(stack);
  const endY = (end) => y.get(end.node.id) + (end.dy ?? end.node.height / 2);
  const neighbours = new Map(nodes.map((n) => [n.id, { left: [], right: [] }]));
  for (const e of edges) {
    neighbours.get(e.to.node.id).left.push([e.to, e.from]);
    neighbours.get(e.from.node.id).right.push([e.from, e.to]);
  }
  const sweep = (c, side) => {
    const keyed = columns[c].map((n, i) => {
      const links = neighbours.get(n.id)[side];
      const key = links.length ? links.reduce((s, [own, other]) => s + endY(other) - (own.dy ?? n.height / 2), 0) / links.length : y.get(n.id);
      return { n, key, i };
    });
    keyed.sort((a, b) => a.key - b.key || a.i - b.i);
    columns[c] = keyed.map((k) => k.n);
    stack(columns[c]);
  };
  for (let c = 1; c < columns.length; c += 1) sweep(c, "left");
  for (let c = columns.length - 2; c >= 0; c -= 1) sweep(c, "right");
  for (let c = 1; c < columns.length; c += 1) sweep(c, "left");

  // Lanes for edges that pass columns: the free y nearest to where they run.
  const blocked = (c, at) => columns[c].some((n) => at > y.get(n.id) - CLEAR && at < y.get(n.id) + n.height + CLEAR);
  const height = Math.max(PAD, ...columns.map((col) => (col.length ? y.get(col.at(-1).id) + col.at(-1).height : 0))) + PAD;
  const lane = (from, to, sy, ty) => {
    const crossed = [];
    for (let c = from + 1; c < to; c += 1) crossed.push(c);
    if (!crossed.some((c) => blocked(c, sy))) return sy;
    const candidates = [PAD / 2, height - PAD / 2];
    for (const c of crossed) {
      columns[c].forEach((n, i) => {
        const below = y.get(n.id) + n.height;
        const next = columns[c][i + 1];
        candidates.push(next ? (below + y.get(next.id)) / 2 : below + NODE_GAP / 2);
      });
    }
    const free = candidates.filter((at) => !crossed.some((c) => blocked(c, at)));
    free.sort((a, b) => Math.abs(a - sy) + Math.abs(a - ty) - (Math.abs(b - sy) + Math.abs(b - ty)));
    return free.length ? free[0] : height - PAD / 2;
  };

  // Vertical segments by gap (the gap before column c); edges from one port share one.
  // Each keeps the y's where it meets its horizontals on the left and on the right.
  const gaps = parts.map(() => new Map()); // gap -> key -> {lo, hi, lefts, rights}
  const runs = [];
  const segment = (g, key, left, right) => {
    const spans = gaps[Math.max(0, Math.min(g, gaps.length - 1))];
    const s = spans.get(key) || { lo: Infinity, hi: -Infinity, lefts: [], rights: [] };
    s.lo = Math.min(s.lo, left, right);
    s.hi = Math.max(s.hi, left, right);
    s.lefts.push(left);
    s.rights.push(right);
    spans.set(key, s);
    return s;
  };
  // Edges between neighbouring columns that share a port (either end) share one trunk,
  // as ELK merges them: a Service's Endpoints fanning out to bands, a node's shared
  // port gathering many Endpoints.
  const root = new Map();
  const find = (k) => {
    while (root.has(k) && root.get(k) !== k) k = root.get(k);
    return k;
  };
  const portOf = (end) => (end.dy === null ? `n:${end.node.id}` : `${end.node.id}@${end.dx},${end.dy}`);
  for (const e of edges) {
    if (column.get(e.to.node.id) !== column.get(e.from.node.id) + 1) continue;
    const a = find(`s:${portOf(e.from)}`);
    const b = find(`t:${portOf(e.to)}`);
    root.set(a, a);
    root.set(b, a);
  }
  for (const e of edges) {
    const a = column.get(e.from.node.id);
    const b = column.get(e.to.node.id);
    const sy = endY(e.from);
    const ty = endY(e.to);
    if (b === a + 1) {
      runs.push({ e, sy, ty, first: segment(b, find(`s:${portOf(e.from)}`), sy, ty) });
    } else {
      const back = b <= a;
      const at = back ? height - PAD / 2 : lane(a, b, sy, ty);
      const first = segment(a + 1, `e:${e.id}`, sy, at);
      const second = segment(Math.max(b, 1), `t:${e.id}`, at, ty);
      runs.push({ e, sy, ty, at, first, second });
    }
  }
  const widths = gaps.map((spans) => Math.max(gap, 2 * NODE_GAP + channels([...spans.values()]) * CHANNEL));
  const x = [];
  let at = PAD;
  columns.forEach((col, c) => {
    if (c > 0) at += widths[c];
    x.push(at);
    at += Math.max(0, ...col.map((n) => n.width));
  });
  const channelX = (g, s) => x[Math.max(1, Math.min(g, x.length - 1))] - widths[Math.max(1, Math.min(g, x.length - 1))] + NODE_GAP + s.channel * CHANNEL;

  const children = nodes.map((n) => ({ id: n.id, x: x[column.get(n.id)], y: y.get(n.id), width: n.width, height: n.height }));
  const placedAt = new Map(children.map((n) => [n.id, n]));
  const point = (end, side) => {
    const n = placedAt.get(end.node.id);
    return { x: n.x + (end.dx ?? (side === "out" ? end.node.width : 0)), y: n.y + (end.dy ?? end.node.height / 2) };
  };
  const laidEdges = runs.map(({ e, ty, at: laneY, first, second }) => {
    const start = point(e.from, "out");
    const end = point(e.to, "in");
    const a = column.get(e.from.node.id);
    const b = column.get(e.to.node.id);
    let bends;
    if (!second) {
      const cx = channelX(b, first);
      bends = [{ x: cx, y: start.y }, { x: cx, y: ty }];
    } else {
      const c1 = channelX(a + 1, first);
      const c2 = channelX(Math.max(b, 1), second);
      bends = [{ x: c1, y: start.y }, { x: c1, y: laneY }, { x: c2, y: laneY }, { x: c2, y: ty }];
    }
    return { id: e.id, sections: [{ startPoint: start, endPoint: end, bendPoints: bends }] };
  });
  return { id: graph.id, x: 0, y: 0, width: at + PAD, height, children, edges: laidEdges };
}

// Channels of one gap, left to right: of two segments that overlap, the one whose
// horizontals cross the other less goes left (the count both ways, as ELK's orthogonal
// router weighs it), ranked by those votes; a segment takes the first channel right of
// every earlier-ranked segment it overlaps, so segments that do not overlap share one.
// Returns how many channels the gap needs.
function channels(segments) {
  const inside = (y, s) => y > s.lo + 0.5 && y < s.hi - 0.5;
  const cost = (a, b) => a.rights.filter((y) => inside(y, b)).length + b.lefts.filter((y) => inside(y, a)).length;
  const overlap = (a, b) => a.lo <= b.hi + CHANNEL && b.lo <= a.hi + CHANNEL;
  for (const s of segments) s.score = 0;
  for (let i = 0; i < segments.length; i += 1) {
    for (let j = i + 1; j < segments.length; j += 1) {
      const a = segments[i];
      const b = segments[j];
      if (!overlap(a, b)) continue;
      const d = cost(b, a) - cost(a, b); // > 0: a left of b crosses less
      a.score -= d;
      b.score += d;
    }
  }
  const ranked = segments.map((s, i) => [s, i]).sort(([a, i], [b, j]) => a.score - b.score || a.lo - b.lo || i - j);
  let count = 0;
  const done = [];
  for (const [s] of ranked) {
    s.channel = 0;
    for (const t of done) if (overlap(s, t)) s.channel = Math.max(s.channel, t.channel + 1);
    done.push(s);
    count = Math.max(count, s.channel + 1);
  }
  return count;
}
