"""The book's kubia manifests, as the seeds use them (Kubernetes in Action, chapter 5)."""

KUBIA_RC = """
apiVersion: v1
kind: ReplicationController
metadata:
  name: kubia
spec:
  replicas: 3
  selector:
    app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
        ports:
        - name: http
          containerPort: 8080
"""

KUBIA_SVC = """
apiVersion: v1
kind: Service
metadata:
  name: kubia
spec:
  sessionAffinity: ClientIP
  ports:
  - port: 80
    targetPort: 8080
  selector:
    app: kubia
"""

# The readiness exercise (section 5.5): the same RC with an exec probe on /var/ready.
KUBIA_READINESS_RC = (
    KUBIA_RC
    + """\
        readinessProbe:
          exec:
            command:
            - ls
            - /var/ready
"""
)

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: {image}
        ports:
        - containerPort: 80
"""
