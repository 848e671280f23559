"""A wheel built from the project runs on its own: installed (not editable) into a fresh virtual
environment, it finds its pledge templates and renders the projector from an unrelated folder."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, text=True, timeout=600)
    (found,) = out.glob("ikrar_kiosk-*.whl")
    return found


def test_the_wheel_carries_the_package_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("kiosk/resources/pledges/pemilu-2024.json", "kiosk/resources/pledges/pilkada-2020.json",
                   "kiosk/resources/sounds/recorded.wav", "ui/commands.py"):
        assert needed in names
    assert not [n for n in names if n.startswith("tests/")]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory, wheel) -> Path:
    """A new virtual environment with the wheel installed; the dependencies come from this one's
    site-packages through a .pth line (which does not run this environment's editable finder)."""
    env = tmp_path_factory.mktemp("venv") / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True, timeout=120)
    python = env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
                   check=True, capture_output=True, text=True, timeout=300)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return env


def _ikrar(env: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    exe = env / ("Scripts/ikrar.exe" if os.name == "nt" else "bin/ikrar")
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "IKRAR_DB")}
    return subprocess.run([str(exe), "--db", str(cwd / "k.db"), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**clean, "QT_QPA_PLATFORM": "offscreen"})


def test_an_installed_wheel_runs_from_an_unrelated_folder(fresh, tmp_path):
    where = _ikrar(fresh, tmp_path, "--json", "demo")
    assert where.returncode == 0, where.stderr
    shown = _ikrar(fresh, tmp_path, "--json", "pledge", "show")
    assert shown.returncode == 0, shown.stderr
    pledge = json.loads(shown.stdout)
    assert pledge["key"] == "pemilu-2024" and len(pledge["units"]) == 7
    out = tmp_path / "unit.png"
    rendered = _ikrar(fresh, tmp_path, "display", "--render", str(out), "--size", "1024x768", "--unit", "3")
    assert rendered.returncode == 0, rendered.stderr
    assert out.read_bytes().startswith(b"\x89PNG")
    # It really ran the installed copy, not this checkout.
    probe = subprocess.run([str(fresh / "bin" / "python"), "-c", "import kiosk; print(kiosk.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True)
    assert str(ROOT) not in probe.stdout and "site-packages" in probe.stdout
