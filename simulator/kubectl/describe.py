"""`kubectl describe` texts, ported from kubectl's `describe.go` (release-1.33).

Each describer is a pure function of API dicts, the simulated `now` and the
events to show. Text is written as kubectl writes it — tab-separated cells
with `  ` per indentation level — and aligned at the end by the Go tabwriter
port (minwidth 0, padding 2), so label columns line up exactly as kubectl's.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..labels import format_labels
from ..clock import timestamp
from .age import human_duration, rfc1123z, since
from .tables import (
    format_label_selector,
    format_selector_or_none,
    node_roles,
)
from .tabwriter import format_tabbed

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
MAX_ANNOTATION_LEN = 140


class Writer:
    """kubectl's `PrefixWriter` over a tabwriter: `write(level, text)` and `flush()`."""

    def __init__(self) -> None:
        self._buffer: list[str] = []
        self._done: list[str] = []

    def write(self, level: int, text: str) -> None:
        """Append `text`, indented by two spaces per level (as every Write call is)."""
        self._buffer.append("  " * level + text)

    def flush(self) -> None:
        """Align what was written so far on its own (kubectl flushes before Events)."""
        if self._buffer:
            self._done.append(format_tabbed("".join(self._buffer), minwidth=0, padding=2))
            self._buffer = []

    def text(self) -> str:
        """Everything written, aligned."""
        self.flush()
        return "".join(self._done)


# -- shared sections ---------------------------------------------------------------------


def labels_multiline(w: Writer, title: str, labels: dict | None, initial: str = "",
                     inner: str = "\t", skip: Iterable[str] = ()) -> None:  # fmt: skip
    """`printLabelsMultilineWithIndent`: one `k=v` per line, sorted, or `<none>`."""
    w.write(0, f"{initial}{title}:{inner}")
    keys = sorted(k for k in (labels or {}) if k not in set(skip))
    if not keys:
        w.write(0, "<none>\n")
        return
    for i, key in enumerate(keys):
        if i:
            w.write(0, initial)
            w.write(0, inner)
        w.write(0, f"{key}={labels[key]}\n")


def annotations_multiline(w: Writer, title: str, annotations: dict | None) -> None:
    """`printAnnotationsMultiline`: sorted, last-applied-configuration hidden, long ones folded."""
    w.write(0, f"{title}:\t")
    keys = sorted(k for k in (annotations or {}) if k != LAST_APPLIED)
    if not keys:
        w.write(0, "<none>\n")
        return
    for i, key in enumerate(keys):
        if i:
            w.write(0, "\t")
        value = str(annotations[key]).removesuffix("\n")
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(0, f"{key}:\n")
            for part in value.split("\n"):
                short = part if len(part) <= MAX_ANNOTATION_LEN - 2 else part[:138] + "..."
                w.write(0, f"\t  {short}\n")
        else:
            w.write(0, f"{key}: {value}\n")


def taint_text(taint: dict) -> str:
    """`Taint.ToString()`: `key=value:Effect`, `key:Effect`, `key`."""
    key, value, effect = taint.get("key", ""), taint.get("value", ""), taint.get("effect", "")
    if not effect:
        return f"{key}={value}:" if value else key
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def _list_multiline(w: Writer, title: str, items: list[str], initial: str = "") -> None:
    w.write(0, f"{initial}{title}:\t")
    if not items:
        w.write(0, "<none>\n")
        return
    for i, item in enumerate(items):
        if i:
            w.write(0, initial)
            w.write(0, "\t")
        w.write(0, item + "\n")


def toleration_text(t: dict) -> str:
    """One toleration as describe prints it: `key=value:Effect op=Exists for 300s`."""
    text = t.get("key", "")
    if t.get("value"):
        text += "=" + t["value"]
    if t.get("effect"):
        text += ":" + t["effect"]
    if t.get("operator") == "Exists" and not t.get("value"):
        text += " op=Exists" if (t.get("key") or t.get("effect")) else "op=Exists"
    if t.get("tolerationSeconds") is not None:
        text += f" for {t['tolerationSeconds']}s"
    return text


def describe_events(w: Writer, events: Sequence[Any] | None, now: float) -> None:
    """`DescribeEvents`: `Events:  <none>` or the aligned table, oldest last-seen first.

    Args:
        events: objects with `type`, `reason`, `source`, `message`, `first`, `last`
            (simulated seconds) and `count`, or None to print nothing.
    """
    if events is None:
        return
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    w.flush()
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    for e in sorted(events, key=lambda e: e.last):
        first = _ago(e.first, now)
        age = f"{_ago(e.last, now)} (x{e.count} over {first})" if e.count > 1 else first
        w.write(1, f"{e.type}\t{e.reason}\t{age}\t{e.source}\t{e.message.strip()}\n")


def _ago(at: float, now: float) -> str:
    return human_duration(now - at)


def _meta(obj: dict) -> dict:
    return obj.get("metadata") or {}


def _controlled_by(obj: dict) -> str:
    for ref in _meta(obj).get("ownerReferences") or ():
        if ref.get("controller"):
            return f"{ref.get('kind')}/{ref.get('name')}"
    return ""


# -- pods and containers ---------------------------------------------------------------


def probe_text(probe: dict) -> str:
    """`DescribeProbe` (kubectl <= v1.36 wording): `exec [ls /var/ready] delay=0s ... #failure=3`."""
    attrs = (
        f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 1)}s "
        f"period={probe.get('periodSeconds', 10)}s #success={probe.get('successThreshold', 1)} "
        f"#failure={probe.get('failureThreshold', 3)}"
    )
    if probe.get("exec") is not None:
        return f"exec [{' '.join(str(c) for c in probe['exec'].get('command') or ())}] {attrs}"
    if probe.get("httpGet") is not None:
        http = probe["httpGet"]
        scheme = str(http.get("scheme") or "HTTP").lower()
        host = http.get("host", "")
        port = str(http.get("port", ""))
        hostport = f"{host}:{port}" if port else host
        if ":" in host and port:
            hostport = f"[{host}]:{port}"
        return f"http-get {scheme}://{hostport}{http.get('path', '')} {attrs}"
    if probe.get("tcpSocket") is not None:
        tcp = probe["tcpSocket"]
        return f"tcp-socket {tcp.get('host', '')}:{tcp.get('port', '')} {attrs}"
    if probe.get("grpc") is not None:
        grpc = probe["grpc"]
        return f"grpc <pod>:{grpc.get('port')} {grpc.get('service', '')} {attrs}"
    return f"unknown {attrs}"


def _ports_text(ports: Sequence[dict], field: str) -> str:
    return ", ".join(f"{p.get(field, 0)}/{p.get('protocol') or 'TCP'}" for p in ports)


def _container_state(w: Writer, title: str, state: dict) -> None:
    if "running" in state:
        w.write(2, f"{title}:\tRunning\n")
        w.write(3, f"Started:\t{rfc1123z((state['running'] or {}).get('startedAt'))}\n")
    elif "terminated" in state:
        t = state["terminated"] or {}
        w.write(2, f"{title}:\tTerminated\n")
        if t.get("reason"):
            w.write(3, f"Reason:\t{t['reason']}\n")
        if t.get("message"):
            w.write(3, f"Message:\t{t['message']}\n")
        w.write(3, f"Exit Code:\t{t.get('exitCode', 0)}\n")
        if t.get("signal"):
            w.write(3, f"Signal:\t{t['signal']}\n")
        w.write(3, f"Started:\t{rfc1123z(t.get('startedAt'))}\n")
        w.write(3, f"Finished:\t{rfc1123z(t.get('finishedAt'))}\n")
    else:
        w.write(2, f"{title}:\tWaiting\n")
        reason = (state.get("waiting") or {}).get("reason")
        if reason:
            w.write(3, f"Reason:\t{reason}\n")


def _resources(w: Writer, resources: dict | None, level: int) -> None:
    for title, key in (("Limits", "limits"), ("Requests", "requests")):
        values = (resources or {}).get(key) or {}
        if values:
            w.write(level, f"{title}:\n")
        for name in sorted(values):
            w.write(level + 1, f"{name}:\t{values[name]}\n")


def describe_containers(w: Writer, label: str, containers: Sequence[dict],
                        statuses: Sequence[dict] | None, space: str = "") -> None:  # fmt: skip
    """`describeContainers`: image, ports, state, probes, environment and mounts per container."""
    by_name = {s.get("name"): s for s in statuses or ()}
    w.write(0, f"{space}{label}:{'' if containers else ' <none>'}\n")
    for c in containers:
        status = by_name.get(c.get("name"))
        w.write(1, f"{' ' if space else ''}{c.get('name')}:\n")
        if status is not None:
            w.write(2, f"Container ID:\t{status.get('containerID', '')}\n")
        w.write(2, f"Image:\t{c.get('image', '')}\n")
        if status is not None:
            w.write(2, f"Image ID:\t{status.get('imageID', '')}\n")
        ports = c.get("ports") or ()
        text = _ports_text(ports, "containerPort")
        w.write(2, f"Ports:\t{text}\n" if "," in text else f"Port:\t{text or '<none>'}\n")
        text = _ports_text(ports, "hostPort")
        w.write(2, f"Host Ports:\t{text}\n" if "," in text else f"Host Port:\t{text or '<none>'}\n")
        for title, key in (("Command", "command"), ("Args", "args")):
            if c.get(key):
                w.write(2, f"{title}:\n")
                for item in c[key]:
                    for line in str(item).split("\n"):
                        w.write(3, f"{line}\n")
        if status is not None:
            _container_state(w, "State", status.get("state") or {})
            last = status.get("lastState") or {}
            if last.get("terminated"):
                _container_state(w, "Last State", last)
            w.write(2, f"Ready:\t{'True' if status.get('ready') else 'False'}\n")
            w.write(2, f"Restart Count:\t{status.get('restartCount', 0)}\n")
        _resources(w, c.get("resources"), 2)
        for title, key in (("Liveness", "livenessProbe"), ("Readiness", "readinessProbe"),
                           ("Startup", "startupProbe")):  # fmt: skip
            if c.get(key):
                w.write(2, f"{title}:\t{probe_text(c[key])}\n")
        if c.get("envFrom"):
            w.write(2, "Environment Variables from:\n")
            for source in c["envFrom"]:
                ref = source.get("configMapRef") or source.get("secretRef") or {}
                kind = "ConfigMap" if "configMapRef" in source else "Secret"
                optional = "true" if ref.get("optional") else "false"
                prefix = source.get("prefix")
                what = f"{kind} with prefix '{prefix}'" if prefix else kind
                w.write(3, f"{ref.get('name', '')}\t{what}\tOptional: {optional}\n")
        env = c.get("env") or ()
        w.write(2, f"Environment:{'' if env else chr(9) + '<none>'}\n")
        for e in env:
            w.write(3, _env_line(e))
        mounts = sorted(c.get("volumeMounts") or (), key=lambda m: m.get("mountPath", ""))
        w.write(2, f"Mounts:{'' if mounts else chr(9) + '<none>'}\n")
        for m in mounts:
            flags = ["ro" if m.get("readOnly") else "rw"]
            if m.get("subPath"):
                flags.append(f'path="{m["subPath"]}"')
            w.write(3, f"{m.get('mountPath')} from {m.get('name')} ({','.join(flags)})\n")


def _env_line(e: dict) -> str:
    name = e.get("name", "")
    source = e.get("valueFrom")
    if not source:
        lines = str(e.get("value", "")).split("\n")
        return f"{name}:\t{lines[0]}\n" + "".join(f"      \t{line}\n" for line in lines[1:])
    if source.get("fieldRef"):
        ref = source["fieldRef"]
        return f"{name}:\t ({ref.get('apiVersion', 'v1')}:{ref.get('fieldPath', '')})\n"
    if source.get("resourceFieldRef"):
        return f"{name}:\t ({source['resourceFieldRef'].get('resource', '')})\n"
    for key, what in (("secretKeyRef", "in secret"), ("configMapKeyRef", "of config map")):
        if source.get(key):
            ref = source[key]
            optional = "true" if ref.get("optional") else "false"
            return (f"{name}:\t<set to the key '{ref.get('key')}' {what} '{ref.get('name')}'>"
                    f"\tOptional: {optional}\n")  # fmt: skip
    return f"{name}:\t\n"


def _volumes(w: Writer, volumes: Sequence[dict], space: str = "") -> None:
    if not volumes:
        w.write(0, f"{space}Volumes:\t<none>\n")
        return
    w.write(0, f"{space}Volumes:\n")
    for v in volumes:
        w.write(1, f"{' ' if space else ''}{v.get('name')}:\n")
        if "configMap" in v:
            cm = v["configMap"] or {}
            w.write(2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n"
                       f"    Name:\t{cm.get('name', '')}\n"
                       f"    Optional:\t{'true' if cm.get('optional') else 'false'}\n")  # fmt: skip
        elif "secret" in v:
            s = v["secret"] or {}
            w.write(2, "Type:\tSecret (a volume populated by a Secret)\n"
                       f"    SecretName:\t{s.get('secretName', '')}\n"
                       f"    Optional:\t{'true' if s.get('optional') else 'false'}\n")  # fmt: skip
        elif "emptyDir" in v:
            e = v["emptyDir"] or {}
            w.write(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
                       f"    Medium:\t{e.get('medium', '')}\n"
                       f"    SizeLimit:\t{e.get('sizeLimit') or '<unset>'}\n")  # fmt: skip
        elif "hostPath" in v:
            h = v["hostPath"] or {}
            w.write(2, "Type:\tHostPath (bare host directory volume)\n"
                       f"    Path:\t{h.get('path', '')}\n"
                       f"    HostPathType:\t{h.get('type') or '<none>'}\n")  # fmt: skip
        elif "persistentVolumeClaim" in v:
            p = v["persistentVolumeClaim"] or {}
            w.write(2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in "
                       "the same namespace)\n"
                       f"    ClaimName:\t{p.get('claimName', '')}\n"
                       f"    ReadOnly:\t{'true' if p.get('readOnly') else 'false'}\n")  # fmt: skip
        else:
            w.write(1, "<unknown>\n")


def qos_class(pod: dict) -> str:
    """The pod's QoS class: status.qosClass, else computed from requests and limits."""
    known = (pod.get("status") or {}).get("qosClass")
    if known:
        return known
    containers = (pod.get("spec") or {}).get("containers") or ()
    any_set = False
    guaranteed = True
    for c in containers:
        res = c.get("resources") or {}
        limits, requests = res.get("limits") or {}, res.get("requests") or {}
        if limits or requests:
            any_set = True
        for r in ("cpu", "memory"):
            if r not in limits or requests.get(r, limits.get(r)) != limits.get(r):
                guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def describe_pod(pod: dict, events: Sequence[Any] | None, now: float) -> str:
    """`kubectl describe pod`."""
    w = Writer()
    meta, spec, status = _meta(pod), pod.get("spec") or {}, pod.get("status") or {}
    w.write(0, f"Name:\t{meta.get('name')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    if spec.get("priority") is not None:
        w.write(0, f"Priority:\t{spec['priority']}\n")
    if spec.get("priorityClassName"):
        w.write(0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    if spec.get("serviceAccountName"):
        w.write(0, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("nodeName"):
        w.write(0, f"Node:\t{spec['nodeName']}/{status.get('hostIP', '')}\n")
    else:
        w.write(0, "Node:\t<none>\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{rfc1123z(status['startTime'])}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    phase = status.get("phase", "")
    if meta.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        w.write(0, f"Status:\tTerminating (lasts {since(meta['deletionTimestamp'], now)})\n")
        w.write(0, f"Termination Grace Period:\t{meta.get('deletionGracePeriodSeconds', 30)}s\n")
    else:
        w.write(0, f"Status:\t{phase}\n")
    if status.get("reason"):
        w.write(0, f"Reason:\t{status['reason']}\n")
    if status.get("message"):
        w.write(0, f"Message:\t{status['message']}\n")
    w.write(0, f"IP:\t{status.get('podIP', '')}\n")
    ips = status.get("podIPs") or ()
    if ips:
        w.write(0, "IPs:\n")
        for ip in ips:
            w.write(1, f"IP:\t{ip.get('ip', '')}\n")
    else:
        w.write(0, "IPs:\t<none>\n")
    controller = _controlled_by(pod)
    if controller:
        w.write(0, f"Controlled By:\t{controller}\n")
    if status.get("nominatedNodeName"):
        w.write(0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("initContainers"):
        describe_containers(w, "Init Containers", spec["initContainers"],
                            status.get("initContainerStatuses"))  # fmt: skip
    describe_containers(w, "Containers", spec.get("containers") or (),
                        status.get("containerStatuses") or ())  # fmt: skip
    conditions = status.get("conditions") or ()
    gates = spec.get("readinessGates") or ()
    if gates:
        w.write(0, "Readiness Gates:\n  Type\tStatus\n")
        by_type = {c.get("type"): c.get("status") for c in conditions}
        for g in gates:
            w.write(1, f"{g.get('conditionType')} \t{by_type.get(g.get('conditionType'), '<none>')} \n")
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for c in conditions:
            w.write(1, f"{c.get('type')} \t{c.get('status')} \n")
    _volumes(w, spec.get("volumes") or ())
    w.write(0, f"QoS Class:\t{qos_class(pod)}\n")
    labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"))
    _list_multiline(w, "Tolerations", [toleration_text(t) for t in
                                       sorted(spec.get("tolerations") or (),
                                              key=lambda t: t.get("key", ""))])  # fmt: skip
    describe_events(w, events, now)
    return w.text()


def describe_pod_template(w: Writer, template: dict | None) -> None:
    """`DescribePodTemplate`, as controllers' describe texts embed it."""
    w.write(0, "Pod Template:\n")
    if template is None:
        w.write(1, "<unset>")
        return
    meta, spec = template.get("metadata") or {}, template.get("spec") or {}
    labels_multiline(w, "  Labels", meta.get("labels"))
    if meta.get("annotations"):
        annotations_multiline(w, "  Annotations", meta["annotations"])
    if spec.get("serviceAccountName"):
        w.write(1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        describe_containers(w, "Init Containers", spec["initContainers"], None, "  ")
    describe_containers(w, "Containers", spec.get("containers") or (), None, "  ")
    _volumes(w, spec.get("volumes") or (), "  ")
    if spec.get("priorityClassName"):
        w.write(1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    labels_multiline(w, "  Node-Selectors", spec.get("nodeSelector"))
    _list_multiline(w, "  Tolerations", [toleration_text(t) for t in
                                         sorted(spec.get("tolerations") or (),
                                                key=lambda t: t.get("key", ""))])  # fmt: skip


# -- services and endpoints ----------------------------------------------------------------


def format_endpoint_slices(slices: Sequence[dict] | None, port_name: str | None) -> str:
    """Ready endpoints of a Service port from its EndpointSlices (`formatEndpointSlices`).

    `<none>` without slices; empty when none is ready; max 3 then ` + N more...`.
    """
    if not slices:
        return "<none>"
    items: list[str] = []
    limit, more, count = 3, False, 0
    for s in slices:
        endpoints = s.get("endpoints") or ()
        ports = s.get("ports") or ()
        if not ports:
            for e in endpoints:
                if len(items) == limit:
                    more = True
                if (e.get("conditions") or {}).get("ready") is False:
                    continue
                if not more:
                    items.append((e.get("addresses") or [""])[0])
                count += 1
            continue
        for p in ports:
            if port_name is not None and (p.get("name") or "") != port_name:
                continue
            for e in endpoints:
                if len(items) == limit:
                    more = True
                if (e.get("conditions") or {}).get("ready") is False:
                    continue
                if not more:
                    addr = (e.get("addresses") or [""])[0]
                    host = f"[{addr}]" if ":" in addr else addr
                    items.append(f"{host}:{p.get('port')}")
                count += 1
    text = ",".join(items)
    return f"{text} + {count - limit} more..." if more else text


def describe_service(svc: dict, slices: Sequence[dict] | None, events: Sequence[Any] | None,
                     now: float) -> str:  # fmt: skip
    """`kubectl describe service` (EndpointSlice-based `Endpoints:` lines)."""
    w = Writer()
    meta, spec = _meta(svc), svc.get("spec") or {}
    lb = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or ()
    w.write(0, f"Name:\t{meta.get('name')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(0, f"Type:\t{spec.get('type') or 'ClusterIP'}\n")
    if spec.get("ipFamilyPolicy"):
        w.write(0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    families = spec.get("ipFamilies") or ()
    w.write(0, f"IP Families:\t{','.join(families) if families else '<none>'}\n")
    w.write(0, f"IP:\t{spec.get('clusterIP', '')}\n")
    ips = spec.get("clusterIPs") or ()
    w.write(0, f"IPs:\t{','.join(ips) if ips else '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(0, f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(0, f"External Name:\t{spec['externalName']}\n")
    if lb:
        parts = []
        for item in lb:
            if item.get("ip"):
                parts.append(item["ip"] + (f" ({item['ipMode']})" if item.get("ipMode") else ""))
            else:
                parts.append(item.get("hostname", ""))
        w.write(0, f"LoadBalancer Ingress:\t{', '.join(parts)}\n")
    for p in spec.get("ports") or ():
        name = p.get("name") or "<unset>"
        proto = p.get("protocol") or "TCP"
        w.write(0, f"Port:\t{name}\t{p.get('port')}/{proto}\n")
        target = p.get("targetPort", p.get("port"))
        w.write(0, f"TargetPort:\t{target}/{proto}\n")
        if p.get("nodePort"):
            w.write(0, f"NodePort:\t{name}\t{p['nodePort']}/{proto}\n")
        w.write(0, f"Endpoints:\t{format_endpoint_slices(slices, p.get('name') or '')}\n")
    w.write(0, f"Session Affinity:\t{spec.get('sessionAffinity') or 'None'}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy"):
        w.write(0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    if spec.get("healthCheckNodePort"):
        w.write(0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}\n")
    if spec.get("loadBalancerSourceRanges"):
        w.write(0, f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}\n")
    describe_events(w, events, now)
    return w.text()


def describe_endpoints(ep: dict, events: Sequence[Any] | None, now: float) -> str:
    """`kubectl describe endpoints`."""
    w = Writer()
    meta = _meta(ep)
    w.write(0, f"Name:\t{meta.get('name')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Subsets:\n")
    for subset in ep.get("subsets") or ():
        ready = ",".join(a.get("ip", "") for a in subset.get("addresses") or ())
        not_ready = ",".join(a.get("ip", "") for a in subset.get("notReadyAddresses") or ())
        w.write(1, f"Addresses:\t{ready or '<none>'}\n")
        w.write(1, f"NotReadyAddresses:\t{not_ready or '<none>'}\n")
        ports = subset.get("ports") or ()
        if ports:
            w.write(1, "Ports:\n")
            w.write(2, "Name\tPort\tProtocol\n")
            w.write(2, "----\t----\t--------\n")
            for p in ports:
                w.write(2, f"{p.get('name') or '<unset>'}\t{p.get('port')}\t{p.get('protocol') or 'TCP'}\n")
        w.write(0, "\n")
    describe_events(w, events, now)
    return w.text()


def describe_endpointslice(eps: dict, events: Sequence[Any] | None, now: float) -> str:
    """`kubectl describe endpointslice` (the common fields)."""
    w = Writer()
    meta = _meta(eps)
    w.write(0, f"Name:\t{meta.get('name')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"AddressType:\t{eps.get('addressType', '')}\n")
    ports = eps.get("ports") or ()
    if not ports:
        w.write(0, "Ports:\t<unset>\n")
    else:
        w.write(0, "Ports:\n")
        w.write(1, "Name\tPort\tProtocol\n")
        w.write(1, "----\t----\t--------\n")
        for p in ports:
            port = p.get("port")
            w.write(1, f"{p.get('name') or '<unset>'}\t{'<unset>' if port is None else port}\t"
                       f"{p.get('protocol') or 'TCP'}\n")  # fmt: skip
    endpoints = eps.get("endpoints") or ()
    if not endpoints:
        w.write(0, "Endpoints:\t<none>\n")
    else:
        w.write(0, "Endpoints:\n")
        for e in endpoints:
            w.write(1, f"- Addresses:\t{','.join(e.get('addresses') or ())}\n")
            w.write(2, "Conditions:\n")
            cond = e.get("conditions") or {}
            for key, title in (("ready", "Ready"), ("serving", "Serving"),
                               ("terminating", "Terminating")):  # fmt: skip
                value = cond.get(key)
                w.write(3, f"{title}:\t{'<unset>' if value is None else str(value).lower()}\n")
            w.write(2, f"Hostname:\t{e.get('hostname') or '<unset>'}\n")
            ref = e.get("targetRef")
            w.write(2, f"TargetRef:\t{ref.get('kind')}/{ref.get('name')}\n" if ref
                       else "TargetRef:\t<unset>\n")  # fmt: skip
            w.write(2, f"NodeName:\t{e.get('nodeName') or '<unset>'}\n")
            w.write(2, f"Zone:\t{e.get('zone') or '<unset>'}\n")
    describe_events(w, events, now)
    return w.text()


# -- ingress -----------------------------------------------------------------------------


BackendLookup = Callable[[str], tuple[dict | None, list[dict]]]


def _ingress_backend(backend: dict, lookup: BackendLookup) -> str:
    service = backend.get("service")
    if service is not None:
        port = service.get("port") or {}
        port_text = str(port["number"]) if port.get("number") else port.get("name", "")
        shown = f"{service.get('name', '')}:{port_text}"
        svc, slices = lookup(service.get("name", ""))
        if svc is None:
            return f'{shown} (<error: services "{service.get("name", "")}" not found>)'
        port_name = ""
        for sp in (svc.get("spec") or {}).get("ports") or ():
            if port.get("number") and port["number"] == sp.get("port"):
                port_name = sp.get("name") or ""
            elif port.get("name") and port["name"] == sp.get("name"):
                port_name = sp.get("name") or ""
        return f"{shown} ({format_endpoint_slices(slices, port_name)})"
    resource = backend.get("resource")
    if resource is not None:
        return (f"APIGroup: {resource.get('apiGroup') or '<none>'}, Kind: {resource.get('kind')}, "
                f"Name: {resource.get('name')}")  # fmt: skip
    return ""


def ingress_address(ing: dict) -> str:
    """The Address line: every load-balancer IP or hostname, sorted, unclipped."""
    seen = set()
    for item in ((ing.get("status") or {}).get("loadBalancer") or {}).get("ingress") or ():
        value = item.get("ip") or item.get("hostname")
        if value:
            seen.add(value)
    return ",".join(sorted(seen))


def describe_ingress(ing: dict, lookup: BackendLookup, events: Sequence[Any] | None,
                     now: float) -> str:  # fmt: skip
    """`kubectl describe ingress`.

    Args:
        lookup: service name -> (the Service or None, its EndpointSlices), in the
            Ingress's namespace.
    """
    w = Writer()
    meta, spec = _meta(ing), ing.get("spec") or {}
    w.write(0, f"Name:\t{meta.get('name')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"Address:\t{ingress_address(ing)}\n")
    w.write(0, f"Ingress Class:\t{spec.get('ingressClassName') or '<none>'}\n")
    default = spec.get("defaultBackend")
    default_text = _ingress_backend(default, lookup) if default else "<default>"
    w.write(0, f"Default backend:\t{default_text}\n")
    if spec.get("tls"):
        w.write(0, "TLS:\n")
        for t in spec["tls"]:
            hosts = ",".join(t.get("hosts") or ())
            if t.get("secretName"):
                w.write(1, f"{t['secretName']} terminates {hosts}\n")
            else:
                w.write(1, f"SNI routes {hosts}\n")
    w.write(0, "Rules:\n  Host\tPath\tBackends\n")
    w.write(1, "----\t----\t--------\n")
    count = 0
    for rule in spec.get("rules") or ():
        if not rule.get("http"):
            continue
        count += 1
        w.write(1, f"{rule.get('host') or '*'}\t\n")
        for path in rule["http"].get("paths") or ():
            w.write(2, f"\t{path.get('path', '')} \t{_ingress_backend(path.get('backend') or {}, lookup)}\n")
    if not count:
        w.write(1, f"*\t*\t{default_text}\n")
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    describe_events(w, events, now)
    return w.text()


def describe_ingressclass(ic: dict, events: Sequence[Any] | None, now: float) -> str:
    """`kubectl describe ingressclass`."""
    w = Writer()
    meta, spec = _meta(ic), ic.get("spec") or {}
    w.write(0, f"Name:\t{meta.get('name')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Controller:\t{spec.get('controller', '')}\n")
    params = spec.get("parameters")
    if params:
        w.write(0, "Parameters:\n")
        if params.get("apiGroup"):
            w.write(1, f"APIGroup:\t{params['apiGroup']}\n")
        w.write(1, f"Kind:\t{params.get('kind', '')}\n")
        w.write(1, f"Name:\t{params.get('name', '')}\n")
    describe_events(w, events, now)
    return w.text()


# -- nodes -------------------------------------------------------------------------------


def _milli_cpu(value: object) -> int:
    text = str(value)
    if text.endswith("m"):
        return int(float(text[:-1]))
    return int(float(text) * 1000)


_MEM_UNITS = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "k": 10**3, "M": 10**6,
              "G": 10**9, "T": 10**12}  # fmt: skip


def _bytes(value: object) -> int:
    text = str(value)
    for unit in ("Ki", "Mi", "Gi", "Ti", "k", "M", "G", "T"):
        if text.endswith(unit):
            return int(float(text[: -len(unit)]) * _MEM_UNITS[unit])
    return int(float(text))


def _cpu_text(milli: int) -> str:
    return f"{milli // 1000}" if milli % 1000 == 0 else f"{milli}m"


def _mem_text(value: int) -> str:
    if value == 0:
        return "0"
    for unit in ("Ti", "Gi", "Mi", "Ki"):
        if value % _MEM_UNITS[unit] == 0:
            return f"{value // _MEM_UNITS[unit]}{unit}"
    return str(value)


def _pod_requests(pod: dict) -> dict[str, int]:
    totals = {"cpu_req": 0, "cpu_lim": 0, "mem_req": 0, "mem_lim": 0}
    for c in (pod.get("spec") or {}).get("containers") or ():
        res = c.get("resources") or {}
        req, lim = res.get("requests") or {}, res.get("limits") or {}
        try:
            totals["cpu_req"] += _milli_cpu(req.get("cpu", lim.get("cpu", 0)))
            totals["cpu_lim"] += _milli_cpu(lim.get("cpu", 0))
            totals["mem_req"] += _bytes(req.get("memory", lim.get("memory", 0)))
            totals["mem_lim"] += _bytes(lim.get("memory", 0))
        except ValueError:
            continue
    return totals


def _percent(part: int, whole: int) -> int:
    return int(part / whole * 100) if whole else 0


def describe_node(node: dict, pods: Sequence[dict], events: Sequence[Any] | None,
                  now: float) -> str:  # fmt: skip
    """`kubectl describe node` (lease, resources and non-terminated pods as kubeadm shows them).

    Args:
        pods: the node's pods that are not Succeeded or Failed.
    """
    w = Writer()
    meta, spec, status = _meta(node), node.get("spec") or {}, node.get("status") or {}
    name = meta.get("name", "")
    w.write(0, f"Name:\t{name}\n")
    w.write(0, f"Roles:\t{','.join(node_roles(node)) or '<none>'}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'))}\n")
    taints = sorted(spec.get("taints") or (), key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}")
    _list_multiline(w, "Taints", [taint_text(t) for t in taints])
    w.write(0, f"Unschedulable:\t{'true' if spec.get('unschedulable') else 'false'}\n")
    w.write(0, "Lease:\n")
    w.write(1, f"HolderIdentity:\t{name}\n")
    w.write(1, "AcquireTime:\t<unset>\n")
    w.write(1, f"RenewTime:\t{rfc1123z(timestamp(now))}\n")
    conditions = status.get("conditions") or ()
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(1, f"{c.get('type')} \t{c.get('status')} \t"
                       f"{rfc1123z(c.get('lastHeartbeatTime'))} \t"
                       f"{rfc1123z(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t"
                       f"{c.get('message', '')}\n")  # fmt: skip
    w.write(0, "Addresses:\n")
    for a in status.get("addresses") or ():
        w.write(1, f"{a.get('type')}:\t{a.get('address')}\n")
    for title, key in (("Capacity", "capacity"), ("Allocatable", "allocatable")):
        values = status.get(key) or {}
        if values:
            w.write(0, f"{title}:\n")
            for res in sorted(values):
                w.write(0, f"  {res}:\t{values[res]}\n")
    info = status.get("nodeInfo") or {}
    w.write(0, "System Info:\n")
    for title, key in (("Machine ID", "machineID"), ("System UUID", "systemUUID"),
                       ("Boot ID", "bootID"), ("Kernel Version", "kernelVersion"),
                       ("OS Image", "osImage"), ("Operating System", "operatingSystem"),
                       ("Architecture", "architecture"),
                       ("Container Runtime Version", "containerRuntimeVersion"),
                       ("Kubelet Version", "kubeletVersion"),
                       ("Kube-Proxy Version", "kubeProxyVersion")):  # fmt: skip
        w.write(0, f"  {title}:\t{info.get(key, '')}\n")
    if spec.get("podCIDR"):
        w.write(0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(0, f"ProviderID:\t{spec['providerID']}\n")
    allocatable = status.get("allocatable") or status.get("capacity") or {}
    try:
        cpu_total = _milli_cpu(allocatable.get("cpu", 0))
        mem_total = _bytes(allocatable.get("memory", 0))
    except ValueError:
        cpu_total = mem_total = 0
    w.write(0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    sums = {"cpu_req": 0, "cpu_lim": 0, "mem_req": 0, "mem_lim": 0}
    for pod in pods:
        r = _pod_requests(pod)
        for k in sums:
            sums[k] += r[k]
        pm = _meta(pod)
        w.write(1, f"{pm.get('namespace', '')}\t{pm.get('name')}\t\t"
                   f"{_cpu_text(r['cpu_req'])} ({_percent(r['cpu_req'], cpu_total)}%)\t"
                   f"{_cpu_text(r['cpu_lim'])} ({_percent(r['cpu_lim'], cpu_total)}%)\t"
                   f"{_mem_text(r['mem_req'])} ({_percent(r['mem_req'], mem_total)}%)\t"
                   f"{_mem_text(r['mem_lim'])} ({_percent(r['mem_lim'], mem_total)}%)\t"
                   f"{since(pm.get('creationTimestamp'), now)}\n")  # fmt: skip
    w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
    w.write(1, "Resource\tRequests\tLimits\n")
    w.write(1, "--------\t--------\t------\n")
    w.write(1, f"cpu\t{_cpu_text(sums['cpu_req'])} ({_percent(sums['cpu_req'], cpu_total)}%)\t"
               f"{_cpu_text(sums['cpu_lim'])} ({_percent(sums['cpu_lim'], cpu_total)}%)\n")  # fmt: skip
    w.write(1, f"memory\t{_mem_text(sums['mem_req'])} ({_percent(sums['mem_req'], mem_total)}%)\t"
               f"{_mem_text(sums['mem_lim'])} ({_percent(sums['mem_lim'], mem_total)}%)\n")  # fmt: skip
    w.write(1, "ephemeral-storage\t0 (0%)\t0 (0%)\n")
    describe_events(w, events, now)
    return w.text()


# -- workloads ---------------------------------------------------------------------------


def _pods_status_line(counts: dict[str, int]) -> str:
    return (f"{counts.get('Running', 0)} Running / {counts.get('Pending', 0)} Waiting / "
            f"{counts.get('Succeeded', 0)} Succeeded / {counts.get('Failed', 0)} Failed")  # fmt: skip


def _conditions_table(w: Writer, conditions: Sequence[dict]) -> None:
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for c in conditions:
            w.write(1, f"{c.get('type')} \t{c.get('status')}\t{c.get('reason', '')}\n")


def describe_replicaset(rs: dict, pod_phases: dict[str, int], events: Sequence[Any] | None,
                        now: float) -> str:  # fmt: skip
    """`kubectl describe replicaset` and `replicationcontroller`.

    Args:
        pod_phases: phase -> how many pods the controller owns in that phase.
    """
    w = Writer()
    meta, spec, status = _meta(rs), rs.get("spec") or {}, rs.get("status") or {}
    rc = rs.get("kind") == "ReplicationController"
    w.write(0, f"Name:\t{meta.get('name')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    if rc:
        selector = format_labels(spec.get("selector") or
                                 ((spec.get("template") or {}).get("metadata") or {}).get("labels"))  # fmt: skip
    else:
        selector = format_selector_or_none(spec.get("selector"))
    w.write(0, f"Selector:\t{selector}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    controller = _controlled_by(rs)
    if controller and not rc:
        w.write(0, f"Controlled By:\t{controller}\n")
    w.write(0, f"Replicas:\t{status.get('replicas', 0)} current / {spec.get('replicas', 1)} desired\n")
    w.write(0, f"Pods Status:\t{_pods_status_line(pod_phases)}\n")
    describe_pod_template(w, spec.get("template"))
    _conditions_table(w, status.get("conditions") or ())
    describe_events(w, events, now)
    return w.text()


def describe_daemonset(ds: dict, pod_phases: dict[str, int], events: Sequence[Any] | None,
                       now: float) -> str:  # fmt: skip
    """`kubectl describe daemonset`."""
    w = Writer()
    meta, spec, status = _meta(ds), ds.get("spec") or {}, ds.get("status") or {}
    template_spec = (spec.get("template") or {}).get("spec") or {}
    w.write(0, f"Name:\t{meta.get('name')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"Selector:\t{format_label_selector(spec.get('selector'))}\n")
    w.write(0, f"Node-Selector:\t{format_labels(template_spec.get('nodeSelector'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Desired Number of Nodes Scheduled: {status.get('desiredNumberScheduled', 0)}\n")
    w.write(0, f"Current Number of Nodes Scheduled: {status.get('currentNumberScheduled', 0)}\n")
    w.write(0, "Number of Nodes Scheduled with Up-to-date Pods: "
               f"{status.get('updatedNumberScheduled', 0)}\n")  # fmt: skip
    w.write(0, "Number of Nodes Scheduled with Available Pods: "
               f"{status.get('numberAvailable', 0)}\n")  # fmt: skip
    w.write(0, f"Number of Nodes Misscheduled: {status.get('numberMisscheduled', 0)}\n")
    w.write(0, f"Pods Status:\t{_pods_status_line(pod_phases)}\n")
    describe_pod_template(w, spec.get("template"))
    describe_events(w, events, now)
    return w.text()


def _replica_sets_text(sets: Sequence[dict]) -> str:
    parts = [
        f"{rs['metadata']['name']} ({(rs.get('status') or {}).get('replicas', 0)}/"
        f"{(rs.get('spec') or {}).get('replicas', 1)} replicas created)"
        for rs in sets
    ]
    return ", ".join(parts) or "<none>"


def describe_deployment(d: dict, old_sets: Sequence[dict], new_sets: Sequence[dict],
                        events: Sequence[Any] | None, now: float) -> str:  # fmt: skip
    """`kubectl describe deployment`."""
    w = Writer()
    meta, spec, status = _meta(d), d.get("spec") or {}, d.get("status") or {}
    strategy = spec.get("strategy") or {"type": "RollingUpdate"}
    w.write(0, f"Name:\t{meta.get('name')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Selector:\t{format_label_selector(spec.get('selector'))}\n")
    w.write(0, f"Replicas:\t{spec.get('replicas', 1)} desired | {status.get('updatedReplicas', 0)} "
               f"updated | {status.get('replicas', 0)} total | "
               f"{status.get('availableReplicas', 0)} available | "
               f"{status.get('unavailableReplicas', 0)} unavailable\n")  # fmt: skip
    w.write(0, f"StrategyType:\t{strategy.get('type', 'RollingUpdate')}\n")
    w.write(0, f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}\n")
    if strategy.get("type", "RollingUpdate") == "RollingUpdate":
        ru = strategy.get("rollingUpdate") or {}
        w.write(0, f"RollingUpdateStrategy:\t{ru.get('maxUnavailable', '25%')} max unavailable, "
                   f"{ru.get('maxSurge', '25%')} max surge\n")  # fmt: skip
    describe_pod_template(w, spec.get("template"))
    _conditions_table(w, status.get("conditions") or ())
    if old_sets or new_sets:
        w.write(0, f"OldReplicaSets:\t{_replica_sets_text(old_sets)}\n")
        w.write(0, f"NewReplicaSet:\t{_replica_sets_text(new_sets)}\n")
    describe_events(w, events, now)
    return w.text()


# -- simple kinds ------------------------------------------------------------------------


def describe_namespace(ns: dict) -> str:
    """`kubectl describe namespace` (no quotas or limit ranges in the simulator)."""
    w = Writer()
    meta = _meta(ns)
    w.write(0, f"Name:\t{meta.get('name')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Status:\t{(ns.get('status') or {}).get('phase') or 'Active'}\n")
    w.write(0, "\nNo resource quota.\n")
    w.write(0, "\nNo LimitRange resource.\n")
    return w.text()


def describe_configmap(cm: dict, events: Sequence[Any] | None, now: float) -> str:
    """`kubectl describe configmap`."""
    w = Writer()
    meta = _meta(cm)
    w.write(0, f"Name:\t{meta.get('name')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "\nData\n====\n")
    for key in sorted(cm.get("data") or {}):
        w.write(0, f"{key}:\n----\n")
        w.write(0, f"{cm['data'][key]}\n")
        w.write(0, "\n")
    w.write(0, "\nBinaryData\n====\n")
    for key in sorted(cm.get("binaryData") or {}):
        size = len(base64.b64decode(cm["binaryData"][key] or ""))
        w.write(0, f"{key}: {size} bytes\n")
    w.write(0, "\n")
    describe_events(w, events, now)
    return w.text()


def describe_secret(secret: dict) -> str:
    """`kubectl describe secret`: sizes only, never values."""
    w = Writer()
    meta = _meta(secret)
    w.write(0, f"Name:\t{meta.get('name')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"\nType:\t{secret.get('type') or 'Opaque'}\n")
    w.write(0, "\nData\n====\n")
    for key in sorted(secret.get("data") or {}):
        try:
            size = len(base64.b64decode(secret["data"][key] or "", validate=True))
        except (binascii.Error, ValueError):
            size = len(str(secret["data"][key]))
        w.write(0, f"{key}:\t{size} bytes\n")
    return w.text()


def describe_generic(obj: dict, events: Sequence[Any] | None, now: float) -> str:
    """A describe text for kinds without a dedicated describer: metadata, then spec/status keys."""
    w = Writer()
    meta = _meta(obj)
    w.write(0, f"Name:\t{meta.get('name')}\n")
    if meta.get("namespace"):
        w.write(0, f"Namespace:\t{meta['namespace']}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"API Version:\t{obj.get('apiVersion', '')}\n")
    w.write(0, f"Kind:\t{obj.get('kind', '')}\n")
    for key in sorted(k for k in obj if k not in ("apiVersion", "kind", "metadata")):
        _generic_value(w, 0, key, obj[key])
    describe_events(w, events, now)
    return w.text()


def _generic_value(w: Writer, level: int, key: str, value: object) -> None:
    title = key[:1].upper() + key[1:]
    if isinstance(value, dict):
        w.write(level, f"{title}:\n")
        for k in sorted(value):
            _generic_value(w, level + 1, k, value[k])
    elif isinstance(value, list):
        w.write(level, f"{title}:\n")
        for item in value:
            if isinstance(item, dict):
                for i, k in enumerate(sorted(item)):
                    w.write(level + 1, ("" if i else "") + f"{k[:1].upper() + k[1:]}:\t{item[k]}\n")
            else:
                w.write(level + 1, f"{item}\n")
    else:
        w.write(level, f"{title}:\t{value}\n")
