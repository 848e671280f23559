"""Where the app keeps its files: the user data folder and what lives in it.

%LOCALAPPDATA%\\IkrarKiosk on Windows, ~/Library/Application Support/IkrarKiosk on macOS, the XDG data
home elsewhere; ``$IKRAR_DB`` (or ``--db``) names another database file.  The first-run setup may
choose another place for the database: it is remembered in ``config.json`` in the data folder.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from kiosk.i18n import LANGUAGES

CONFIG_NAME = "config.json"


def data_dir() -> Path:
    """The user data folder (not created here)."""
    if os.name == "nt":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "IkrarKiosk"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "IkrarKiosk"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "ikrar-kiosk"


def default_db_path() -> Path:
    return data_dir() / "ikrar.db"


def config_path() -> Path:
    return data_dir() / CONFIG_NAME


def read_config() -> dict[str, str]:
    """What the first-run setup remembered (``db``: the database it made, ``language``); empty when none."""
    try:
        found = json.loads(config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in found.items() if isinstance(k, str) and isinstance(v, str)} \
        if isinstance(found, dict) else {}


def resolve_db_path(cli_value: str | None) -> Path:
    """``--db``, else ``$IKRAR_DB``, else the database the first-run setup made, else the default one in the
    user data folder."""
    return Path(cli_value or os.environ.get("IKRAR_DB") or read_config().get("db") or default_db_path())


def screen_language(setting: str | None = None) -> str:
    """The screens' language: the database's setting (``screen_language``, chosen at setup), else the user's
    (the setup's config file), else Indonesian."""
    chosen = setting or read_config().get("language")
    return chosen if chosen in LANGUAGES else "id"
