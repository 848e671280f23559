"""``ikrar roster import | find``."""
from __future__ import annotations

import argparse

from kiosk.cli.common import Commands, badge_text, event_of, open_reader, open_store, output
from kiosk.i18n import register, t
from kiosk.people.roster import read_roster
from kiosk.store import search_text

register({
    "cli.import_refused": {
        "id": "Impor ditolak: {count} baris bermasalah, tidak ada yang disimpan. Perbaiki baris di bawah lalu "
              "impor ulang, atau pakai --skip-invalid untuk menyimpan baris yang benar saja.",
        "en": "Import refused: {count} rows have problems, nothing was saved. Fix the rows below and import "
              "again, or use --skip-invalid to keep only the valid rows."},
    "cli.import_done": {
        "id": "Impor selesai: {added} baru, {updated} diperbarui, {unchanged} tetap, {skipped} dilewati.",
        "en": "Import done: {added} new, {updated} updated, {unchanged} unchanged, {skipped} skipped."},
    "cli.line": {"id": "baris {line}: {message}", "en": "line {line}: {message}"},
    "cli.nothing_found": {"id": "Tidak ada yang cocok dengan '{text}'.", "en": "Nothing matches '{text}'."},
    "cli.import_removed": {"id": "{count} orang dikeluarkan dari daftar acara ini (tidak ada di berkas).",
                           "en": "{count} people taken off this event's roster (not in the file)."},
    "cli.import_kept": {
        "id": "{count} orang tidak ada di berkas tetapi sudah hadir, jadi tetap di daftar: {names}",
        "en": "{count} people are not in the file but have checked in, so they stay on the roster: {names}"},
    "cli.warning_line": {"id": "baris {line} (peringatan): {message}", "en": "line {line} (warning): {message}"},
})


def add_commands(commands: Commands) -> None:
    roster = commands.group("roster", "import and search the roster")
    p = roster.command("import", cmd_import, "import an XLSX or CSV roster (all or nothing)")
    p.add_argument("file")
    p.add_argument("--skip-invalid", action="store_true", help="keep the valid rows, report the rest")
    p.add_argument("--replace", action="store_true",
                   help="make the roster exactly the file (people who checked in are kept and listed)")
    p.add_argument("--non-asn", action="store_true",
                   help="a list of non-ASN staff (honorer, PPNPN, tenaga kontrak): NIK or name and unit, no NIP")
    p = roster.command("find", cmd_find, "find people by NIP, badge code or part of the name")
    p.add_argument("text")
    p.add_argument("--event", type=int, metavar="ID")


def cmd_import(args: argparse.Namespace) -> int:
    # Refuses a whole unreadable file before the database is touched.
    parsed = read_roster(args.file, non_asn=True) if args.non_asn else read_roster(args.file)
    problems = [{"line": p.line, "code": p.code, "message": p.message} for p in parsed.problems]
    problem_lines = [t("cli.line", line=p["line"], message=p["message"]) for p in problems]
    if problems and not args.skip_invalid:
        output(args, {"ok": False, "file": args.file, "format": parsed.format, "added": 0, "updated": 0,
                      "unchanged": 0, "skipped": len(problems), "problems": problems},
               [t("cli.import_refused", count=len(problems)), *problem_lines])
        return 1
    warnings = [{"line": w.line, "code": w.code, "message": w.message} for w in getattr(parsed, "warnings", ())]
    with open_store(args) as store:
        event = store.active_event()
        counts = store.import_roster(parsed, event_id=event.id, replace=args.replace, skip_invalid=args.skip_invalid)
    lines = [t("cli.import_done", added=counts.added, updated=counts.updated, unchanged=counts.unchanged,
               skipped=len(problems))]
    if args.replace:
        lines.append(t("cli.import_removed", count=len(counts.removed)))
    if counts.kept:
        lines.append(t("cli.import_kept", count=len(counts.kept), names="; ".join(p.name for p in counts.kept)))
    output(args, {"ok": True, "file": args.file, "format": parsed.format, "event": event.id, "added": counts.added,
                  "updated": counts.updated, "unchanged": counts.unchanged, "skipped": len(problems),
                  "removed": len(counts.removed), "kept": [p.to_json() for p in counts.kept],
                  "problems": problems, "warnings": warnings},
           [*lines, *problem_lines, *(t("cli.warning_line", line=w["line"], message=w["message"]) for w in warnings)])
    return 0


def cmd_find(args: argparse.Namespace) -> int:
    text = search_text(args.text)           # refuses fewer than three letters or digits
    with open_reader(args) as store:
        found = store.find_people(text, event_id=event_of(store, args).id)
    lines = [f"{badge_text(p)}  {p.name}  ({'; '.join(x for x in (p.position, p.unit or p.institution) if x)})"
             for p in found]
    rows = [p.to_json() for p in found]
    output(args, rows, lines or [t("cli.nothing_found", text=text)])
    return 0
