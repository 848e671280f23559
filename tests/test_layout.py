"""The layout's rules (docs/architecture.md), read from the code's own imports:

* the core (``kiosk/``) imports no Qt and nothing from ``ui/``, at any level, not even in a function;
* no two files import each other, directly or round a circle;
* no package of the core imports one that imports it back: each stands on those below it;
* no file is over 500 lines.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT_OR_UI = re.compile(r"^\s*(?:from|import)\s+(PySide6|shiboken6|ui)\b", re.M)


def _sources(*packages: str) -> list[Path]:
    return sorted(p for pkg in packages for p in (ROOT / pkg).rglob("*.py"))


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, known: set[str]) -> set[str]:
    """The project's modules this file imports, anywhere in it (``from pkg import sub`` names the sub-module)."""
    here = _module(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:                                  # from . import x, from ..store import y
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            for a in node.names:
                found.add(f"{base}.{a.name}" if f"{base}.{a.name}" in known else base)
    return {m for m in found if m in known and m != here}


def _graph() -> dict[str, set[str]]:
    paths = _sources("kiosk", "ui")
    known = {_module(p) for p in paths}
    return {_module(p): _imports(p, known) for p in paths}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_core_imports_no_qt_and_no_ui_at_any_level():
    offenders = [f"{p.relative_to(ROOT)}: {m.group(0).strip()}" for p in _sources("kiosk")
                 for m in QT_OR_UI.finditer(p.read_text(encoding="utf-8"))]
    assert not offenders
    dynamic = []
    for path in _sources("kiosk"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                    "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
                dynamic.append(str(node.args[0].value))
    assert not [m for m in dynamic if m.split(".")[0] in ("PySide6", "shiboken6", "ui")]


def test_no_files_import_each_other():
    assert _circles(_graph()) == []


def test_each_core_package_stands_on_those_below_it():
    """kiosk.store -> kiosk.security is fine; kiosk.security -> kiosk.store as well would be a circle."""
    def package(module: str) -> str:
        return ".".join(module.split(".")[:2])
    packages: dict[str, set[str]] = {}
    for module, imports in _graph().items():
        if module.startswith("kiosk."):
            packages.setdefault(package(module), set()).update(
                package(m) for m in imports if m.startswith("kiosk.") and package(m) != package(module))
    assert _circles(packages) == []


def test_the_rules_see_a_circle_when_there_is_one():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _circles({"a": {"b"}, "b": set()}) == []


def test_no_module_is_over_500_lines():
    long = {str(p.relative_to(ROOT)): n for p in _sources("kiosk", "ui")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert not long
