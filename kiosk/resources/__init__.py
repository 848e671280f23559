"""Package data (pledge templates, sounds, fonts, icons) and the one helper that finds it.

The files sit beside this module, so a source checkout, an installed wheel and a PyInstaller
bundle (where they are unpacked under ``sys._MEIPASS``, see ``build.spec``) all find them the
same way.
"""
from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "kiosk" / "resources"
    return Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
