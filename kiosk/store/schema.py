"""The one vocabulary of the data: each table's columns and key, named once.

The kiosk database (:mod:`kiosk.store`), the export file (:mod:`kiosk.exchange.format`), merging
and the central PostgreSQL database (:mod:`kiosk.exchange.sync`) all build their column lists
from these tuples.  Each place adds only what is its own: the kiosk database keeps local integer
ids (``pledge_id``, ``event_id``), the export file adds the device's chain position, per-row
hashes and ``duplicate_of``, the central database a ``content_sha256``.

The kiosk database's history is in :mod:`kiosk.store.migrations`; a test holds the two together.
"""
from __future__ import annotations

from dataclasses import dataclass

from kiosk.store.chain import CHAIN_FIELDS


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    key: str                       # what identifies a row across devices
    columns: tuple[str, ...]       # the data every copy of the table carries

    def sql(self, prefix: str = "") -> str:
        """The columns as a SELECT list, optionally qualified (``p.nip, p.name, …``)."""
        return ", ".join(prefix + c for c in self.columns)


PLEDGES = Table("pledges", "sha256", ("sha256", "key", "title", "text", "units_json", "params_json", "created_at"))
#: Events point at their current pledge: by ``pledge_id`` in the kiosk database, by ``pledge_sha256`` elsewhere.
#: ``settings_json`` holds what the documents print (agency, address, logo, head of office …).
EVENTS = Table("events", "uuid", ("uuid", "title", "date", "venue", "created_at", "settings_json"))
#: A person as imported or added.  ``nip`` is the badge's key: the NIP of a PNS or PPPK, the badge code of
#: non-ASN staff and guests (``kind``); ``name`` is the shown name with titles, ``bare_name`` the Nama cell.
#: A NIK stays in the kiosk database (``people.nik``): it is never exported whole.
PERSON_FIELDS = ("nip", "kind", "name", "bare_name", "front_title", "back_title", "rank", "position", "unit",
                 "institution", "employment")
PEOPLE = Table("people", "nip", PERSON_FIELDS + ("updated_at",))
#: A check-in as chained (:data:`kiosk.store.chain.CHAIN_FIELDS`) and the hash that seals it.
CHECKINS = Table("checkins", "uuid", CHAIN_FIELDS + ("row_hash",))
#: ``samples``: every raw sample, exactly (:mod:`kiosk.ceremony.signature_codec`); ``png``: a small image.
SIGNATURES = Table("signatures", "checkin_uuid",
                   ("checkin_uuid", "sha256", "pledge_sha256", "width", "height", "pressure_real", "sample_count",
                    "samples", "png"))
#: Every scan, refused ones too; never a name or a signature.  Points at its event by id or uuid.
SCAN_LOG = Table("scan_log", "uuid", ("uuid", "device_id", "at", "utc_offset", "method", "reason", "code", "nip",
                                      "checkin_uuid", "payload_shape"))

#: Why someone on the roster was absent; every statement is kept, the latest counts.  Points at its event.
ABSENCES = Table("absences", "uuid", ("uuid", "nip", "reason", "note", "device_id", "at", "utc_offset"))

TABLES = (PLEDGES, EVENTS, PEOPLE, CHECKINS, SIGNATURES, SCAN_LOG, ABSENCES)
