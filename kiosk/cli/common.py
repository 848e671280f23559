"""What every command module shares: the registrar it adds its commands to, and small helpers to
open the database, pick the event and print the answer (text, or JSON with ``--json``)."""
from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import i18n
from kiosk.cli.usage import HelpFormatter
from kiosk.paths import resolve_db_path

if TYPE_CHECKING:
    from kiosk.exchange.reader import ExportReader
    from kiosk.store import Event, Person, Store

Handler = Callable[[argparse.Namespace], int]


def common_options(json_flag: bool = True) -> argparse.ArgumentParser:
    """Options accepted both before and after the sub-command."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH",
                   help="database file (default: $IKRAR_DB, else the user data folder)")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default=argparse.SUPPRESS, help="message language")
    if json_flag:
        p.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON")
    return p


class Commands:
    """The ``ikrar`` parser as a command module sees it: add a command, or a group of sub-commands.

    A group (``event``, ``roster``, ``export`` …) is made once and shared, so the exchange module and
    the documents module can both add formats to ``export``.
    """

    def __init__(self, sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
        self._sub = sub
        self._common = common
        self._groups: dict[str, Commands] = {}

    def command(self, name: str, func: Handler, help: str) -> argparse.ArgumentParser:
        p = self._sub.add_parser(name, parents=[self._common], help=help, description=help,
                                 formatter_class=HelpFormatter)
        p.set_defaults(func=func)
        return p

    def group(self, name: str, help: str, metavar: str = "ACTION") -> Commands:
        if name not in self._groups:
            parser = self._sub.add_parser(name, help=help, description=help, formatter_class=HelpFormatter)
            sub = parser.add_subparsers(dest=f"{name}_action", required=True, metavar=metavar)
            self._groups[name] = Commands(sub, self._common)
        return self._groups[name]


def open_store(args: argparse.Namespace) -> Store:
    """The kiosk database, for a command that writes (an export or merged file is refused: store.is_export)."""
    from kiosk.store import Store  # the parser and the kiosk's first paint do without the store
    return Store(db_path(args))


def open_reader(args: argparse.Namespace) -> Store | ExportReader:
    """What a command that only reads works on: the kiosk database, or an export or merged file given as
    ``--db`` (decrypted in memory when it is encrypted)."""
    from kiosk.exchange.reader import ExportReader, is_export_file  # the kiosk's start does without exports
    from kiosk.store import Store
    path = db_path(args)
    if is_export_file(path):
        from kiosk.exchange.sealing import Passphrase
        return ExportReader(path, Passphrase(getattr(args, "passphrase_file", None)))
    return Store(path)


def db_path(args: argparse.Namespace) -> Path:
    return resolve_db_path(getattr(args, "db", None))


def event_of(store: Store | ExportReader, args: argparse.Namespace) -> Event:
    """The event named by ``--event``, else the active one."""
    event_id = getattr(args, "event", None)
    return store.event(event_id) if event_id is not None else store.active_event()


def event_json(e: Event) -> dict:
    return {"id": e.id, "uuid": e.uuid, "title": e.title, "date": e.date, "venue": e.venue, "active": e.active,
            "settings": dict(e.settings)}


def badge_text(p: Person) -> str:
    """How a list shows someone's badge: the spaced NIP, or the printed badge code."""
    from kiosk.people.badge_code import format_code
    from kiosk.people.nip import format_spaced
    return format_spaced(p.nip) if p.kind.has_nip else format_code(p.nip)


def wants_json(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "json", False))


def output(args: argparse.Namespace, data: object, lines: Sequence[str] | str = ()) -> None:
    """``data`` as JSON with ``--json``, else ``lines`` of text."""
    if wants_json(args):
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for line in [lines] if isinstance(lines, str) else lines:
            print(line)


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("a positive whole number")
    return int(text)
