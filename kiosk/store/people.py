"""People and each event's roster: imports (in place, or ``--replace``), guests and walk-ins, the
staff look-up.

A person is kept once (``people``, keyed by the badge: NIP or badge code) and belongs to the events
whose roster lists them (``roster``).  A badge on another event's roster is unknown to this one.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING

from kiosk.bulk import collection_paused
from kiosk.clock import from_utc_text, now, utc_text
from kiosk.i18n import KioskError, register
from kiosk.people import badge_code
from kiosk.people.kinds import PersonKind, kind_of_nip
from kiosk.people.nik import mask_nik
from kiosk.people.roster_types import RosterRow
from kiosk.store.core import StoreCore
from kiosk.store.records import ImportCounts, Person
from kiosk.store.schema import PERSON_FIELDS

if TYPE_CHECKING:
    from kiosk.people.roster_types import ParsedRoster

register({
    "people.search_short": {
        "id": "Ketik minimal {min} huruf nama atau {min} digit NIP.",
        "en": "Type at least {min} letters of the name or {min} digits of the NIP.",
    },
    "people.name_missing": {
        "id": "Nama kosong. Isi nama lengkap orang yang ditambahkan.",
        "en": "The name is empty. Fill in the full name of the person to add.",
    },
    "people.name_too_long": {
        "id": "Nama terlalu panjang ({length} karakter; batas {limit}). Periksa isiannya.",
        "en": "The name is too long ({length} characters; the limit is {limit}). Check what was typed.",
    },
    "people.not_on_roster": {
        "id": "{who} tidak ada dalam daftar peserta acara ini. Periksa NIP atau kodenya: ikrar roster find TEKS",
        "en": "{who} is not on this event's roster. Check the NIP or code: ikrar roster find TEXT",
    },
    "people.import_problems": {
        "id": "Impor ditolak: {count} baris bermasalah, tidak ada yang disimpan. Perbaiki baris itu lalu impor "
              "ulang, atau pilih untuk menyimpan baris yang benar saja.",
        "en": "Import refused: {count} rows have problems, nothing was saved. Fix those rows and import again, "
              "or choose to keep only the valid rows."},
    "people.checked_in": {
        "id": "{name} sudah hadir (check-in pukul {time}), jadi tidak dapat dihapus dari daftar.",
        "en": "{name} has checked in (at {time}), so they cannot be removed from the roster.",
    },
})

#: The staff look-up needs this many letters or digits: nobody lists the roster by typing one letter.
MIN_SEARCH = 3
#: A name longer than this is not a name (the importer refuses it too): it would break every layout.
MAX_NAME = 200
_DATA = PERSON_FIELDS[1:]                        # what an import may change
_SHOWN = ", ".join(("nip", "name", "position", "unit", "kind", "rank", "institution", "employment", "nik"))


def search_text(text: str) -> str:
    """``text`` with its spaces collapsed, or a refusal when it is too short to search with."""
    text = " ".join(text.split())
    if len(text.replace(" ", "")) < MIN_SEARCH:
        raise KioskError("people.search_short", min=MIN_SEARCH)
    return text


def person_of(row: tuple) -> Person:
    """A Person from a row of :data:`_SHOWN`."""
    nip, name, position, unit, kind, rank, institution, employment, nik = row
    return Person(nip, name, position, unit, PersonKind(kind or kind_of_nip(nip)), rank, institution, employment,
                  mask_nik(nik) if nik else "")


_BARE_NAME, _UNIT = _DATA.index("bare_name"), _DATA.index("unit")
_AFTER_KIND = _DATA[_DATA.index("kind") + 1:]    # kind comes first in PERSON_FIELDS after the key (schema.py)


def _values(r: object) -> tuple[str, ...]:
    """A roster row's stored fields in :data:`_DATA` order (RosterRow or any object with those attributes);
    a tuple, not a dict: an import builds 100,000 of them."""
    if type(r) is RosterRow:
        return (str(r.kind), r.name, r.bare_name, r.front_title, r.back_title, r.rank, r.position, r.unit, "",
                r.employment)
    nip = getattr(r, "nip", "")
    kind = getattr(r, "kind", None) or (kind_of_nip(nip) if nip else PersonKind.NON_ASN)
    return (str(kind), *[getattr(r, c, "") or "" for c in _AFTER_KIND])


_FRESH_COLUMNS = ("nip", "name", "bare_name", "front_title", "back_title", "position", "unit", "rank", "employment")
_NIP = itemgetter(RosterRow._fields.index("nip"))


def _fresh_asn(rows: list | tuple, known: dict) -> tuple[list[RosterRow], list] | None:
    """(rows of new people, the other rows) when every row is a RosterRow with its own NIP and no NIK: the
    new ones need none of the matching (NIK, name and unit, badge codes) and are inserted as they are."""
    if not rows or set(map(type, rows)) != {RosterRow}:
        return None
    nips = list(map(_NIP, rows))
    if "" in nips or len(set(nips)) != len(nips) or any(map(attrgetter("nik"), rows)):
        return None
    if known.keys().isdisjoint(nips):
        return list(rows), []
    return [r for r in rows if r.nip not in known], [r for r in rows if r.nip in known]


class PeopleMixin(StoreCore):
    # --- imports ------------------------------------------------------------------------------

    def upsert_people(self, rows: Iterable, *, event_id: int | None = None) -> ImportCounts:
        """Put roster rows on an event's list (the active event's by default), adding new people and
        updating known ones in place; never removes anyone.  Rows without a NIP (non-ASN staff) are
        matched by NIK, else by name and unit, and new ones get a badge code."""
        return self._import(rows, event_id, replace=False)

    def replace_roster(self, rows: Iterable, *, event_id: int | None = None) -> ImportCounts:
        """Make the event's list exactly ``rows``: people not in them leave it, unless they checked in
        (they stay, and are listed in ``kept``)."""
        return self._import(rows, event_id, replace=True)

    def _import(self, rows: Iterable, event_id: int | None, *, replace: bool) -> ImportCounts:
        stamp = utc_text(now())
        rows = rows if isinstance(rows, (list, tuple)) else list(rows)
        with collection_paused(), self.write() as conn:
            event = self._event_id(event_id)
            known = {r[0]: r for r in conn.execute(f"SELECT {', '.join(PERSON_FIELDS)}, nik FROM people")}
            by_nik = {r[-1]: r[0] for r in known.values() if r[-1]}
            by_name = {(str(r[3]).casefold(), str(r[8]).casefold()): r[0] for r in known.values()
                       if r[1] == PersonKind.NON_ASN and not r[-1]}
            added = updated = unchanged = 0
            listed: list[str] = []
            inserts: list[tuple] = []
            updates: list[tuple] = []
            fresh = _fresh_asn(rows, known)
            if fresh is not None:                       # the common import: new people, each by a NIP
                new, rows = fresh
                new.sort(key=_NIP)                     # a B-tree filled in key order (see below)
                added = self._insert_fresh(conn, new, stamp)
                listed = list(map(_NIP, new))
            for r in rows:
                values = _values(r)
                nik = getattr(r, "nik", "") or None
                key = getattr(r, "nip", "") or (by_nik.get(nik) if nik else None) or \
                    by_name.get((values[_BARE_NAME].casefold(), values[_UNIT].casefold()))
                if key is None:
                    key = badge_code.new_code(known)
                old = known.get(key)
                if old is None:
                    inserts.append((key, *values, nik, stamp))
                    known[key] = (key, *values, nik)
                    if nik:
                        by_nik[nik] = key
                    added += 1
                elif old[1:-1] != values or (nik and old[-1] != nik):
                    updates.append((*values, nik, stamp, key))
                    updated += 1
                else:
                    unchanged += 1
                listed.append(key)
            # In one statement each, in key order (a B-tree filled in order: 100,000 rows 4x faster).
            inserts.sort(key=itemgetter(0))
            conn.executemany(f"INSERT INTO people(nip, {', '.join(_DATA)}, nik, updated_at) "
                             f"VALUES ({', '.join('?' * (len(_DATA) + 3))})", inserts)
            conn.executemany(f"UPDATE people SET {', '.join(f'{c} = ?' for c in _DATA)}, "
                             "nik = coalesce(?, nik), updated_at = ? WHERE nip = ?", updates)
            # Sorted here rather than by ORDER BY: the new people's NIPs already are (timsort: a single pass),
            # and SQLite's sorter takes 50 ms more on 100,000.
            conn.execute("INSERT OR IGNORE INTO roster(event_id, nip, added_at) "
                         "SELECT ?, value, ? FROM json_each(?)", (event, stamp, json.dumps(sorted(listed))))
            removed: list[str] = []
            kept: list[Person] = []
            if replace:
                removed, kept = self._leave(conn, event, set(listed))
        return ImportCounts(added, updated, unchanged, tuple(removed), tuple(kept))

    @staticmethod
    def _insert_fresh(conn: sqlite3.Connection, rows: list[RosterRow], stamp: str) -> int:
        """Insert roster rows (in NIP order) of people not yet known, each with a NIP and no NIK.  The rows
        are the parameters (numbered: ``?2`` is the NIP), each copied to a plain tuple: sqlite3 binds a
        tuple subclass item by item through the sequence protocol (100,000 rows: 0.2 s more)."""
        at = {f: f"?{i}" for i, f in enumerate(RosterRow._fields, start=1)}
        literal = "'" + stamp.replace("'", "''") + "'"
        kind = f"CASE substr({at['nip']}, 13, 1) WHEN '2' THEN '{PersonKind.PPPK}' ELSE '{PersonKind.PNS}' END"
        conn.executemany(f"INSERT INTO people({', '.join(_FRESH_COLUMNS)}, kind, updated_at, institution, nik) "
                         f"VALUES ({', '.join(at[c] for c in _FRESH_COLUMNS)}, {kind}, {literal}, '', NULL)",
                         map(tuple, rows))
        return len(rows)

    def import_roster(self, parsed: ParsedRoster, *, event_id: int | None = None, replace: bool = False,
                      skip_invalid: bool = False) -> ImportCounts:
        """Store a roster file as read (``ikrar roster import`` and the desk): all or nothing, refused while it
        has problems unless ``skip_invalid`` keeps the valid rows; ``replace`` makes the roster exactly the
        file (see :meth:`replace_roster`).  Recorded in the audit log."""
        if parsed.problems and not skip_invalid:
            raise KioskError("people.import_problems", count=len(parsed.problems))
        with self.write():
            event = self._event_id(event_id)
            counts = (self.replace_roster if replace else self.upsert_people)(parsed.rows, event_id=event)
            self.audit("roster.import", event_id=event, format=parsed.format, rows=len(parsed.rows),
                       added=counts.added, updated=counts.updated, skipped=len(parsed.problems),
                       removed=len(counts.removed), replace=replace, non_asn=parsed.non_asn)
        return counts

    def _leave(self, conn: sqlite3.Connection, event: int, staying: set[str]) -> tuple[list[str], list[Person]]:
        """Take everyone not in ``staying`` off the event's roster, except those who checked in."""
        removed, kept = [], []
        for key, checked in conn.execute(
                "SELECT r.nip, EXISTS (SELECT 1 FROM checkins c WHERE c.event_id = r.event_id AND c.nip = r.nip) "
                "FROM roster r WHERE r.event_id = ? ORDER BY r.nip", (event,)).fetchall():
            if key in staying:
                continue
            if checked:
                found = self.person(key)
                if found is not None:
                    kept.append(found)
            else:
                removed.append(key)
        conn.executemany("DELETE FROM roster WHERE event_id = ? AND nip = ?", [(event, k) for k in removed])
        return removed, kept

    @staticmethod
    def _insert_person(conn: sqlite3.Connection, key: str, values: dict[str, object], nik: str | None,
                       stamp: str) -> None:
        cols = ("nip", *values, "nik", "updated_at")
        conn.execute(f"INSERT INTO people({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                     (key, *values.values(), nik, stamp))

    # --- one person ---------------------------------------------------------------------------

    def add_person(self, name: str, *, kind: PersonKind = PersonKind.GUEST, institution: str = "",
                   position: str = "", unit: str = "", rank: str = "", event_id: int | None = None) -> Person:
        """A guest or a walk-in without a NIP, on the event's roster at once, with a new badge code."""
        name = " ".join(name.split())
        if not name:
            raise KioskError("people.name_missing")
        if len(name) > MAX_NAME:
            raise KioskError("people.name_too_long", length=len(name), limit=MAX_NAME)
        values = {"kind": str(kind), "name": name, "bare_name": name, "front_title": "", "back_title": "",
                  "rank": " ".join(rank.split()), "position": " ".join(position.split()),
                  "unit": " ".join(unit.split()), "institution": " ".join(institution.split()), "employment": ""}
        stamp = utc_text(now())
        with self.write() as conn:
            event = self._event_id(event_id)
            known = {r[0] for r in conn.execute("SELECT nip FROM people")}
            key = badge_code.new_code(known)
            self._insert_person(conn, key, {c: values[c] for c in _DATA}, None, stamp)
            conn.execute("INSERT INTO roster(event_id, nip, added_at) VALUES (?, ?, ?)", (event, key, stamp))
            self.audit("person.add", event_id=event, kind=str(kind))
        found = self.person(key)
        assert found is not None
        return found

    def update_person(self, key: str, *, name: str | None = None, position: str | None = None,
                      unit: str | None = None, rank: str | None = None, institution: str | None = None,
                      employment: str | None = None, event_id: int | None = None) -> Person:
        """Correct one person on the event's roster (what is None stays).  The badge (NIP or code) and the
        kind never change; a name typed here replaces the name with its titles."""
        changes: dict[str, str] = {}
        if name is not None:
            name = " ".join(name.split())
            if not name:
                raise KioskError("people.name_missing")
            if len(name) > MAX_NAME:
                raise KioskError("people.name_too_long", length=len(name), limit=MAX_NAME)
        for field, value in (("name", name), ("position", position), ("unit", unit), ("rank", rank),
                             ("institution", institution), ("employment", employment)):
            if value is not None:
                changes[field] = " ".join(value.split())
        with self.write() as conn:
            event = self._event_id(event_id)
            found = self.roster_person(event, key)
            if found is None:
                raise KioskError("people.not_on_roster", who=key)
            old = dict(zip(("name", "bare_name", "front_title", "back_title", *changes),
                           conn.execute(f"SELECT name, bare_name, front_title, back_title"
                                        f"{''.join(', ' + c for c in changes)} FROM people WHERE nip = ?",
                                        (key,)).fetchone()))
            changed = {f: v for f, v in changes.items() if old[f] != v}
            if "name" in changed:                       # the typed name is the whole name, titles included
                changed.update(bare_name=changed["name"], front_title="", back_title="")
            if changed:
                sets = ", ".join(f"{c} = ?" for c in changed)
                conn.execute(f"UPDATE people SET {sets}, updated_at = ? WHERE nip = ?",
                             (*changed.values(), utc_text(now()), key))
                self.audit("person.edit", event_id=event, kind=str(found.kind), fields=sorted(changed))
        updated = self.person(key)
        assert updated is not None
        return updated

    def _absent_on_roster(self, conn: sqlite3.Connection, event: int, key: str, refusal: str) -> Person:
        """Someone on the event's roster who has not checked in (else ``refusal``, naming them and the time)."""
        found = self.roster_person(event, key)
        if found is None:
            raise KioskError("people.not_on_roster", who=key)
        first = conn.execute("SELECT checked_in_at, utc_offset FROM checkins WHERE event_id = ? AND nip = ? "
                             "ORDER BY checked_in_at LIMIT 1", (event, key)).fetchone()
        if first is not None:
            raise KioskError(refusal, name=found.name, time=f"{from_utc_text(*first):%H:%M}")
        return found

    def remove_person(self, key: str, *, event_id: int | None = None) -> Person:
        """Take someone off the event's roster; refused once they checked in."""
        with self.write() as conn:
            event = self._event_id(event_id)
            found = self._absent_on_roster(conn, event, key, "people.checked_in")
            conn.execute("DELETE FROM roster WHERE event_id = ? AND nip = ?", (event, key))
            self.audit("person.remove", event_id=event, kind=str(found.kind))
        return found

    def person(self, key: str) -> Person | None:
        row = self.conn.execute(f"SELECT {_SHOWN} FROM people WHERE nip = ?", (key,)).fetchone()
        return person_of(row) if row else None

    def roster_person(self, event_id: int, key: str) -> Person | None:
        """The person with this badge, when they are on the event's roster."""
        row = self.conn.execute(f"SELECT {person_columns('p.')} FROM people p JOIN roster r ON r.nip = p.nip "
                                "WHERE r.event_id = ? AND p.nip = ?", (event_id, key)).fetchone()
        return person_of(row) if row else None

    def find_people(self, text: str, limit: int = 50, *, event_id: int | None = None) -> list[Person]:
        """People on the event's roster (the active event's by default) whose NIP or code contains the
        digits or letters of ``text``, or whose name contains ``text``; refuses a text shorter than
        :data:`MIN_SEARCH` letters or digits."""
        text = search_text(text)
        event = self._event_id(event_id)
        compact = text.replace(" ", "").replace(".", "").replace("-", "")
        digits = "".join(ch for ch in text if ch.isdigit())
        if digits and len(digits) >= len(compact):
            where, args = "p.nip LIKE ?", [f"%{digits}%"]
        else:
            where = "(p.name LIKE ? ESCAPE '\\' OR (p.kind IN ('non-asn', 'guest') AND p.nip LIKE ?))"
            args = ["%" + _like_escape(text) + "%", "%" + _like_escape(compact.upper()) + "%"]
        rows = self.conn.execute(f"SELECT {person_columns('p.')} FROM people p JOIN roster r ON r.nip = p.nip "
                                 f"WHERE r.event_id = ? AND {where} ORDER BY p.name, p.nip LIMIT ?",
                                 (event, *args, limit))
        return [person_of(r) for r in rows]

    def roster(self, event_id: int) -> list[Person]:
        rows = self.conn.execute(f"SELECT {person_columns('p.')} FROM people p JOIN roster r ON r.nip = p.nip "
                                 "WHERE r.event_id = ? ORDER BY p.unit, p.name, p.nip", (event_id,))
        return [person_of(r) for r in rows]

    def count_people(self, event_id: int | None = None) -> int:
        """How many are on the event's roster (the active event's; every person when there is none)."""
        if event_id is None:
            active = self.get_setting("active_event")
            if active is None:
                return self.conn.execute("SELECT count(*) FROM people").fetchone()[0]
            event_id = int(active)
        return self.conn.execute("SELECT count(*) FROM roster WHERE event_id = ?", (event_id,)).fetchone()[0]

    def enlist(self, key: str, *, event_id: int | None = None) -> bool:
        """Put someone already known (another event's roster) on this event's roster; False if already on it."""
        with self.write() as conn:
            event = self._event_id(event_id)
            cur = conn.execute("INSERT OR IGNORE INTO roster(event_id, nip, added_at) VALUES (?, ?, ?)",
                               (event, key, utc_text(now())))
            return cur.rowcount > 0

    def copy_roster(self, from_event: int, to_event: int) -> int:
        with self.write() as conn:
            cur = conn.execute("INSERT OR IGNORE INTO roster(event_id, nip, added_at) "
                               "SELECT ?, nip, ? FROM roster WHERE event_id = ?",
                               (to_event, utc_text(now()), from_event))
            return cur.rowcount

    def _event_id(self, event_id: int | None) -> int:
        if event_id is not None:
            return event_id
        active = self.get_setting("active_event")
        if active is None:
            raise KioskError("event.none_active")
        return int(active)


def person_columns(prefix: str = "") -> str:
    """The columns :func:`person_of` reads, optionally qualified."""
    return ", ".join(prefix + c.strip() for c in _SHOWN.split(","))


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
