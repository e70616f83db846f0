"""What `kubectl --help` and `kubectl VERB --help` print here: the verbs and their forms."""

from __future__ import annotations

USAGE = {
    "get": "get TYPE[,TYPE...] [NAME...] [-o wide|json|yaml|name|jsonpath=...] [-l SELECTOR] "
    "[-n NS | -A] [--show-labels]",
    "describe": "describe TYPE [NAME_PREFIX...] [-l SELECTOR] [-n NS | -A]",
    "apply": "apply -f -   (manifests on stdin)",
    "create": "create -f FILE  |  create deployment NAME --image=IMAGE  |  create namespace NAME"
    "  |  create service clusterip|nodeport|loadbalancer|externalname NAME [--tcp=PORT:TARGET]"
    "  |  create ingress NAME --rule=HOST/PATH=SERVICE:PORT[,tls=SECRET] [--class=CLASS]"
    "  |  create secret tls NAME --cert=FILE --key=FILE  |  create secret generic NAME "
    "--from-literal=KEY=VALUE",
    "run": "run NAME --image=IMAGE [--port=PORT] [--labels=k=v] [--command] [-- ARGS...]",
    "delete": "delete (TYPE NAME... | TYPE/NAME... | TYPE -l SELECTOR | TYPE --all | -f -)",
    "scale": "scale --replicas=COUNT (TYPE NAME | TYPE/NAME)",
    "label": "label [--overwrite] (TYPE NAME | TYPE/NAME) KEY=VALUE... KEY-...",
    "annotate": "annotate [--overwrite] (TYPE NAME | TYPE/NAME) KEY=VALUE... KEY-...",
    "expose": "expose (TYPE NAME | TYPE/NAME) [--port=PORT] [--target-port=PORT] "
    "[--type=ClusterIP|NodePort|LoadBalancer] [--name=NAME] [--protocol=TCP|UDP]",
    "taint": "taint nodes NAME KEY[=VALUE]:EFFECT[-]... [--overwrite]",
    "cordon": "cordon NODE",
    "uncordon": "uncordon NODE",
    "exec": "exec POD [-c CONTAINER] [-it] -- COMMAND [ARGS...]",
    "patch": "patch (TYPE NAME | TYPE/NAME) (-p PATCH | --patch-file FILE) "
    "[--type strategic|merge|json]",
    "edit": "edit (TYPE NAME | TYPE/NAME)",
    "debug": "debug node/NODE -it --image=IMAGE",
    "rollout": "rollout (status|history|undo|restart|pause|resume) (TYPE NAME | TYPE/NAME) "
    "[--timeout=DURATION] [--revision=N] [--to-revision=N]",
    "set": "set (image|env) (TYPE NAME | TYPE/NAME) CONTAINER=IMAGE... | KEY=VALUE... KEY-...",
    "logs": "logs [-f] [-p] (POD | TYPE/NAME | -l SELECTOR) [-c CONTAINER] [--tail=N] "
    "[--since=DURATION] [--timestamps] [--prefix]",
    "port-forward": "port-forward (POD | TYPE/NAME) [LOCAL_PORT:]REMOTE_PORT... "
    "[--address=localhost]   (then `jobs`, `kill %N`)",
    "version": "version [--client]",
    "api-resources": "api-resources [--namespaced=true|false] [-o name]",
    "cluster-info": "cluster-info",
}

HELP = """kubectl controls the simulated Kubernetes cluster manager.

Supported commands:
  create        Create a resource from stdin (-f -), or a deployment/namespace/configmap
  expose        Expose a replication controller, service, deployment or pod as a new Service
  run           Run a particular image on the cluster
  get           Display one or many resources
  delete        Delete resources by stdin, resources and names, or resources and label selector
  scale         Set a new size for a deployment, replica set, or replication controller
  cordon        Mark node as unschedulable
  uncordon      Mark node as schedulable
  taint         Update the taints on one or more nodes
  describe      Show details of a specific resource or group of resources
  exec          Execute a command in a container
  logs          Print the logs for a container in a pod
  port-forward  Forward one or more local ports to a pod
  debug         Create a debugging pod on a node and open a shell in it
  edit          Edit a resource in the Manifests panel
  rollout       Manage the rollout of a deployment, daemon set or stateful set
  set           Set images or environment variables of a workload's pod template
  patch         Update fields of a resource (strategic merge, merge or JSON patch)
  apply         Apply a configuration to a resource from stdin (-f -)
  label         Update the labels on a resource
  annotate      Update the annotations on a resource
  api-resources Print the supported API resources on the server
  cluster-info  Display cluster information
  version       Print the client and server version information

Usage:
  kubectl [flags] [options]
"""
