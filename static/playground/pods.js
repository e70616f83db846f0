// Pods by node, in bands: the pods of a node that the same Endpoints list sit
// together, so one link from each Endpoints reaches the band rather than one
// per pod (no tangle, however many Services). Inside a band, chips keep their
// place: a replacement pod takes the slot of the pod it replaced, so a deleted
// pod is seen coming back where it was. Above a threshold, one chip per
// workload and band stands for its pods.

import { gettext, interpolate, ngettext } from "./i18n.js";
import { FONTS, podLabel, podParts, textWidth } from "./names.js";
import { LAYERS } from "./scene.js";

export const GROUP_THRESHOLD = 150; // more pods than this: one chip per workload per band
const CHIP_GAP = 6;
const BAND_PAD = 4;

// What a pod's status says, as `kubectl get pods` would show it: whatever the server
// sends (a phase, a reason, Terminating), so new phases show up without more work.
export function podStatus(pod) {
  if (pod.status) return pod.status;
  if (pod.deletionTimestamp || pod.terminating) return "Terminating";
  if (pod.reason) return pod.reason;
  if (pod.phase === "Running") return pod.ready ? "Running" : "Running, not ready";
  return pod.phase || "Pending";
}

export function podState(pod) {
  const status = podStatus(pod);
  if (status === "Terminating") return "terminating";
  if (pod.ready) return "ready";
  return pod.phase === "Running" ? "notready" : "pending";
}

// What a probed chip keeps free at the right of its title: the probe's ring (dots.js
// draws it 11 px from the corner, 7.5 px across its stroke) and a gap.
const RING_ROOM = 20;

// The probe line of a chip: failures (or successes) in a row so far against the
// threshold that flips the pod's readiness.
export function probeText(probe, counts) {
  if (!probe) return "";
  const [successes, failures] = counts || [0, 0];
  const failAt = probe.failureThreshold || 3;
  const passAt = probe.successThreshold || 1;
  // Counts past the threshold read as reached (3/3, not 5/3): the pod stays not ready.
  if (failures) {
    return interpolate(gettext("probe failed %(count)s/%(threshold)s"), { count: Math.min(failures, failAt), threshold: failAt });
  }
  if (successes) {
    return interpolate(gettext("probe passed %(count)s/%(threshold)s"), { count: Math.min(successes, passAt), threshold: passAt });
  }
  return gettext("probe: not run yet");
}

// The countdown beside a probed chip's probe line (dots.js draws it every frame), and
// the width the chip keeps free for it, so the probe line never runs into it: wide
// enough for the most seconds the probe can wait.
export function nextProbeText(seconds) {
  return interpolate(gettext("next %(seconds)ss"), { seconds });
}

export function nextProbeWidth(probe) {
  const most = Math.ceil(Math.max(probe.periodSeconds || 10, probe.initialDelaySeconds || 0));
  return Math.ceil(textWidth(nextProbeText(most), FONTS.sub)) + 8;
}

// The width a chip needs for its probe line at its longest, and the countdown.
function probeLineWidth(probe) {
  const failAt = probe.failureThreshold || 3;
  const passAt = probe.successThreshold || 1;
  const longest = [probeText(probe, [0, failAt]), probeText(probe, [passAt, 0]), probeText(probe, [0, 0])];
  return Math.max(...longest.map((t) => textWidth(t, FONTS.sub))) + nextProbeWidth(probe) + 14;
}

// The chip's second line: a status other than Running, readiness in words (the mark
// says it too), the address. A terminating pod may still be ready, but the Endpoints
// dropped it: it gets no new request (its EndpointSlice keeps it as a last resort).
// The status comes first: a chip too narrow for the whole line cuts its end, and
// "Terminating" or "ContainerCreating" says the most.
export function podLine(pod, status) {
  const readiness = pod.ready ? gettext("ready") : gettext("not ready");
  const parts = status.startsWith("Running") ? [] : [status];
  parts.push(status === "Terminating" ? gettext("no new requests") : readiness);
  if (pod.ip) parts.push(pod.ip);
  return parts.join(" · ");
}

// What a chip's accessible name adds about NetworkPolicy isolation: per direction, the
// policies that isolate the pod (the wall on that side of the chip says it too).
export function isolationText(isolation) {
  const words = {
    ingress: gettext("isolated for ingress by %(policies)s"),
    egress: gettext("isolated for egress by %(policies)s"),
  };
  return ["ingress", "egress"]
    .filter((d) => isolation[d].length)
    .map((d) => interpolate(words[d], { policies: isolation[d].join(", ") }))
    .join(", ");
}

const NOT_ISOLATED = { ingress: [], egress: [] };

// A workload's ready/desired count exactly as kubectl's READY column shows it, from the
// same status fields at the same moment: a Deployment's and StatefulSet's
// readyReplicas/spec.replicas (kubectl get deploy, sts), a ReplicaSet's and
// ReplicationController's READY against DESIRED, a DaemonSet's numberReady against
// desiredNumberScheduled (the snapshot's `ready` and `replicas`). Not a count of the
// pods drawn: during a rollout or while pods terminate those differ, and kubectl's
// count is the one a learner checks against.
export function workloadReady(workload) {
  if (!workload || workload.replicas === null || workload.replicas === undefined) return "";
  return `READY ${workload.ready || 0}/${workload.replicas}`;
}

export class PodPlacer {
  constructor() {
    this.ranks = new Map(); // pod key -> slot, stable across frames
    this.nextRank = 0;
  }

  // Slots: known pods keep theirs; a new pod takes a free slot of its workload on its node
  // (the pod it replaces), else a new one.
  rank(pods) {
    const alive = new Set(pods.map((p) => `${p.namespace}/${p.name}`));
    const freed = new Map(); // "node|owner" -> [slots]
    for (const [key, entry] of this.ranks) {
      if (alive.has(key)) continue;
      this.ranks.delete(key);
      const k = `${entry.node}|${entry.owner}`;
      if (!freed.has(k)) freed.set(k, []);
      freed.get(k).push(entry.slot);
    }
    for (const pod of pods) {
      const key = `${pod.namespace}/${pod.name}`;
      if (this.ranks.has(key)) continue;
      const owner = pod.owner ? `${pod.owner.kind}/${pod.owner.name}` : "";
      const slots = freed.get(`${pod.node}|${owner}`);
      const slot = slots && slots.length ? Math.min(...slots) : this.nextRank++;
      if (slots && slots.length) slots.splice(slots.indexOf(slot), 1);
      this.ranks.set(key, { slot, node: pod.node, owner });
    }
  }

  // Add node boxes and their bands of chips to `scene`; `width` is what a node may use.
  place(scene, pods, nodes, width, grouping) {
    const model = scene.model;
    this.rank(pods);
    const grouped = grouping === "on" || (grouping === "auto" && pods.length > GROUP_THRESHOLD);
    const listedBy = new Map(); // pod key -> [{from, ready}]
    for (const l of scene.podLinks) {
      if (!listedBy.has(l.podKey)) listedBy.set(l.podKey, []);
      listedBy.get(l.podKey).push(l);
    }
    const bases = new Set();
    const partsOf = new Map();
    for (const pod of pods) {
      const rs = pod.owner && model.get("workloads", `${pod.owner.kind}/${pod.namespace}/${pod.owner.name}`);
      const parts = podParts(pod.name, pod.owner && pod.owner.name, rs && rs.owner && rs.owner.name);
      partsOf.set(pod, parts);
      if (parts) bases.add(parts.base);
    }
    const chips = grouped ? this.groupChips(model, pods, listedBy) : pods.map((p) => this.chip(p, listedBy, model));
    // One chip width for the room: the longest name that must show, within bounds.
    const longest = Math.max(
      0,
      ...chips.map((c) =>
        Math.max(textWidth(c.title, FONTS.title) + 30 + (c.probe ? RING_ROOM : 0), textWidth(c.sub, FONTS.sub) + 16, c.probe ? probeLineWidth(c.probe) : 0),
      ),
    );
    const chipW = Math.min(210, Math.max(128, Math.ceil(longest)));
    const across = Math.max(1, Math.floor((width - 24 + CHIP_GAP) / (chipW + CHIP_GAP)));
    const byNode = new Map(nodes.map((n) => [n.name, new Map()]));
    for (const chip of chips) {
      const node = byNode.has(chip.node) ? chip.node : "(none)";
      if (!byNode.has(node)) byNode.set(node, new Map());
      const bands = byNode.get(node);
      if (!bands.has(chip.signature)) bands.set(chip.signature, []);
      bands.get(chip.signature).push(chip);
    }
    for (const [name, bands] of byNode) {
      const node = nodes.find((n) => n.name === name);
      const nodeId = `node:${name}`;
      const tags = node ? [node.ip, ...(node.roles || []).map((r) => `(${r})`), node.unschedulable ? gettext("cordoned") : ""] : [gettext("Pending pods")];
      const count = [...bands.values()].reduce((n, b) => n + b.reduce((k, c) => k + (c.count || 1), 0), 0);
      scene.box({
        id: nodeId, kind: "node", layer: LAYERS.nodes, title: node ? name : gettext("Not scheduled"), sub: tags.filter(Boolean).join(" "),
        cordoned: Boolean(node && node.unschedulable), roles: node ? node.roles || [] : [], compound: true,
        w: Math.max(Math.ceil(textWidth(name, FONTS.title) + textWidth(tags.filter(Boolean).join(" "), FONTS.sub) + 40),
          Math.min(width, across * (chipW + CHIP_GAP) + 24)), h: 44,
        object: node ? `Node||${name}` : "", spoken: "Node", detail: interpolate(ngettext("%(count)s pod", "%(count)s pods", count), { count }),
      });
      for (const [signature, members] of bands) {
        members.sort((a, b) => a.rank - b.rank || a.title.localeCompare(b.title));
        this.band(scene, nodeId, signature, members, chipW, across, partsOf, [...bases]);
      }
    }
    return grouped;
  }

  band(scene, nodeId, signature, members, chipW, across, partsOf, bases) {
    const chipH = members.some((c) => c.probe) ? 52 : 38;
    const cols = Math.min(across, members.length);
    const id = `band:${nodeId.slice(5)}|${signature}`;
    members.forEach((chip, i) => {
      chip.parent = id;
      chip.dx = BAND_PAD + (i % cols) * (chipW + CHIP_GAP);
      chip.dy = BAND_PAD + Math.floor(i / cols) * (chipH + CHIP_GAP);
      chip.w = chipW;
      chip.h = chipH;
      chip.text = chip.group ? chip.title : podLabel(chip.title, partsOf.get(chip.pod), chipW - 24 - (chip.probe ? RING_ROOM : 0), FONTS.title, bases);
      scene.box(chip);
    });
    const rows = Math.ceil(members.length / cols);
    scene.box({
      id, kind: "band", parent: nodeId, chips: members.map((c) => c.id), signature,
      w: cols * (chipW + CHIP_GAP) - CHIP_GAP + 2 * BAND_PAD, h: rows * (chipH + CHIP_GAP) - CHIP_GAP + 2 * BAND_PAD,
    });
    const ready = new Map();
    for (const chip of members) for (const l of chip.listed) ready.set(l.from, ready.get(l.from) || l.ready);
    for (const [from, isReady] of ready) if (scene.boxes.has(from)) scene.link(from, id, isReady ? "ready" : "notready");
    // The policies that select some pod of the band, linked from its right side.
    const selecting = new Set();
    for (const chip of members) {
      for (const key of chip.podKeys || [chip.podKey]) for (const policy of scene.selectedBy.get(key) || []) selecting.add(policy);
    }
    for (const policy of selecting) if (scene.boxes.has(policy)) scene.link(id, policy, "policy");
  }

  chip(pod, listedBy, model) {
    const key = `${pod.namespace}/${pod.name}`;
    const listed = listedBy.get(key) || [];
    const status = podStatus(pod);
    const counts = pod.probe ? model.probeCounts.get(key) : null;
    const probe = probeText(pod.probe, counts);
    const failing = Boolean(counts && counts[1]);
    const isolation = pod.isolation || NOT_ISOLATED;
    const where = pod.node ? interpolate(gettext("on %(node)s"), { node: pod.node }) : gettext("not scheduled");
    return {
      id: `pod:${key}`, kind: "pod", pod, podKey: key, node: pod.node, rank: this.ranks.get(key).slot,
      state: podState(pod), title: pod.name, status, sub: podLine(pod, status),
      probe: pod.probe || null, probeLine: probe, probeFailing: failing, nextW: pod.probe ? nextProbeWidth(pod.probe) : 0,
      listed, signature: listed.map((l) => l.from).sort().join(","),
      isoIn: isolation.ingress.length > 0, isoOut: isolation.egress.length > 0,
      object: `Pod|${pod.namespace}|${pod.name}`, spoken: "Pod", detail: [where, isolationText(isolation)].filter(Boolean).join(", "),
    };
  }

  // One chip per workload and band: what a learner created (a ReplicaSet's Deployment).
  groupChips(model, pods, listedBy) {
    const groups = new Map();
    for (const pod of pods) {
      const listed = listedBy.get(`${pod.namespace}/${pod.name}`) || [];
      const signature = listed.map((l) => l.from).sort().join(",");
      const owner = pod.owner ? `${pod.owner.kind}/${pod.owner.name}` : `Pod/${pod.name}`;
      const k = `${pod.node}|${signature}|${pod.namespace}|${owner}`;
      if (!groups.has(k)) groups.set(k, { pods: [], listed: [], signature, node: pod.node, owner, namespace: pod.namespace });
      const g = groups.get(k);
      g.pods.push(pod);
      g.listed.push(...listed);
    }
    return [...groups.values()].map((g) => {
      let [kind, name] = g.owner.split("/");
      let workload = model.get("workloads", `${kind}/${g.namespace}/${name}`);
      if (workload && workload.owner) {
        [kind, name] = [workload.owner.kind, workload.owner.name];
        workload = model.get("workloads", `${kind}/${g.namespace}/${name}`) || null;
      }
      const ready = g.pods.filter((p) => p.ready).length;
      const n = g.pods.length;
      // The pods here, then the workload's own count as kubectl prints it (workloadReady).
      const counted = workloadReady(workload);
      const sub = `×${n} · ${counted || interpolate(gettext("%(count)s ready"), { count: ready })}`;
      const isolated = (direction) => g.pods.some((p) => p.isolation && p.isolation[direction].length);
      return {
        id: `grp:${g.node}|${g.signature}|${g.namespace}/${g.owner}`, kind: "pod", group: true, count: n,
        node: g.node, rank: Math.min(...g.pods.map((p) => this.ranks.get(`${p.namespace}/${p.name}`).slot)),
        state: ready === n ? "ready" : ready ? "mixed" : "notready", title: name, sub,
        listed: g.listed, signature: g.signature, podKeys: g.pods.map((p) => `${p.namespace}/${p.name}`),
        isoIn: isolated("ingress"), isoOut: isolated("egress"),
        object: kind === "Pod" ? `Pod|${g.namespace}|${name}` : `${kind}|${g.namespace}|${name}`,
        spoken: kind,
        detail: interpolate(ngettext("%(count)s pod on %(node)s, %(ready)s ready", "%(count)s pods on %(node)s, %(ready)s ready", n), {
          count: n, node: g.node || gettext("no node"), ready,
        }),
      };
    });
  }
}
