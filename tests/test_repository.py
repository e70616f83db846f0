"""Repository invariants: the README's commands, CI, the simulator's independence, and
no import cycle inside it."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WEB_PACKAGES = {"django", "channels", "asgiref", "daphne", "playground"}


def imported_packages(path: Path) -> set[str]:
    """Top-level names of every absolute import anywhere in a module, nested ones included."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_readme_gives_exactly_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert set(re.findall(r"\./dev \w+", readme)) == {"./dev run", "./dev test"}


def test_dev_script_is_executable_and_has_both_commands():
    dev = ROOT / "dev"
    assert os.access(dev, os.X_OK)
    assert {"run", "test"} <= set(re.findall(r"^  (\w+)\)$", dev.read_text(), re.MULTILINE))


def test_ci_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text()
    assert "set -euo pipefail" in script
    commands = [line for line in script.splitlines() if line.strip() and not line.startswith("#")]
    assert any(re.search(r"(^|\s)\./dev test$", line) for line in commands)


# A `# type: ignore` must name its error code(s); `# mypy: ...` comments switch a file off.
_BLANKET_IGNORE = re.compile(r"#\s*type:\s*ignore(?!\[[a-z-]+(,\s*[a-z-]+)*\])|#\s*mypy:")
_SILENCING_OPTIONS = {"ignore_errors", "ignore_missing_imports", "disable_error_code",
                      "follow_imports", "follow_untyped_imports"}  # fmt: skip


def test_the_test_command_type_checks_without_blanket_ignores():
    dev = (ROOT / "dev").read_text()
    assert re.search(r'^\s*"\$VENV/bin/mypy"$', dev, re.MULTILINE)
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert set(config["files"]) == {"simulator", "playground"}
    for section in [config, *config.get("overrides", [])]:
        assert not _SILENCING_OPTIONS & section.keys(), section
    blanket = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in modules("simulator") + modules("playground")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if _BLANKET_IGNORE.search(line)
    ]
    assert blanket == []


def test_blanket_ignores_are_recognised():
    assert _BLANKET_IGNORE.search("x = f()  # type: ignore")
    assert _BLANKET_IGNORE.search("x = f()  # type:ignore  # why")
    assert _BLANKET_IGNORE.search("# mypy: ignore-errors")
    assert not _BLANKET_IGNORE.search("x = f()  # type: ignore[arg-type]  # the stub is wrong")
    assert not _BLANKET_IGNORE.search("x = f()  # type: ignore[assignment, misc]")


@pytest.mark.parametrize("path", modules("simulator"), ids=lambda path: str(path.relative_to(ROOT)))
def test_simulator_imports_nothing_from_the_web(path):
    assert not imported_packages(path) & WEB_PACKAGES


def simulator_public_names() -> set[str]:
    """`simulator.__all__`, read from the source (the names the web layer may use)."""
    tree = ast.parse((ROOT / "simulator" / "__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return set(ast.literal_eval(node.value))
    raise AssertionError("simulator/__init__.py defines no __all__")


def simulator_imports(path: Path) -> list[tuple[str, str | None]]:
    """Every import of the simulator in a module: `(module, name)`, name None for `import`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(a.name, None) for a in node.names if a.name.split(".")[0] == "simulator"]
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module.split(".")[0] == "simulator"
        ):
            found += [(node.module, a.name) for a in node.names]
    return found


PLAYGROUND = modules("playground")


#: The packages of playground/ that reach the simulator: rooms/, the single composition
#: point, and lessons/, whose checks ask a room's cluster through the facade's
#: observations (docs/architecture.md).
SIMULATOR_CLIENTS = {"rooms", "lessons"}


@pytest.mark.parametrize("path", PLAYGROUND, ids=lambda path: str(path.relative_to(ROOT)))
def test_only_the_rooms_and_lessons_packages_reach_the_simulator(path):
    if not SIMULATOR_CLIENTS & set(path.relative_to(ROOT / "playground").parts[:-1]):
        assert "simulator" not in imported_packages(path)


@pytest.mark.parametrize("path", PLAYGROUND, ids=lambda path: str(path.relative_to(ROOT)))
def test_playground_uses_only_the_simulators_public_names(path):
    public = simulator_public_names()
    for module, name in simulator_imports(path):
        assert module == "simulator", f"{module}: import from `simulator` itself"
        assert name in public, f"simulator.{name} is not in simulator.__all__"


def test_the_simulators_public_names_exist():
    import simulator

    for name in simulator_public_names():
        assert getattr(simulator, name) is not None


@pytest.mark.parametrize(
    "path", modules("playground/rooms"), ids=lambda path: str(path.relative_to(ROOT))
)
def test_each_rooms_module_stays_small(path):
    # One job per module (docs/architecture.md, "Rooms"): about 300 lines at most.
    assert len(path.read_text().splitlines()) <= 300


def test_simulator_imports_with_the_web_stack_unimportable():
    blocked = "; ".join(f"sys.modules[{name!r}] = None" for name in sorted(WEB_PACKAGES))
    code = (
        f"import importlib, pkgutil, sys; {blocked}; import simulator; "
        "[importlib.import_module(m.name) "
        "for m in pkgutil.walk_packages(simulator.__path__, 'simulator.')]"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
SCRIPTS = sorted((ROOT / "static").rglob("*.js"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_hold_no_inline_script_handler_or_style(path):
    """The Content-Security-Policy forbids them (tests/browser/test_csp.py drives the pages)."""
    text = path.read_text()
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", text), "an on*= event handler attribute"
    assert not re.search(r"\sstyle\s*=", text), "an inline style attribute"
    assert "<style" not in text
    assert "javascript:" not in text


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_scripts_never_evaluate_strings(path):
    text = path.read_text()
    assert not re.search(r"\beval\s*\(|new\s+Function\s*\(", text)
    assert not re.search(r"set(Timeout|Interval)\s*\(\s*[\"'`]", text)
    assert not re.search(r"setAttribute\(\s*[\"']style[\"']", text), "an inline style"


def module_name(path: Path, root: Path) -> str:
    """`simulator/controllers/workloads.py` -> `simulator.controllers.workloads`."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(package: Path) -> dict[str, set[str]]:
    """Each module of `package` -> the modules of the same package it imports.

    Every import statement counts, wherever it is: at the top, inside a function, or
    under `if TYPE_CHECKING:` (a type-only import ties two modules together as much as
    any other). `from pkg import name` leads to the submodule `pkg.name` when there is
    one, else to `pkg` itself.
    """
    root = package.parent
    paths = {module_name(path, root): path for path in sorted(package.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        is_package = path.name == "__init__.py"
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".")
                    base = base[: len(base) - node.level + (1 if is_package else 0)]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module
                for alias in node.names:
                    submodule = f"{module}.{alias.name}"
                    targets.add(submodule if submodule in paths else module)
        graph[name] = {t for t in targets if t in paths and t != name}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of modules that import each other, directly or round a loop (Tarjan's
    strongly connected components of more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_simulator_has_no_import_cycle():
    # Dependencies point one way (docs/architecture.md): state -> controllers -> store.
    cycles = import_cycles(import_graph(ROOT / "simulator"))
    assert [sorted(c) for c in cycles] == []


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"a.py": "from . import b\n", "b.py": "from .c import thing\n", "c.py": ""},
            [],
            id="a chain is no cycle",
        ),
        pytest.param(
            {"a.py": "from pkg.b import x\n", "b.py": "def f():\n    from . import a\n"},
            [{"pkg.a", "pkg.b"}],
            id="a function-local import closes a cycle",
        ),
        pytest.param(
            {
                "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.b\n",
                "b.py": "from .sub import c\n",
                "sub/__init__.py": "",
                "sub/c.py": "from .. import a\n",
            },
            [{"pkg.a", "pkg.b", "pkg.sub.c"}],
            id="a type-only import counts, round a subpackage",
        ),
        pytest.param(
            {"__init__.py": "from .a import A\n", "a.py": "from . import b\n", "b.py": ""},
            [],
            id="a package importing its own modules is no cycle",
        ),
    ],
)
def test_import_cycles_are_found_wherever_the_import_is(tmp_path, files, expected):
    package = tmp_path / "pkg"
    for name, text in {"__init__.py": "", **files}.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)
    assert import_cycles(import_graph(package)) == expected


@pytest.mark.parametrize("path", sorted((ROOT / "static").rglob("*.css")), ids=lambda p: p.name)
def test_stylesheets_close_every_block(path):
    # An unclosed block swallows every rule after it, and browsers say nothing. Rules at
    # the top level start in the first column (those in @media are indented).
    text = re.sub(
        r"/\*.*?\*/", lambda m: "\n" * m.group().count("\n"), path.read_text("utf-8"), flags=re.S
    )
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        if line[:1] not in ("", " ", "}", "@") and line.rstrip().endswith("{"):
            assert depth == 0, f"{path.name}:{number}: a rule inside an unclosed block"
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{path.name}:{number}: a '}}' that closes nothing"
    assert depth == 0, f"{path.name}: {depth} block(s) left open at the end"
