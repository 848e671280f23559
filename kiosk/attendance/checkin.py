"""One call from a scanned payload to a recorded (or refused) check-in.

The kiosk screen uses it in two steps — :meth:`Desk.identify` when the badge is
scanned, :meth:`Desk.record` when the signature is confirmed — and the command
line in one, :meth:`Desk.check_in`.  Every attempt lands in the scan log with a
reason code; names and signatures never do.
"""
from __future__ import annotations

import datetime as _dt
import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from kiosk.ceremony.ink import render_small_png
from kiosk.ceremony.signature import Signature, validate
from kiosk.i18n import KioskError, register, t
from kiosk.people.badge_code import format_code
from kiosk.people.kinds import PersonKind
from kiosk.people.nip import format_spaced
from kiosk.people.payload import BadgeKind, extract_badge
from kiosk.store import Event, Store, now

register({
    "checkin.recorded": {
        "id": "Kehadiran {name} tercatat pukul {time}. Terima kasih.",
        "en": "Attendance of {name} recorded at {time}. Thank you.",
    },
    "checkin.identified": {
        "id": "{name}, silakan tanda tangan.",
        "en": "{name}, please sign.",
    },
    "checkin.duplicate": {
        "id": "{name} sudah tercatat pukul {time}. Tidak perlu memindai lagi.",
        "en": "{name} was already recorded at {time}. No need to scan again.",
    },
    "checkin.unknown": {
        "id": "NIP {nip} tidak ada dalam daftar peserta acara ini. Silakan lapor ke meja panitia.",
        "en": "NIP {nip} is not on this event's roster. Please go to the organisers' desk.",
    },
    "checkin.unknown_code": {
        "id": "Kode kartu {code} tidak ada dalam daftar peserta acara ini. Silakan lapor ke meja panitia.",
        "en": "Badge code {code} is not on this event's roster. Please go to the organisers' desk.",
    },
    "abandon.next_scan": {"id": "orang berikutnya memindai", "en": "the next badge came first"},
    "abandon.cancelled": {"id": "Batal ditekan", "en": "Cancel pressed"},
    "abandon.timed_out": {"id": "waktu habis", "en": "timed out"},
    "checkin.bad_method": {
        "id": "Metode '{method}' tidak dikenal (wedge, camera, manual).",
        "en": "Unknown method '{method}' (wedge, camera, manual).",
    },
})


class Method(StrEnum):
    """How a badge reached the kiosk."""
    WEDGE = "wedge"          # a USB scanner typing like a keyboard
    CAMERA = "camera"
    MANUAL = "manual"        # typed or picked by staff


class Abandon(StrEnum):
    """Why an identified person left without signing (the scan log's ``code`` for reason "abandoned")."""
    NEXT_SCAN = "next_scan"            # the next badge was scanned: this one walked on
    CANCELLED = "cancelled"            # "Batal" was pressed
    TIMED_OUT = "timed_out"            # nobody touched the pad before the page's time ran out

    @property
    def label(self) -> str:
        return t(f"abandon.{self.value}")


class Status(StrEnum):
    """What a scan came to; also the scan log's ``reason``."""
    RECORDED = "recorded"
    IDENTIFIED = "identified"
    DUPLICATE = "duplicate"
    UNKNOWN = "unknown"
    INVALID = "invalid"


METHODS = tuple(m.value for m in Method)
RECORDED, IDENTIFIED, DUPLICATE, UNKNOWN, INVALID = (Status.RECORDED, Status.IDENTIFIED, Status.DUPLICATE,
                                                      Status.UNKNOWN, Status.INVALID)


@dataclass(frozen=True, slots=True)
class CheckinResult:
    """What the screen or the command line shows after a scan.  Crosses to the UI as a signal payload."""
    status: Status
    message: str
    nip: str | None = None               # the badge's key: a NIP, or the badge code of someone without one
    name: str | None = None
    position: str | None = None
    unit: str | None = None
    checked_in_at: _dt.datetime | None = None   # recorded: now; duplicate: the first time
    checkin_uuid: str | None = None
    code: str | None = None              # the message code of a refusal (not the badge code)
    kind: PersonKind | None = None       # who was scanned, when they are on the roster

    @property
    def ok(self) -> bool:
        return self.status in (RECORDED, DUPLICATE, IDENTIFIED)

    def to_json(self) -> dict:
        has_nip = self.nip is not None and self.nip.isdigit()
        return {
            "status": str(self.status),
            "nip": self.nip if has_nip else None,
            "code": self.nip if self.nip is not None and not has_nip else None,
            "kind": str(self.kind) if self.kind else None,
            "name": self.name,
            "position": self.position,
            "unit": self.unit,
            "checked_in_at": self.checked_in_at.isoformat(timespec="seconds") if self.checked_in_at else None,
            "message": self.message,
        }


def payload_shape(raw: str) -> str:
    """The payload with every letter as ``a`` and every digit as ``9``, of any script (a NIP typed in
    Arabic-Indic or full-width digits is a NIP too): shows a scanner's framing, no personal data.  At most
    80 characters, and never an escape cut in half (``\\x1f`` cut to ``\\x1`` would read as a digit)."""
    pieces: list[str] = []
    length = 0
    for ch in raw[:80]:
        piece = _shape(ch)
        if length + len(piece) > 80:
            break
        pieces.append(piece)
        length += len(piece)
    return "".join(pieces)


def _shape(ch: str) -> str:
    if ch.isnumeric():
        return "9"
    if ch.isalpha():
        return "a"
    return ch if ch.isprintable() else f"\\x{ord(ch):02x}"


class Desk:
    """Check-ins for one event on one kiosk database."""

    def __init__(self, store: Store, event: Event | None = None) -> None:
        self.store = store
        self.event = event or store.active_event()
        self.pledge_sha256 = store.pledge_sha256(self.event.pledge_id)

    def identify(self, payload: str, *, method: str = "wedge") -> CheckinResult:
        """Who is this badge?  Logs refusals (invalid, unknown, duplicate); an accepted scan is
        logged when it is recorded (or abandoned)."""
        _check_method(method)
        moment = now()
        result = self._lookup(payload)
        if result.status != IDENTIFIED:
            with self.store.write() as conn:
                self._log(conn, result, method, moment, payload)
        return result

    def record(self, nip: str, *, method: str = "wedge", signature: Signature | None = None,
               payload: str = "") -> CheckinResult:
        """Record the check-in of an identified NIP, with its signature; durable when this returns."""
        return self._record(nip, method, signature, payload or nip)

    def check_in(self, payload: str, *, method: str = "wedge", signature: Signature | None = None) -> CheckinResult:
        """Identify and record in one transaction (command line, or a kiosk without signatures)."""
        return self._record(payload, method, signature, payload)

    def _record(self, payload: str, method: str, signature: Signature | None, logged_payload: str) -> CheckinResult:
        _check_method(method)
        png = None
        if signature is not None:
            validate(signature)
            png = render_small_png(signature)
        moment = now()
        with self.store.write() as conn:
            # Looked up inside the transaction: another scan may have won meanwhile.
            result = self._lookup(payload)
            if result.status == IDENTIFIED and result.nip is not None:
                row = self.store.insert_checkin(conn, event_id=self.event.id, nip=result.nip, method=method,
                                                moment=moment, pledge_sha256=self.pledge_sha256,
                                                signature=signature, png=png)
                result = CheckinResult(RECORDED, t("checkin.recorded", name=result.name, time=_hhmm(moment)),
                                       result.nip, result.name, result.position, result.unit, moment, row.uuid,
                                       kind=result.kind)
            self._log(conn, result, method, moment, logged_payload)
        return result

    def abandon(self, nip: str, *, method: str = "wedge", reason: Abandon = Abandon.CANCELLED) -> None:
        """The person walked away before signing: log it (and why), record nothing."""
        moment = now()
        with self.store.write() as conn:
            self.store.log_scan(conn, event_id=self.event.id, method=method, reason="abandoned",
                                moment=moment, nip=nip, code=str(reason))

    # --- internals ---------------------------------------------------------------------------

    def _lookup(self, payload: str) -> CheckinResult:
        try:
            badge = extract_badge(payload)
        except KioskError as exc:
            return CheckinResult(INVALID, str(exc), code=exc.code)
        person = self.store.roster_person(self.event.id, badge.value)   # another event's badge is unknown here
        if person is None:
            if badge.kind is BadgeKind.NIP:
                message, code = t("checkin.unknown", nip=format_spaced(badge.value)), "checkin.unknown"
            else:
                message, code = t("checkin.unknown_code", code=format_code(badge.value)), "checkin.unknown_code"
            return CheckinResult(UNKNOWN, message, badge.value, code=code)
        first = self.store.first_checkin(self.event.id, person.nip)
        if first is not None:
            return CheckinResult(DUPLICATE, t("checkin.duplicate", name=person.name, time=_hhmm(first.checked_in_at)),
                                 person.nip, person.name, person.position, person.unit, first.checked_in_at,
                                 first.uuid, code="checkin.duplicate", kind=person.kind)
        return CheckinResult(IDENTIFIED, t("checkin.identified", name=person.name), person.nip, person.name,
                             person.position, person.unit, kind=person.kind)

    def _log(self, conn: sqlite3.Connection, result: CheckinResult, method: str, moment: _dt.datetime,
             payload: str) -> None:
        self.store.log_scan(conn, event_id=self.event.id, method=method, reason=result.status, moment=moment,
                            code=result.code, nip=result.nip,
                            checkin_uuid=result.checkin_uuid if result.status == RECORDED else None,
                            payload_shape=payload_shape(payload))


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise KioskError("checkin.bad_method", method=method)


def _hhmm(moment: _dt.datetime) -> str:
    return moment.strftime("%H:%M")

