"""The store's import of new ASN people in bulk (RosterRow rows, each with its own NIP, no NIK) stores exactly
what the general row-by-row matching stores: compared table by table on real database files."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from kiosk.ceremony import pledge
from kiosk.people.roster_types import RosterRow
from kiosk.store import Store

_COLUMNS = "nip, kind, name, bare_name, front_title, back_title, rank, position, unit, institution, employment, nik"


def _nip(i: int, pppk: bool = False) -> str:
    middle = f"2021{2}{i % 9 + 1}" if pppk else f"1995{i % 12 + 1:02d}"
    return f"1970{i % 12 + 1:02d}{i % 28 + 1:02d}{middle}{1 + i % 2}{i % 999 + 1:03d}"


def _rows(count: int, start: int = 0, unit: str = "Dinas") -> list[RosterRow]:
    return [RosterRow(i + 2, _nip(i, pppk=i % 4 == 0), f"Dr. Pegawai {i}, M.Si." if i % 3 else f"Pegawai {i}",
                      f"Pegawai {i}", "Dr." if i % 3 else "", "M.Si." if i % 3 else "", "Analis", f"{unit} {i % 5}",
                      "Penata, III/c" if i % 2 else "", "", "")
            for i in range(start, start + count)]


def _general(rows: list[RosterRow]) -> list[SimpleNamespace]:
    """The same rows as plain objects with the same attributes: the store matches them one by one."""
    return [SimpleNamespace(**r._asdict(), kind=r.kind) for r in rows]


def _state(store: Store) -> tuple[list[tuple], list[tuple]]:
    """The people and roster tables; a badge code (made at random for non-ASN staff) read as "code"."""
    def key(nip: str) -> str:
        return nip if len(nip) == 18 else "code"
    people = [(key(p[0]), *p[1:]) for p in store.conn.execute(f"SELECT {_COLUMNS} FROM people ORDER BY nip")]
    roster = [(e, key(n)) for e, n in store.conn.execute("SELECT event_id, nip FROM roster ORDER BY event_id, nip")]
    return sorted(people), sorted(roster)


def _both(tmp_path, before: list[RosterRow], rows: list[RosterRow], *, replace: bool = False):
    results = []
    for name, wrap in (("bulk", list), ("general", _general)):
        with Store(tmp_path / f"{name}.db") as store:
            store.create_event("Apel", "2024-11-04", pledge=pledge.render(
                pledge.load_template("pemilu-2024"), {"instansi": "Pemerintah Kabupaten Uji"}))
            if before:
                store.upsert_people(_general(before))
            imported = (store.replace_roster if replace else store.upsert_people)(wrap(rows))
            results.append((imported, _state(store)))
    return results


@pytest.mark.parametrize("replace", [False, True])
def test_new_people_in_bulk_are_stored_as_one_by_one(tmp_path, replace):
    (bulk_counts, bulk), (general_counts, general) = _both(tmp_path, [], _rows(300), replace=replace)
    assert bulk == general and bulk_counts == general_counts
    assert bulk_counts.added == 300 and {p[1] for p in bulk[0]} == {"pns", "pppk"}


def test_known_people_among_new_ones_are_updated_or_left_as_they_are(tmp_path):
    before = _rows(40) + _rows(20, start=40, unit="Lama")   # 0-39 unchanged, 40-59 moved, 60-99 new
    (bulk_counts, bulk), (general_counts, general) = _both(tmp_path, before, _rows(100), replace=True)
    assert bulk == general and bulk_counts == general_counts
    assert (bulk_counts.added, bulk_counts.updated, bulk_counts.unchanged) == (40, 20, 40)


@pytest.mark.parametrize("case", ["duplicate", "nik", "empty"])
def test_rows_the_bulk_insert_does_not_take_are_matched_one_by_one(tmp_path, case):
    rows = _rows(10)
    if case == "duplicate":
        rows.append(rows[3]._replace(line=20, unit="Lain"))
    elif case == "nik":
        rows.append(RosterRow(20, "", "Ani", "Ani", "", "", "", "Dinas", nik="3404011508900001"))
    else:
        rows = []
    (bulk_counts, bulk), (general_counts, general) = _both(tmp_path, [], rows)
    assert bulk == general and bulk_counts == general_counts
