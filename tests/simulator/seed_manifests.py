"""The seed notes' manifests that both seed-replay test files apply."""

# 000 §5.1.1 同一个服务暴露多个端口/使用命名的端口: the RC and the two-port Service.
DEMO_RC = """
apiVersion: v1
kind: ReplicationController
metadata:
  name: k8s-node-demo-replication-controller
spec:
  replicas: 3
  selector:
    app: k8s-node-demo-replication-controller-label
  template:
    metadata:
      name: k8s-node-demo-replication-controller-pod
      labels:
        app: k8s-node-demo-replication-controller-label
    spec:
      containers:
      - name: k8s-node-demo-replication-controller-container
        image: k8s-node-demo-image
        imagePullPolicy: Never
        ports:
        - name: http
          containerPort: 8080
        - name: https
          containerPort: 8443
"""

DEMO_SERVICE_NAMED = """
apiVersion: v1
kind: Service
metadata:
  name: demo-service
spec:
  sessionAffinity: ClientIP
  selector:
    app: k8s-node-demo-replication-controller-label
  ports:
  - name: http
    port: 80
    targetPort: http
  - name: https
    port: 443
    targetPort: https
"""

# 003_24b935804ce4cf55.txt 介绍服务 (kubia-svc.yaml). The notes do not print the
# ReplicaSet; its pods serve "default mux" on 8080 and "mux1" on 8090, as
# `describe endpoints kubia` shows, under the Service's port names.
KUBIA_SVC_TWO_PORTS = """
apiVersion: v1
kind: Service
metadata:
  name: kubia
spec:
  sessionAffinity: ClientIP
  ports:
    - port: 80
      name: http-default
      targetPort: http-default
    - port: 90
      name: http-mux1
      targetPort: http-mux1
  selector:
    app: kubia
"""

KUBIA_RS_TWO_PORTS = """
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: kubia
spec:
  replicas: 3
  selector:
    matchLabels:
      app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: bwangel/kubia:v0.4
        ports:
        - name: http-default
          containerPort: 8080
        - name: http-mux1
          containerPort: 8090
"""
