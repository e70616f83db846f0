"""The kubelet's part: starting pods, their status, files, environment and readiness.

Pod `status` is what `kubectl get pods` and `-o yaml` show; it is rebuilt
from the pod's runtime whenever readiness changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from .probes import SYSTEM_PATHS, ProbeCheck, ProbeState


class StartTemplate:
    """How pods of one template start: computed once per batch, applied to each pod.

    Pods made from one template share their containers list, so their readiness
    probes, listening ports and most of their status are the same; only names,
    addresses and container IDs differ (`status` builds those per pod).

    Attributes:
        probe_slots: `(initialDelaySeconds, periodSeconds)` of each probe `probes` returns.
        ports: every declared containerPort (what answers connections).
        container_ready: readiness by probed container at start (all False).
        ready: whether the pod is Ready as soon as it runs (no readiness probe).
    """

    __slots__ = ("_checks", "_conditions", "_containers", "_started", "container_ready", "ports",
                 "probe_slots", "ready")  # fmt: skip

    def __init__(self, containers: Sequence[dict] | None, started: str) -> None:
        containers = containers or ()
        self._checks = [
            ProbeCheck(c, c["readinessProbe"]) for c in containers if c.get("readinessProbe")
        ]
        self.probe_slots = [
            (float(p.probe.get("initialDelaySeconds", 0)), float(p.probe.get("periodSeconds", 10)))
            for p in self._checks
        ]
        self.ports = frozenset(
            int(cp["containerPort"])
            for c in containers
            for cp in c.get("ports") or ()
            if str(cp.get("containerPort", "")).isdigit()
        )
        self.container_ready = {p.container: False for p in self._checks}
        self.ready = not self._checks
        not_ready = tuple(c["name"] for c in containers if c["name"] in self.container_ready)
        running = _running(started)
        # What every pod's status shares; `status` fills in addresses and container IDs.
        self._started = started
        self._conditions = _conditions(not_ready, started)
        # Each container's status, and the per-container tail of its container ID.
        self._containers = [
            (
                {
                    "name": c["name"],
                    "image": c.get("image", ""),
                    "imageID": "",
                    "containerID": "",
                    "ready": c["name"] not in not_ready,
                    "restartCount": 0,
                    "started": True,
                    "state": running,
                },
                f"{i:032x}",
            )
            for i, c in enumerate(containers)
        ]

    def probes(self) -> list[ProbeState]:
        """A fresh ProbeState for each probed container of one pod."""
        checks = self._checks
        if len(checks) == 1:  # the usual pod: no comprehension (a call) per pod
            return [ProbeState(checks[0])]
        return [ProbeState(check) for check in checks]

    def status(self, node_ip: str, pod_ip: str, uid: str) -> dict:
        """The status of one running pod. Conditions and container state are shared between
        pods; they are replaced, never edited, when readiness changes."""
        container_id = "containerd://" + uid.replace("-", "")
        containers = self._containers
        if len(containers) == 1:  # the usual pod: no comprehension (a call) per pod
            ((shown, tail),) = containers
            statuses = [{**shown, "containerID": container_id + tail}]
        else:
            statuses = [{**shown, "containerID": container_id + tail} for shown, tail in containers]
        # One literal, in the order the API prints the fields (cheaper than copying a dict).
        return {
            "phase": "Running",
            "conditions": self._conditions,
            "hostIP": node_ip,
            "hostIPs": _HOST_IPS.get(node_ip) or _host_ips(node_ip),  # no call once made
            "podIP": pod_ip,
            "podIPs": [{"ip": pod_ip}],
            "startTime": self._started,
            "qosClass": "BestEffort",
            "containerStatuses": statuses,
        }


def _shared(cache: dict, key: object, build):
    """The value for `key`, built once and shared by every pod that needs it (so it is
    replaced, never edited). Bounded: a long-running process sees many timestamps."""
    value = cache.get(key)
    if value is None:
        if len(cache) > 10_000:
            cache.clear()
        value = cache[key] = build()
    return value


_HOST_IPS: dict[str, list[dict]] = {}
_RUNNING: dict[str, dict] = {}
_CONDITIONS: dict[tuple, list[dict]] = {}


def _host_ips(node_ip: str) -> list[dict]:
    """`status.hostIPs`, shared by the pods of a node (looked up first: once per pod)."""
    return _HOST_IPS.get(node_ip) or _shared(_HOST_IPS, node_ip, lambda: [{"ip": node_ip}])


def _running(started: str) -> dict:
    """A container state, shared by the containers that started at the same second."""
    return _shared(_RUNNING, started, lambda: {"running": {"startedAt": started}})


def _conditions(not_ready: tuple[str, ...], at: str) -> list[dict]:
    """Pod conditions, shared between pods with the same values."""
    return _shared(_CONDITIONS, (not_ready, at), lambda: _build_conditions(not_ready, at))


def _build_conditions(not_ready: tuple[str, ...], at: str) -> list[dict]:
    """The five pod conditions, Ready and ContainersReady false while any is not ready."""
    ready = not not_ready
    message = f"containers with unready status: [{' '.join(not_ready)}]"
    why = "" if ready else "ContainersNotReady"
    return [
        _condition("PodReadyToStartContainers", True, at),
        _condition("Initialized", True, at),
        _condition("Ready", ready, at, why, message),
        _condition("ContainersReady", ready, at, why, message),
        _condition("PodScheduled", True, at),
    ]


def set_ready_in_status(pod: dict, ready_by_container: dict[str, bool], at: str) -> None:
    """Rewrite the Ready conditions and container readiness after a probe flipped
    (`ready_by_container`: probed containers' readiness; the others are ready)."""
    status = pod["status"]
    containers = pod["spec"].get("containers") or ()
    not_ready = tuple(c["name"] for c in containers if not ready_by_container.get(c["name"], True))
    old = {c["type"]: c for c in status.get("conditions") or ()}
    fresh = _conditions(not_ready, at)
    # Only Ready and ContainersReady changed; the others keep their transition times.
    status["conditions"] = [
        fresh_c
        if fresh_c["type"] in ("Ready", "ContainersReady")
        else old.get(fresh_c["type"], fresh_c)
        for fresh_c in fresh
    ]
    for cs in status.get("containerStatuses") or ():
        cs["ready"] = ready_by_container.get(cs["name"], True)


def bound_status(at: str) -> dict:
    """A pod the scheduler bound to a node, before its kubelet reports anything."""
    return {
        "phase": "Pending",
        "conditions": [_condition("PodScheduled", True, at)],
        "qosClass": "BestEffort",
    }


def creating_status(containers: list[dict], node_ip: str, at: str, scheduled: str) -> dict:
    """A bound pod whose kubelet is creating its sandbox and containers (`ContainerCreating`)."""
    names = " ".join(c["name"] for c in containers)
    message = f"containers with unready status: [{names}]"
    return {
        "phase": "Pending",
        "conditions": [
            _condition("PodReadyToStartContainers", False, at),
            _condition("Initialized", True, at),
            _condition("Ready", False, at, "ContainersNotReady", message),
            _condition("ContainersReady", False, at, "ContainersNotReady", message),
            _condition("PodScheduled", True, scheduled),
        ],
        "hostIP": node_ip,
        "hostIPs": _host_ips(node_ip),
        "startTime": at,
        "qosClass": "BestEffort",
        "containerStatuses": [
            {
                "name": c["name"],
                "image": c.get("image", ""),
                "imageID": "",
                "lastState": {},
                "ready": False,
                "restartCount": 0,
                "started": False,
                "state": {"waiting": {"reason": "ContainerCreating"}},
            }
            for c in containers
        ],
    }


def _condition(type_: str, ok: bool, at: str, reason: str = "", message: str = "") -> dict:
    out = {"type": type_, "status": "True" if ok else "False", "lastProbeTime": None,
           "lastTransitionTime": at}  # fmt: skip
    if reason:
        out["reason"] = reason
        out["message"] = message
    return out


def pending_status(message: str, at: str) -> dict:
    """The status of a pod no node can take."""
    return {
        "phase": "Pending",
        "conditions": [
            {
                "type": "PodScheduled",
                "status": "False",
                "lastProbeTime": None,
                "lastTransitionTime": at,
                "reason": "Unschedulable",
                "message": message,
            }
        ],
        "qosClass": "BestEffort",
    }


def path_exists(files: set[str], path: str) -> bool:
    """Whether `path` exists given the files touched in a container."""
    path = normalize(path)
    if path in SYSTEM_PATHS or path in files:
        return True
    prefix = path.rstrip("/") + "/"
    return any(f.startswith(prefix) for f in files)


def normalize(path: str) -> str:
    """Collapse `//` and a trailing `/` (but keep `/`)."""
    parts = [p for p in path.split("/") if p and p != "."]
    return "/" + "/".join(parts)


def service_env(service: dict) -> list[tuple[str, str]]:
    """The variables a Service injects into containers (k8s-semantics.md section 1.1)."""
    spec = service["spec"]
    ip = spec.get("clusterIP")
    ports = spec.get("ports") or ()
    if not ip or ip == "None" or not ports:
        return []
    pfx = service["metadata"]["name"].upper().replace("-", "_")
    first = ports[0]
    out = [
        (f"{pfx}_SERVICE_HOST", ip),
        (f"{pfx}_SERVICE_PORT", str(first["port"])),
    ]
    for p in ports:
        if p.get("name"):
            out.append(
                (f"{pfx}_SERVICE_PORT_{p['name'].upper().replace('-', '_')}", str(p["port"]))
            )
    out.append((f"{pfx}_PORT", f"{first.get('protocol', 'TCP').lower()}://{ip}:{first['port']}"))
    for p in ports:
        proto = p.get("protocol", "TCP")
        n = p["port"]
        base = f"{pfx}_PORT_{n}_{proto.upper()}"
        out += [
            (base, f"{proto.lower()}://{ip}:{n}"),
            (f"{base}_PROTO", proto.lower()),
            (f"{base}_PORT", str(n)),
            (f"{base}_ADDR", ip),
        ]
    return out


def declared_env(pod: dict, container: dict, store) -> list[tuple[str, str]]:
    """A container's `envFrom` and `env`, resolved as the kubelet does at start.

    `envFrom` sources come first (with their prefix), then `env` entries, which
    win; `valueFrom` reads ConfigMaps, Secrets (decoded) and pod fields, and
    `$(VAR)` in a value expands to a variable defined before it.
    """
    namespace = pod["metadata"]["namespace"]
    out: dict[str, str] = {}
    for source in container.get("envFrom") or ():
        prefix = source.get("prefix", "")
        for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
            ref = source.get(key)
            if ref:
                for k, v in _data(store, kind, namespace, ref.get("name", "")).items():
                    out[prefix + k] = v
    for item in container.get("env") or ():
        name = item.get("name", "")
        if "value" in item:
            out[name] = _expand(str(item["value"]), out)
        elif item.get("valueFrom"):
            value = _value_from(pod, item["valueFrom"], store)
            if value is not None:
                out[name] = value
    return list(out.items())


def _data(store, kind: str, namespace: str, name: str) -> dict[str, str]:
    obj = store.get(kind, namespace, name) or {}
    data = dict(obj.get("data") or {})
    if kind == "Secret":
        import base64
        import binascii

        decoded = {}
        for k, v in data.items():
            try:
                decoded[k] = base64.b64decode(str(v)).decode("utf-8", "replace")
            except (binascii.Error, ValueError):
                decoded[k] = ""
        return decoded
    return {k: str(v) for k, v in data.items()}


FIELD_PATHS = {
    "metadata.name": lambda p: p["metadata"]["name"],
    "metadata.namespace": lambda p: p["metadata"]["namespace"],
    "metadata.uid": lambda p: p["metadata"].get("uid", ""),
    "spec.nodeName": lambda p: p["spec"].get("nodeName", ""),
    "spec.serviceAccountName": lambda p: p["spec"].get("serviceAccountName", "default"),
    "status.podIP": lambda p: (p.get("status") or {}).get("podIP", ""),
    "status.hostIP": lambda p: (p.get("status") or {}).get("hostIP", ""),
}


def _value_from(pod: dict, source: dict, store) -> str | None:
    namespace = pod["metadata"]["namespace"]
    for kind, key in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
        ref = source.get(key)
        if ref:
            return _data(store, kind, namespace, ref.get("name", "")).get(ref.get("key", ""))
    field_ref = source.get("fieldRef")
    if field_ref:
        getter = FIELD_PATHS.get(field_ref.get("fieldPath", ""))
        return getter(pod) if getter else None
    return None


def _expand(value: str, env: dict[str, str]) -> str:
    """`$(VAR)` becomes VAR's value when VAR is defined; `$$` escapes (Kubernetes' rules)."""
    if "$" not in value:
        return value
    out, i = [], 0
    while i < len(value):
        if value.startswith("$$", i):
            out.append("$")
            i += 2
        elif value.startswith("$(", i) and ")" in value[i:]:
            end = value.index(")", i)
            name = value[i + 2 : end]
            out.append(env.get(name, value[i : end + 1]))
            i = end + 1
        else:
            out.append(value[i])
            i += 1
    return "".join(out)
