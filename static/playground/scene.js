// What the diagram shows, before anything is placed: boxes in layers and the
// links between them, built from the model kind by kind.
//
// Layers, left to right: clients; gateways (the Ingress controller, a
// Gateway); routes (Ingress, HTTPRoute); Services; Endpoints; pods by node;
// addresses outside the cluster; NetworkPolicies. A kind is one entry of `KINDS`:
// the collection it reads and a function that adds its boxes and links, so a
// new kind (Gateway, HTTPRoute, NetworkPolicy) is one more entry and the
// layout places it. The server decides every relation; this only draws them.

import { gatewayKinds } from "./scene_gateways.js";
import { gettext, interpolate, ngettext, pgettext } from "./i18n.js";
import { HOST, LAYERS } from "./layers.js";
import { FONTS, qualified, widthFor } from "./names.js";

export { HOST, LAYERS, widthFor };
const RULE_H = 17;

export class Scene {
  constructor(model, visible) {
    this.model = model;
    this.visible = visible;
    this.boxes = new Map(); // id -> box
    this.links = new Map(); // id -> {id, from, to, fromPort, style}
    this.podLinks = []; // {from, podKey, ready}: joined to the pods' bands once they exist
    this.selectedBy = new Map(); // pod key -> [policy box ids]: linked from the pods' bands
  }

  box(box) {
    this.boxes.set(box.id, box);
    return box;
  }

  link(from, to, style, fromPort = null) {
    const id = `e:${fromPort || from}>${to}`;
    const known = this.links.get(id);
    // A link drawn once per pair: solid when any of what it stands for is ready.
    if (known) {
      if (style === "ready") known.style = "ready";
      return known;
    }
    const link = { id, from, to, fromPort, style };
    this.links.set(id, link);
    return link;
  }

  external(address) {
    const id = `ext:${address}`;
    if (!this.boxes.has(id)) {
      this.box({
        id, kind: "external", layer: LAYERS.outside, parent: "extbox", title: address, names: [address],
        w: widthFor([[address, FONTS.sub]], 110, 240), h: 26, object: "", spoken: gettext("Address outside the cluster:"),
      });
    }
    return id;
  }
}

function clients(scene) {
  const m = scene.model;
  const ip = m.host.ip || "";
  scene.box({
    id: HOST, kind: "client", layer: LAYERS.clients, title: gettext("You (host)"), sub: ip, h: 48,
    w: widthFor([[gettext("You (host)"), FONTS.title], [ip, FONTS.sub]], 96, 160), object: "",
    spoken: gettext("Client: your computer,"),
  });
  const dns = m.get("services", "kube-system/kube-dns");
  const dnsIp = dns ? dns.clusterIP : "10.96.0.10";
  scene.box({
    id: "dns", kind: "dns", layer: LAYERS.clients, title: gettext("Cluster DNS"), sub: dnsIp, h: 44,
    w: widthFor([[gettext("Cluster DNS"), FONTS.title], [dnsIp, FONTS.sub]], 96, 160),
    object: dns ? "Service|kube-system|kube-dns" : "", detail: "CoreDNS, Service kube-system/kube-dns",
  });
}

function ingresses(scene, list) {
  if (!list.length) return;
  const ip = scene.model.ingressController.ip || "";
  scene.box({
    id: "ingressctl", kind: "ingressctl", layer: LAYERS.gateways, title: "ingress-nginx", sub: ip, h: 44,
    w: widthFor([["ingress-nginx", FONTS.title], [ip, FONTS.sub]], 110, 180), object: "",
    spoken: gettext("Ingress controller"),
  });
  scene.link(HOST, "ingressctl", "client");
  for (const ing of list) {
    const tlsHosts = new Set((ing.tls || []).flatMap((t) => t.hosts || []));
    const rows = (ing.rules || []).map((r) => ({
      text: `${r.host || "*"}${r.path || "/"}`, tls: tlsHosts.has(r.host), service: r.service,
    }));
    if (ing.defaultBackend) rows.push({ text: gettext("default backend"), service: ing.defaultBackend.service });
    const id = `ingress:${ing.namespace}/${ing.name}`;
    const heading = qualified(ing);
    scene.box({
      id, kind: "ingress", layer: LAYERS.routes, title: ing.name, heading, sub: ing.tls && ing.tls.length ? "TLS" : "",
      rows, h: 36 + RULE_H * rows.length,
      w: widthFor([[`${heading}  TLS`, FONTS.title], ...rows.map((r) => [r.text, FONTS.sub])], 150, 260),
      ports: rows.map((_, i) => ({ id: `${id}#${i}`, dy: 36 + RULE_H * i + 6 })),
      object: `Ingress|${ing.namespace}|${ing.name}`,
      spoken: "Ingress", detail: rows.map((r) => interpolate(gettext("%(rule)s to %(service)s"), { rule: r.text, service: r.service })).join(", "),
    });
    scene.link("ingressctl", id, "client");
    rows.forEach((row, i) => {
      if (row.service) scene.link(id, `svc:${ing.namespace}/${row.service}`, "rule", `${id}#${i}`);
    });
  }
}

function services(scene, list) {
  for (const s of list) {
    const key = `${s.namespace}/${s.name}`;
    const lines = (s.ports || []).slice(0, 4).map((p) => {
      const target = p.targetPort !== undefined && p.targetPort !== p.port ? `→${p.targetPort}` : "";
      return `${p.port}${target}${p.nodePort ? ` node:${p.nodePort}` : ""}`;
    });
    if (s.loadBalancerIP) lines.push(`LB ${s.loadBalancerIP}`);
    if (s.externalName) lines.push(`→ ${s.externalName}`);
    const type = s.headless ? "Headless" : s.type;
    const sub = s.headless ? "clusterIP: None" : s.clusterIP || "";
    const id = `svc:${key}`;
    scene.box({
      id, kind: "service", layer: LAYERS.services, title: s.name, heading: qualified(s), badge: type, sub, lines,
      h: 40 + 15 * lines.length,
      w: widthFor([[qualified(s), FONTS.title], [`${sub}            `, FONTS.sub], ...lines.map((l) => [l, FONTS.sub])], 160, 260),
      object: `Service|${s.namespace}|${s.name}`,
      spoken: "Service", detail: interpolate(gettext("selector %(selector)s"), { selector: s.selectorText || gettext("none") }),
    });
    if (s.type === "NodePort" || s.type === "LoadBalancer") scene.link(HOST, id, "client");
    if (s.externalName) scene.link(id, scene.external(s.externalName), "external");
  }
}

function endpoints(scene, list) {
  for (const ep of list) {
    const key = `${ep.namespace}/${ep.name}`;
    const addresses = ep.addresses || [];
    const ready = addresses.filter((a) => a.ready).length;
    const notReady = addresses.length - ready;
    const readyText = interpolate(gettext("%(count)s ready"), { count: ready });
    const notReadyText = notReady ? ` · ${interpolate(gettext("%(count)s not ready"), { count: notReady })}` : "";
    const sub = addresses.length ? readyText + notReadyText : gettext("no addresses");
    const id = `ep:${key}`;
    scene.box({
      id, kind: "endpoints", layer: LAYERS.endpoints, title: ep.name, heading: qualified(ep), sub, empty: ready === 0,
      h: notReady ? 60 : 48, w: widthFor([[qualified(ep), FONTS.title], [readyText, FONTS.sub]], 110, 200),
      object: `Endpoints|${ep.namespace}|${ep.name}`, spoken: "Endpoints",
    });
    if (scene.boxes.has(`svc:${key}`)) scene.link(`svc:${key}`, id, "ep");
    for (const a of addresses) {
      if (a.pod) scene.podLinks.push({ from: id, podKey: `${ep.namespace}/${a.pod}`, ready: a.ready });
      else scene.link(id, scene.external(a.ip), a.ready ? "ready" : "notready");
    }
  }
}

const DIRECTIONS = {
  ingress: pgettext("NetworkPolicy direction", "ingress"),
  egress: pgettext("NetworkPolicy direction", "egress"),
};

// NetworkPolicies right of the nodes, each linked from the bands of the pods it selects
// (and so isolates, for the directions it covers); one that selects no pod says so.
function policies(scene, list) {
  const sorted = list.slice().sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  for (const policy of sorted) {
    const id = `netpol:${policy.namespace}/${policy.name}`;
    // Per direction the policy covers: how many rules, or "deny" without any.
    const directions = [[DIRECTIONS.ingress, policy.ingress], [DIRECTIONS.egress, policy.egress]]
      .filter(([, rules]) => rules !== null)
      .map(([direction, rules]) => (rules.length
        ? interpolate(ngettext("%(direction)s %(count)s rule", "%(direction)s %(count)s rules", rules.length), { direction, count: rules.length })
        : interpolate(gettext("%(direction)s: deny"), { direction })));
    const count = policy.selects.length;
    const selects = count ? interpolate(ngettext("%(count)s pod", "%(count)s pods", count), { count }) : gettext("selects no pod");
    const everyPod = policy.podSelector === "<none>";
    const types = directions.join(" · ") || gettext("no policy type");
    const line = count ? (everyPod ? gettext("all pods") : policy.podSelector) : selects;
    const heading = qualified(policy);
    scene.box({
      id, kind: "netpol", layer: LAYERS.policies, title: policy.name, heading, sub: types, lines: [line],
      empty: !count, h: 54, w: widthFor([[heading, FONTS.title], [types, FONTS.sub], [line, FONTS.sub]], 130, 240),
      // Read after the texts shown: the selector (or "selects no pod"), then how many it selects.
      object: `NetworkPolicy|${policy.namespace}|${policy.name}`, spoken: "NetworkPolicy", detail: count ? selects : "",
    });
    for (const pod of policy.selects) {
      const key = `${policy.namespace}/${pod}`;
      if (!scene.selectedBy.has(key)) scene.selectedBy.set(key, []);
      scene.selectedBy.get(key).push(id);
    }
  }
}

// Each kind the diagram draws: the model's collection and what it adds. Pods and nodes
// are placed by the layout (in bands per node); their entries only list them.
export const KINDS = [
  { collection: "ingresses", add: ingresses },
  ...gatewayKinds,
  { collection: "services", add: services },
  { collection: "endpoints", add: endpoints },
  { collection: "networkPolicies", add: policies },
];

export function buildScene(model, visible) {
  const scene = new Scene(model, visible);
  clients(scene);
  for (const kind of KINDS) kind.add(scene, model.list(kind.collection).filter(visible));
  return scene;
}
