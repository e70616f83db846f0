"""`kubectl describe` texts, ported from kubectl's `describe.go` (release-1.33).

Each describer is a pure function of API dicts, the simulated `now` and the
events to show. Text is written as kubectl writes it — tab-separated cells
with `  ` per indentation level — and aligned at the end by the Go tabwriter
port (minwidth 0, padding 2), so label columns line up exactly as kubectl's.
"""

from __future__ import annotations

from .custom import describe_custom
from .network import (
    describe_endpoints,
    describe_endpointslice,
    describe_ingress,
    describe_ingressclass,
    describe_service,
    format_endpoint_slices,
)
from .network_policy import describe_networkpolicy
from .nodes import describe_node
from .pods import describe_pod, describe_pod_template, probe_text, qos_class
from .simple import describe_configmap, describe_generic, describe_namespace, describe_secret
from .workloads import describe_daemonset, describe_deployment, describe_replicaset
from .writer import Writer, describe_events

__all__ = [
    "Writer",
    "describe_configmap",
    "describe_custom",
    "describe_daemonset",
    "describe_deployment",
    "describe_endpoints",
    "describe_endpointslice",
    "describe_events",
    "describe_generic",
    "describe_ingress",
    "describe_ingressclass",
    "describe_namespace",
    "describe_networkpolicy",
    "describe_node",
    "describe_pod",
    "describe_pod_template",
    "describe_replicaset",
    "describe_secret",
    "describe_service",
    "format_endpoint_slices",
    "probe_text",
    "qos_class",
]
