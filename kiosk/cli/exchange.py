"""Command-line commands for moving data between kiosks: clone, export, verify, merge, sync (issue 5).

Passphrases come from $IKRAR_PASSPHRASE, else ``--passphrase-file``, else a prompt on a terminal;
never from the command line.
"""
from __future__ import annotations

import os

from kiosk.i18n import KioskError, t


def add_commands(sub, command) -> None:
    """Register this module's sub-commands on the ``ikrar`` parser."""
    p = command("clone", cmd_clone, "make a new kiosk database for another laptop (same event and roster)")
    p.add_argument("-o", "--output", required=True, metavar="OTHER.db")

    export = sub.add_parser("export", help="export attendance")
    export_sub = export.add_subparsers(dest="action", required=True, metavar="FORMAT")
    p = command("sqlite", cmd_export_sqlite, "one signed, self-contained SQLite file for merging and sync",
                export_sub)
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--event", type=int, metavar="ID")
    _encryption_options(p, encrypt=True)

    p = command("verify", cmd_verify, "check an export file: integrity, chain, signatures, counts")
    p.add_argument("file")
    _encryption_options(p)

    p = command("merge", cmd_merge, "merge exports of one event (idempotent; an existing OUT is kept and added to)")
    p.add_argument("inputs", nargs="+", metavar="IN")
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    _encryption_options(p, encrypt=True)

    p = command("sync", cmd_sync, "push to the central PostgreSQL database (safe to run again)")
    p.add_argument("--to", metavar="URL", help="postgresql://user@host:port/dbname (default: $IKRAR_SYNC_URL)")
    p.add_argument("--from", dest="source", metavar="FILE", help="send a verified export or merged file "
                                                                 "instead of the kiosk database")
    p.add_argument("--status", action="store_true", help="show what is not yet sent, without connecting")
    p.add_argument("--batch-size", type=_positive, default=500, metavar="N")
    _encryption_options(p)


def _encryption_options(p, *, encrypt: bool = False) -> None:
    p.allow_abbrev = False            # so that a mistyped "--passphrase SECRET" is refused, not taken as a file
    if encrypt:
        p.add_argument("--encrypt", action="store_true", help="encrypt the output with a passphrase")
    p.add_argument("--passphrase-file", metavar="FILE",
                   help="read the passphrase from this file's first line (else $IKRAR_PASSPHRASE, else ask)")


def _positive(text: str) -> int:
    import argparse
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("a positive whole number")
    return int(text)


def cmd_clone(args) -> int:
    from kiosk.cli import _open, _out
    from kiosk.exchange import clone
    with _open(args) as store:
        data = clone(store, args.output)
    _out(args, data, t("exchange.cloned", path=data["file"], events=data["events"], people=data["people"],
                       device=data["device_id"]))
    return 0


def cmd_export_sqlite(args) -> int:
    from kiosk.cli import _event, _open, _out
    from kiosk.exchange import Passphrase, export_sqlite
    with _open(args) as store:
        event = _event(store, args)
        secret = Passphrase(args.passphrase_file).new(args.output) if args.encrypt else None
        data = export_sqlite(store, event, args.output, passphrase=secret)
    enc = t("exchange.encrypted_note") if data["encrypted"] else ""
    _out(args, data, t("exchange.exported", path=data["file"], checkins=data["checkins"], present=data["present"],
                       signatures=data["signatures"], enc=enc))
    return 0


def _trust_store(args):
    """The kiosk database's known device keys, when that database exists (verify never creates one)."""
    from kiosk.store import Store, resolve_db_path
    path = resolve_db_path(getattr(args, "db", None))
    return Store(path) if path.exists() and path.stat().st_size else None


def cmd_verify(args) -> int:
    from kiosk.cli import _out
    from kiosk.exchange import Passphrase, verify
    trust = _trust_store(args)
    try:
        report = verify(args.file, Passphrase(args.passphrase_file), trust=trust)
    finally:
        if trust is not None:
            trust.close()
    data = report.to_json()
    if report.ok:
        lines = [t("exchange.verified", **{k: data[k] for k in ("checkins", "present", "duplicates", "people",
                                                                 "devices")})]
    else:
        lines = [t("exchange.verify_failed", count=len(report.problems))] + [e["message"] for e in data["errors"]]
    _out(args, data, lines)
    return 0 if report.ok else 1


def cmd_merge(args) -> int:
    from kiosk.cli import _open, _out
    from kiosk.exchange import Passphrase
    from kiosk.exchange.merge import merge
    with _open(args) as store:
        data = merge(store, args.inputs, args.output, passphrase=Passphrase(args.passphrase_file),
                     encrypt=args.encrypt)
    code = "merge.unchanged" if data["unchanged"] else "merge.done"
    _out(args, data, [t(code, path=data["file"], devices=data["devices"], checkins=data["checkins"],
                        present=data["present"], duplicates=data["duplicates"], added=data["added"]),
                      *data["warnings"]])
    return 0


def cmd_sync(args) -> int:
    from kiosk.cli import _open, _out
    from kiosk.exchange import Passphrase
    from kiosk.exchange import sync
    url = args.to or os.environ.get("IKRAR_SYNC_URL")
    if not url and not args.status:
        raise KioskError("sync.need_to")
    with _open(args) as store:
        source = sync.open_source(store, args.source, Passphrase(args.passphrase_file))
        try:
            if args.status:
                data = sync.status(store, source, url)
                _out(args, data, sync.status_line(data))
                return 0
            report = sync.push(store, source, url, batch_size=args.batch_size)
        finally:
            source.close()
    _out(args, report.to_json(), report.lines())
    return 0 if not report.conflicts else 1
