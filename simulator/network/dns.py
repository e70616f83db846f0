"""Cluster DNS as CoreDNS answers it, the pods' resolver, and bind9 `nslookup` output.

Records follow k8s-semantics.md section 2.1 (zone `cluster.local`): a Service
name answers with its cluster IP, a headless Service with its ready endpoint
IPs (NXDOMAIN when there is none), an ExternalName with a CNAME, headless
endpoints with `<hostname or dashed IP>.<svc>.<ns>.svc.cluster.local`, and
`a-b-c-d.<ns>.pod.cluster.local` with `a.b.c.d` (`pods insecure`).

Names outside the cluster go "upstream". The simulator has no Internet, so
the upstream is a documented fiction (`external_address`): reserved
top-level domains (`.invalid`, `.test`, `.local`, ...), names under any
top-level domain not in `PUBLIC_TLDS` (so `kubia.staging`, a Service in a
mistyped namespace, does not resolve) and made-up subdomains of
example.com/net/org do not exist, Ingress rule hosts are not in
public DNS either (the host knows them only through its /etc/hosts), and every
other name resolves to a stable address in 203.0.113.0/24 (TEST-NET-3) whose
server answers every request.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass

from simulator.hints import Hint, hint
from simulator.ipam import DNS_SERVICE_IP

from .cluster_view import ClusterView

CLUSTER_DOMAIN = "cluster.local"
NDOTS = 5
#: The host's resolver (systemd-resolved's stub), for `nslookup` run on the host.
HOST_NAMESERVER = "127.0.0.53"

#: Top-level domains "public DNS" knows. A name under any other (`kubia.staging`, a
#: service in a mistyped namespace; `.invalid`, `.test`, `.local`...) does not exist.
PUBLIC_TLDS = frozenset(
    {
        "com", "net", "org", "edu", "gov", "mil", "int", "io", "dev", "app", "ai", "cloud",
        "info", "biz", "co", "me", "sh", "tv", "fm", "ly", "gg", "xyz", "tech", "site", "online",
        "uk", "de", "fr", "nl", "be", "eu", "us", "ca", "au", "nz", "jp", "cn", "in", "br", "ru",
        "ch", "at", "se", "no", "dk", "fi", "es", "it", "pl", "pt", "cz", "ie", "il", "kr", "tw",
        "sg", "hk", "za", "mx", "ar",
    }
)  # fmt: skip
_EXAMPLE_DOMAINS = frozenset({"example.com", "example.net", "example.org"})
_RESERVED_TLDS = frozenset({"invalid", "test", "localhost", "local", "example", "internal"})
_WELL_KNOWN = {
    "example.com": "93.184.215.14",
    "www.example.com": "93.184.215.14",
}


def search_list(namespace: str) -> tuple[str, ...]:
    """The `search` domains of a ClusterFirst pod in `namespace`."""
    return (
        f"{namespace}.svc.{CLUSTER_DOMAIN}",
        f"svc.{CLUSTER_DOMAIN}",
        CLUSTER_DOMAIN,
    )


def resolv_conf(namespace: str) -> str:
    """A pod's /etc/resolv.conf (dnsPolicy ClusterFirst, kubeadm defaults)."""
    return (
        f"search {' '.join(search_list(namespace))}\n"
        f"nameserver {DNS_SERVICE_IP}\n"
        f"options ndots:{NDOTS}\n"
    )


def candidates(name: str, namespace: str) -> tuple[str, ...]:
    """The FQDNs a pod's resolver asks for, in order (glibc with `ndots:5`).

    A name ending in a dot is absolute and asked as it is. A name with fewer
    than five dots is tried with each search domain first and then as it is;
    a name with five or more dots is tried as it is first.
    """
    name = name.lower()
    if name.endswith("."):
        return (name[:-1],)
    searched = tuple(f"{name}.{domain}" for domain in search_list(namespace))
    if name.count(".") >= NDOTS:
        return (name, *searched)
    return (*searched, name)


def is_ip(text: str) -> bool:
    """Whether `text` is a dotted-quad IPv4 address (no regex: this is on the hot path)."""
    parts = text.split(".")
    if len(parts) != 4:
        return False
    return all(part.isdigit() and len(part) <= 3 and int(part) <= 255 for part in parts)


def external_address(name: str) -> str | None:
    """The address "public DNS" gives `name`, or None when it does not exist (see module doc)."""
    labels = name.split(".")
    if len(labels) < 2 or labels[-1] not in PUBLIC_TLDS or not all(labels):
        return None
    domain = ".".join(labels[-2:])
    if domain in _EXAMPLE_DOMAINS and name not in (domain, f"www.{domain}"):
        return None
    known = _WELL_KNOWN.get(name)
    if known:
        return known
    return f"203.0.113.{zlib.crc32(name.encode()) % 254 + 1}"


@dataclass(frozen=True, slots=True)
class Answer:
    """A successful lookup of one name.

    Attributes:
        name: the FQDN that answered (no trailing dot).
        addresses: the A records, after following a CNAME.
        kind: `service`, `headless`, `externalname`, `endpoint`, `pod`, `external`.
        service: the Service the name belongs to, when it is one.
        cname: the CNAME target of an ExternalName Service (no trailing dot).
    """

    name: str
    addresses: tuple[str, ...]
    kind: str
    service: dict | None = None
    cname: str | None = None


@dataclass(frozen=True, slots=True)
class NotFound:
    """A failed lookup: NXDOMAIN for every candidate.

    Attributes:
        name: the name as typed.
        tried: the FQDNs asked, in order.
        reason: why, in one sentence a learner can act on.
    """

    name: str
    tried: tuple[str, ...]
    reason: Hint


class ClusterDns:
    """CoreDNS over the store: answers names, reverse lookups, and explains failures."""

    def __init__(
        self,
        state: ClusterView,
        is_ingress_host: Callable[[str], bool],
        explain_no_ready: Callable[[dict, str], Hint],
    ) -> None:
        """Build the resolver.

        Args:
            state: the ClusterState (store, rng).
            is_ingress_host: `name -> bool`, whether an Ingress rule names this host.
            explain_no_ready: `(service, port_name) -> Hint`, why a Service has no ready
                endpoint (shared with kube-proxy's messages).
        """
        self._state = state
        self._store = state.store
        self._is_ingress_host = is_ingress_host
        self._explain_no_ready = explain_no_ready
        self._candidates: dict[tuple[str, str], tuple[tuple[str, tuple], ...]] = {}
        # (namespace, name) -> (the Endpoints' resourceVersion, the Service, its ready IPs)
        self._endpoint_ips: dict[tuple[str, str], tuple[str | None, dict, tuple[str, ...]]] = {}
        self._answers: dict[str, Answer] = {}

    # -- lookups -----------------------------------------------------------------

    def resolve(self, name: str, namespace: str) -> Answer | NotFound:
        """Resolve `name` as a pod in `namespace` would (search list, ndots:5)."""
        key = (name, namespace)
        parsed = self._candidates.get(key)
        if parsed is None:
            parsed = tuple((fqdn, _parse(fqdn)) for fqdn in candidates(name, namespace))
            if len(self._candidates) > 4096:
                self._candidates.clear()
            self._candidates[key] = parsed
        for fqdn, form in parsed:
            answer = self._query(fqdn, form, 0)
            if answer is not None:
                return answer
        return NotFound(name, tuple(f for f, _ in parsed), self._why_not_found(name, namespace))

    def query(self, fqdn: str) -> Answer | None:
        """Answer one absolute name (no search list), or None for NXDOMAIN."""
        fqdn = fqdn.lower().rstrip(".")
        return self._query(fqdn, _parse(fqdn), 0)

    def reverse(self, ip: str) -> str | None:
        """The PTR name of `ip` (a Service's cluster IP or a headless endpoint), or None."""
        for (ns, name), svc in self._store.items("Service"):
            spec = svc["spec"]
            if spec.get("clusterIP") == ip:
                return f"{name}.{ns}.svc.{CLUSTER_DOMAIN}"
            if spec.get("clusterIP") == "None":
                for address in self._addresses(ns, name, svc):
                    if address["ip"] == ip:
                        label = address.get("hostname") or ip.replace(".", "-")
                        return f"{label}.{name}.{ns}.svc.{CLUSTER_DOMAIN}"
        return None

    def _query(self, fqdn: str, form: tuple, depth: int) -> Answer | None:
        kind = form[0]
        if kind == "service":
            _, svc_name, ns = form
            svc = self._store.get("Service", ns, svc_name)
            if svc is None:
                return None
            spec = svc["spec"]
            if spec.get("type") == "ExternalName":
                target = spec.get("externalName", "").lower().rstrip(".")
                if depth > 4 or not target:
                    return None
                chased = self._query(target, _parse(target), depth + 1)
                if chased is None:
                    return None
                return Answer(fqdn, chased.addresses, "externalname", svc, target)
            cluster_ip = spec.get("clusterIP")
            if cluster_ip and cluster_ip != "None":
                # A cluster IP never changes while the Service object stays the same.
                cached = self._answers.get(fqdn)
                if cached is not None and cached.service is svc:
                    return cached
                answer = Answer(fqdn, (cluster_ip,), "service", svc)
                if len(self._answers) > 100_000:
                    self._answers.clear()
                self._answers[fqdn] = answer
                return answer
            ips = self._headless_ips(ns, svc_name, svc)
            if not ips:
                return None
            return Answer(fqdn, ips, "headless", svc)
        if kind == "endpoint":
            _, label, svc_name, ns = form
            svc = self._store.get("Service", ns, svc_name)
            if svc is None or svc["spec"].get("clusterIP") != "None":
                return None
            for address in self._addresses(ns, svc_name, svc):
                if address.get("hostname") == label or address["ip"].replace(".", "-") == label:
                    return Answer(fqdn, (address["ip"],), "endpoint", svc)
            return None
        if kind == "pod":
            return Answer(fqdn, (form[1],), "pod")
        if kind == "external":
            if self._is_ingress_host(fqdn):
                return None
            ip = external_address(fqdn)
            return Answer(fqdn, (ip,), "external") if ip else None
        return None  # another name inside cluster.local: CoreDNS has no such record

    def _addresses(self, ns: str, name: str, svc: dict) -> list[dict]:
        """Every address of the Service's Endpoints that DNS publishes (ready ones)."""
        ep = self._store.get("Endpoints", ns, name)
        if ep is None:
            return []
        publish_all = bool(svc["spec"].get("publishNotReadyAddresses"))
        out: list[dict] = []
        seen: set[str] = set()
        for subset in ep.get("subsets") or ():
            lists = [subset.get("addresses") or ()]
            if publish_all:
                lists.append(subset.get("notReadyAddresses") or ())
            for addresses in lists:
                for address in addresses:
                    if address["ip"] not in seen:
                        seen.add(address["ip"])
                        out.append(address)
        return out

    def _headless_ips(self, ns: str, name: str, svc: dict) -> tuple[str, ...]:
        ep = self._store.get("Endpoints", ns, name)
        version = ep["metadata"].get("resourceVersion") if ep is not None else None
        cached = self._endpoint_ips.get((ns, name))
        if cached is None or cached[0] != version or cached[1] is not svc:
            ips = tuple(a["ip"] for a in self._addresses(ns, name, svc))
            cached = (version, svc, ips)
            self._endpoint_ips[(ns, name)] = cached
        ips = cached[2]
        if len(ips) > 1:
            # CoreDNS's `loadbalance` plugin shuffles A records in every answer.
            shuffled = list(ips)
            self._state.rng.shuffle(shuffled)
            return tuple(shuffled)
        return ips

    # -- explanations --------------------------------------------------------------

    def _why_not_found(self, name: str, namespace: str) -> Hint:
        """Why `name` did not resolve from a pod in `namespace`: the cause, by name."""
        typed = name.lower().rstrip(".")
        intent = _intent(typed, namespace)
        if intent is None:
            if self._is_ingress_host(typed):
                return hint("ingress-host-from-pod", host=typed)
            return hint("not-cluster-name", host=typed)
        svc_name, ns = intent
        svc = self._store.get("Service", ns, svc_name)
        if svc is not None:
            spec = svc["spec"]
            if spec.get("type") == "ExternalName":
                target = spec.get("externalName")
                return hint("external-name-unresolved", service=svc_name, target=target)
            if spec.get("clusterIP") == "None":
                ports = spec.get("ports") or [{}]
                why = self._explain_no_ready(svc, ports[0].get("name", ""))
                return hint("headless-no-address", service=svc_name, why=why)
        if self._store.count("Namespace") and self._store.get("Namespace", "", ns) is None:
            return hint("no-such-namespace", namespace=ns, service=svc_name)
        elsewhere = sorted(key[0] for key, _ in self._store.items("Service") if key[1] == svc_name)
        if elsewhere:
            return hint("service-elsewhere", service=svc_name, namespace=ns, other=elsewhere[0])
        return hint("no-such-service", service=svc_name, namespace=ns)


def _parse(fqdn: str) -> tuple:
    """Classify an absolute name: which kind of record could answer it."""
    suffix = "." + CLUSTER_DOMAIN
    if not fqdn.endswith(suffix):
        return ("external",) if fqdn != CLUSTER_DOMAIN else ("cluster",)
    labels = fqdn[: -len(suffix)].split(".")
    if len(labels) == 3 and labels[2] == "svc":
        return ("service", labels[0], labels[1])
    if len(labels) == 4 and labels[3] == "svc":
        return ("endpoint", labels[0], labels[1], labels[2])
    if len(labels) == 3 and labels[2] == "pod":
        ip = labels[0].replace("-", ".")
        if is_ip(ip):
            return ("pod", ip)
    return ("cluster",)


def _intent(name: str, namespace: str) -> tuple[str, str] | None:
    """The `(service, namespace)` a typed name most likely means, or None if not a service."""
    labels = name.split(".")
    if name.endswith("." + CLUSTER_DOMAIN):
        labels = labels[:-2]
        if len(labels) == 3 and labels[2] == "svc":
            return labels[0], labels[1]
        return None
    if len(labels) == 1:
        return labels[0], namespace
    if len(labels) == 3 and labels[2] == "svc":
        return labels[0], labels[1]
    if len(labels) == 2 and labels[1] not in PUBLIC_TLDS and labels[1] not in _RESERVED_TLDS:
        return labels[0], labels[1]
    return None


# -- nslookup (bind9 dnsutils) ------------------------------------------------------


def nslookup_output(
    typed: str, result: Answer | NotFound | str | None, server: str, authoritative: bool
) -> tuple[str, int]:
    """What bind9's `nslookup` prints for one query, and its exit code.

    Args:
        typed: the name or address as typed.
        result: an `Answer`, a `NotFound`, a PTR name (str) for a reverse lookup, or None
            for a reverse lookup that found nothing.
        server: the nameserver address shown in the header.
        authoritative: False adds bind9's `Non-authoritative answer:` line.
    """
    out = [f"Server:\t\t{server}", f"Address:\t{server}#53", ""]
    if is_ip(typed):
        arpa = ".".join(reversed(typed.split("."))) + ".in-addr.arpa"
        if result is None:
            out += [f"** server can't find {arpa}: NXDOMAIN", ""]
            return "\n".join(out) + "\n", 1
        out += [f"{arpa}\tname = {result}.", ""]
        return "\n".join(out) + "\n", 0
    if isinstance(result, NotFound) or result is None:
        out += [f"** server can't find {typed}: NXDOMAIN", ""]
        return "\n".join(out) + "\n", 1
    assert isinstance(result, Answer)
    if not authoritative or result.kind == "external":
        out.append("Non-authoritative answer:")
    name = result.name
    if result.cname:
        out.append(f"{result.name}\tcanonical name = {result.cname}.")
        name = result.cname
    for address in result.addresses:
        out += [f"Name:\t{name}", f"Address: {address}"]
    out.append("")
    return "\n".join(out) + "\n", 0
