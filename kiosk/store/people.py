"""The roster: people by NIP, imported in place (never deleted here), and the staff look-up."""
from __future__ import annotations

from collections.abc import Iterable

from kiosk.i18n import KioskError, register
from kiosk.store.clock import now, utc_text
from kiosk.store.core import StoreCore
from kiosk.store.records import ImportCounts, Person
from kiosk.store.schema import PERSON_FIELDS

register({
    "people.search_short": {
        "id": "Ketik minimal {min} huruf nama atau {min} digit NIP.",
        "en": "Type at least {min} letters of the name or {min} digits of the NIP.",
    },
})

#: The staff look-up needs this many letters or digits: nobody lists the roster by typing one letter.
MIN_SEARCH = 3
_SHOWN = "nip, name, position, unit"             # a Person
_DATA = PERSON_FIELDS[1:]                        # what an import may change


def search_text(text: str) -> str:
    """``text`` with its spaces collapsed, or a refusal when it is too short to search with."""
    text = " ".join(text.split())
    if len(text.replace(" ", "")) < MIN_SEARCH:
        raise KioskError("people.search_short", min=MIN_SEARCH)
    return text


class PeopleMixin(StoreCore):
    def upsert_people(self, rows: Iterable) -> ImportCounts:
        """Insert or update people by NIP (roster rows); never deletes anyone."""
        stamp = utc_text(now())
        added = updated = unchanged = 0
        with self.write() as conn:
            existing = {r[0]: r[1:] for r in conn.execute(f"SELECT {', '.join(PERSON_FIELDS)} FROM people")}
            fresh, changed = [], []
            for r in rows:
                values = tuple(getattr(r, c) for c in _DATA)
                old = existing.get(r.nip)
                if old is None:
                    fresh.append((r.nip, *values, stamp))
                elif tuple(old) != values:
                    changed.append((*values, stamp, r.nip))
                else:
                    unchanged += 1
            conn.executemany(f"INSERT INTO people({', '.join(PERSON_FIELDS)}, updated_at) "
                             f"VALUES ({', '.join('?' * (len(PERSON_FIELDS) + 1))})", fresh)
            conn.executemany(f"UPDATE people SET {', '.join(c + ' = ?' for c in _DATA)}, updated_at = ? "
                             "WHERE nip = ?", changed)
            added, updated = len(fresh), len(changed)
        return ImportCounts(added, updated, unchanged)

    def person(self, nip: str) -> Person | None:
        row = self.conn.execute(f"SELECT {_SHOWN} FROM people WHERE nip = ?", (nip,)).fetchone()
        return Person(*row) if row else None

    def find_people(self, text: str, limit: int = 50) -> list[Person]:
        """People whose NIP contains the digits of ``text`` or whose name contains ``text``;
        refuses a text shorter than :data:`MIN_SEARCH` letters or digits."""
        text = search_text(text)
        digits = "".join(ch for ch in text if ch.isdigit())
        if digits and len(digits) >= len(text.replace(" ", "").replace(".", "")):
            where, arg = "nip LIKE ?", f"%{digits}%"
        else:
            where, arg = "name LIKE ? ESCAPE '\\'", "%" + _like_escape(text) + "%"
        rows = self.conn.execute(f"SELECT {_SHOWN} FROM people WHERE {where} ORDER BY name, nip LIMIT ?",
                                 (arg, limit))
        return [Person(*r) for r in rows]

    def count_people(self) -> int:
        return self.conn.execute("SELECT count(*) FROM people").fetchone()[0]


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
