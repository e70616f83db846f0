"""NetworkPolicy recipes: the policies people learn from, each with commands to try.

Most come from Ahmet Alp Balkan's kubernetes-network-policy-recipes (numbered as in that
repository); the Ingress controller one follows the Kubernetes NetworkPolicy docs'
`kubernetes.io/metadata.name` idiom with ingress-nginx's own labels. Each try list shows
a request the policy allows and one it drops (curl waits `--connect-timeout 2`
simulated seconds, then exits 28), then changes something and tries again.

`simulator.scenarios` makes a `Scenario` of each, under the topic `TOPIC`.
"""

from __future__ import annotations

from simulator.catalogue import gettext_noop

TOPIC = gettext_noop("NetworkPolicy recipes")
_REPO = "ahmetb/kubernetes-network-policy-recipes"
_CURL = "curl -sS --connect-timeout 2"

RECIPES: tuple[dict, ...] = (
    {
        "slug": "netpol-deny-all",
        "title": gettext_noop("Deny all traffic to an app"),
        "summary": gettext_noop(
            "web-deny-all selects the web pods and has no ingress rule, so every new "
            "connection to them is dropped: curl from the client pod times out. Delete the "
            "policy and the same request passes: until a policy selects a pod, all traffic "
            "is allowed."
        ),
        "source": f"{_REPO} 01-deny-all-traffic-to-an-application.md",
        "try_commands": (
            "kubectl get networkpolicy",
            "kubectl describe networkpolicy web-deny-all",
            f"kubectl exec client -- {_CURL} http://web",
            "kubectl delete networkpolicy web-deny-all",
            f"kubectl exec client -- {_CURL} http://web",
        ),
    },
    {
        "slug": "netpol-allow-from-app",
        "title": gettext_noop("Allow traffic from one app"),
        "summary": gettext_noop(
            "api-allow isolates the bookstore API pods and lets in only pods labelled "
            "app=bookstore: the frontend pod gets an answer, the test pod times out. Label "
            "the test pod app=bookstore and it gets in too."
        ),
        "source": f"{_REPO} 02-limit-traffic-to-an-application.md",
        "try_commands": (
            "kubectl describe netpol api-allow",
            f"kubectl exec frontend -- {_CURL} http://apiserver",
            f"kubectl exec test -- {_CURL} http://apiserver",
            "kubectl label pod test app=bookstore --overwrite",
            f"kubectl exec test -- {_CURL} http://apiserver",
        ),
    },
    {
        "slug": "netpol-allow-from-namespace",
        "title": gettext_noop("Allow traffic from a namespace"),
        "summary": gettext_noop(
            "web-allow-prod lets in every pod of the namespaces labelled "
            "purpose=production (a namespaceSelector): the test pod in prod gets an answer, "
            "the one in dev times out. Namespaces also carry kubernetes.io/metadata.name, "
            "which selects one namespace by name."
        ),
        "source": f"{_REPO} 06-allow-traffic-from-a-namespace.md",
        "try_commands": (
            "kubectl get namespaces --show-labels",
            f"kubectl exec -n prod test -- {_CURL} http://web.default",
            f"kubectl exec -n dev test -- {_CURL} http://web.default",
            "kubectl describe netpol web-allow-prod",
        ),
    },
    {
        "slug": "netpol-deny-egress-allow-dns",
        "title": gettext_noop("Deny egress, allow DNS"),
        "summary": gettext_noop(
            "foo-deny-egress isolates the foo pod for egress; foo-allow-dns adds DNS to "
            "CoreDNS on port 53. Names resolve, but the connection to web is dropped at foo. "
            "Delete foo-allow-dns and even the name lookup fails: egress isolation covers "
            "DNS too."
        ),
        "source": f"{_REPO} 11-deny-egress-traffic-from-an-application.md",
        "try_commands": (
            "kubectl exec foo -- nslookup web",
            f"kubectl exec foo -- {_CURL} http://web",
            "kubectl delete netpol foo-allow-dns",
            "kubectl exec foo -- nslookup web",
            f"kubectl exec foo -- {_CURL} http://web",
        ),
    },
    {
        "slug": "netpol-allow-ingress-controller",
        "title": gettext_noop("Allow only the Ingress controller"),
        "summary": gettext_noop(
            "web-allow-ingress-nginx lets in only the ingress-nginx controller's pod: "
            "requests from your computer through the Ingress reach web, because the "
            "controller opens the connection to the pod; the client pod calling the Service "
            "directly times out."
        ),
        "source": (
            "kubernetes.io/docs/concepts/services-networking/network-policies "
            "(namespaceSelector with kubernetes.io/metadata.name); ingress-nginx's pod labels"
        ),
        "try_commands": (
            "curl -s http://web.example.com/",
            f"kubectl exec client -- {_CURL} http://web",
            "kubectl describe netpol web-allow-ingress-nginx",
            "kubectl get pods -n ingress-nginx --show-labels",
        ),
    },
    {
        "slug": "netpol-allow-one-port",
        "title": gettext_noop("Limit to one port"),
        "summary": gettext_noop(
            "The Service apiserver maps 5001 to the pod's 5000 and 8001 to 8000; "
            "api-allow-5000 lets monitoring pods reach port 5000 only. Policies see the "
            "pod's port after the Service's DNAT, so the rule says 5000, not 5001: "
            "monitoring reaches /metrics through 5001, but not 8001, and the test pod "
            "reaches neither."
        ),
        "source": f"{_REPO} 09-allow-traffic-only-to-a-port.md",
        "try_commands": (
            f"kubectl exec monitoring -- {_CURL} http://apiserver:5001/metrics",
            f"kubectl exec monitoring -- {_CURL} http://apiserver:8001",
            f"kubectl exec test -- {_CURL} http://apiserver:5001/metrics",
            "kubectl describe netpol api-allow-5000",
        ),
    },
)
