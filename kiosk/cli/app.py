"""``ikrar``: the command line.  Exit 0 success, 1 refusal, 2 usage error.

Each command group lives in its own module with an ``add_commands(commands)`` function.  Commands that
open a screen (``kiosk``, ``display``, ``desk``) belong to the Qt side: the application's entry point
(``ui.commands.main``, the ``ikrar`` script) passes their ``add_commands`` in as ``plugins``, so nothing
in the core imports the UI.  ``python -m kiosk`` is the core's commands alone.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple, cast

from kiosk import __version__, i18n
from kiosk.cli import usage
from kiosk.cli.common import Commands, common_options, db_path, wants_json
from kiosk.i18n import KioskError, register, t

if TYPE_CHECKING:
    from kiosk import selftest

register({
    "cli.file_missing": {"id": "Berkas {path} tidak ditemukan. Periksa nama dan foldernya.",
                         "en": "File {path} not found. Check its name and folder."},
    "cli.unexpected": {
        "id": "Terjadi kesalahan tak terduga ({kind}). Ulangi perintahnya; bila terulang, laporkan ke petugas TI "
              "beserta pesan ini.",
        "en": "An unexpected error occurred ({kind}). Run the command again; if it happens again, report it to "
              "your IT officer with this message."},
    "cli.unexpected_log": {"id": "Rinciannya tercatat di berkas log {log} (tanpa nama, NIP atau tanda tangan).",
                           "en": "The details are in the log file {log} (no names, NIPs or signatures)."},
    "cli.need_command": {"id": "Sebutkan perintahnya, misalnya: ikrar status.",
                         "en": "Name a command, e.g.: ikrar status."},
    "cli.self_test_alone": {"id": "--self-test berjalan sendiri, tanpa perintah lain.",
                            "en": "--self-test runs on its own, without another command."},
})

Plugin = Callable[[Commands], None]


class Module(NamedTuple):
    """Where commands come from: a module's ``add_commands`` (imported when one of its commands is asked
    for, or for help), and the top-level commands it adds (a group such as ``export`` may take from two)."""
    name: str
    commands: tuple[str, ...]

    def load(self) -> Plugin:
        return cast(Plugin, importlib.import_module(self.name).add_commands)


#: The core's command modules, in the order ``ikrar --help`` lists them (tests/test_cli_help.py holds this
#: table to what the modules add).
CORE = (Module("kiosk.cli.events", ("demo", "event")), Module("kiosk.cli.roster", ("roster",)),
        Module("kiosk.cli.people", ("absence", "person")),
        Module("kiosk.cli.attendance", ("attendance", "checkin", "nip", "status")),
        Module("kiosk.cli.signature", ("signature",)), Module("kiosk.cli.pledge", ("pledge",)),
        Module("kiosk.cli.admin", ("admin",)),
        Module("kiosk.cli.exchange", ("clone", "export", "merge", "sync", "verify")),
        Module("kiosk.cli.documents", ("badges", "export")), Module("kiosk.cli.decode", ("decode",)),
        Module("kiosk.cli.retention", ("purge",)), Module("kiosk.cli.logs", ("logs",)))
#: Checks the screens add to ``--self-test`` (given as a function, so Qt loads only for the self-test).
ExtraChecks = Callable[[], Sequence["selftest.Check"]]


def build_parser(plugins: Sequence[Plugin | Module] = (), command: str | None = None) -> argparse.ArgumentParser:
    """The ``ikrar`` parser: every command, or, given the ``command`` the words name, only the modules that
    add it (``ikrar-kiosk`` then starts without importing the documents, exports, sync …)."""
    common = common_options()
    parser = argparse.ArgumentParser(prog="ikrar", parents=[common], formatter_class=usage.HelpFormatter,
                                     description="Ikrar Kiosk: apel ikrar netralitas ASN")
    parser.add_argument("--version", action="version", version=f"ikrar {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation in a temporary folder (database, check-in with a signature, "
                             "badge, daftar hadir, export, screens offscreen) and exit 0 when all is well")
    commands = Commands(parser.add_subparsers(dest="command", metavar="COMMAND"), common)
    modules: list[Plugin | Module] = [*CORE, *plugins]
    wanted: list[Plugin | Module] = [m for m in modules if isinstance(m, Module) and command in m.commands]
    if not wanted or any(not isinstance(m, Module) for m in modules):
        wanted = modules                                  # help, a mistyped command, an unnamed plugin: all
    for module in wanted:
        (module.load() if isinstance(module, Module) else module)(commands)
    return parser


def _utf8_output() -> None:
    """Pipes and files get UTF-8 (a Windows console pipe would otherwise be cp1252 and fail on names)."""
    for stream in (sys.stdout, sys.stderr):             # None under pythonw (GUI scripts)
        if hasattr(stream, "reconfigure") and not stream.isatty():
            stream.reconfigure(encoding="utf-8", errors="replace")


def _refuse(args: argparse.Namespace, code: str, message: str) -> int:
    if wants_json(args):
        print(json.dumps({"ok": False, "code": code, "error": message}, ensure_ascii=False, indent=2))
    else:
        print(message, file=sys.stderr)
    return 1


def run_self_test(args: argparse.Namespace, extra: ExtraChecks | None) -> int:
    """``ikrar --self-test``: one line per check as it runs, then the verdict; exit 0 only when all passed."""
    import time

    from kiosk import selftest
    started = time.perf_counter()
    checks = list(selftest.CORE_CHECKS) + list(extra() if extra is not None else ())
    as_json = wants_json(args)
    results = selftest.run(checks, report=None if as_json else lambda r: print(r.line, flush=True))
    seconds = time.perf_counter() - started
    verdict = selftest.summary(results, seconds)
    ok = all(r.ok for r in results)
    if as_json:
        print(json.dumps({"ok": ok, "checks": [r.to_json() for r in results], "seconds": round(seconds, 2),
                          "message": verdict}, ensure_ascii=False, indent=2))
    else:
        print(verdict, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def main(argv: Sequence[str] | None = None, *, plugins: Sequence[Plugin | Module] = (),
         checks: ExtraChecks | None = None) -> int:
    _utf8_output()
    words = list(sys.argv[1:] if argv is None else argv)
    i18n.set_language(usage.language_of(words))           # a usage error is told in the user's language too
    usage.install()
    parser = build_parser(plugins, usage.command_of(words))
    args = parser.parse_args(words)
    i18n.set_language(getattr(args, "lang", "id"))
    if args.self_test and args.command is not None:
        parser.error(t("cli.self_test_alone"))
    if not args.self_test and args.command is None:
        parser.error(t("cli.need_command"))
    try:
        if args.self_test:
            return run_self_test(args, checks)
        return args.func(args)
    except KioskError as exc:
        return _refuse(args, exc.code, str(exc))
    except FileNotFoundError as exc:
        return _refuse(args, "cli.file_missing", t("cli.file_missing", path=exc.filename))
    except sqlite3.Error as exc:                # a damaged file, a full disk, a file in use: said as such
        # The file in use or out of room is the database; a damaged one may be an input (an export): unnamed.
        from kiosk.store.core import sqlite_problem
        problem = sqlite_problem(exc, db_path(args))
        if problem is not None and problem.code == "store.damaged":
            problem = sqlite_problem(exc)
        if problem is None:
            if os.environ.get("IKRAR_DEBUG"):
                raise
            return _refuse(args, "cli.unexpected", t("cli.unexpected", kind=type(exc).__name__))
        return _refuse(args, problem.code, str(problem))
    except BrokenPipeError:
        # The reader went away (``ikrar attendance | head``): stop quietly, and keep Python from
        # complaining again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a plain message, never a traceback
        if os.environ.get("IKRAR_DEBUG"):
            raise
        from kiosk import logs as log_file
        where = log_file.log_exception("cli", exc)
        message = t("cli.unexpected", kind=type(exc).__name__)
        if where is not None:
            message += " " + t("cli.unexpected_log", log=where)
        return _refuse(args, "cli.unexpected", message)
