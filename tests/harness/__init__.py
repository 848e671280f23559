"""The fault, fuzz and soak harness (issue 17): shared sizes, figures and paths.

The harness tries hard to break the kiosk the way SQLite tests itself: kill it at random moments
(``tests/test_crash.py``), take its disk space away (``test_io_faults.py``), feed it hostile input
(``test_fuzz.py``), run it beside every other writer (``test_concurrency.py``) and for a long time
(``test_soak.py``).

Sizes: CI runs every test at a size that fits its time.  ``IKRAR_HARNESS_SCALE=full`` runs the full
size (200+ kills, 10,000 soak check-ins, thousands of fuzz cases); a number (``IKRAR_HARNESS_SCALE=3``)
multiplies the CI size, capped at the full size.

One command runs it all and sums the figures up: ``python tests/harness/run.py [ci|full|N] [pytest options]``.

Figures: each test prints ``name: value`` lines straight to the terminal (past pytest's capture) and,
when ``IKRAR_HARNESS_FIGURES`` names a file, appends them there for a separate check to judge.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
CORPUS = TESTS / "corpus"


def scale_setting() -> str:
    """``IKRAR_HARNESS_SCALE`` (or its short name ``IKRAR_HARNESS``): ``ci`` (the default), ``full`` or a factor."""
    value = os.environ.get("IKRAR_HARNESS_SCALE") or os.environ.get("IKRAR_HARNESS") or "ci"
    return value.strip().lower() or "ci"


def full() -> bool:
    return scale_setting() == "full"


def size(ci: int, full_size: int) -> int:
    """The CI size, or the full size under ``IKRAR_HARNESS_SCALE=full`` (a number multiplies the CI size)."""
    setting = scale_setting()
    if setting == "full":
        return full_size
    if setting == "ci":
        return ci
    try:
        factor = float(setting)
    except ValueError:
        return ci
    return max(1, min(full_size, round(ci * factor)))


def figure(config, name: str, value: object) -> None:
    """Print ``name: value`` past pytest's capture (the terminal reporter), and to $IKRAR_HARNESS_FIGURES."""
    line = f"{name}: {value}"
    plugins = config.pluginmanager if config is not None else None
    reporter = plugins.get_plugin("terminalreporter") if plugins is not None else None
    capture = plugins.get_plugin("capturemanager") if plugins is not None else None
    if reporter is None or capture is None:
        print(line, flush=True)
    else:
        with capture.global_and_fixture_disabled():
            reporter.ensure_newline()
            reporter.write_line(line)
    target = os.environ.get("IKRAR_HARNESS_FIGURES")
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
