"""Hypothesis strategies for fuzzing the simulator: manifests of every kind, command lines.

Manifests start from valid documents (the built-in scenarios', one sample for each
other kind the registry knows, a bare object for a kind added later) and are then
mutated: values replaced by odd ones, keys dropped, unknown keys added. Command
lines are built from what the simulator itself declares (kubectl's verbs and each
verb's flags, the resource names of the kinds registry, the shell's programs,
builtins and filters) with values a learner might type, or mistype.
"""

from __future__ import annotations

import copy
import shlex

import yaml
from hypothesis import strategies as st

from simulator import SCENARIOS, kinds
from simulator.kubectl.args import BOOL, GLOBAL_FLAGS
from simulator.kubectl.commands import FLAGS, HANDLERS, UNSUPPORTED
from simulator.shell.builtins import BUILTINS
from simulator.shell.filters import FILTERS
from simulator.shell.workstation import Workstation

# Objects the scenarios do not show, so that every creatable kind has a real sample.
_SAMPLES = [
    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}},
    {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "worker-3",
     "labels": {"disk": "ssd"}}, "spec": {"taints": [{"key": "k", "effect": "NoSchedule"}]}},
    {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "rs"},
     "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "rs"}},
              "template": {"metadata": {"labels": {"app": "rs"}},
                           "spec": {"containers": [{"name": "c", "image": "nginx",
                                                    "ports": [{"containerPort": 80}]}]}}}},
    # Addresses asked for by hand: the allocators' checks across documents.
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "lb-local"},
     "spec": {"type": "LoadBalancer", "externalTrafficPolicy": "Local",
              "healthCheckNodePort": 32100, "clusterIP": "10.96.7.7", "selector": {"app": "kubia"},
              "ports": [{"port": 80, "targetPort": 8080, "nodePort": 32101}]}},
]  # fmt: skip

_TYPED = ["kubia", "web", "kube-dns", "kubernetes", "default", "kube-system", "worker-1",
          "control-plane", "x", "a b", "<img>", "ÄÖ", ""]  # fmt: skip


def samples() -> list[dict]:
    """One or more valid documents for every creatable kind of the registry."""
    documents = [d for s in SCENARIOS for d in yaml.safe_load_all(s.manifest) if d]
    documents += copy.deepcopy(_SAMPLES)
    have = {d["kind"] for d in documents}
    for rt in kinds.RESOURCE_TYPES:
        if rt.creatable and rt.kind not in have:  # a kind added later: a bare object
            documents.append(
                {"apiVersion": rt.api_version, "kind": rt.kind, "metadata": {"name": "x"}}
            )
    return documents


NAMES = sorted(set(_TYPED) | {d["metadata"]["name"] for d in samples()})
# What `kubectl exec` can name: the samples' workloads and Services (their pods).
TARGETS = sorted(
    f"{d['kind'].lower()}/{d['metadata']['name']}"
    for d in samples()
    if d["kind"] in ("Deployment", "ReplicaSet", "ReplicationController", "DaemonSet", "Service")
)


def _words() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NAMES),
        st.sampled_from(["TCP", "UDP", "SCTP", "NodePort", "ClusterIP", "LoadBalancer",
                         "ExternalName", "ClientIP", "None", "Local", "Cluster", "http",
                         "80", "8080", "30080", "app=web", "*.example.com", "10.96.0.1",
                         "10.96.0.10", "192.168.49.2", "/", "/api", "Prefix", "Exact",
                         "ImplementationSpecific", "nginx", "NoSchedule", "NoExecute",
                         "Exists", "Equal", "In", "NotIn", "true", "IfNotPresent"]),
        st.text(max_size=12),
        st.text(alphabet="abc-.:/*", min_size=1, max_size=70),
    )  # fmt: skip


def values(max_int: int = 40) -> st.SearchStrategy[object]:
    """Scalars and small containers to put anywhere in a manifest.

    Integers stay at most `max_int` (beyond it: values validation refuses), so a
    fuzzed manifest cannot ask for more pods than a test can wait for.
    """
    scalars = st.one_of(
        st.integers(-3, max_int),
        st.sampled_from([2**31, -(2**31) - 1, 2**63, 0.5, 1e300, float("nan")]),
        st.booleans(),
        st.none(),
        _words(),
    )
    return st.one_of(
        scalars,
        st.lists(scalars, max_size=3),
        st.dictionaries(_words(), scalars, max_size=3),
    )


def _alike(value: object, max_int: int) -> st.SearchStrategy[object]:
    """Another value of the same JSON type (most mistakes keep the type)."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        edges = [0, 2**31] + ([65535, 65536] if max_int >= 65536 else [])
        return st.one_of(st.integers(-3, max_int), st.sampled_from(edges))
    if isinstance(value, str):
        return _words()
    return values(max_int)


def _places(node: object, path: tuple = ()) -> list[tuple]:
    """Every (path to a container, key or index) in a document."""
    places = []
    if isinstance(node, dict):
        for key, child in node.items():
            places.append((path, key))
            places += _places(child, (*path, key))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            places.append((path, i))
            places += _places(child, (*path, i))
    return places


def _at(doc: object, path: tuple) -> object:
    for step in path:
        doc = doc[step]
    return doc


@st.composite
def mutated(draw, document: dict, max_int: int = 40) -> dict:
    """`document` with up to four changes: a value replaced, a key dropped or one added."""
    doc = copy.deepcopy(document)
    for _ in range(draw(st.integers(0, 4))):
        places = _places(doc)
        if not places:
            break
        path, key = draw(st.sampled_from(places))
        container = _at(doc, path)
        action = draw(st.sampled_from(["alike", "alike", "alike", "replace", "drop", "add"]))
        if key in ("apiVersion", "kind") and draw(st.integers(0, 3)):
            continue  # mostly keep the type, so that the rest of the object is checked
        if action == "alike":
            container[key] = draw(_alike(container[key], max_int))
        elif action == "replace":
            container[key] = draw(values(max_int))
        elif action == "drop":
            del container[key]
        elif isinstance(container, dict):
            container[draw(_words())] = draw(values(max_int))
        else:
            container.append(draw(values(max_int)))
    return doc


@st.composite
def manifests(draw, max_int: int = 40) -> str:
    """One to three documents, mutated or not, as YAML (or, now and then, JSON)."""
    pool = samples()
    docs = [draw(mutated(draw(st.sampled_from(pool)), max_int)) for _ in range(draw(
        st.integers(1, 3)))]  # fmt: skip
    if draw(st.integers(0, 3)) == 0 and isinstance(docs[0].get("metadata"), dict):
        twin = copy.deepcopy(docs[0])  # the same object under another name: what it claims twice
        twin["metadata"]["name"] = f"{twin['metadata'].get('name')}-2"
        docs.append(twin)
    if draw(st.booleans()) and len(docs) == 1:
        import json

        return json.dumps(docs[0])
    return "---\n".join(yaml.safe_dump(d, sort_keys=False, allow_unicode=True) for d in docs)


_RESOURCES = sorted(
    {name for rt in kinds.RESOURCE_TYPES for name in (rt.plural, rt.singular, *rt.short_names)}
)
_OPTION_VALUES = ["wide", "json", "yaml", "name", "jsonpath={.items[*].metadata.name}",
                  "jsonpath={range .items[*]}{.metadata.name}{end}", "jsonpath={.x[",
                  "custom-columns=N:.metadata.name", "app=kubia", "app in (kubia,web)",
                  "!app", "3", "0", "-1", "99999999999", "80", "8080:80", "http", "NodePort",
                  "nginx", '{"spec":{"replicas":2}}', '{"metadata":{"labels":{"a":"b"}}}',
                  '[{"op":"add","path":"/metadata/labels/x","value":"y"}]', "merge", "json",
                  "client", "-", "kube-system", "10.96.0.200"]  # fmt: skip


_IN_CONTAINER = [["curl", "-s", "http://kubia"], ["sh"], ["env"], ["nslookup", "kubia"],
                 ["touch", "/tmp/ready"], ["ls", "/"]]  # fmt: skip


@st.composite
def kubectl_lines(draw) -> str:
    """A kubectl line: a verb (known or not), resources and names, the verb's flags."""
    verb = draw(st.sampled_from(sorted(HANDLERS) + sorted(UNSUPPORTED)[:4] + ["gett", ""]))
    words = ["kubectl", verb] if verb else ["kubectl"]
    for _ in range(draw(st.integers(0, 3))):
        resource = draw(st.sampled_from(_RESOURCES))
        name = draw(st.sampled_from(NAMES))
        words.append(draw(st.sampled_from([resource, f"{resource}/{name}", name])))
    flags = list(FLAGS.get(verb, ())) + list(GLOBAL_FLAGS)
    for _ in range(draw(st.integers(0, 3))):
        flag = draw(st.sampled_from(flags))
        if flag.type == BOOL:
            words.append(f"--{flag.name}")
        else:
            value = draw(st.one_of(st.sampled_from(_OPTION_VALUES), _words()))
            words.append(f"--{flag.name}={value}")
    if verb in ("exec", "run", "debug") and draw(st.booleans()):
        words += ["--", *draw(st.sampled_from(_IN_CONTAINER))]
    if verb in ("label", "taint") and draw(st.booleans()):
        words.append(draw(st.sampled_from(["a=b", "a-", "a b=c", "k=v:NoSchedule", "<x>=1"])))
    return shlex.join(words)


_URLS = st.one_of(
    st.sampled_from(["http://kubia", "http://kubia.default.svc.cluster.local:80/x",
                     "https://kubia.example.com/", "http://10.96.0.1", "http://192.168.49.2:30080",
                     "http://[::1]/", "kubia", "http://", "ftp://x", "http://a b/"]),
    st.text(max_size=30),
)  # fmt: skip


@st.composite
def network_lines(draw) -> str:
    """curl, ping, nslookup and sleep, on the workstation or through `kubectl exec`."""
    program = draw(st.sampled_from(["curl", "ping", "nslookup", "sleep"]))
    if program == "curl":
        options = draw(st.lists(st.sampled_from(
            ["-s", "-v", "-k", "-I", "-sS", "-m 2", "-H 'Host: kubia.example.com'",
             "--resolve kubia.example.com:80:192.168.49.100", "-X POST", "--max-time x"]),
            max_size=3))  # fmt: skip
        line = " ".join(["curl", *options, shlex.quote(draw(_URLS))])
    elif program == "ping":
        line = f"ping -c {draw(st.integers(-1, 3))} {shlex.quote(draw(_words()))}"
    elif program == "nslookup":
        line = f"nslookup {shlex.quote(draw(_words()))}"
    else:
        line = f"sleep {draw(st.sampled_from(['1', '0.5', '10s', '2m', '-1', 'x', '99999999']))}"
    if draw(st.booleans()):
        line = f"kubectl exec {draw(st.sampled_from(TARGETS))} -- {line}"
    return line


@st.composite
def shell_lines(draw) -> str:
    """Pipelines, lists and redirections around other lines, and raw text."""
    simple = st.one_of(kubectl_lines(), network_lines())
    programs = sorted(set(Workstation.PROGRAMS) | set(BUILTINS) | set(FILTERS))
    choice = draw(st.integers(0, 5))
    if choice == 0:
        return draw(st.text(max_size=60))
    if choice == 1:
        return f"{draw(st.sampled_from(programs))} {shlex.quote(draw(_words()))}"
    first = draw(simple)
    if choice == 2:
        second = draw(
            st.sampled_from(
                [
                    "grep kubia",
                    "head -n 2",
                    "wc -l",
                    "awk '{print $1}'",
                    "sort",
                    "cut -d' ' -f1",
                    "tr a-z A-Z",
                    "grep -E '('",
                ]
            )
        )
        return f"{first} | {second}"  # fmt: skip
    if choice == 3:
        joiner = draw(st.sampled_from([" ; ", " && ", " || "]))
        return f"{first}{joiner}{draw(simple)}"
    if choice == 4:
        return f"{first} > out.txt 2>&1; cat out.txt"
    return first


def command_lines() -> st.SearchStrategy[str]:
    """Any of the above."""
    return st.one_of(kubectl_lines(), network_lines(), shell_lines())


@st.composite
def twins(draw, max_int: int = 40) -> str:
    """A Service or workload, mutated, and a copy of it under another name: whatever it
    asks for by hand (cluster IP, NodePorts, health-check port) it asks for twice."""
    pool = [d for d in samples() if d["kind"] in ("Service", "Deployment", "Node", "DaemonSet")]
    doc = draw(mutated(draw(st.sampled_from(pool)), max_int))
    copies = [doc]
    for i in range(draw(st.integers(1, 2))):
        twin = copy.deepcopy(doc)
        if isinstance(twin.get("metadata"), dict):
            twin["metadata"]["name"] = f"{twin['metadata'].get('name')}-{i + 2}"
        copies.append(twin)
    return "---\n".join(yaml.safe_dump(d, sort_keys=False, allow_unicode=True) for d in copies)
