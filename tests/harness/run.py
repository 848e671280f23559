"""Run the whole harness at one size and sum its figures up (issue 17).

    .venv/bin/python tests/harness/run.py            # CI size (what .ci/run runs as part of the suite)
    .venv/bin/python tests/harness/run.py full       # full size: 220 kills, 10,000 soak check-ins, ...
    .venv/bin/python tests/harness/run.py 3 -x       # three times the CI size; further pytest options

It sets ``IKRAR_HARNESS_SCALE``, runs pytest on the harness's test files from the project's root (so this
checkout's ``kiosk/`` is the one tested), collects every ``name: value`` line through
``IKRAR_HARNESS_FIGURES`` and ends with the summary the issue asks for; its exit code is pytest's.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FILES = ("test_crash.py", "test_soak.py", "test_io_faults.py", "test_concurrency.py", "test_fuzz.py",
         "test_fuzz_files.py", "test_durability.py")
SUMMARY = (("kills survived", "crash_kills_survived"), ("confirmed check-ins lost (must be 0)",
           "crash_confirmed_checkins_lost"), ("  under a file size limit (must be 0)", "io_fsize_confirmed_lost"),
           ("fuzz cases tried", "fuzz_inputs_cases_tried", "fuzz_files_cases_tried"),
           ("fuzz crashes (must be 0)", "fuzz_inputs_crashes", "fuzz_files_crashes"),
           ("soak check-ins", "soak_checkins"), ("peak RSS MB", "soak_peak_rss_mb"),
           ("RSS growth MB", "soak_rss_growth_mb_"), ("scan p95 ms", "soak_scan_enter_to_signing_painted_ms_p95_at_"),
           ("signature p95 ms", "soak_sign_enter_to_done_painted_ms_p95_at_"),
           ("'database is locked' seen (must be 0)", "concurrency_locked_messages"))


def summarise(lines: list[str]) -> list[str]:
    figures = [tuple(part.strip() for part in line.split(":", 1)) for line in lines if ":" in line]
    out = []
    for label, *names in SUMMARY:
        found = [f"{n}={v}" if n.endswith("_") or len(names) > 1 else v
                 for n, v in figures for want in names if n == want or (want.endswith("_") and n.startswith(want))]
        if found:
            out.append(f"{label}: {', '.join(found)}")
    return out


def main(argv: list[str]) -> int:
    scale = argv[0] if argv and not argv[0].startswith("-") else "ci"
    extra = argv[1:] if argv and not argv[0].startswith("-") else argv
    with tempfile.TemporaryDirectory(prefix="ikrar-harness-") as folder:
        figures = Path(folder) / "figures.txt"
        env = {**os.environ, "IKRAR_HARNESS_SCALE": scale, "IKRAR_HARNESS_FIGURES": str(figures),
               "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
        started = time.monotonic()
        # At full size one test runs for many minutes: no stack dump after pyproject's 300 s hang timeout.
        patience = [] if scale == "ci" else ["-o", "faulthandler_timeout=7200"]
        code = subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *patience,
                                *(f"tests/{name}" for name in FILES), *extra], cwd=ROOT, env=env)
        lines = figures.read_text("utf-8").splitlines() if figures.exists() else []
    print(f"\nharness at size {scale}: {time.monotonic() - started:.0f} s, pytest exit code {code}")
    for line in summarise(lines):
        print(line)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
