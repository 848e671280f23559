"""``ikrar``: the command line.  Exit 0 success, 1 refusal, 2 usage error."""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kiosk import __version__, i18n
from kiosk.people import nip as _nip
from kiosk.ceremony import pledge as _pledge
from kiosk.i18n import KioskError, register, t
from kiosk.store import Store, resolve_db_path

register({
    "cli.event_created": {"id": "Acara {id} dibuat dan diaktifkan: {title} ({date}).",
                          "en": "Event {id} created and made active: {title} ({date})."},
    "cli.event_activated": {"id": "Acara {id} aktif: {title} ({date}).",
                            "en": "Event {id} is active: {title} ({date})."},
    "cli.no_events": {"id": "Belum ada acara.", "en": "No events yet."},
    "cli.import_refused": {
        "id": "Impor ditolak: {count} baris bermasalah, tidak ada yang disimpan. Perbaiki baris di bawah lalu "
              "impor ulang, atau pakai --skip-invalid untuk menyimpan baris yang benar saja.",
        "en": "Import refused: {count} rows have problems, nothing was saved. Fix the rows below and import "
              "again, or use --skip-invalid to keep only the valid rows."},
    "cli.import_done": {"id": "Impor selesai: {added} baru, {updated} diperbarui, {unchanged} tetap, {skipped} dilewati.",
                        "en": "Import done: {added} new, {updated} updated, {unchanged} unchanged, {skipped} skipped."},
    "cli.line": {"id": "baris {line}: {message}", "en": "line {line}: {message}"},
    "cli.nothing_found": {"id": "Tidak ada yang cocok dengan '{text}'.", "en": "Nothing matches '{text}'."},
    "cli.find_short": {"id": "Ketik minimal 3 huruf nama atau 3 digit NIP.",
                       "en": "Type at least 3 letters of the name or 3 digits of the NIP."},
    "cli.nip_valid": {"id": "NIP sah ({kind}): {spaced}, lahir {birth}, {gender}.",
                      "en": "Valid NIP ({kind}): {spaced}, born {birth}, {gender}."},
    "cli.status": {"id": "{title} ({date}): {present} hadir dari {roster} peserta.",
                   "en": "{title} ({date}): {present} present of {roster} on the roster."},
    "cli.demo_done": {"id": "Acara demo dan {count} peserta contoh dibuat di {path}.",
                      "en": "Demo event and {count} sample people created in {path}."},
    "cli.demo_skipped": {"id": "Basis data {path} sudah berisi acara; demo tidak dibuat.",
                         "en": "{path} already holds an event; no demo created."},
    "cli.pin_prompt": {"id": "PIN admin baru (6–12 angka): ", "en": "New admin PIN (6–12 digits): "},
    "cli.pin_again": {"id": "Ulangi PIN: ", "en": "Repeat the PIN: "},
    "cli.bad_unit": {"id": "Unit {unit} tidak ada; ikrar ini punya unit 1–{count} (lihat: ikrar pledge show).",
                     "en": "There is no unit {unit}; this pledge has units 1–{count} (see: ikrar pledge show)."},
    "cli.bad_size": {"id": "Ukuran '{value}' tidak valid. Tulis LEBARxTINGGI, misalnya 1920x1080.",
                     "en": "The size '{value}' is not valid. Write WIDTHxHEIGHT, e.g. 1920x1080."},
    "cli.file_missing": {"id": "Berkas {path} tidak ditemukan. Periksa nama dan foldernya.",
                         "en": "File {path} not found. Check its name and folder."},
})

GENDER = {"id": {"M": "pria", "F": "wanita"}, "en": {"M": "male", "F": "female"}}


def _common(json_flag: bool = True) -> argparse.ArgumentParser:
    """Options accepted both before and after the sub-command."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH",
                   help="database file (default: $IKRAR_DB, else the user data folder)")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default=argparse.SUPPRESS, help="message language")
    if json_flag:
        p.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON")
    return p


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(prog="ikrar", parents=[common],
                                     description="Ikrar Kiosk: apel ikrar netralitas ASN")
    parser.add_argument("--version", action="version", version=f"ikrar {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func: Callable, help: str, parent=sub) -> argparse.ArgumentParser:
        p = parent.add_parser(name, parents=[common], help=help, description=help)
        p.set_defaults(func=func)
        return p

    event = sub.add_parser("event", help="create, list and activate events")
    event_sub = event.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = command("create", cmd_event_create, "create an event and make it active", event_sub)
    p.add_argument("--title", required=True)
    p.add_argument("--date", required=True, help="YYYY-MM-DD")
    p.add_argument("--venue", default="")
    p.add_argument("--pledge", default=_pledge.DEFAULT_TEMPLATE, metavar="KEY",
                   help=f"pledge template ({', '.join(_pledge.template_keys())})")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="fill a pledge placeholder, e.g. --set instansi='Pemerintah Kabupaten Sleman'")
    command("list", cmd_event_list, "list events", event_sub)
    p = command("activate", cmd_event_activate, "make an event the active one", event_sub)
    p.add_argument("id", type=int)

    roster = sub.add_parser("roster", help="import and search the roster")
    roster_sub = roster.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = command("import", cmd_roster_import, "import an XLSX or CSV roster (all or nothing)", roster_sub)
    p.add_argument("file")
    p.add_argument("--skip-invalid", action="store_true", help="keep the valid rows, report the rest")
    p = command("find", cmd_roster_find, "find people by NIP or part of the name", roster_sub)
    p.add_argument("text")

    p = command("nip", cmd_nip, "check a NIP")
    p.add_argument("text")

    p = command("checkin", cmd_checkin, "check in a scanned payload")
    p.add_argument("payload")
    p.add_argument("--event", type=int, metavar="ID")
    p.add_argument("--signature", metavar="FILE", help="signature JSON file")
    p.add_argument("--method", choices=("wedge", "camera", "manual"), default="manual")

    p = command("attendance", cmd_attendance, "list the active event's check-ins")
    p.add_argument("--event", type=int, metavar="ID")
    p = command("status", cmd_status, "the active event, roster size and count present")
    p.add_argument("--event", type=int, metavar="ID")

    pl = sub.add_parser("pledge", help="the pledge text")
    pl_sub = pl.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = command("show", cmd_pledge_show, "show the active event's pledge, unit by unit", pl_sub)
    p.add_argument("--event", type=int, metavar="ID")

    p = command("kiosk", cmd_kiosk, "open the check-in kiosk screen (full screen)")
    p.add_argument("--event", type=int, metavar="ID")
    p.add_argument("--no-signature", action="store_true", help="a scan alone records attendance")
    p.add_argument("--windowed", action="store_true", help="a 1366×768 window instead of full screen")

    p = command("display", cmd_display, "open the organiser's console and the pledge on the projector")
    p.add_argument("--event", type=int, metavar="ID")
    p.add_argument("--screen", type=int, metavar="N", help="projector screen number (0 = first)")
    p.add_argument("--render", metavar="OUT.png", help="render one unit offscreen to a PNG and exit")
    p.add_argument("--size", default="1920x1080", metavar="WxH")
    p.add_argument("--unit", type=int, default=1, metavar="K", help="unit number, 1 = the title (see: pledge show)")
    p.add_argument("--theme", choices=("dark", "light", "contrast"), default="dark")

    adm = sub.add_parser("admin", help="administration")
    adm_sub = adm.add_subparsers(dest="action", required=True, metavar="ACTION")
    command("pin", cmd_admin_pin, "set the admin PIN (read from standard input)", adm_sub)

    p = command("demo", cmd_demo, "create a demo event and roster in an empty database")
    p.add_argument("--people", type=int, default=60)

    from kiosk.cli.exchange import add_commands as add_exchange_commands
    add_exchange_commands(sub, command)
    return parser


# --- output helpers ----------------------------------------------------------------------------

def _out(args, data: object, lines: Sequence[str] | str = ()) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for line in [lines] if isinstance(lines, str) else lines:
            print(line)


def _open(args) -> Store:
    return Store(resolve_db_path(getattr(args, "db", None)))


def _event(store: Store, args):
    event_id = getattr(args, "event", None)
    return store.event(event_id) if event_id is not None else store.active_event()


def _event_json(e) -> dict:
    return {"id": e.id, "uuid": e.uuid, "title": e.title, "date": e.date, "venue": e.venue, "active": e.active}


# --- commands ----------------------------------------------------------------------------------

def cmd_event_create(args) -> int:
    params = {}
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep:
            raise KioskError("pledge.unknown_placeholder", name=item, choices="NAME=VALUE")
        params[name.strip()] = value
    rendered = _pledge.render(_pledge.load_template(args.pledge), params)
    with _open(args) as store:
        e = store.create_event(args.title, args.date, args.venue, pledge=rendered)
    _out(args, {**_event_json(e), "pledge_sha256": rendered.sha256},
         t("cli.event_created", id=e.id, title=e.title, date=e.date))
    return 0


def cmd_event_list(args) -> int:
    with _open(args) as store:
        events = store.events()
    lines = [f"{'*' if e.active else ' '} {e.id:>3}  {e.date}  {e.title}" + (f" — {e.venue}" if e.venue else "")
             for e in events] or [t("cli.no_events")]
    _out(args, [_event_json(e) for e in events], lines)
    return 0


def cmd_event_activate(args) -> int:
    with _open(args) as store:
        e = store.activate_event(args.id)
    _out(args, _event_json(e), t("cli.event_activated", id=e.id, title=e.title, date=e.date))
    return 0


def cmd_roster_import(args) -> int:
    from kiosk.people.roster import read_roster
    parsed = read_roster(args.file)         # refuses a whole unreadable file before the database is touched
    problems = [{"line": p.line, "code": p.code, "message": p.message} for p in parsed.problems]
    problem_lines = [t("cli.line", line=p["line"], message=p["message"]) for p in problems]
    if problems and not args.skip_invalid:
        _out(args, {"ok": False, "file": args.file, "format": parsed.format, "added": 0, "updated": 0,
                    "unchanged": 0, "skipped": len(problems), "problems": problems},
             [t("cli.import_refused", count=len(problems)), *problem_lines])
        return 1
    with _open(args) as store:
        with store.write():
            counts = store.upsert_people(parsed.rows)
            store.audit("roster.import", format=parsed.format, rows=len(parsed.rows), added=counts.added,
                        updated=counts.updated, skipped=len(problems))
    _out(args, {"ok": True, "file": args.file, "format": parsed.format, "added": counts.added,
                "updated": counts.updated, "unchanged": counts.unchanged, "skipped": len(problems),
                "problems": problems},
         [t("cli.import_done", added=counts.added, updated=counts.updated, unchanged=counts.unchanged,
            skipped=len(problems)), *problem_lines])
    return 0


def cmd_roster_find(args) -> int:
    text = " ".join(args.text.split())
    if len(text.replace(" ", "")) < 3:
        raise KioskError("cli.find_short")
    with _open(args) as store:
        found = store.find_people(text)
    rows = [{"nip": p.nip, "name": p.name, "position": p.position, "unit": p.unit} for p in found]
    lines = [f"{_nip.format_spaced(p.nip)}  {p.name}  ({p.position}; {p.unit})" for p in found]
    _out(args, rows, lines or [t("cli.nothing_found", text=text)])
    return 0


def cmd_nip(args) -> int:
    try:
        n = _nip.parse(args.text)
    except KioskError as exc:
        _out(args, {"valid": False, "nip": None, "kind": None, "birth_date": None, "gender": None,
                    "error": str(exc)}, str(exc))
        return 1
    _out(args, {"valid": True, "nip": n.digits, "kind": n.kind, "birth_date": n.birth_date.isoformat(),
                "gender": n.gender, "error": None},
         t("cli.nip_valid", kind=n.kind, spaced=n.spaced, birth=n.birth_date.isoformat(),
           gender=GENDER[i18n.language()][n.gender]))
    return 0


def cmd_checkin(args) -> int:
    from kiosk.ceremony.checkin import RECORDED, DUPLICATE, Desk
    signature = None
    if args.signature:
        from kiosk.ceremony.signature import load, validate
        signature = load(args.signature)     # a refused signature writes nothing, not even a scan log row
        validate(signature)
    with _open(args) as store:
        desk = Desk(store, _event(store, args))
        result = desk.check_in(args.payload, method=args.method, signature=signature)
    _out(args, result.to_json(), result.message)
    return 0 if result.status in (RECORDED, DUPLICATE) else 1


def cmd_attendance(args) -> int:
    with _open(args) as store:
        rows = store.attendance(_event(store, args).id)
    data = [{"nip": r.nip, "name": r.name, "unit": r.unit,
             "checked_in_at": r.checked_in_at.isoformat(timespec="seconds"), "method": r.method,
             "signed": r.signed} for r in rows]
    lines = [f"{r.checked_in_at:%H:%M:%S}  {_nip.format_spaced(r.nip)}  {r.name}  ({r.unit})"
             f"{'  ✍' if r.signed else ''}" for r in rows]
    _out(args, data, lines)
    return 0


def cmd_status(args) -> int:
    with _open(args) as store:
        e = _event(store, args)
        roster, present = store.count_people(), store.count_present(e.id)
    _out(args, {"event": _event_json(e), "roster": roster, "present": present},
         t("cli.status", title=e.title, date=e.date, present=present, roster=roster))
    return 0


def cmd_pledge_show(args) -> int:
    with _open(args) as store:
        e = _event(store, args)
        p = store.pledge(e.pledge_id)
    _out(args, {"key": p.key, "title": p.title, "units": [u.text for u in p.units], "sha256": p.sha256},
         [*[u.text + "\n" for u in p.units], f"SHA-256: {p.sha256}"])
    return 0


def cmd_kiosk(args) -> int:
    from ui.kiosk.app import run_kiosk              # Qt only for the commands that show a screen
    path = resolve_db_path(getattr(args, "db", None))
    with Store(path) as store:                # refuse a foreign file or a missing event before any window
        store.event(args.event) if args.event is not None else store.active_event()
    return run_kiosk(path, event_id=args.event, signature=not args.no_signature, windowed=args.windowed)


def cmd_display(args) -> int:
    path = resolve_db_path(getattr(args, "db", None))
    with Store(path) as store:
        e = _event(store, args)
        p = store.pledge(e.pledge_id)
        logo = store.get_setting("display.logo")
    if args.render:
        size = _size(args.size)
        if not 1 <= args.unit <= len(p.units):
            raise KioskError("cli.bad_unit", unit=args.unit, count=len(p.units))
        from ui.display.projector import render_unit_png
        render_unit_png(p, args.unit - 1, size, args.theme, out=args.render, agency=p.params.get("instansi", ""),
                        logo=logo if logo and Path(logo).is_file() else None)
        _out(args, {"ok": True, "file": args.render, "unit": args.unit, "size": list(size), "theme": args.theme},
             args.render)
        return 0
    from ui.display.app import run_display
    return run_display(path, event_id=e.id, screen=args.screen)


def _size(text: str) -> tuple[int, int]:
    w, sep, h = text.lower().partition("x")
    if not (sep and w.isdigit() and h.isdigit() and 320 <= int(w) <= 8192 and 240 <= int(h) <= 8192):
        raise KioskError("cli.bad_size", value=text)
    return int(w), int(h)


def cmd_admin_pin(args) -> int:
    from kiosk.security import pin as admin
    if sys.stdin.isatty():
        import getpass
        pin = getpass.getpass(t("cli.pin_prompt"))
        if getpass.getpass(t("cli.pin_again")) != pin:
            raise KioskError("pin.mismatch")
    else:
        pin = sys.stdin.readline().strip()
    with _open(args) as store:
        admin.set_pin(store, pin)
    _out(args, {"ok": True}, t("pin.set"))
    return 0


def cmd_demo(args) -> int:
    from kiosk import demo
    with _open(args) as store:
        made = demo.seed(store, args.people)
        path = str(store.path)
    _out(args, {"created": made, "path": path, "people": args.people if made else 0},
         t("cli.demo_done", count=args.people, path=path) if made else t("cli.demo_skipped", path=path))
    return 0


def kiosk_main() -> int:
    """``ikrar-kiosk``: the kiosk screen from a desktop shortcut (a GUI script: no console window on Windows)."""
    return main(["kiosk", *sys.argv[1:]])


def display_main() -> int:
    """``ikrar-display``: the organiser's console and the projector from a desktop shortcut."""
    return main(["display", *sys.argv[1:]])


def _utf8_output() -> None:
    """Pipes and files get UTF-8 (a Windows console pipe would otherwise be cp1252 and fail on names)."""
    for stream in (sys.stdout, sys.stderr):             # None under pythonw (GUI scripts)
        if hasattr(stream, "reconfigure") and not stream.isatty():
            stream.reconfigure(encoding="utf-8", errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    i18n.set_language(getattr(args, "lang", "id"))
    try:
        return args.func(args)
    except KioskError as exc:
        if getattr(args, "json", False):
            print(json.dumps({"ok": False, "code": exc.code, "error": str(exc)}, ensure_ascii=False, indent=2))
        else:
            print(str(exc), file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        message = t("cli.file_missing", path=exc.filename)
        print(json.dumps({"ok": False, "code": "cli.file_missing", "error": message}, ensure_ascii=False)
              if getattr(args, "json", False) else message, file=sys.stdout if getattr(args, "json", False) else sys.stderr)
        return 1
