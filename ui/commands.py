"""The ``ikrar`` application: the core's commands plus those that open a screen (``kiosk``, ``display``,
``desk``).

:func:`main` is the ``ikrar`` script: it hands :func:`add_commands` to the core's parser as a
plugin, so the core never imports the UI.  Qt is imported only when a screen command runs, so
every other command starts without it.  ``kiosk_main``, ``display_main`` and ``desk_main`` are the
GUI scripts for desktop shortcuts (no console window on Windows).
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk import i18n, paths
from kiosk.cli import app
from kiosk.cli.common import Commands, db_path, event_of, output
from kiosk.i18n import KioskError, register

register({
    "cli.bad_unit": {"id": "Unit {unit} tidak ada; ikrar ini punya unit 1–{count} (lihat: ikrar pledge show).",
                     "en": "There is no unit {unit}; this pledge has units 1–{count} (see: ikrar pledge show)."},
    "cli.bad_size": {"id": "Ukuran '{value}' tidak valid. Tulis LEBARxTINGGI, misalnya 1920x1080.",
                     "en": "The size '{value}' is not valid. Write WIDTHxHEIGHT, e.g. 1920x1080."},
})


def add_commands(commands: Commands) -> None:
    p = commands.command("kiosk", cmd_kiosk, "open the check-in kiosk screen (full screen)")
    p.add_argument("--event", type=int, metavar="ID")
    p.add_argument("--no-signature", action="store_true", help="a scan alone records attendance")
    p.add_argument("--windowed", action="store_true", help="a 1366×768 window instead of full screen")
    p.add_argument("--camera-file", metavar="FILE", type=Path,
                   help="a video file (MP4, AVI) stands in for the camera, played in a loop (demos, tests)")

    p = commands.command("display", cmd_display, "open the organiser's console and the pledge on the projector")
    p.add_argument("--event", type=int, metavar="ID")
    p.add_argument("--screen", type=int, metavar="N", help="projector screen number (0 = first)")
    p.add_argument("--render", metavar="OUT.png", help="render one unit offscreen to a PNG and exit")
    p.add_argument("--size", default="1920x1080", metavar="WxH")
    p.add_argument("--unit", type=int, default=1, metavar="K", help="unit number, 1 = the title (see: pledge show)")
    p.add_argument("--theme", choices=("dark", "light", "contrast"), default="dark")

    commands.command("desk", cmd_desk, "open the organiser's and clerk's desk (behind the admin PIN)")


def cmd_kiosk(args: argparse.Namespace) -> int:
    from kiosk.store.glance import glance
    from ui.kiosk.app import run_kiosk
    if args.camera_file is not None and not args.camera_file.is_file():
        raise KioskError("camera.file_missing")
    path = db_path(args)
    first = glance(path, args.event)          # a database ready to serve: its idle screen first, the rest after
    if first is not None:
        if not getattr(args, "lang", None):
            i18n.set_language(paths.screen_language(first.language))
    else:
        from kiosk.store import Store
        from ui.setup.commands import first_run
        path = first_run(args)                # no PIN or no event yet: the guided setup first
        if path is None:
            return 1
        with Store(path) as store:            # refuse a foreign file or a missing event before any window
            event_of(store, args)
    return run_kiosk(path, event_id=args.event, signature=not args.no_signature, windowed=args.windowed,
                     camera_file=args.camera_file, first=first)


def cmd_display(args: argparse.Namespace) -> int:
    from kiosk.store import Store
    path = db_path(args)
    with Store(path) as store:
        e = event_of(store, args)
        p = store.pledge(e.pledge_id)
        logo = store.get_setting("display.logo")
    if args.render:
        size = _size(args.size)
        if not 1 <= args.unit <= len(p.units):
            raise KioskError("cli.bad_unit", unit=args.unit, count=len(p.units))
        from ui.display.projector import render_unit_png
        render_unit_png(p, args.unit - 1, size, args.theme, out=args.render, agency=p.params.get("instansi", ""),
                        logo=logo if logo and Path(logo).is_file() else None)
        output(args, {"ok": True, "file": args.render, "unit": args.unit, "size": list(size), "theme": args.theme},
               args.render)
        return 0
    from ui.display.app import run_display
    return run_display(path, event_id=e.id, screen=args.screen)


def cmd_desk(args: argparse.Namespace) -> int:
    from kiosk.store import Store
    from ui.desk.app import run_desk
    path = db_path(args)
    Store(path).close()                       # refuse a foreign file (or an export) before any window
    return run_desk(path)


def _size(text: str) -> tuple[int, int]:
    w, sep, h = text.lower().partition("x")
    if not (sep and w.isdigit() and h.isdigit() and 320 <= int(w) <= 8192 and 240 <= int(h) <= 8192):
        raise KioskError("cli.bad_size", value=text)
    return int(w), int(h)


def _screen_checks() -> Sequence:
    """What the screens add to ``ikrar --self-test`` (Qt loads only then)."""
    from ui.selftest import CHECKS
    return CHECKS


def plugins() -> tuple[app.Module, ...]:
    """The commands the screens add to the core's: these, and the first-run setup's."""
    return (app.Module("ui.commands", ("kiosk", "display", "desk")), app.Module("ui.setup.commands", ("setup",)))


def main(argv: Sequence[str] | None = None) -> int:
    """``ikrar``: every command."""
    return app.main(argv, plugins=plugins(), checks=_screen_checks)


def kiosk_main() -> int:
    """``ikrar-kiosk``: the kiosk screen from a desktop shortcut."""
    return main(["kiosk", *sys.argv[1:]])


def desk_main() -> int:
    """``ikrar-desk``: the organiser's and clerk's desk from a desktop shortcut."""
    return main(["desk", *sys.argv[1:]])


def display_main() -> int:
    """``ikrar-display``: the organiser's console and the projector from a desktop shortcut."""
    return main(["display", *sys.argv[1:]])
