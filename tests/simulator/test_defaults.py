"""API-server defaulting: what a cluster fills in before it stores an object."""

from __future__ import annotations

import copy

import pytest

from simulator.defaults import apply_defaults, image_pull_policy


def service(**spec: object) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "kubia"},
        "spec": {"ports": [{"port": 80}], **spec},
    }


def container(**fields: object) -> dict:
    return {"name": "web", "image": "luksa/kubia", **fields}


def pod(*containers: dict, **spec: object) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web"},
        "spec": {"containers": list(containers) or [container()], **spec},
    }


def template() -> dict:
    return {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [container()]}}


CONTAINER_DEFAULTS = {
    "imagePullPolicy": "Always",
    "terminationMessagePath": "/dev/termination-log",
    "terminationMessagePolicy": "File",
    "resources": {},
}
POD_SPEC_DEFAULTS = {
    "restartPolicy": "Always",
    "dnsPolicy": "ClusterFirst",
    "schedulerName": "default-scheduler",
    "terminationGracePeriodSeconds": 30,
    "securityContext": {},
}


# --- services ----------------------------------------------------------------------------


def test_cluster_ip_service() -> None:
    assert apply_defaults(service())["spec"] == {
        "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
        "type": "ClusterIP",
        "sessionAffinity": "None",
        "internalTrafficPolicy": "Cluster",
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
    }


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param({"type": "NodePort"}, {"externalTrafficPolicy": "Cluster"}, id="NodePort"),
        pytest.param(
            {"type": "LoadBalancer"},
            {"externalTrafficPolicy": "Cluster", "allocateLoadBalancerNodePorts": True},
            id="LoadBalancer",
        ),
        pytest.param(
            {"type": "LoadBalancer", "externalTrafficPolicy": "Local"},
            {"externalTrafficPolicy": "Local"},
            id="explicit Local is kept",
        ),
        pytest.param(
            {"externalIPs": ["192.168.49.50"]},
            {"externalTrafficPolicy": "Cluster"},
            id="ClusterIP with externalIPs",
        ),
        pytest.param(
            {"sessionAffinity": "ClientIP"},
            {"sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10800}}},
            id="ClientIP affinity timeout",
        ),
        pytest.param(
            {
                "sessionAffinity": "ClientIP",
                "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}},
            },
            {"sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}}},
            id="explicit timeout is kept",
        ),
        pytest.param({"clusterIP": "None"}, {"clusterIPs": ["None"]}, id="headless"),
        pytest.param(
            {"ports": [{"port": 80, "targetPort": "http", "protocol": "UDP"}]},
            {"ports": [{"port": 80, "targetPort": "http", "protocol": "UDP"}]},
            id="named targetPort and protocol kept",
        ),
        pytest.param(
            {"ports": [{"port": 80, "targetPort": 0}]},
            {"ports": [{"port": 80, "targetPort": 80, "protocol": "TCP"}]},
            id="targetPort 0 means port",
        ),
    ],
)
def test_service_variants(spec: dict, expected: dict) -> None:
    result = apply_defaults(service(**spec))["spec"]
    assert {key: result.get(key) for key in expected} == expected


def test_cluster_ip_service_has_no_external_traffic_policy() -> None:
    assert "externalTrafficPolicy" not in apply_defaults(service())["spec"]


def test_external_name_service() -> None:
    spec = apply_defaults(service(type="ExternalName", externalName="httpbin.org"))["spec"]
    assert spec == {
        "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
        "type": "ExternalName",
        "externalName": "httpbin.org",
        "sessionAffinity": "None",
    }


# --- pods and containers -----------------------------------------------------------------


def test_pod() -> None:
    obj = apply_defaults(pod())
    assert obj["spec"] == {
        "containers": [{"name": "web", "image": "luksa/kubia", **CONTAINER_DEFAULTS}],
        **POD_SPEC_DEFAULTS,
        "enableServiceLinks": True,
    }
    assert "namespace" not in obj["metadata"]
    assert "status" not in obj


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("nginx:1.25", "IfNotPresent"),
        ("localhost:5000/nginx", "Always"),
        ("registry.example.com:5000/team/nginx:1.0", "IfNotPresent"),
        ("nginx@sha256:0123abcd", "IfNotPresent"),
        ("nginx:latest@sha256:0123abcd", "Always"),
    ],
)
def test_image_pull_policy(image: str, policy: str) -> None:
    assert image_pull_policy(image) == policy
    assert (
        apply_defaults(pod(container(image=image)))["spec"]["containers"][0]["imagePullPolicy"]
        == policy
    )


def test_explicit_pod_fields_are_kept() -> None:
    obj = pod(
        container(imagePullPolicy="Never"),
        restartPolicy="Never",
        dnsPolicy="Default",
        terminationGracePeriodSeconds=0,
        enableServiceLinks=False,
    )
    spec = apply_defaults(obj)["spec"]
    assert (
        spec["restartPolicy"],
        spec["dnsPolicy"],
        spec["terminationGracePeriodSeconds"],
        spec["enableServiceLinks"],
        spec["containers"][0]["imagePullPolicy"],
    ) == ("Never", "Default", 0, False, "Never")


def test_container_ports_and_host_network() -> None:
    obj = pod(
        container(ports=[{"containerPort": 8080}, {"containerPort": 53, "protocol": "UDP"}]),
        hostNetwork=True,
    )
    assert apply_defaults(obj)["spec"]["containers"][0]["ports"] == [
        {"containerPort": 8080, "protocol": "TCP", "hostPort": 8080},
        {"containerPort": 53, "protocol": "UDP", "hostPort": 53},
    ]


@pytest.mark.parametrize(
    ("probe", "expected"),
    [
        pytest.param(
            {"exec": {"command": ["ls", "/var/ready"]}},
            {
                "exec": {"command": ["ls", "/var/ready"]},
                "timeoutSeconds": 1,
                "periodSeconds": 10,
                "successThreshold": 1,
                "failureThreshold": 3,
            },
            id="exec",
        ),
        pytest.param(
            {"httpGet": {"port": 8080}, "periodSeconds": 0, "initialDelaySeconds": 5},
            {
                "httpGet": {"port": 8080, "path": "/", "scheme": "HTTP"},
                "periodSeconds": 10,
                "initialDelaySeconds": 5,
                "timeoutSeconds": 1,
                "successThreshold": 1,
                "failureThreshold": 3,
            },
            id="httpGet and zero period",
        ),
        pytest.param(
            {"tcpSocket": {"port": 80}, "periodSeconds": 2, "failureThreshold": 1},
            {
                "tcpSocket": {"port": 80},
                "periodSeconds": 2,
                "failureThreshold": 1,
                "timeoutSeconds": 1,
                "successThreshold": 1,
            },
            id="explicit timings kept",
        ),
    ],
)
def test_probe_defaults(probe: dict, expected: dict) -> None:
    for key in ("readinessProbe", "livenessProbe", "startupProbe"):
        obj = apply_defaults(pod(container(**{key: copy.deepcopy(probe)})))
        assert obj["spec"]["containers"][0][key] == expected


def test_env_field_ref_api_version() -> None:
    env = [{"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}]
    obj = apply_defaults(pod(container(env=env)))
    assert obj["spec"]["containers"][0]["env"][0]["valueFrom"]["fieldRef"] == {
        "fieldPath": "status.podIP",
        "apiVersion": "v1",
    }


def test_volume_default_modes() -> None:
    volumes = [
        {"name": "a", "configMap": {"name": "c"}},
        {"name": "b", "secret": {"secretName": "s", "defaultMode": 256}},
        {"name": "e", "emptyDir": {}},
    ]
    obj = apply_defaults(pod(volumes=volumes))
    assert [
        v.get("configMap", v.get("secret", {})).get("defaultMode") for v in obj["spec"]["volumes"]
    ] == [420, 256, None]


# --- controllers -------------------------------------------------------------------------


def test_deployment() -> None:
    obj = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": template()},
    }
    spec = apply_defaults(obj)["spec"]
    assert spec == {
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {
                "containers": [{"name": "web", "image": "luksa/kubia", **CONTAINER_DEFAULTS}],
                **POD_SPEC_DEFAULTS,
            },
        },
        "replicas": 1,
        "strategy": {
            "type": "RollingUpdate",
            "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"},
        },
        "revisionHistoryLimit": 10,
        "progressDeadlineSeconds": 600,
    }
    assert "labels" not in obj["metadata"]


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        ({"type": "Recreate"}, {"type": "Recreate"}),
        (
            {"rollingUpdate": {"maxSurge": 1}},
            {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": "25%"}},
        ),
    ],
)
def test_deployment_strategy(strategy: dict, expected: dict) -> None:
    obj = {"kind": "Deployment", "spec": {"replicas": 0, "strategy": strategy}}
    spec = apply_defaults(obj)["spec"]
    assert spec["strategy"] == expected
    assert spec["replicas"] == 0


def test_replica_set() -> None:
    obj = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": "web"},
        "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": template()},
    }
    spec = apply_defaults(obj)["spec"]
    assert spec["replicas"] == 1
    assert spec["template"]["spec"]["restartPolicy"] == "Always"
    assert "enableServiceLinks" not in spec["template"]["spec"]


def test_replication_controller_takes_selector_and_labels_from_template() -> None:
    obj = {
        "apiVersion": "v1",
        "kind": "ReplicationController",
        "metadata": {"name": "kubia"},
        "spec": {"template": template()},
    }
    apply_defaults(obj)
    assert obj["spec"]["selector"] == {"app": "web"}
    assert obj["metadata"]["labels"] == {"app": "web"}
    assert obj["spec"]["replicas"] == 1
    obj["spec"]["template"]["metadata"]["labels"]["extra"] = "x"
    assert obj["spec"]["selector"] == {"app": "web"}, "copies, not shared"


def test_replication_controller_keeps_its_own_selector_and_labels() -> None:
    obj = {
        "kind": "ReplicationController",
        "metadata": {"name": "kubia", "labels": {"a": "b"}},
        "spec": {"selector": {"app": "web"}, "replicas": 0, "template": template()},
    }
    apply_defaults(obj)
    assert (obj["metadata"]["labels"], obj["spec"]["selector"], obj["spec"]["replicas"]) == (
        {"a": "b"},
        {"app": "web"},
        0,
    )


def test_daemon_set() -> None:
    obj = {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "ds"},
        "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": template()},
    }
    spec = apply_defaults(obj)["spec"]
    assert spec["updateStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0},
    }
    assert spec["revisionHistoryLimit"] == 10
    assert "replicas" not in spec


# --- other kinds -------------------------------------------------------------------------


def test_endpoints_port_protocol() -> None:
    obj = {
        "kind": "Endpoints",
        "subsets": [{"addresses": [{"ip": "10.0.0.1"}], "ports": [{"port": 80}]}],
    }
    assert apply_defaults(obj)["subsets"][0]["ports"] == [{"port": 80, "protocol": "TCP"}]


def test_secret_type_and_string_data() -> None:
    obj = {
        "kind": "Secret",
        "metadata": {"name": "s"},
        "data": {"a": "YQ=="},
        "stringData": {"b": "héllo"},
    }
    assert apply_defaults(obj) == {
        "kind": "Secret",
        "metadata": {"name": "s"},
        "type": "Opaque",
        "data": {"a": "YQ==", "b": "aMOpbGxv"},
    }


def test_namespace() -> None:
    obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}
    apply_defaults(obj)
    assert obj["metadata"]["labels"] == {"kubernetes.io/metadata.name": "shop"}
    assert obj["spec"] == {"finalizers": ["kubernetes"]}


def test_ingress_path_type_is_not_defaulted() -> None:
    obj = {"kind": "Ingress", "spec": {"rules": [{"http": {"paths": [{"path": "/"}]}}]}}
    before = copy.deepcopy(obj)
    assert apply_defaults(obj) == before


def test_unknown_kind_is_left_alone() -> None:
    obj = {"kind": "Foo", "spec": {}}
    assert apply_defaults(obj) == {"kind": "Foo", "spec": {}}


@pytest.mark.parametrize(
    "obj",
    [
        service(type="LoadBalancer", sessionAffinity="ClientIP"),
        pod(container(readinessProbe={"httpGet": {"port": 80}})),
        {"kind": "Deployment", "spec": {"template": template()}},
        {"kind": "ReplicationController", "metadata": {}, "spec": {"template": template()}},
        {"kind": "DaemonSet", "spec": {"template": template()}},
        {"kind": "Secret", "stringData": {"a": "b"}},
        {"kind": "Namespace", "metadata": {"name": "x"}},
    ],
    ids=lambda obj: obj["kind"],
)
def test_defaulting_is_idempotent(obj: dict) -> None:
    once = apply_defaults(copy.deepcopy(obj))
    assert apply_defaults(copy.deepcopy(once)) == once
