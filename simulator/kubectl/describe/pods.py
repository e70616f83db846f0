"""`kubectl describe pod`, and the containers and pod template sections controllers reuse."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from simulator.kubectl.age import rfc1123z, since

from .writer import (
    Writer,
    annotations_multiline,
    controlled_by,
    describe_events,
    labels_multiline,
    list_multiline,
    meta_of,
    toleration_text,
)


def probe_text(probe: dict) -> str:
    """`DescribeProbe` (kubectl <= v1.36): `exec [ls /var/ready] delay=0s ... #failure=3`."""
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


def describe_containers(
    w: Writer,
    label: str,
    containers: Sequence[dict],
    statuses: Sequence[dict] | None,
    space: str = "",
) -> None:
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
        for title, key in (
            ("Liveness", "livenessProbe"),
            ("Readiness", "readinessProbe"),
            ("Startup", "startupProbe"),
        ):
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
            return (
                f"{name}:\t<set to the key '{ref.get('key')}' {what} '{ref.get('name')}'>"
                f"\tOptional: {optional}\n"
            )
    return f"{name}:\t\n"


def volumes_section(w: Writer, volumes: Sequence[dict], space: str = "") -> None:
    """The `Volumes:` section: each volume's type and source, or `<none>`."""
    if not volumes:
        w.write(0, f"{space}Volumes:\t<none>\n")
        return
    w.write(0, f"{space}Volumes:\n")
    for v in volumes:
        w.write(1, f"{' ' if space else ''}{v.get('name')}:\n")
        if "configMap" in v:
            cm = v["configMap"] or {}
            w.write(
                2,
                "Type:\tConfigMap (a volume populated by a ConfigMap)\n"
                f"    Name:\t{cm.get('name', '')}\n"
                f"    Optional:\t{'true' if cm.get('optional') else 'false'}\n",
            )
        elif "secret" in v:
            s = v["secret"] or {}
            w.write(
                2,
                "Type:\tSecret (a volume populated by a Secret)\n"
                f"    SecretName:\t{s.get('secretName', '')}\n"
                f"    Optional:\t{'true' if s.get('optional') else 'false'}\n",
            )
        elif "emptyDir" in v:
            e = v["emptyDir"] or {}
            w.write(
                2,
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
                f"    Medium:\t{e.get('medium', '')}\n"
                f"    SizeLimit:\t{e.get('sizeLimit') or '<unset>'}\n",
            )
        elif "hostPath" in v:
            h = v["hostPath"] or {}
            w.write(
                2,
                "Type:\tHostPath (bare host directory volume)\n"
                f"    Path:\t{h.get('path', '')}\n"
                f"    HostPathType:\t{h.get('type') or '<none>'}\n",
            )
        elif "persistentVolumeClaim" in v:
            p = v["persistentVolumeClaim"] or {}
            w.write(
                2,
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in "
                "the same namespace)\n"
                f"    ClaimName:\t{p.get('claimName', '')}\n"
                f"    ReadOnly:\t{'true' if p.get('readOnly') else 'false'}\n",
            )
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
    meta, spec, status = meta_of(pod), pod.get("spec") or {}, pod.get("status") or {}
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
    controller = controlled_by(pod)
    if controller:
        w.write(0, f"Controlled By:\t{controller}\n")
    if status.get("nominatedNodeName"):
        w.write(0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("initContainers"):
        describe_containers(
            w, "Init Containers", spec["initContainers"], status.get("initContainerStatuses")
        )
    describe_containers(
        w, "Containers", spec.get("containers") or (), status.get("containerStatuses") or ()
    )
    conditions = status.get("conditions") or ()
    gates = spec.get("readinessGates") or ()
    if gates:
        w.write(0, "Readiness Gates:\n  Type\tStatus\n")
        by_type = {c.get("type"): c.get("status") for c in conditions}
        for g in gates:
            w.write(
                1, f"{g.get('conditionType')} \t{by_type.get(g.get('conditionType'), '<none>')} \n"
            )
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for c in conditions:
            w.write(1, f"{c.get('type')} \t{c.get('status')} \n")
    volumes_section(w, spec.get("volumes") or ())
    w.write(0, f"QoS Class:\t{qos_class(pod)}\n")
    labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"))
    list_multiline(
        w,
        "Tolerations",
        [
            toleration_text(t)
            for t in sorted(spec.get("tolerations") or (), key=lambda t: t.get("key", ""))
        ],
    )
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
    volumes_section(w, spec.get("volumes") or (), "  ")
    if spec.get("priorityClassName"):
        w.write(1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    labels_multiline(w, "  Node-Selectors", spec.get("nodeSelector"))
    list_multiline(
        w,
        "  Tolerations",
        [
            toleration_text(t)
            for t in sorted(spec.get("tolerations") or (), key=lambda t: t.get("key", ""))
        ],
    )
