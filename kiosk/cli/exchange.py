"""``ikrar clone``, ``export sqlite``, ``verify``, ``merge`` and ``sync``: moving data between kiosks.

Passphrases come from $IKRAR_PASSPHRASE, else ``--passphrase-file``, else a prompt on a terminal;
never from the command line.
"""
from __future__ import annotations

import argparse
import os

from kiosk.cli.common import Commands, db_path, event_of, open_store, output, positive
from kiosk.cli.progress import Progress
from kiosk.i18n import KioskError, register, t
from kiosk.security import keys
from kiosk.store import Store

# The exchange modules (cryptography, PostgreSQL) are imported by the commands that use them, so that
# every other command, ``ikrar kiosk`` first of all, starts without loading them.

register({
    "exchange.cloned": {
        "id": "Salinan kiosk dibuat: {path} ({events} acara, {people} peserta, perangkat {device}, sidik kunci "
              "{fingerprint}). Pindahkan KEDUA berkas, {path} dan {key_file}, ke laptop berikutnya dan pakai "
              "dengan --db; kuncinya diambil laptop itu saat pertama dibuka, lalu berkas kuncinya dihapus.",
        "en": "Kiosk clone made: {path} ({events} events, {people} people, device {device}, key fingerprint "
              "{fingerprint}). Move BOTH files, {path} and {key_file}, to the next laptop and use it with --db; "
              "that laptop takes the key when it first opens the database, and the key file is then removed.",
    },
    "exchange.exported": {
        "id": "Ekspor selesai: {path} ({checkins} check-in, {present} hadir, {signatures} tanda tangan{enc}).",
        "en": "Export done: {path} ({checkins} check-ins, {present} present, {signatures} signatures{enc}).",
    },
    "exchange.encrypted_note": {"id": ", terenkripsi", "en": ", encrypted"},
    "exchange.signer_trusted": {
        "id": "  manifest {kind}: perangkat {device}, sidik {fingerprint} — dikenal acara ini",
        "en": "  {kind} manifest: device {device}, fingerprint {fingerprint} — known to this event"},
    "exchange.signer_unknown": {
        "id": "  manifest {kind}: perangkat {device}, sidik {fingerprint} — TIDAK dikenal basis data ini",
        "en": "  {kind} manifest: device {device}, fingerprint {fingerprint} — NOT known to this database"},
    "exchange.signer_unchecked": {
        "id": "  manifest {kind}: perangkat {device}, sidik {fingerprint} — identitas belum diperiksa (jalankan di "
              "laptop panitia dengan --db basis data acaranya)",
        "en": "  {kind} manifest: device {device}, fingerprint {fingerprint} — identity not checked (run it on the "
              "organiser's laptop with --db the event's database)"},
    "exchange.verified": {
        "id": "Berkas utuh: {checkins} check-in, {present} hadir, {duplicates} ganda, {people} peserta, "
              "{devices} perangkat; tanda tangan digital dan rantai cocok.",
        "en": "File intact: {checkins} check-ins, {present} present, {duplicates} duplicates, {people} people, "
              "{devices} devices; digital signatures and chains match.",
    },
    "exchange.verify_failed": {
        "id": "Verifikasi GAGAL: {count} masalah. Jangan pakai berkas ini; minta ekspor ulang langsung dari kiosk.",
        "en": "Verification FAILED: {count} problems. Do not use this file; ask for a fresh export from the kiosk.",
    },
})


def add_commands(commands: Commands) -> None:
    p = commands.command("clone", cmd_clone, "make a new kiosk database for another laptop (same event and roster)")
    p.add_argument("-o", "--output", required=True, metavar="OTHER.db")

    export = commands.group("export", "export attendance", metavar="FORMAT")
    p = export.command("sqlite", cmd_export_sqlite, "one signed, self-contained SQLite file for merging and sync")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--force", action="store_true", help="replace an existing file that is not an earlier export "
                                                         "of this event from this laptop")
    p.add_argument("--event", type=int, metavar="ID")
    _encryption_options(p, encrypt=True)

    p = commands.command("verify", cmd_verify, "check an export file: integrity, chain, signatures, counts")
    p.add_argument("file")
    _encryption_options(p)

    p = commands.command("merge", cmd_merge,
                         "merge exports of one event (idempotent; an existing OUT is kept and added to)")
    p.add_argument("inputs", nargs="+", metavar="IN")
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    _encryption_options(p, encrypt=True)
    p.add_argument("--no-encrypt", action="store_true",
                   help="write the merged file unencrypted even though an input is encrypted")
    _admit_option(p)

    p = commands.command("sync", cmd_sync, "push to the central PostgreSQL database (safe to run again)")
    p.add_argument("--to", metavar="URL", help="postgresql://user@host:port/dbname (default: $IKRAR_SYNC_URL)")
    p.add_argument("--from", dest="source", metavar="FILE", help="send a verified export or merged file "
                                                                 "instead of the kiosk database")
    p.add_argument("--status", action="store_true", help="show what is not yet sent, without connecting")
    p.add_argument("--batch-size", type=positive, default=500, metavar="N")
    _encryption_options(p)
    _admit_option(p)


def _admit_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--admit-device", action="append", default=[], metavar="FINGERPRINT",
                   help="trust a device this database does not know (its key fingerprint, as its refusal and "
                        "'ikrar status' on that laptop show it); recorded in the audit log")


def _encryption_options(p: argparse.ArgumentParser, *, encrypt: bool = False) -> None:
    p.allow_abbrev = False            # so that a mistyped "--passphrase SECRET" is refused, not taken as a file
    if encrypt:
        p.add_argument("--encrypt", action="store_true", help="encrypt the output with a passphrase")
    p.add_argument("--passphrase-file", metavar="FILE",
                   help="read the passphrase from this file's first line (else $IKRAR_PASSPHRASE, else ask)")


def cmd_clone(args: argparse.Namespace) -> int:
    from kiosk.exchange.clone import clone
    with open_store(args) as store:
        data = clone(store, args.output)
    output(args, data, t("exchange.cloned", path=data["file"], events=data["events"], people=data["people"],
                         device=data["device_id"], fingerprint=data["fingerprint"], key_file=data["key_file"]))
    return 0


def cmd_export_sqlite(args: argparse.Namespace) -> int:
    from kiosk.exchange.export import export_sqlite
    from kiosk.exchange.sealing import Passphrase
    with open_store(args) as store:
        event = event_of(store, args)
        secret = Passphrase(args.passphrase_file).new(args.output) if args.encrypt else None
        data = export_sqlite(store, event, args.output, passphrase=secret, force=args.force)
    enc = t("exchange.encrypted_note") if data["encrypted"] else ""
    output(args, data, t("exchange.exported", path=data["file"], checkins=data["checkins"], present=data["present"],
                       signatures=data["signatures"], enc=enc))
    return 0


def _trust_store(args: argparse.Namespace) -> Store | None:
    """The kiosk database's trusted devices, when that database exists, read only: verify writes nothing."""
    path = db_path(args)
    return Store(path, readonly=True) if path.exists() and path.stat().st_size else None


def cmd_verify(args: argparse.Namespace) -> int:
    from kiosk.exchange.sealing import Passphrase
    from kiosk.exchange.verify import verify
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
    for s in report.signers:
        state = {True: "exchange.signer_trusted", False: "exchange.signer_unknown", None: "exchange.signer_unchecked"}
        lines.append(t(state[s["trusted"]], kind=s["kind"], device=s["device_id"], fingerprint=s["fingerprint"]))
    output(args, data, lines)
    return 0 if report.ok else 1


def cmd_merge(args: argparse.Namespace) -> int:
    from kiosk.exchange.merge import merge
    from kiosk.exchange.sealing import Passphrase
    with open_store(args) as store:
        data = merge(store, args.inputs, args.output, passphrase=Passphrase(args.passphrase_file),
                     encrypt=False if args.no_encrypt else (True if args.encrypt else None),
                     admit=args.admit_device)
    code = "merge.unchanged" if data["unchanged"] else "merge.done"
    output(args, data, [t(code, path=data["file"], devices=data["devices"], checkins=data["checkins"],
                        present=data["present"], duplicates=data["duplicates"], added=data["added"]),
                      *data["warnings"]])
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from kiosk.exchange import sync, sync_sources
    from kiosk.exchange.sealing import Passphrase
    url = args.to or os.environ.get("IKRAR_SYNC_URL")
    if not url and not args.status:
        raise KioskError("sync.need_to")
    # A status check reads and writes nothing, not even a device's key.
    with Store(db_path(args), readonly=args.status) as store:
        admitted = frozenset(a.strip().lower() for a in args.admit_device)
        source = sync_sources.open_source(store, args.source, Passphrase(args.passphrase_file), admitted)
        try:
            if args.status:
                data = sync.status(store, source, url)
                output(args, data, sync.status_line(data))
                return 0
            assert url is not None                  # refused above unless --status
            with Progress(t("sync.progress", target=sync.target_label(url))) as progress:
                report = sync.push(store, source, url, batch_size=args.batch_size, progress=progress)
            for device_id, public in source.devices.items():
                if keys.known_key(store, device_id) is None and keys.fingerprint(public) in admitted:
                    keys.register_device(store, device_id, public, "admitted", str(args.source))
        finally:
            source.close()
    output(args, report.to_json(), report.lines())
    return 0 if not report.conflicts else 1
