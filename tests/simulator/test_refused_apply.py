"""A refused `kubectl apply -f -` changes nothing: no event, no draw from the generator, no
time. The room log relies on it to keep refused manifests out of the log (replay skips them)."""

from __future__ import annotations

import pytest

from simulator import Cluster
from tests.simulator.manifests_kubia import DEPLOYMENT, KUBIA_SVC

NODEPORT = (
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  type: NodePort\n"
    "  selector: {{app: x}}\n  ports:\n  - port: 80\n    nodePort: {port}\n"
)
REFUSED = {
    "YAML syntax": "apiVersion: v1\nkind: [\n",
    "NodePort outside the range": NODEPORT.format(name="x", port=80),
    "NodePort taken twice": NODEPORT.format(name="a", port=30080)
    + "---\n"
    + NODEPORT.format(name="b", port=30080),
    "generateName with a bad port": (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: web-\nspec:\n  containers:\n"
        "  - name: a\n    image: nginx\n    ports:\n    - containerPort: -1\n"
    ),
    "immutable selector": DEPLOYMENT.replace("app: web", "app: other"),
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_a_refused_apply_changes_nothing(text):
    cluster = Cluster(5)
    cluster.run("kubectl apply -f -", stdin=DEPLOYMENT + "---\n" + KUBIA_SVC)
    before = (cluster.seq, cluster.state.rng.getstate(), cluster.now, cluster.snapshot())
    result = cluster.run("kubectl apply -f -", stdin=text)
    assert result.exit_code != 0
    after = (cluster.seq, cluster.state.rng.getstate(), cluster.now, cluster.snapshot())
    assert after == before
