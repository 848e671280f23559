"""The documents' input, read from a kiosk database or from an export or merged file.

Both are read the same way (:class:`kiosk.store.Store` and :class:`kiosk.exchange.reader.ExportReader`
answer the same questions), so a clerk can print from the kiosk laptop or from the merged file of
all laptops.  What is read:

* the event and its settings (``ikrar event set``): the kop, the place, the head of office;
* each person's attendance: their first check-in (two kiosks, one person: the earlier counts),
  the signature PNG stored with it, and the exact pledge text that check-in is bound to (looked
  up by its SHA-256; a text whose hash does not match is left out rather than printed as signed);
* the absent with their stated reason (none stated: *tanpa keterangan*); guests are not counted;
* the roster, for badges.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

from kiosk.ceremony.pledge import Pledge
from kiosk.documents.model import DocAbsence, DocAttendance, DocEvent, DocPerson
from kiosk.documents.text import clean
from kiosk.i18n import KioskError, register, t
from kiosk.people.kinds import AbsenceReason, PersonKind
from kiosk.people.payload import extract_badge
from kiosk.store.records import Absence, AttendanceRow, Event, Person

register({
    "documents.logo_missing": {
        "id": "Peringatan: logo {path} tidak dapat dibaca di komputer ini; dokumen dibuat tanpa logo. Atur ulang "
              "dengan: ikrar event set logo=BERKAS.png",
        "en": "Warning: the logo {path} cannot be read on this computer; the documents are made without it. Set it "
              "again with: ikrar event set logo=FILE.png",
    },
    "documents.no_such_unit": {
        "id": "Tidak ada peserta dengan unit kerja '{unit}'. Unit kerja yang ada: {units}.",
        "en": "Nobody has the unit '{unit}'. The units are: {units}.",
    },
    "documents.unit_absent": {
        "id": "Belum ada kehadiran yang tercatat untuk unit kerja '{unit}'. Unit kerja yang sudah hadir: {units}.",
        "en": "No check-ins are recorded for the unit '{unit}'. Units with check-ins: {units}.",
    },
    "documents.not_on_roster": {
        "id": "{badge} tidak ada di daftar peserta acara ini, jadi kartunya tidak dapat dibuat. Periksa nomornya, "
              "atau impor/tambahkan orangnya dulu.",
        "en": "{badge} is not on this event's roster, so no badge can be made. Check the number, or import or "
              "add the person first.",
    },
})


class Reader(Protocol):
    """What the documents read: a kiosk database or an export or merged file."""

    @property
    def path(self) -> Path: ...
    @property
    def encrypted(self) -> bool: ...
    def pledge(self, pledge_id: int) -> Pledge: ...
    def pledge_by_sha256(self, sha256: str) -> Pledge | None: ...
    def roster(self, event_id: int) -> list[Person]: ...
    def attendance(self, event_id: int) -> list[AttendanceRow]: ...
    def checkin_of(self, event_id: int, key: str) -> tuple[str, _dt.datetime, str] | None: ...
    def signature_png(self, checkin_uuid: str) -> bytes | None: ...
    def absent(self, event_id: int) -> list[tuple[Person, Absence | None]]: ...


# --- the event --------------------------------------------------------------------------------

def _usable_logo(value: str) -> Path | None:
    if not value:
        return None
    path = Path(value).expanduser()
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return None
    return path if head.startswith((b"\x89PNG", b"\xff\xd8")) else None


def doc_event(reader: Reader, event: Event) -> DocEvent:
    """The event as the documents print it.  The agency falls back to the one the pledge names."""
    s = event.setting
    agency = s("instansi")
    if not agency:
        try:
            agency = reader.pledge(event.pledge_id).params.get("instansi", "")
        except (KeyError, TypeError, ValueError):
            agency = ""
    return DocEvent(title=event.title, date=event.date, venue=event.venue, agency=agency,
                    agency_unit=s("unit_kerja"), address=s("alamat"), logo=_usable_logo(s("logo")),
                    leader=s("pemimpin"), head_title=s("jabatan_kepala"), head_name=s("nama_kepala"),
                    head_nip=s("nip_kepala"), city=s("kota"))


def warnings(event: Event) -> list[str]:
    """What the documents will lack that the organiser set: a logo this computer cannot read."""
    logo = event.setting("logo")
    return [t("documents.logo_missing", path=logo)] if logo and _usable_logo(logo) is None else []


# --- people -----------------------------------------------------------------------------------

def doc_person(p: Person) -> DocPerson:
    return DocPerson(kind=p.kind, name=p.name, nip=p.real_nip, code=p.code, nik_masked=p.nik_masked or None,
                     rank=p.rank, position=p.position, unit=p.unit, institution=p.institution,
                     employment=p.employment)


def _unit_key(unit: str) -> str:
    return clean(unit).casefold()


def _units_text(units: Iterable[str]) -> str:
    names = sorted({clean(u) for u in units if clean(u)}, key=str.casefold)
    shown = ", ".join(names[:12])
    return shown + (f", … (+{len(names) - 12})" if len(names) > 12 else "") if names else "-"


def roster(reader: Reader, event: Event, *, unit: str | None = None, badges: Sequence[str] = ()) -> list[DocPerson]:
    """The people to make badges for: the roster (by unit, then name), or only ``unit``, or only the
    NIPs and codes in ``badges`` (in the order given; spaced NIPs and printed codes are accepted)."""
    people = reader.roster(event.id)
    if unit is not None:
        chosen = [p for p in people if _unit_key(p.unit) == _unit_key(unit)]
        if not chosen and people:
            raise KioskError("documents.no_such_unit", unit=clean(unit, 80), units=_units_text(p.unit for p in people))
        people = chosen
    if badges:
        by_key = {p.nip: p for p in people}
        picked: list[Person] = []
        for raw in badges:
            key = extract_badge(raw).value
            if key not in by_key:
                raise KioskError("documents.not_on_roster", badge=clean(raw, 40))
            if by_key[key] not in picked:
                picked.append(by_key[key])
        people = picked
    return [doc_person(p) for p in people]


# --- attendance and absence -------------------------------------------------------------------

def attendance(reader: Reader, event: Event, *, unit: str | None = None,
               signatures: bool = True) -> list[DocAttendance]:
    """Each person's attendance, in the order they came: their first check-in, its signature PNG
    (unless ``signatures`` is False) and the exact pledge text it is bound to."""
    texts: dict[str, str | None] = {}
    out: list[DocAttendance] = []
    seen: set[str] = set()
    rows = reader.attendance(event.id)
    for row in rows:
        if row.person is None or row.nip in seen:
            continue
        seen.add(row.nip)
        if unit is not None and _unit_key(row.person.unit) != _unit_key(unit):
            continue
        first = reader.checkin_of(event.id, row.nip)
        if first is None:
            continue
        checkin_uuid, moment, pledge_sha = first
        if pledge_sha not in texts:
            texts[pledge_sha] = _pledge_text(reader, pledge_sha)
        png = reader.signature_png(checkin_uuid) if signatures and row.signed else None
        out.append(DocAttendance(doc_person(row.person), moment, row.method, png, texts[pledge_sha], pledge_sha,
                                 signed=row.signed))
    if unit is not None and not out and rows:
        raise KioskError("documents.unit_absent", unit=clean(unit, 80),
                         units=_units_text(r.person.unit for r in rows if r.person is not None))
    return out


def _pledge_text(reader: Reader, sha256: str) -> str | None:
    found = reader.pledge_by_sha256(sha256)
    if found is None or found.sha256 != sha256:
        return None          # never print a text as "signed" that is not the one the hash names
    return found.text


def absences(reader: Reader, event: Event) -> list[DocAbsence]:
    """Everyone on the roster who did not come (guests aside), with the reason stated for them."""
    out = []
    for person, absence in reader.absent(event.id):
        if person.kind is PersonKind.GUEST:
            continue
        if absence is None:
            out.append(DocAbsence(doc_person(person), AbsenceReason.TANPA_KETERANGAN))
        else:
            out.append(DocAbsence(doc_person(person), absence.reason, absence.note))
    return out


def guests(rows: Iterable[DocAttendance]) -> list[DocPerson]:
    """The guests who came: the witnesses of the pledge."""
    return [r.person for r in rows if r.person.kind is PersonKind.GUEST]
