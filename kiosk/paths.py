"""Where the app keeps its files: the user data folder and what lives in it.

%LOCALAPPDATA%\\IkrarKiosk on Windows, ~/Library/Application Support/IkrarKiosk on macOS, the XDG data
home elsewhere; ``$IKRAR_DB`` (or ``--db``) names another database file.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path


def data_dir() -> Path:
    """The user data folder (not created here)."""
    if os.name == "nt":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "IkrarKiosk"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "IkrarKiosk"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "ikrar-kiosk"


def default_db_path() -> Path:
    return data_dir() / "ikrar.db"


def resolve_db_path(cli_value: str | None) -> Path:
    """``--db``, else ``$IKRAR_DB``, else the default database in the user data folder."""
    return Path(cli_value or os.environ.get("IKRAR_DB") or default_db_path())
