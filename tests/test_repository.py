"""Repository invariants: the README's commands, CI, and the simulator's independence."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
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


@pytest.mark.parametrize("path", modules("simulator"), ids=lambda path: str(path.relative_to(ROOT)))
def test_simulator_imports_nothing_from_the_web(path):
    assert not imported_packages(path) & WEB_PACKAGES


@pytest.mark.parametrize(
    "path", modules("playground"), ids=lambda path: str(path.relative_to(ROOT))
)
def test_only_rooms_module_reaches_the_simulator(path):
    # playground/rooms.py is the single composition point (docs/architecture.md).
    if path.name != "rooms.py":
        assert "simulator" not in imported_packages(path)


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
