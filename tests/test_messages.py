"""Every message code raised or shown anywhere exists in Indonesian and English, with the same
placeholders in both (the layout's rules are in test_layout.py)."""
from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import string
from pathlib import Path

import pytest

from kiosk import i18n

ROOT = Path(__file__).resolve().parent.parent
CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
#: Calls whose first argument (or ``code=``) is a message code.
MESSAGE_CALLS = {"KioskError", "t", "Problem", "add", "problem", "_refuse", "warn", "warning"}
#: Dotted strings that are settings keys or file names, not messages.
NOT_MESSAGES = {"display.theme", "display.logo", "display.screen", "kiosk.sound", "sync.targets", "sync.last",
                "sync.last_at"}


def _sources(*packages: str) -> list[Path]:
    return sorted(p for pkg in packages for p in (ROOT / pkg).rglob("*.py"))


def _import_everything() -> None:
    import kiosk
    import ui
    for pkg in (kiosk, ui):
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            if not info.name.endswith("__main__"):
                importlib.import_module(info.name)


def _strings(node: ast.AST, skip: set[int]) -> list[str]:
    return [n.value for n in ast.walk(node)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip]


def _used_codes() -> dict[str, str]:
    """code -> where it is used, from every call that takes a message code, and every dotted string
    with a message prefix anywhere (tables of codes such as the kiosk's LOOK)."""
    _import_everything()
    prefixes = {code.split(".")[0] for code in i18n._catalogue}
    used: dict[str, str] = {}
    for path in _sources("kiosk", "ui"):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        # Audit actions ("event.create"), command modules (Module("ui.commands", …)) and pieces of f-strings are
        # dotted too, but no message.
        skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for n in ast.walk(node)}
        skip |= {id(node.args[0]) for node in ast.walk(tree) if isinstance(node, ast.Call) and node.args
                 and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("audit", "Module")}
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            found: list[str] = []
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name in MESSAGE_CALLS and node.args:
                    found += _strings(node.args[0], skip)
                found += [s for kw in node.keywords if kw.arg == "code" for s in _strings(kw.value, skip)]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
                if node.value.split(".")[0] in prefixes and node.value not in NOT_MESSAGES:
                    found.append(node.value)
            for code in found:
                if CODE.match(code) and code not in NOT_MESSAGES:
                    used.setdefault(code, f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}")
    return used


def test_every_code_used_is_in_the_catalogue():
    used = _used_codes()
    assert len(used) > 150
    missing = {code: where for code, where in used.items() if code not in i18n._catalogue}
    assert not missing, f"message codes used but never registered: {missing}"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_message_exists_in_both_languages_with_the_same_placeholders(lang):
    _import_everything()
    for code, texts in i18n._catalogue.items():
        assert texts[lang].strip(), code
        assert _fields(texts[lang]) == _fields(texts["id"]), code


def test_indonesian_is_not_english():
    _import_everything()
    same = [c for c, texts in i18n._catalogue.items() if texts["id"] == texts["en"] and len(texts["id"]) > 12]
    assert not same, f"untranslated: {same}"
