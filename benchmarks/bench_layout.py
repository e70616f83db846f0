"""What drawing a room costs with the layered layout (ELK in a Web Worker).

`python -m benchmarks.bench_layout` (`--quick`: one load per size; `--examples`:
the built-in examples, each loaded five times in turn) starts daphne
as `bench_web` does, creates rooms of many Services, each with its own
Deployment, and opens each in Debian's Chromium at 1366×768 several times:

- objects: boxes drawn one by one (`?pods=off`): pods, Services, Endpoints; rooms
  of 100, 500, 1,000 and 2,000 objects (`--sizes` picks some);
- first draw: from the snapshot's arrival to the diagram drawn (the scene built,
  laid out, the SVG written): the quick layout while ELK's worker is cold, median
  of the loads;
- ELK drawn: the same to ELK's layout on screen, and ELK's own time for it;
- quality, read from the drawn SVG once it settles: edge crossings and segments
  through boxes, for ELK's layout and (a load whose ELK worker never answers) the
  quick layout;
- CPU: what the page's renderer process spent (all its threads: the page, ELK's
  worker, the compositor) from navigation to the diagram drawn, read from
  /proc, so a machine busy with other work changes it far less than the wall
  clock.

Figures go to docs/performance.md ("Drawing the layout").
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from .bench_web import CHROMIUM, NODE, PODS_PER_NODE, ROOT, Server

APP = """apiVersion: v1
kind: Service
metadata:
  name: svc-{i}
spec:
  selector:
    app: app-{i}
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
spec:
  replicas: {pods}
  selector:
    matchLabels:
      app: app-{i}
  template:
    metadata:
      labels:
        app: app-{i}
    spec:
      containers:
      - name: app
        image: luksa/kubia
        ports:
        - containerPort: 8080
---
"""


def manifest(services: int, pods_each: int) -> str:
    """`services` Services, each with a Deployment of `pods_each` pods, and enough nodes."""
    pods = services * pods_each
    nodes = "".join(NODE.format(i=i + 3) for i in range(max(0, -(-pods // PODS_PER_NODE) - 2)))
    return nodes + "".join(APP.format(i=i, pods=pods_each) for i in range(services))


# Objects drawn (pods + Services + Endpoints) -> (Services, pods each).
SIZES = {100: (10, 8), 500: (50, 8), 1000: (100, 8), 2000: (100, 18)}

# The drawn layout's quality, read from the SVG once it settles: edge crossings (a
# horizontal and a vertical segment of two different edges crossing inside both) and
# edges through boxes (a segment through a box it neither starts nor ends at).
QUALITY_JS = """() => {
  const svg = document.querySelector("svg.diagram");
  const segs = [];
  const paths = [...svg.querySelectorAll(".layer-edges path.edge")];
  paths.forEach((path, edge) => {
    const nums = (path.getAttribute("d").match(/-?[0-9.]+/g) || []).map(Number);
    for (let i = 0; i + 3 < nums.length; i += 2) {
      const [x1, y1, x2, y2] = nums.slice(i, i + 4);
      segs.push({ edge, x1: Math.min(x1, x2), x2: Math.max(x1, x2), y1: Math.min(y1, y2),
        y2: Math.max(y1, y2), h: Math.abs(y1 - y2) < 0.5, first: i === 0,
        last: i + 4 >= nums.length,
        sx: x1, sy: y1, ex: x2, ey: y2 });
    }
  });
  const e = 0.5;
  const hs = segs.filter((s) => s.h && s.x2 - s.x1 > e);
  const vs = segs.filter((s) => !s.h && s.y2 - s.y1 > e);
  let crossings = 0;
  for (const h of hs) for (const v of vs) {
    if (h.edge === v.edge) continue;
    if (v.x1 > h.x1 + e && v.x1 < h.x2 - e && h.y1 > v.y1 + e && h.y1 < v.y2 - e) crossings += 1;
  }
  const boxes = [];
  for (const g of svg.querySelectorAll(".layer-items .item:not(.leaving)")) {
    if (g.classList.contains("kind-pod")) continue;  // inside their node
    const m = /translate\\(([-0-9.]+),([-0-9.]+)\\)/.exec(g.getAttribute("transform") || "");
    const r = g.querySelector("rect.box");
    if (!m || !r) continue;
    boxes.push({ x1: +m[1] + 2, y1: +m[2] + 2, x2: +m[1] + +r.getAttribute("width") - 2,
      y2: +m[2] + +r.getAttribute("height") - 2 });
  }
  const ends = new Map();
  for (const s of segs) {
    if (s.first) ends.set(s.edge, [...(ends.get(s.edge) || []), [s.sx, s.sy]]);
    if (s.last) ends.set(s.edge, [...(ends.get(s.edge) || []), [s.ex, s.ey]]);
  }
  const near = (b, [x, y]) => x >= b.x1 - 6 && x <= b.x2 + 6 && y >= b.y1 - 6 && y <= b.y2 + 6;
  let through = 0;
  for (const s of segs) for (const b of boxes) {
    if (s.x2 <= b.x1 || s.x1 >= b.x2 || s.y2 <= b.y1 || s.y1 >= b.y2) continue;
    if ((ends.get(s.edge) || []).some((p) => near(b, p))) continue;
    through += 1;
  }
  return { edges: paths.length, crossings, through };
}"""


TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """This process's descendants (the Playwright driver, Chromium and its helpers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (ValueError, OSError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def renderer_cpu_ms() -> dict[int, float]:
    """CPU time (user + system) of every thread of each of this run's Chromium renderers."""
    found = {}
    for pid in descendants(os.getpid()):
        try:
            if b"--type=renderer" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            ticks = 0
            for task in Path(f"/proc/{pid}/task").iterdir():
                fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
            found[pid] = ticks * TICK_MS
        except OSError:
            continue
    return found


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU the renderers spent between two readings (a renderer may start in between)."""
    return sum(ms - before.get(pid, 0) for pid, ms in after.items())


def drawn(page, condition: str) -> None:
    """Wait for `condition`; when it never comes, say what the room's terminal said."""
    try:
        page.wait_for_function(condition, timeout=120_000, polling=20)
    except Exception:
        print(condition, "never held:", page.locator("[data-terminal-output]").inner_text()[-2000:])
        print("stats:", page.evaluate("window.kubeplay && window.kubeplay.stats"))
        raise


def load_once(page, url: str) -> dict:
    """Open `url` on a blank page; the room's drawing figures and the renderer's CPU."""
    page.goto("about:blank")
    before = renderer_cpu_ms()
    page.goto(url)
    drawn(page, "window.kubeplay && window.kubeplay.stats.firstDrawMs > 0")
    cpu = spent(before, renderer_cpu_ms())
    # ELK's layout drawn (at once, or after the quick first layout), and its edges drawn
    # once the boxes reach their places.
    # (A page from before the quick first layout has no elkDrawMs: ELK drew first.)
    drawn(page, "window.kubeplay.stats.elkDrawMs !== 0")
    stats = page.evaluate("window.kubeplay.stats")
    stats.setdefault("elkDrawMs", stats["firstDrawMs"])
    stats.setdefault("elkLayoutMs", stats["layoutMs"])
    page.wait_for_timeout(700)
    return {**stats, "cpu": cpu, "quality": page.evaluate(QUALITY_JS)}


def quick_quality(browser, url: str) -> dict:
    """The quick first layout's crossings and edges through boxes: the room opened with
    ELK's worker never answering, so the quick layout stays (none before it existed)."""
    from playwright.sync_api import Error

    page = browser.new_page(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    page.route("**/elk-worker.min.js", lambda route: None)
    try:
        page.goto(url)
        page.wait_for_function(
            "window.kubeplay && window.kubeplay.stats.firstDrawMs > 0", timeout=15_000, polling=20
        )
        page.wait_for_timeout(700)
        found = page.evaluate(QUALITY_JS)
        return {"quick_crossings": found["crossings"], "quick_through": found["through"]}
    except Error:
        return {}
    finally:
        page.close()


def medians(runs: list[dict]) -> dict:
    return {
        "first_draw_ms": statistics.median(r["firstDrawMs"] for r in runs),
        "elk_draw_ms": statistics.median(r["elkDrawMs"] for r in runs),
        "elk_layout_ms": statistics.median(r["elkLayoutMs"] for r in runs),
        "quick_first": sum(bool(r.get("firstQuick")) for r in runs),
        "navigation_to_drawn_ms": statistics.median(r["drawnAt"] for r in runs),
        "renderer_cpu_ms": statistics.median(r["cpu"] for r in runs),
        "runs": [round(r["firstDrawMs"]) for r in runs],
        **runs[-1].get("quality", {}),
    }


def measure(server: Server, loads: int, examples: bool, sizes: list[int]) -> dict:
    from playwright.sync_api import sync_playwright

    figures: dict = {}
    args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        # The server sends a strict CSP; the measuring scripts Playwright evaluates are ours.
        page = browser.new_page(viewport={"width": 1366, "height": 768}, bypass_csp=True)
        if examples:
            # What every learner meets first: the built-in examples, loaded in turn.
            from simulator import SCENARIOS

            codes = {s.slug: server.create_room(s.manifest) for s in SCENARIOS}
            runs: dict[str, list[dict]] = {slug: [] for slug in codes}
            for _ in range(loads):
                for slug, code in codes.items():
                    runs[slug].append(load_once(page, f"{server.url}/rooms/{code}/"))
            for slug, found in runs.items():
                figures[slug] = medians(found)
            browser.close()
            return figures
        for objects in sizes:
            services, pods_each = SIZES[objects]
            code = server.create_room(manifest(services, pods_each))
            for query in ("?pods=off", ""):
                url = f"{server.url}/rooms/{code}/{query}"
                found = [load_once(page, url) for _ in range(loads)]
                key = f"{objects}{'_one_by_one' if query else '_default'}"
                boxes = page.locator("svg.diagram .item").count()
                figures[key] = {"boxes": boxes, **medians(found), **quick_quality(browser, url)}
                page.screenshot(path=ROOT / "var" / "screenshots" / f"bench-layout-{key}.png")
        browser.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one load per size")
    parser.add_argument(
        "--examples", action="store_true", help="the built-in examples instead of big rooms"
    )
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        help="room sizes in objects, from " + ", ".join(map(str, SIZES)),
    )
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as workdir:
        server = Server(Path(workdir))
        try:
            figures = measure(server, 1 if options.quick else 5, options.examples, sizes)
        finally:
            server.close()
    print(f"load average before: {load}, after: {os.getloadavg()}")
    for name, values in figures.items():
        shown = {k: round(v) if isinstance(v, float) else v for k, v in values.items()}
        print(f"{name:>20}: {shown}")


if __name__ == "__main__":
    main()
