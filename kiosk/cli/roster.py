"""``ikrar roster import | find``."""
from __future__ import annotations

import argparse

from kiosk.cli.common import Commands, open_store, output
from kiosk.i18n import register, t
from kiosk.people import nip as _nip
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
})


def add_commands(commands: Commands) -> None:
    roster = commands.group("roster", "import and search the roster")
    p = roster.command("import", cmd_import, "import an XLSX or CSV roster (all or nothing)")
    p.add_argument("file")
    p.add_argument("--skip-invalid", action="store_true", help="keep the valid rows, report the rest")
    p = roster.command("find", cmd_find, "find people by NIP or part of the name")
    p.add_argument("text")


def cmd_import(args: argparse.Namespace) -> int:
    parsed = read_roster(args.file)         # refuses a whole unreadable file before the database is touched
    problems = [{"line": p.line, "code": p.code, "message": p.message} for p in parsed.problems]
    problem_lines = [t("cli.line", line=p["line"], message=p["message"]) for p in problems]
    if problems and not args.skip_invalid:
        output(args, {"ok": False, "file": args.file, "format": parsed.format, "added": 0, "updated": 0,
                      "unchanged": 0, "skipped": len(problems), "problems": problems},
               [t("cli.import_refused", count=len(problems)), *problem_lines])
        return 1
    with open_store(args) as store, store.write():
        counts = store.upsert_people(parsed.rows)
        store.audit("roster.import", format=parsed.format, rows=len(parsed.rows), added=counts.added,
                    updated=counts.updated, skipped=len(problems))
    output(args, {"ok": True, "file": args.file, "format": parsed.format, "added": counts.added,
                  "updated": counts.updated, "unchanged": counts.unchanged, "skipped": len(problems),
                  "problems": problems},
           [t("cli.import_done", added=counts.added, updated=counts.updated, unchanged=counts.unchanged,
              skipped=len(problems)), *problem_lines])
    return 0


def cmd_find(args: argparse.Namespace) -> int:
    text = search_text(args.text)           # refuses fewer than three letters or digits
    with open_store(args) as store:
        found = store.find_people(text)
    rows = [{"nip": p.nip, "name": p.name, "position": p.position, "unit": p.unit} for p in found]
    lines = [f"{_nip.format_spaced(p.nip)}  {p.name}  ({p.position}; {p.unit})" for p in found]
    output(args, rows, lines or [t("cli.nothing_found", text=text)])
    return 0
