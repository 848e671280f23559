"""``ikrar person add | remove`` (guests and walk-ins) and ``ikrar absence set | list`` (why the absent
were absent)."""
from __future__ import annotations

import argparse

from kiosk.cli.common import Commands, badge_text, event_of, open_reader, open_store, output
from kiosk.i18n import register, t
from kiosk.people.badge_code import format_code
from kiosk.people.kinds import AbsenceReason, PersonKind
from kiosk.people.payload import extract_badge

register({
    "cli.person_added": {
        "id": "{kind} {name} ditambahkan ke daftar acara {event}. Kode kartunya: {code}",
        "en": "{kind} {name} added to the roster of event {event}. Their badge code: {code}"},
    "cli.person_edited": {"id": "{name} diperbarui.", "en": "{name} updated."},
    "cli.person_removed": {"id": "{name} dikeluarkan dari daftar acara {event}.",
                           "en": "{name} taken off the roster of event {event}."},
    "cli.absence_set": {"id": "{name}: {reason} dicatat.", "en": "{name}: {reason} recorded."},
    "cli.absence_none": {"id": "Semua peserta sudah hadir.", "en": "Everyone on the roster has checked in."},
})


def add_commands(commands: Commands) -> None:
    person = commands.group("person", "add a guest or walk-in, or take someone off the roster")
    p = person.command("add", cmd_add, "add a guest or a walk-in without a NIP to the active event; prints the code")
    p.add_argument("--name", required=True)
    p.add_argument("--institution", default="", help="a guest's institution (KPU, Bawaslu, DPRD …)")
    p.add_argument("--position", default="")
    p.add_argument("--unit", default="")
    p.add_argument("--guest", action="store_true", help="a witness (signs the attendance list, no pakta)")
    p.add_argument("--event", type=int, metavar="ID")
    p = person.command("edit", cmd_edit, "correct someone's name, position, unit or rank (the badge stays)")
    p.add_argument("badge", metavar="NIP|CODE")
    for option in ("name", "position", "unit", "rank", "institution"):
        p.add_argument(f"--{option}")
    p.add_argument("--event", type=int, metavar="ID")
    p = person.command("remove", cmd_remove, "take someone off the roster (refused once they checked in)")
    p.add_argument("badge", metavar="NIP|CODE")
    p.add_argument("--event", type=int, metavar="ID")

    absence = commands.group("absence", "why the absent were absent")
    p = absence.command("set", cmd_absence_set, "record why someone is absent")
    p.add_argument("badge", metavar="NIP|CODE")
    p.add_argument("--reason", required=True, choices=[r.value for r in AbsenceReason])
    p.add_argument("--note", default="")
    p.add_argument("--event", type=int, metavar="ID")
    p = absence.command("list", cmd_absence_list, "everyone not checked in, with the reason (unset: tanpa keterangan)")
    p.add_argument("--event", type=int, metavar="ID")


def _key(text: str) -> str:
    """A NIP or badge code as typed (spaces, dashes, lower case), refused with the reason when it is neither."""
    return extract_badge(text).value


def cmd_add(args: argparse.Namespace) -> int:
    kind = PersonKind.GUEST if args.guest else PersonKind.NON_ASN
    with open_store(args) as store:
        event = event_of(store, args)
        person = store.add_person(args.name, kind=kind, institution=args.institution, position=args.position,
                                  unit=args.unit, event_id=event.id)
    output(args, {**person.to_json(), "printed_code": format_code(person.nip), "event": event.id},
           t("cli.person_added", kind=kind.label, name=person.name, event=event.id, code=format_code(person.nip)))
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        event = event_of(store, args)
        person = store.update_person(_key(args.badge), name=args.name, position=args.position, unit=args.unit,
                                     rank=args.rank, institution=args.institution, event_id=event.id)
    output(args, {**person.to_json(), "event": event.id}, t("cli.person_edited", name=person.name))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        event = event_of(store, args)
        person = store.remove_person(_key(args.badge), event_id=event.id)
    output(args, {**person.to_json(), "event": event.id, "removed": True},
           t("cli.person_removed", name=person.name, event=event.id))
    return 0


def cmd_absence_set(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        event = event_of(store, args)
        absence = store.set_absence(_key(args.badge), args.reason, args.note, event_id=event.id)
    output(args, {"uuid": absence.uuid, "person": absence.person.to_json(), "reason": str(absence.reason),
                  "note": absence.note, "at": absence.at.isoformat(timespec="seconds")},
           t("cli.absence_set", name=absence.person.name, reason=absence.reason.label))
    return 0


def cmd_absence_list(args: argparse.Namespace) -> int:
    with open_reader(args) as store:
        absent = store.absent(event_of(store, args).id)
    data, lines = [], []
    for person, stated in absent:
        reason = stated.reason if stated else AbsenceReason.TANPA_KETERANGAN
        data.append({**person.to_json(), "reason": str(reason), "stated": stated is not None,
                     "note": stated.note if stated else ""})
        note = f" — {stated.note}" if stated and stated.note else ""
        where = person.unit or person.institution
        lines.append(f"{badge_text(person)}  {person.name}  ({where}): {reason.label}{note}")
    output(args, data, lines or [t("cli.absence_none")])
    return 0



