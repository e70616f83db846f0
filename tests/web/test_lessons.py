"""Lessons: every lesson's solution completes it, no check holds before its step's work,
and lesson files that are not valid are refused with every problem named."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import checks

from playground.lessons import lessons, placeholders
from playground.lessons.engine import LessonRun
from playground.lessons.loader import LessonError, load
from playground.rooms.log import APPLY, effective_ops
from simulator import Cluster

LESSONS = list(lessons().values())


def test_the_notes_lessons_are_all_there():
    wanted = {
        "services-endpoints", "session-affinity", "named-ports", "discovery",
        "troubleshooting", "external-services", "nodeport", "loadbalancer", "ingress",
        "ingress-tls", "readiness", "headless", "daemonsets", "gateway-api", "network-policy",
    }  # fmt: skip
    assert wanted <= set(lessons())
    assert [lesson.order for lesson in LESSONS] == sorted(lesson.order for lesson in LESSONS)


def test_django_checks_load_every_lesson():
    assert not [m for m in checks.run_checks(tags=["kubeplay"]) if m.is_serious()]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
@pytest.mark.parametrize("seed", [3, 2026])
def test_the_solution_completes_every_step_and_no_first_check_holds_before_it(lesson, seed):
    cluster = Cluster(seed)
    assert cluster.run(APPLY, stdin=lesson.manifests).exit_code == 0
    run = LessonRun(lesson)
    for index, step in enumerate(lesson.steps):
        assert not run.judge(cluster), f"step {index} is done before any work"
        first = step.checks[0].id
        assert run.passed[first] is False, f"step {index}: {first} holds before the solution"
        moved = False
        for command in step.solution:
            line = placeholders.fill(command.line, cluster)
            result = cluster.run(line, stdin=command.stdin)
            run.ran(line, result)
            moved = run.judge(cluster)
            if moved:
                break
        assert moved, f"step {index} not done after its solution: {run.passed}"
        assert run.step == index + 1
    assert run.finished


def test_every_text_is_written_in_both_languages():
    for lesson in LESSONS:
        texts = [lesson.title, lesson.goal]
        for step in lesson.steps:
            texts += [step.title, step.body, *step.hints, *(c.label for c in step.checks)]
        for text in texts:
            english, chinese = text.get("en"), text.get("zh-hans")
            assert english
            assert chinese
            assert english != chinese
            assert any("\u4e00" <= char <= "\u9fff" for char in chinese), chinese


GOOD = Path(__file__).resolve().parents[2] / "playground/lessons/content/session-affinity.yaml"


def broken(tmp_path, name: str, old: str, new: str) -> Path:
    text = GOOD.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{name}.yaml"
    path.write_text(text.replace("slug: session-affinity", f"slug: {name}").replace(old, new))
    return path


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("  zh-hans: 会话亲和性（sessionAffinity）\n", "",
         "title: 'zh-hans' is a required property"),
        ("        ran:\n          output: \"You've hit (kubia-[a-z0-9]+)\"\n          distinct: 2",
         "        watched:\n          output: x", "steps[0].checks[0]: Additional properties"),
        ("        ran:\n          output: \"You've hit (kubia-[a-z0-9]+)\"\n          distinct: 2",
         "", "steps[0].checks[0]: a check has an id, a label and exactly one of object"),
        ("distinct: 2", "distinct: 2\n          same: 3", "distinct and same cannot both hold"),
        ("output: \"You've hit (kubia-[a-z0-9]+)\"\n          distinct",
         "output: \"You've hit (kubia-[a-z0-9+\"\n          distinct", "not a regular expression"),
        ("          jsonpath: \"{.spec.sessionAffinity}\"\n", "", "equals needs a jsonpath"),
        ("minutes: 10", "minutes: ten", "minutes: 'ten' is not of type 'integer'"),
        ("      - id: sticks", "      - id: client-ip", "'client-ip' is used twice"),
        ("url: http://kubia", "url: http://{service:kubia}", "unknown placeholder {service:...}"),
        ("    solution:\n      - kubectl patch", "    solution:\n      - kubectl patch {node:x}",
         "unknown placeholder {node:...}"),
    ],
)  # fmt: skip
def test_a_broken_lesson_is_refused_with_its_place(tmp_path, old, new, said):
    with pytest.raises(LessonError) as caught:
        load(broken(tmp_path, "broken", old, new))
    assert said in str(caught.value)
    assert "broken.yaml is not a valid lesson" in str(caught.value)


def test_a_check_command_that_would_change_the_room_is_refused(tmp_path):
    old = (
        "        request:\n          url: http://kubia\n          from: {pod: app=kubia}\n"
        "          count: 10\n          expect:\n            outcome: ok\n"
        "            same_pod: true"
    )
    new = "        command:\n          run: kubectl delete pod {pod:app=kubia}\n          output: x"
    with pytest.raises(LessonError, match=r"checks\[1\]\.command\.run: kubectl delete: an obs"):
        load(broken(tmp_path, "writes", old, new))


def test_the_slug_is_the_file_name(tmp_path):
    path = tmp_path / "other.yaml"
    path.write_text(GOOD.read_text(encoding="utf-8"))
    with pytest.raises(LessonError, match="must be the file name"):
        load(path)


def test_raw_html_in_prose_is_shown_as_text(tmp_path):
    path = broken(
        tmp_path, "html", "  zh-hans: >-\n    用", "  zh-hans: >-\n    <script>x</script>用"
    )
    goal = load(path).goal.get("zh-hans")
    assert "<script>" not in goal
    assert "&lt;script&gt;" in goal


def test_not_yaml_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("slug: [unclosed\n")
    with pytest.raises(LessonError, match="not readable as UTF-8 YAML"):
        load(path)


@pytest.mark.parametrize(
    ("ops", "kept"),
    [
        ([{"op": "run", "line": "a"}, {"op": "run", "line": "b"}], ["a", "b"]),
        ([{"op": "run", "line": "a"}, {"op": "rewind", "to": 0}, {"op": "run", "line": "c"}],
         ["c"]),
        ([{"op": "run", "line": "a"}, {"op": "lesson", "step": 1}, {"op": "run", "line": "b"},
          {"op": "rewind", "to": 2}, {"op": "run", "line": "c"}, {"op": "rewind", "to": 2}],
         ["a"]),
        # back to a point a later rewind left behind: the state there was a, b
        ([{"op": "run", "line": "a"}, {"op": "run", "line": "b"}, {"op": "rewind", "to": 1},
          {"op": "run", "line": "c"}, {"op": "rewind", "to": 2}], ["a", "b"]),
    ],
)  # fmt: skip
def test_a_rewind_returns_to_the_state_after_that_many_entries(ops, kept):
    assert [op["line"] for _, op in effective_ops(ops)] == kept


def test_a_rewind_past_the_end_is_refused():
    with pytest.raises(ValueError, match="outside the log"):
        effective_ops([{"op": "rewind", "to": 3}])


TIMED = """\
slug: timed
order: 1
minutes: 5
source: "tests"
title: {en: Timed, zh-hans: 计时}
goal: {en: Hold on., zh-hans: 坚持住。}
manifests: |
  apiVersion: v1
  kind: Service
  metadata:
    name: kubia
  spec:
    selector:
      app: kubia
    ports:
    - port: 80
      targetPort: 8080
  ---
  apiVersion: v1
  kind: ReplicationController
  metadata:
    name: kubia
  spec:
    replicas: 2
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
          - containerPort: 8080
steps:
  - title: {en: Three for a while, zh-hans: 保持三个}
    text: {en: Scale to three and wait., zh-hans: 扩容到三个并等待。}
    checks:
      - id: three-for-20s
        label: {en: Three pods for 20 s, zh-hans: 三个 Pod 保持 20 秒}
        held:
          seconds: 20
          check:
            object: {kind: Endpoints, name: kubia, jsonpath: "{.subsets[*].addresses[*].ip}",
                     count: 3}
    hints: [{en: Scale., zh-hans: 扩容。}]
    solution: [kubectl scale rc kubia --replicas=3, sleep 20]
  - title: {en: Traffic, zh-hans: 流量}
    text: {en: Send requests., zh-hans: 发送请求。}
    checks:
      - id: five-ok
        label: {en: Five requests served, zh-hans: 五个请求成功}
        traffic: {min_requests: 5, max_failed: 0, url: "kubia"}
    hints: [{en: Curl., zh-hans: 用 curl。}]
    solution: ["kubectl exec {pod:app=kubia} -- curl -s http://kubia"]
"""


def test_held_and_traffic_checks(tmp_path):
    path = tmp_path / "timed.yaml"
    path.write_text(TIMED, encoding="utf-8")
    lesson = load(path)
    cluster = Cluster(4)
    cluster.run(APPLY, stdin=lesson.manifests)
    run = LessonRun(lesson)
    cluster.run("kubectl scale rc kubia --replicas=3")
    assert not run.judge(cluster)  # three pods, but not for 20 s yet
    cluster.advance(15)
    assert not run.judge(cluster)
    cluster.run("kubectl scale rc kubia --replicas=2")  # the condition breaks: the span restarts
    assert not run.judge(cluster)
    cluster.run("kubectl scale rc kubia --replicas=3")
    assert not run.judge(cluster)
    cluster.advance(19)
    assert not run.judge(cluster, fresh=False)
    cluster.advance(1)
    assert run.judge(cluster, fresh=False)  # held 20 s of simulated time
    assert run.step == 1
    pod = cluster.running_pods("app=kubia")[0]
    traces = [cluster.request("http://kubia", source=f"pod/{pod}") for _ in range(4)]
    run.sent(traces)
    assert not run.judge(cluster)
    run.sent([cluster.request("http://nothing", source=f"pod/{pod}")])  # another URL: not counted
    assert not run.judge(cluster)
    run.sent([cluster.request("http://kubia", source=f"pod/{pod}")])
    assert run.judge(cluster)
    assert run.finished


def test_a_failed_request_fails_a_traffic_check(tmp_path):
    path = tmp_path / "timed.yaml"
    path.write_text(TIMED, encoding="utf-8")
    run = LessonRun(load(path), step=1)
    cluster = Cluster(4)
    cluster.run(APPLY, stdin=run.lesson.manifests)
    pod = cluster.running_pods("app=kubia")[0]
    cluster.run("kubectl delete svc kubia")
    run.sent([cluster.request("http://kubia", source=f"pod/{pod}") for _ in range(6)])
    assert not run.judge(cluster)
    assert run.evidence.traffic["five-ok"] == [6, 6]
