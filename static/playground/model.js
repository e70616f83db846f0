// The room's topology as the server last described it: a snapshot, kept
// current by each frame's `changes` (objects to upsert, keys to remove).

// Namespaces of the cluster's own machinery, hidden unless asked for.
export const SYSTEM_NAMESPACES = new Set(["kube-system", "kube-public", "kube-node-lease", "ingress-nginx"]);

export const COLLECTIONS = ["nodes", "pods", "services", "endpoints", "ingresses", "workloads"];

export function keyOf(collection, obj) {
  if (collection === "nodes") return obj.name;
  if (collection === "workloads") return `${obj.kind}/${obj.namespace}/${obj.name}`;
  return `${obj.namespace}/${obj.name}`;
}

export class Topology {
  constructor() {
    this.maps = Object.fromEntries(COLLECTIONS.map((c) => [c, new Map()]));
    this.host = {};
    this.ingressController = {};
    this.targets = [];
    this.version = 0;
  }

  load(topology, targets) {
    for (const collection of COLLECTIONS) {
      const map = new Map();
      for (const obj of topology[collection] || []) map.set(keyOf(collection, obj), obj);
      this.maps[collection] = map;
    }
    this.host = topology.host || {};
    this.ingressController = topology.ingressController || {};
    this.targets = targets || [];
    this.version += 1;
  }

  apply(changes) {
    for (const collection of COLLECTIONS) {
      const change = changes[collection];
      if (!change) continue;
      const map = this.maps[collection];
      for (const key of change.remove || []) map.delete(key);
      for (const obj of change.upsert || []) map.set(keyOf(collection, obj), obj);
    }
    if (changes.host) this.host = changes.host;
    if (changes.ingressController) this.ingressController = changes.ingressController;
    if (changes.targets) this.targets = changes.targets;
    this.version += 1;
  }

  list(collection) {
    return [...this.maps[collection].values()];
  }

  get(collection, key) {
    return this.maps[collection].get(key);
  }
}
