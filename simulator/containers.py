"""Inside running containers: files, environment variables, listening ports, the image.

What `kubectl exec` sees and changes. Files are the paths touched in each
container (beyond what every image has); a port can be made to refuse
connections (`kubeplay-port close`), which readiness probes and requests notice.
"""

from __future__ import annotations

from . import kubelet
from .cluster_data import ClusterData
from .errors import Conflict
from .runtime import NO_FILES, PodRuntime
from .store import Key

PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def container_of(pod: dict, name: str | None) -> dict:
    """The container called `name`, or the first one when `name` is None."""
    containers = pod["spec"].get("containers") or [{"name": ""}]
    if name is None:
        return containers[0]
    for c in containers:
        if c["name"] == name:
            return c
    raise Conflict(
        f"Error from server (BadRequest): container {name} is not valid for pod "
        f"{pod['metadata']['name']}"
    )


def pod_env(data: ClusterData, namespace: str, name: str,
            container: str | None = None) -> list[tuple[str, str]]:  # fmt: skip
    """A container's environment as `env` prints it: service links as of its start."""
    pod = data.require("Pod", namespace, name)
    rt = data.runtime.get((namespace, name))
    spec = pod["spec"]
    chosen = container_of(pod, container)
    env: dict[str, str] = {"PATH": PATH, "HOSTNAME": spec.get("hostname") or name}
    env.update(kubelet.declared_env(pod, chosen, data.store))
    if rt is not None:
        links: dict[str, list[tuple[str, str]]] = {}
        kubernetes = data.store.get("Service", "default", "kubernetes")
        if kubernetes is not None:
            links["default/kubernetes"] = kubelet.service_env(kubernetes)
        if spec.get("enableServiceLinks", True):
            for key, service in data.service_log.get(namespace, [])[: rt.env_seq]:
                label = f"{key[0]}/{key[1]}"
                if service is None:
                    links.pop(label, None)
                else:
                    links[label] = kubelet.service_env(service)
        for variables in links.values():
            for k, v in variables:
                env.setdefault(k, v)
    env.setdefault("HOME", "/root")
    return list(env.items())


def file_exists(data: ClusterData, namespace: str, pod: str, container: str | None,
                path: str) -> bool:  # fmt: skip
    """Whether `path` exists in the container (touched files and the image's basics)."""
    rt = data.runtime.get((namespace, pod))
    if rt is None:
        return False
    name = container or container_of(data.require("Pod", namespace, pod), None)["name"]
    return kubelet.path_exists(rt.files.get(name, set()), path)


def list_dir(data: ClusterData, namespace: str, pod: str, container: str | None,
             path: str) -> list[str]:  # fmt: skip
    """Entries directly under `path` that were created in the container."""
    rt = data.runtime.get((namespace, pod))
    if rt is None:
        return []
    name = container or container_of(data.require("Pod", namespace, pod), None)["name"]
    prefix = kubelet.normalize(path).rstrip("/") + "/"
    entries = {
        f[len(prefix) :].split("/", 1)[0] for f in rt.files.get(name, ()) if f.startswith(prefix)
    }
    return sorted(entries)


def is_busybox(data: ClusterData, pod_key: Key, container: str | None) -> bool:
    """Whether the container image is BusyBox-based (its tools word errors differently)."""
    pod = data.store.get("Pod", *pod_key)
    image = container_of(pod, container).get("image", "") if pod else ""
    return "busybox" in image or "alpine" in image


def touch(data: ClusterData, namespace: str, pod: str, container: str | None,
          path: str) -> None:  # fmt: skip
    """Create an empty file in a container (`kubectl exec POD -- touch PATH`)."""
    rt, name = _running(data, namespace, pod, container)
    if rt.files is NO_FILES:
        rt.files = {}
    rt.files.setdefault(name, set()).add(kubelet.normalize(path))


def remove_file(data: ClusterData, namespace: str, pod: str, container: str | None,
                path: str) -> bool:  # fmt: skip
    """Delete a file; returns whether it existed."""
    rt, name = _running(data, namespace, pod, container)
    files = rt.files.get(name, set())
    path = kubelet.normalize(path)
    if path in files:
        files.discard(path)
        return True
    return False


def stop_port(data: ClusterData, namespace: str, pod: str, port: int,
              stopped: bool = True) -> None:  # fmt: skip
    """Make a container port refuse connections (or listen again)."""
    rt, _ = _running(data, namespace, pod, None)
    data.ports_switched += 1
    if stopped:
        rt.stopped_ports = rt.stopped_ports | {port}
    else:
        rt.stopped_ports = rt.stopped_ports - {port}


def _running(data: ClusterData, namespace: str, pod: str,
             container: str | None) -> tuple[PodRuntime, str]:  # fmt: skip
    """A running pod's record and the container's name; `kubectl exec`'s errors otherwise."""
    obj = data.require("Pod", namespace, pod)
    rt = data.runtime.get((namespace, pod))
    if rt is None:
        raise Conflict(f'error: unable to upgrade connection: pod "{pod}" is not running')
    return rt, container_of(obj, container)["name"]
