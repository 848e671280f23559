"""``ikrar setup``, and the first-run hook of the screens that need a PIN and an event.

:func:`first_run` is what ``ikrar kiosk`` (and ``ikrar desk``) call before opening: on a database
with no admin PIN or no event it shows the setup window instead of a refusal or a bare PIN prompt,
and answers the database to open (the one the setup made, which may be elsewhere), or None when
the organiser cancelled.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kiosk import firstrun, i18n
from kiosk.cli.common import Commands, db_path, output
from kiosk.i18n import KioskError
from kiosk.store import Store
from ui.messages import t
from ui.setup import texts  # noqa: F401  (registers the words)


def add_commands(commands: Commands) -> None:
    commands.command("setup", cmd_setup, "the guided first-run setup window: language, agency and logo, admin PIN, "
                                         "where the database lives, a demo event to try")


def _explicit(args: argparse.Namespace) -> bool:
    """The database was named (--db or $IKRAR_DB): the setup does not offer another place."""
    return bool(getattr(args, "db", None) or os.environ.get("IKRAR_DB"))


def _application() -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication
    if QApplication.instance() is None:
        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) \
                and os.environ.get("QT_QPA_PLATFORM") in (None, "", "xcb", "wayland"):
            raise KioskError("setup.needs_screen")
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Ikrar Kiosk")
        _keep.append(app)
    QGuiApplication.setApplicationDisplayName("Ikrar Kiosk")


_keep: list[object] = []


def run_setup(path: Path, *, explicit: bool) -> firstrun.SetupDone | None:
    """Show the setup window for ``path``; what it made, or None when cancelled."""
    _application()
    from ui.setup.window import SetupWindow
    language = i18n.language()
    done = SetupWindow.ask(path, db_fixed=explicit)
    if done is None:
        i18n.set_language(language)
    return done


def first_run(args: argparse.Namespace) -> Path | None:
    """The database a screen should open: ``db_path(args)`` as it is, or after the setup when it has no PIN
    or no event; None when the setup was cancelled.  Sets the screens' language chosen at setup (unless
    --lang was given)."""
    path = db_path(args)
    if path.exists():
        with Store(path) as store:
            needed = firstrun.needs_setup(store)
            chosen = firstrun.screen_language(store)
    else:
        needed, chosen = True, firstrun.screen_language()
    if not getattr(args, "lang", None):
        i18n.set_language(chosen)
    if not needed:
        return path
    done = run_setup(path, explicit=_explicit(args))
    if done is None:
        return None
    if not getattr(args, "lang", None):
        with Store(done.db_path) as store:
            i18n.set_language(firstrun.screen_language(store))
    return done.db_path


def cmd_setup(args: argparse.Namespace) -> int:
    path = db_path(args)
    done = run_setup(path, explicit=_explicit(args))
    if done is None:
        output(args, {"ok": False, "cancelled": True}, t("setup.cancelled"))
        return 1
    with Store(done.db_path) as store:
        event = store.event(done.event_id)
    output(args, {"ok": True, "db": str(done.db_path), "event": done.event_id, "demo": done.demo,
                  "remembered": done.remembered}, t("setup.finished", path=done.db_path, event=event.title))
    return 0
