"""``ikrar nip``, ``ikrar checkin``, ``ikrar attendance`` and ``ikrar status``."""
from __future__ import annotations

import argparse

from kiosk import i18n
from kiosk.attendance.checkin import DUPLICATE, METHODS, RECORDED, Abandon, Desk
from kiosk.attendance.sanity import event_warnings
from kiosk.ceremony.signature import load as load_signature
from kiosk.cli.common import Commands, badge_text, event_json, event_of, open_reader, open_store, output
from kiosk.i18n import KioskError, register, t
from kiosk.people import nip as _nip
from kiosk.store import Store

register({
    "cli.nip_valid": {"id": "NIP sah ({kind}): {spaced}, lahir {birth}, {gender}.",
                      "en": "Valid NIP ({kind}): {spaced}, born {birth}, {gender}."},
    "cli.status": {"id": "{title} ({date}): {present} hadir dari {roster} peserta.",
                   "en": "{title} ({date}): {present} present of {roster} on the roster."},
    "cli.status_device": {
        "id": "Perangkat ini: {device}, sidik kunci {fingerprint}. Sebelum memakai --admit-device di laptop panitia, "
              "cocokkan sidik yang disebut di sana dengan sidik ini.",
        "en": "This device: {device}, key fingerprint {fingerprint}. Before using --admit-device on the organiser's "
              "laptop, compare the fingerprint named there with this one."},
    "cli.status_no_key": {
        "id": "Perangkat ini: {device}; kuncinya belum dibuat (dibuat saat ekspor pertama).",
        "en": "This device: {device}; its key is not made yet (it is made by the first export)."},
    "cli.incomplete": {
        "id": "{count} orang sudah memindai tetapi kehadirannya BELUM tercatat (panggil kembali ke kiosk):",
        "en": "{count} people scanned but their attendance is NOT recorded (call them back to the kiosk):"},
    "cli.warning": {"id": "Peringatan: {message}", "en": "Warning: {message}"},
})

GENDER = {"id": {"M": "pria", "F": "wanita"}, "en": {"M": "male", "F": "female"}}


def add_commands(commands: Commands) -> None:
    p = commands.command("nip", cmd_nip, "check a NIP")
    p.add_argument("text")

    p = commands.command("checkin", cmd_checkin, "check in a scanned payload")
    p.add_argument("payload")
    p.add_argument("--event", type=int, metavar="ID")
    p.add_argument("--signature", metavar="FILE", help="signature JSON file")
    p.add_argument("--method", choices=METHODS, default="manual")

    p = commands.command("attendance", cmd_attendance, "list the active event's check-ins")
    p.add_argument("--event", type=int, metavar="ID")
    p = commands.command("status", cmd_status, "the active event, roster size, count present, who scanned "
                         "without signing, clock and date warnings")
    p.add_argument("--event", type=int, metavar="ID")


def cmd_nip(args: argparse.Namespace) -> int:
    try:
        n = _nip.parse(args.text)
    except KioskError as exc:
        output(args, {"valid": False, "nip": None, "kind": None, "birth_date": None, "gender": None,
                      "error": str(exc)}, str(exc))
        return 1
    output(args, {"valid": True, "nip": n.digits, "kind": n.kind, "birth_date": n.birth_date.isoformat(),
                  "gender": n.gender, "error": None},
           t("cli.nip_valid", kind=n.kind, spaced=n.spaced, birth=n.birth_date.isoformat(),
             gender=GENDER[i18n.language()][n.gender]))
    return 0


def cmd_checkin(args: argparse.Namespace) -> int:
    # A refused signature writes nothing, not even a scan log row.
    signature = load_signature(args.signature) if args.signature else None
    with open_store(args) as store:
        desk = Desk(store, event_of(store, args))
        result = desk.check_in(args.payload, method=args.method, signature=signature)
    output(args, result.to_json(), result.message)
    return 0 if result.status in (RECORDED, DUPLICATE) else 1


def cmd_attendance(args: argparse.Namespace) -> int:
    with open_reader(args) as store:
        rows = store.attendance(event_of(store, args).id)
    data = [{**(r.person.to_json() if r.person else {"nip": r.nip, "name": r.name, "unit": r.unit}),
             "checked_in_at": r.checked_in_at.isoformat(timespec="seconds"), "method": r.method,
             "signed": r.signed} for r in rows]
    lines = [f"{r.checked_in_at:%H:%M:%S}  {badge_text(r.person) if r.person else r.nip}  {r.name}  ({r.unit})"
             f"{'  ✍' if r.signed else ''}" for r in rows]
    output(args, data, lines)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    with open_reader(args) as store:
        e = event_of(store, args)
        roster, present = store.count_people(e.id), store.count_present(e.id)
        device = _device(store)
        # A kiosk database's own state: who scanned but never signed, and its date and clock warnings.
        live = isinstance(store, Store)
        incomplete = store.incomplete(e.id) if isinstance(store, Store) else []
        warnings = event_warnings(store, e) if isinstance(store, Store) else []
    lines = [t("cli.status", title=e.title, date=e.date, present=present, roster=roster)]
    lines += [t("cli.warning", message=w.message) for w in warnings]
    if incomplete:
        lines.append(t("cli.incomplete", count=len(incomplete)))
        for i in incomplete:
            why = Abandon(i.reason).label if i.reason in set(Abandon) else i.reason
            lines.append(f"  {i.scanned_at:%H:%M:%S}  {badge_text(i.person)}  {i.person.name}  "
                         f"({i.person.unit or i.person.institution}): {why}")
    if device is not None:                      # a kiosk database: the laptop's identity, for --admit-device
        lines.append(t("cli.status_device", **device) if device["fingerprint"] else
                     t("cli.status_no_key", **device))
    data = {"event": event_json(e), "roster": roster, "present": present, "device": device}
    if live:
        data |= {"incomplete": [i.to_json() for i in incomplete], "warnings": [w.to_json() for w in warnings]}
    output(args, data, lines)
    return 0


def _device(store: object) -> dict | None:
    """This kiosk database's device id and key fingerprint (what an organiser compares before admitting it)."""
    if not isinstance(store, Store):
        return None
    from kiosk.security.keys import fingerprint, own_public_key
    public = own_public_key(store)
    return {"device": store.device_id, "fingerprint": fingerprint(public) if public else None}
