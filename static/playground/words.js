// The simulator's sentences for the traffic panel and the "Next change" control, in
// this page's language. The server
// sends each as {key, values} beside its English; the sentences here are the same as
// simulator/words.py's (a test keeps them so), marked for translation.

import { gettext, interpolate } from "./i18n.js";

const SENTENCES = {
  "ingress-host": gettext("The host resolves %(host)s to the Ingress controller's address, as if it were in /etc/hosts; ingress-nginx matches the rule and sends the request to Service %(service)s's pods."),
  "ingress-any-host": gettext("A rule without a host matches any request to the Ingress controller's address; ingress-nginx sends it to Service %(service)s's pods."),
  "ingress-default": gettext("A request no rule matches goes to the Ingress's default backend."),
  "httproute-service": gettext("The host resolves %(host)s to Gateway %(gateways)s's address, as if it were in /etc/hosts; the Gateway's nginx matches HTTPRoute %(route)s's rules and sends the request to Service %(service)s's pods."),
  "httproute-backends": gettext("The host resolves %(host)s to Gateway %(gateways)s's address, as if it were in /etc/hosts; the Gateway's nginx matches HTTPRoute %(route)s's rules and sends the request to the rule's backends."),
  externalname: gettext("Cluster DNS answers %(service)s with a CNAME to %(external)s; only pods use the cluster's DNS."),
  nodeport: gettext("Every node opens port %(port)s; kube-proxy on the node forwards it to a pod of %(service)s, on any node."),
  "nodeport-local": gettext("Every node opens port %(port)s; with externalTrafficPolicy Local, kube-proxy on the node forwards it only to a pod of %(service)s on that same node (a node without one drops it)."),
  loadbalancer: gettext("The load balancer's address %(address)s sends the request to a node, whose kube-proxy forwards it to a pod of %(service)s."),
  headless: gettext("%(service)s is headless: cluster DNS answers its name with the ready pods' own addresses, and only pods use the cluster's DNS."),
  "cluster-ip": gettext("Cluster DNS resolves %(service)s to its cluster IP, which only exists inside the cluster: kube-proxy on the pod's node sends the request to one of %(service)s's ready pods."),
  // A pasted room's title, from its objects.
  "title-none": gettext("Your manifests"),
  "title-one": gettext("%(first)s"),
  "title-two": gettext("%(first)s, %(second)s"),
  "title-three": gettext("%(first)s, %(second)s, %(third)s"),
  "title-more": gettext("%(first)s, %(second)s and %(count)s more objects"),
  "missing-everything": gettext("Nothing to send a request to yet: apply a workload (a Deployment or a Pod) and a Service that selects its pods."),
  "missing-service": gettext("Nothing to send a request to yet: no Service or Ingress leads to a pod. Add a Service that selects %(kind)s %(name)s's pods, for example: %(command)s"),
  "missing-service-manifest": gettext("Nothing to send a request to yet: no Service or Ingress leads to a pod. Add a Service that selects %(kind)s %(name)s's pods, for example: a Service with selector %(selector)s and port %(port)s in the Manifests panel"),
  "no-ready-pod": gettext("No pod behind Service %(service)s is ready yet, so this request fails: make a pod ready (its readiness probe must pass), then send it again."),
  "policy-drops-egress": gettext("NetworkPolicy %(policies)s (%(namespace)s) drops this request at its sender's egress, so it times out: send it from a source the policies allow, or change them."),
  "policy-drops-ingress": gettext("NetworkPolicy %(policies)s (%(namespace)s) drops this request at the pod's ingress, so it times out: send it from a source the policies allow, or change them."),
  // What changes next by itself (the "Next change" control).
  "probe-ready-after": gettext("pod %(pod)s turns ready: its readiness probe passes %(count)s times in a row (successThreshold %(count)s)"),
  "probe-not-ready-after": gettext("pod %(pod)s turns not ready: its readiness probe fails %(count)s times in a row (failureThreshold %(count)s)"),
  "probe-ready-next": gettext("pod %(pod)s turns ready: its next readiness probe passes"),
  "probe-not-ready-next": gettext("pod %(pod)s turns not ready: its next readiness probe fails"),
  "pod-creating": gettext("pod %(pod)s leaves Pending: its kubelet creates its containers"),
  "pods-creating": gettext("pod %(pod)s (and %(more)s more) leaves Pending: its kubelet creates its containers"),
  "pod-running": gettext("pod %(pod)s starts running: its containers are created"),
  "pods-running": gettext("pod %(pod)s (and %(more)s more) starts running: its containers are created"),
  "pod-gone": gettext("pod %(pod)s stops Terminating and is gone: its preStop hook ends"),
  "scheduled-step": gettext("a scheduled step of the cluster runs"),
};

// A sentence in this page's language; the server's English when it has no key known here.
export function say(words, english = "") {
  if (!words || !(words.key in SENTENCES)) return english;
  return interpolate(SENTENCES[words.key], words.values);
}
