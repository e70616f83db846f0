// The room's topology as the server last described it: a snapshot, kept
// current by each frame's `changes` (objects to upsert, keys to remove).
// The collections and the system namespaces come with the snapshot, so the
// server names them once for both sides of the wire.

const EMPTY = new Map();

export function keyOf(collection, obj) {
  if (collection === "nodes") return obj.name;
  if (collection === "workloads") return `${obj.kind}/${obj.namespace}/${obj.name}`;
  return `${obj.namespace}/${obj.name}`;
}

export class Topology {
  constructor() {
    this.collections = [];
    this.systemNamespaces = new Set();
    this.maps = {};
    this.host = {};
    this.ingressController = {};
    this.targets = [];
    // First steps, from the simulator: {first, missing, waiting}, {title, commands,
    // podSelector}, and when the cluster next changes by itself ({at, what} or null).
    this.requests = { first: null, missing: "", waiting: "" };
    this.suggestions = { title: "", commands: [], podSelector: "" };
    this.nextChange = null;
    // Each probed pod's latest readiness-probe results in a row: [successes, failures].
    this.probeCounts = new Map();
    this.version = 0;
  }

  // A `snapshot` message: everything anew.
  load(snapshot) {
    const topology = snapshot.topology;
    this.collections = snapshot.collections;
    this.systemNamespaces = new Set(snapshot.systemNamespaces);
    this.maps = {};
    for (const collection of this.collections) {
      const map = new Map();
      for (const obj of topology[collection] || []) map.set(keyOf(collection, obj), obj);
      this.maps[collection] = map;
    }
    this.host = topology.host || {};
    this.ingressController = topology.ingressController || {};
    this.targets = snapshot.targets || [];
    if (snapshot.requests) this.requests = snapshot.requests;
    if (snapshot.suggestions) this.suggestions = snapshot.suggestions;
    this.nextChange = snapshot.nextChange || null;
    this.probeCounts = new Map(Object.entries(snapshot.probes || {}));
    this.version += 1;
  }

  // A frame's `changes`.
  apply(changes) {
    for (const collection of this.collections) {
      const change = changes[collection];
      if (!change) continue;
      const map = this.maps[collection];
      for (const key of change.remove || []) map.delete(key);
      for (const obj of change.upsert || []) map.set(keyOf(collection, obj), obj);
    }
    if (changes.targets) this.targets = changes.targets;
    if (changes.requests) this.requests = changes.requests;
    if (changes.suggestions) this.suggestions = changes.suggestions;
    this.version += 1;
  }

  // A frame's `probes`: the probes that ran.
  probesRan(probes) {
    for (const [key, counts] of Object.entries(probes)) this.probeCounts.set(key, counts);
  }

  isSystem(namespace) {
    return this.systemNamespaces.has(namespace);
  }

  list(collection) {
    return [...(this.maps[collection] || EMPTY).values()];
  }

  get(collection, key) {
    return (this.maps[collection] || EMPTY).get(key);
  }
}
