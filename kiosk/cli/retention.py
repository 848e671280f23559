"""``ikrar purge --event ID [--yes]``: remove an event's personal data once it is exported and synced."""
from __future__ import annotations

import argparse
import sys

from kiosk.cli.common import Commands, open_store, output, wants_json
from kiosk.i18n import KioskError, register, t

register({
    "purge.plan": {
        "id": "Data pribadi acara {id} “{title}” ({date}) akan dihapus dari basis data ini: {checkins} "
              "check-in, {signatures} tanda tangan, {scans} catatan pindai, {absences} keterangan tidak hadir, "
              "{roster} baris daftar peserta, {people} peserta yang tidak ada di acara lain ({niks} dengan NIK). "
              "Ekspor dan sinkronisasinya sudah lengkap; penghapusan ini tidak dapat dibatalkan.",
        "en": "The personal data of event {id} “{title}” ({date}) will be removed from this database: "
              "{checkins} check-ins, {signatures} signatures, {scans} scan log rows, {absences} absence statements, "
              "{roster} roster rows, {people} people on no other event ({niks} with a NIK). It has been exported and "
              "synced; this cannot be undone."},
    "purge.confirm": {"id": "Ketik judul acaranya atau y untuk menghapus: ",
                      "en": "Type the event's title or y to remove it: "},
    "purge.cancelled": {"id": "Dibatalkan; tidak ada yang dihapus.", "en": "Cancelled; nothing was removed."},
    "purge.need_yes": {
        "id": "Penghapusan perlu konfirmasi. Jalankan di terminal untuk mengetik konfirmasinya, atau tambahkan --yes.",
        "en": "Removing needs a confirmation. Run it in a terminal to type it, or add --yes."},
    "purge.done": {
        "id": "Data pribadi acara {id} dihapus: {checkins} check-in, {signatures} tanda tangan, {scans} catatan "
              "pindai, {absences} keterangan, {people} peserta; berkas ditulis ulang ({before} → {after} bita). "
              "Tercatat di log audit.",
        "en": "The personal data of event {id} was removed: {checkins} check-ins, {signatures} signatures, {scans} "
              "scan log rows, {absences} absence statements, {people} people; the file was rewritten ({before} → "
              "{after} bytes). Recorded in the audit log."},
    "purge.nothing": {
        "id": "Acara {id} sudah tidak memuat data pribadi; berkas ditulis ulang ({before} → {after} bita).",
        "en": "Event {id} holds no personal data any more; the file was rewritten ({before} → {after} bytes)."},
})


def add_commands(commands: Commands) -> None:
    p = commands.command("purge", cmd_purge, "remove an event's personal data (people, NIKs, signatures, "
                                             "check-ins) once it has been exported and synced")
    p.add_argument("--event", type=int, metavar="ID", required=True)
    p.add_argument("--yes", action="store_true", help="do not ask for a confirmation")


def _confirmed(title: str) -> bool:
    if not sys.stdin.isatty():
        answer = sys.stdin.readline()
    else:
        answer = input(t("purge.confirm"))
    answer = " ".join(answer.split())
    return answer.lower() in ("y", "ya", "yes") or (bool(answer) and answer.casefold() == title.casefold())


def cmd_purge(args: argparse.Namespace) -> int:
    # the exchange modules load only for a purge
    from kiosk import retention
    with open_store(args) as store:
        event = store.event(args.event)
        counts = retention.plan(store, event)
        if counts.anything:
            retention.check_ready(store, event)           # refuses, saying which is missing and what to run
            if not args.yes:
                if wants_json(args) or sys.stdin is None:
                    raise KioskError("purge.need_yes")
                print(t("purge.plan", id=event.id, title=event.title, date=event.date, **counts.to_json()),
                      file=sys.stderr)
                if not _confirmed(event.title):
                    print(t("purge.cancelled"), file=sys.stderr)
                    return 1
        result = retention.purge(store, event)
    r = result.removed
    line = t("purge.done", id=event.id, before=result.bytes_before, after=result.bytes_after, **r.to_json()) \
        if r.anything else t("purge.nothing", id=event.id, before=result.bytes_before, after=result.bytes_after)
    output(args, result.to_json(), line)
    return 0
