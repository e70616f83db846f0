"""Lessons in the browser, in English and in Simplified Chinese: one completed by typing
commands, one by the lesson panel's buttons (hint, show me, reset); progress kept across
a reload; a Chinese page without English words of the interface left."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORT

#: The words each test looks for, per language (the page's language comes from the browser).
WORDS = {
    "en-US": {
        "command": "Command", "start": "Start", "show": "Show me", "hint": "Hint",
        "reset": "Reset this step", "connected": "connected", "step": "Step {} of {}",
        "done": "All steps done.",
    },
    "zh-CN": {
        "command": "命令", "start": "开始", "show": "演示给我看", "hint": "提示",
        "reset": "重置本步骤", "connected": "已连接", "step": "第 {} 步，共 {} 步",
        "done": "所有步骤都已完成。",
    },
}  # fmt: skip
LANGUAGES = list(WORDS)


def open_lesson(page, base_url: str, slug: str, words) -> None:
    """Start a lesson from the home page's list, as a learner would."""
    page.goto(base_url + "/")
    card = page.locator(".lesson-card").filter(has=page.locator(f'form[action="/lessons/{slug}/"]'))
    card.get_by_role("button", name=re.compile(words["start"])).click()
    page.wait_for_url(re.compile(r"/rooms/[a-z0-9]+/$"))
    expect(page.locator("[data-status]")).to_have_text(words["connected"])
    expect(page.locator("svg.diagram .kind-pod").first).to_be_visible()


def step(page, index: int):
    return page.locator(f'.lesson-step[data-step="{index}"]')


def expect_current(page, index: int, count: int, words) -> None:
    expect(step(page, index)).to_have_attribute("data-state", "current")
    expect(page.locator("[data-lesson-progress]")).to_have_text(
        words["step"].format(index + 1, count)
    )


def type_line(page, words, line: str) -> None:
    command = page.get_by_role("textbox", name=words["command"])
    command.fill(line)
    command.press("Enter")
    expect(command).to_have_value("")


def a_pod(page, prefix: str = "kubia-") -> str:
    objects = page.locator(f'svg.diagram [data-object^="Pod|default|{prefix}"]')
    expect(objects.first).to_be_attached()
    return objects.first.get_attribute("data-object").split("|")[2]


@pytest.fixture(params=LANGUAGES)
def lesson_page(request, browser, console_errors):
    """A page whose browser asks for one language (Accept-Language, as a learner's does)."""
    context = browser.new_context(viewport=VIEWPORT, locale=request.param)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    yield page, request.param
    context.close()


def test_a_lesson_completed_by_typing_commands(lesson_page, live_server_url, screenshot):
    page, language = lesson_page
    words = WORDS[language]
    open_lesson(page, live_server_url, "session-affinity", words)
    expect_current(page, 0, 3, words)
    first = step(page, 0).locator('[data-check="two-pods"]')
    expect(first).to_have_attribute("data-passed", "false")
    pod = a_pod(page)
    for _ in range(12):  # the spread is random: curl until two pods have answered
        type_line(page, words, f"kubectl exec {pod} -- curl -s http://kubia")
        if step(page, 0).get_attribute("data-state") == "done":
            break
    expect(step(page, 0)).to_have_attribute("data-state", "done")
    expect_current(page, 1, 3, words)

    patch = '{"spec":{"sessionAffinity":"ClientIP"}}'
    type_line(page, words, f"kubectl patch svc kubia -p '{patch}'")
    expect_current(page, 2, 3, words)
    for _ in range(3):
        type_line(page, words, f"kubectl exec {pod} -- curl -s http://kubia")
    expect(page.locator("[data-lesson-done]")).to_be_visible()
    expect(page.locator("[data-lesson-progress]")).to_have_text(words["done"])
    expect(page.locator('.lesson-step[data-state="done"]')).to_have_count(3)
    screenshot(f"lesson-typed-{language}", page)


def test_a_lesson_completed_with_the_buttons(lesson_page, live_server_url, screenshot):
    page, language = lesson_page
    words = WORDS[language]
    open_lesson(page, live_server_url, "services-endpoints", words)
    panel = page.locator("[data-lesson]")
    expect_current(page, 0, 4, words)
    checks = step(page, 0).locator("[data-check]")
    expect(checks).to_have_count(2)
    for check in checks.all():
        expect(check).to_have_attribute("data-passed", "false")

    # A hint on demand, then "show me" runs the solution in the terminal.
    hint = step(page, 0).locator("[data-hint]").first
    expect(hint).to_be_hidden()
    step(page, 0).get_by_role("button", name=words["hint"]).click()
    expect(hint).to_be_visible()
    step(page, 0).get_by_role("button", name=words["show"]).click()
    expect(page.locator("[data-terminal-output]")).to_contain_text("service/kubia created")
    expect_current(page, 1, 4, words)
    step(page, 1).get_by_role("button", name=words["show"]).click()
    expect(page.locator("[data-terminal-output]")).to_contain_text("You've hit kubia-")
    expect_current(page, 2, 4, words)

    # Progress is the server's: a reload shows the same step.
    page.reload()
    expect(page.locator("[data-status]")).to_have_text(words["connected"])
    expect_current(page, 2, 4, words)
    step(page, 2).get_by_role("button", name=words["show"]).click()
    expect_current(page, 3, 4, words)

    # Reset: delete a pod, then the step's reset brings the room back to its start.
    # (The diagram lays the reloaded room out in a worker: wait until its pods are drawn.)
    pods = page.locator('svg.diagram [data-object^="Pod|default|kubia-"]')
    expect(pods.first).to_be_visible()
    before = sorted(
        o.get_attribute("data-object")
        for o in page.locator('svg.diagram [data-object^="Pod|default|kubia-"]').all()
    )
    type_line(page, words, f"kubectl delete pod {before[0].split('|')[2]}")
    expect(step(page, 3).locator('[data-check="deleted"]')).to_have_attribute("data-passed", "true")
    page.once("dialog", lambda dialog: dialog.accept())
    step(page, 3).get_by_role("button", name=words["reset"]).click()
    expect(step(page, 3).locator('[data-check="deleted"]')).to_have_attribute(
        "data-passed", "false"
    )
    pods = page.locator('svg.diagram [data-object^="Pod|default|kubia-"]')
    expect(pods).to_have_count(3)
    expect(pods.locator(f'xpath=self::*[@data-object="{before[0]}"]')).to_have_count(1)

    step(page, 3).get_by_role("button", name=words["show"]).click()
    expect(panel.locator("[data-lesson-done]")).to_be_visible()
    screenshot(f"lesson-buttons-{language}", page)
    if language == "zh-CN":
        assert_no_english_ui(page)
        page.goto(live_server_url + "/")
        assert_no_english_ui(page)
        screenshot("lesson-home-zh", page)


#: Words that stay as they are in a Chinese page: Kubernetes kinds and terms as the Chinese
#: Kubernetes documentation keeps them, tools, protocols, and the product's name.
KEPT = {
    "Kubeplay", "Kubernetes", "English", "Pod", "Service", "Endpoints", "Ingress",
    "ClusterIP", "NodePort", "LoadBalancer", "ExternalName", "Headless", "DaemonSet",
    "Deployment", "ReplicationController", "Secret", "YAML", "DNS", "CoreDNS", "IP", "TLS",
    "HTTP", "HTTPS", "URL", "SNAT", "FQDN", "CNAME", "MetalLB", "ping", "curl", "kubectl",
    "cookie", "shell", "host", "help", "ingress", "nginx", "sessionAffinity", "ClientIP",
    "externalTrafficPolicy", "Cluster", "Local", "publishNotReadyAddresses", "notReadyAddresses",
    "resolv", "conf", "kubelet", "kube", "proxy", "Gateway", "API", "EXTERNAL", "KiB",
    "selector", "WordPress", "MariaDB", "ConfigMap", "NoSchedule", "Prefix", "Exact", "NGINX",
    "nslookup", "dnsutils", "touch", "ls", "http", "https", "bar", "Esc", "NetworkPolicy",
    "namespaceSelector", "DNAT", "ICMP",
    # Gateway API: its kinds and fields, NGINX Gateway Fabric, and a header and host in YAML.
    "GatewayClass", "HTTPRoute", "ReferenceGrant", "Fabric", "PathPrefix", "backendRefs", "env",
    "canary",
    # Names of the objects the NetworkPolicy recipes create, as their summaries name them.
    "web", "client", "test", "frontend", "bookstore", "prod", "dev", "foo", "apiserver",
    "monitoring",
}  # fmt: skip


#: URLs, paths, labels (app=kubia), names (kubia-x7k2p, worker-1, kubia.example.com), codes.
IDENTIFIERS = re.compile(r"\w+://\S*|/[\w/.-]+|\w+=\S*|[\w.-]*[-.][\w.-]*|\w*\d\w*|\bkubia\b")


def assert_no_english_ui(page, names: frozenset[str] = frozenset()) -> None:
    """No English word of the interface in the page's own text: text in code, in the
    terminal (kubectl speaks English), what stays English (marked lang="en"; see
    docs/translation.md) and object names (`names`: those the pattern cannot tell) are
    left aside."""
    texts = page.evaluate(
        """() => {
          const out = [];
          const skip = (el) => el.closest(
            "code, pre, textarea, svg, option, [lang=en], .terminal, [data-status]");
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const el = node.parentElement;
            if (!el || skip(el) || !el.checkVisibility()) continue;
            if (node.textContent.trim()) out.push(node.textContent.trim());
          }
          for (const el of document.querySelectorAll("[aria-label], [placeholder], [title]")) {
            if (skip(el)) continue;
            for (const name of ["aria-label", "placeholder", "title"]) {
              if (el.getAttribute(name)) out.push(el.getAttribute(name));
            }
          }
          return out;
        }"""
    )
    leftovers = []
    for text in texts:
        # Identifiers come from the cluster or the learner, not from the interface.
        text = IDENTIFIERS.sub(" ", text)
        for word in re.findall(r"[A-Za-z]{2,}", text):
            if word not in KEPT and word not in names:
                leftovers.append((word, text))
    assert leftovers == [], "\n".join(f"{word!r} in {text!r}" for word, text in leftovers)


def test_lesson_progress_survives_a_server_restart(restartable_server, new_page):
    page = new_page()
    words = WORDS["en-US"]
    open_lesson(page, restartable_server.url, "services-endpoints", words)
    step(page, 0).get_by_role("button", name=words["show"]).click()
    expect_current(page, 1, 4, words)
    pod = a_pod(page)
    type_line(page, words, f"kubectl exec {pod} -- curl -s http://kubia")
    expect_current(page, 2, 4, words)
    type_line(page, words, f"kubectl exec {pod} -- curl -s http://kubia")  # one of two pods

    restartable_server.restart()
    page.reload()
    expect(page.locator("[data-status]")).to_have_text(words["connected"], timeout=20_000)
    expect_current(page, 2, 4, words)  # the step, and what it saw, came back from the log
    expect(step(page, 0)).to_have_attribute("data-state", "done")
    for _ in range(12):
        type_line(page, words, f"kubectl exec {pod} -- curl -s http://kubia")
        if step(page, 2).get_attribute("data-state") == "done":
            break
    expect_current(page, 3, 4, words)
