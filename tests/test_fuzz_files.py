"""Fuzz, part 2: the files a clerk may hand the kiosk (hypothesis + ``tests/corpus/``).

* Roster files through ``ikrar roster import``: truncated and damaged XLSX, HTML and XML saved as ``.xls``,
  wrong encodings, NUL bytes, 1,000 columns, 1 MB cells, formulas, non-Latin digits, random bytes.
* Foreign and damaged database files given as ``--db`` to every kind of command, and to the kiosk's own
  worker: another program's SQLite file, a truncated kiosk database, one with a damaged table, one from a
  newer version, an export given where a kiosk database belongs, a garbage WAL beside a good file.
* Tampered exports through ``verify``, ``merge`` and the readers: edited rows, removed rows, a forged
  check-in, a foreign key's seal, a trigger, a newer format, a truncated file, random bit flips.

Each must end in a result or a refusal in words, and a refused file changes nothing: the database's rows
(or the file's bytes) are the same after.  Full size: ``IKRAR_HARNESS_SCALE=full``.
"""
import hashlib
import io
import random
import shutil
import sqlite3

import forger
import openpyxl
import pytest
from harness import figure, size
from harness.checks import content_digest
from harness.fuzzing import UNEXPECTED, Tally, check_cli, corpus_files
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from signature_samples import realistic_signatures

from kiosk import demo
from kiosk.attendance.checkin import Desk
from kiosk.exchange.export import export_sqlite
from kiosk.store import Store
from ui.kiosk import app as kiosk_app
from ui.kiosk.service import KioskService
from ui.setup import commands as setup_commands
from ui.worker import describe

FUZZ = settings(max_examples=size(60, 1500), deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
tally = Tally()


@pytest.fixture(scope="module", autouse=True)
def _figures(request):
    yield
    figure(request.config, "fuzz_files_cases_tried", tally.cases)
    figure(request.config, "fuzz_files_crashes", tally.crashes)


@pytest.fixture
def cli_db(db_path, store, event):
    return db_path


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def _listing(folder, path=None) -> list[str]:
    """The folder's files, but the -wal and -shm SQLite itself keeps beside a database it has opened."""
    return sorted(x.name for x in folder.iterdir() if not x.name.endswith(("-wal", "-shm")))


# --- rosters ---------------------------------------------------------------------------------------------

def _import_case(ikrar, db, path, *extra):
    with tally.case():
        before = content_digest(db)
        code, out, err = ikrar("--db", db, "roster", "import", *extra, "--", path)
        check_cli(code, out, err)
        if code == 1:
            assert content_digest(db) == before, f"{path.name}: refused, yet the database changed"


def _xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    data = io.BytesIO()
    wb.save(data)
    return data.getvalue()


def _generated_rosters(folder, people):
    good = [["NIP", "Nama", "Jabatan", "Unit Kerja"], *[[p.nip, p.bare_name, p.position, p.unit] for p in people]]
    made = {}
    valid = _xlsx(good)
    for cut in (1, 5, 10, 30, 50, 70, 90, 99):                   # truncated XLSX, from nothing to nearly whole
        made[f"cut{cut}.xlsx"] = valid[: len(valid) * cut // 100]
    wide = [["NIP", "Nama", *[f"Kolom {k}" for k in range(998)]], *[[p.nip, p.bare_name, *range(998)]
                                                                     for p in people[:20]]]
    made["columns1000.xlsx"] = _xlsx(wide)
    made["columns1000.csv"] = "\r\n".join(";".join(map(str, r)) for r in wide).encode()
    made["huge_cell.csv"] = f"NIP;Nama;Jabatan\r\n{people[0].nip};{'A' * 1_000_000};x\r\n".encode()
    made["huge_cell.xlsx"] = _xlsx([["NIP", "Nama"], [people[1].nip, "B" * 32_000]])
    made["digits10k.csv"] = f"NIP;Nama\r\n{'1' * 10_000};Ani\r\n".encode()
    made["rows20k.csv"] = ("NIP;Nama;Unit Kerja\r\n" + "".join(
        f"{p.nip};{p.bare_name};{p.unit}\r\n" for p in demo.people(size(20_000, 100_000), seed=7))).encode()
    made["xlsx_named.csv"] = valid
    for name, data in made.items():
        (folder / name).write_bytes(data)
    return [folder / n for n in made]


def test_roster_files_from_the_corpus_and_made_here(ikrar, cli_db, people, tmp_path):
    for path in [*corpus_files("rosters"), *_generated_rosters(tmp_path, people)]:
        _import_case(ikrar, cli_db, path)
        if path.suffix == ".csv":
            _import_case(ikrar, cli_db, path, "--non-asn")


@pytest.fixture(scope="module")
def valid_xlsx():
    return _xlsx([["NIP", "Nama", "Unit Kerja"], *[[p.nip, p.bare_name, p.unit] for p in demo.people(40, seed=3)]])


@FUZZ
@given(flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=12))
def test_damaged_xlsx_fuzzed(ikrar, cli_db, tmp_path, valid_xlsx, flips):
    data = bytearray(valid_xlsx)
    for where, byte in flips:
        data[int(where * len(data))] = byte
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    _import_case(ikrar, cli_db, path)


@FUZZ
@given(text=st.text(max_size=600), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]),
       non_asn=st.booleans())
def test_csv_text_fuzzed(ikrar, cli_db, tmp_path, people, text, encoding, non_asn):
    path = tmp_path / "roster.csv"
    head = "NIK;Nama;Unit Kerja\r\n" if non_asn else "NIP;Nama;Unit Kerja\r\n"
    path.write_bytes((head + text.replace("{NIP}", people[0].nip)).encode(encoding, errors="replace"))
    _import_case(ikrar, cli_db, path, *(["--non-asn"] if non_asn else []))


# --- foreign and damaged databases ----------------------------------------------------------------------

def _kiosk_file(folder, name="good.db"):
    db = folder / name
    with Store(db) as store:
        demo.seed(store, 200)
        desk = Desk(store)
        for p in demo.people(40):
            desk.check_in(p.nip)
    return db


def _damaged_copies(folder):
    good = _kiosk_file(folder)
    data = good.read_bytes()
    conn = sqlite3.connect(good)
    roots = dict(conn.execute("SELECT name, rootpage FROM sqlite_master WHERE type = 'table'").fetchall())
    conn.close()
    made = {"half.db": data[: len(data) // 2], "first_page.db": data[:4096]}
    for table in ("checkins", "people", "settings", "scan_log"):
        bad = bytearray(data)
        page = roots[table] - 1
        bad[page * 4096: page * 4096 + 4096] = random.Random(table).randbytes(4096)
        made[f"damaged_{table}.db"] = bytes(bad)
    newer = bytearray(data)
    newer[60:64] = (999).to_bytes(4, "big")                      # user_version from a newer release
    made["newer.db"] = bytes(newer)
    for name, blob in made.items():
        (folder / name).write_bytes(blob)
    shutil.copy(good, folder / "garbage_wal.db")
    (folder / "garbage_wal.db-wal").write_bytes(random.Random(1).randbytes(20_000))
    export = folder / "export.db"
    with Store(good) as store:
        export_sqlite(store, store.active_event(), export)
    return [folder / n for n in (*made, "garbage_wal.db", "export.db")]


COMMANDS = (("status",), ("attendance",), ("checkin", "--", "{NIP}"), ("roster", "import", "{CSV}"),
            ("export", "sqlite", "-o", "{OUT}"), ("export", "csv", "-o", "{OUT}.csv"), ("event", "list"),
            ("person", "add", "--name", "Tamu Uji", "--guest"), ("kiosk",))


def test_foreign_and_damaged_database_files(ikrar, tmp_path, people, monkeypatch):
    windows = []                                  # a file that opens reaches the screen, which says what is wrong
    monkeypatch.setattr(kiosk_app, "run_kiosk", lambda path, **k: windows.append(path.name) or 0)
    setups = []                                   # one with no PIN or no event opens the first-run setup (closed)
    monkeypatch.setattr(setup_commands, "run_setup", lambda path, **k: setups.append(path.name) or None)
    folder = tmp_path / "dbs"
    folder.mkdir()
    for p in corpus_files("databases"):
        shutil.copy(p, folder / p.name)
    files = [*(folder / p.name for p in corpus_files("databases")), *_damaged_copies(folder)]
    csv_file = tmp_path / "list.csv"
    csv_file.write_text(f"NIP;Nama\r\n{people[0].nip};Ani\r\n", "utf-8")
    refused = 0
    for path in files:
        for k, command in enumerate(COMMANDS):
            args = [a.replace("{NIP}", people[0].nip).replace("{CSV}", str(csv_file))
                    .replace("{OUT}", str(tmp_path / f"out-{path.stem}-{k}")) for a in command]
            with tally.case():
                before, siblings = _sha(path), _listing(folder, path)
                shown = len(setups)
                code, out, err = ikrar("--db", path, *args)
                if len(setups) > shown:               # the setup window, closed: nothing refused, nothing written
                    assert code == 1 and not any(u in out + err for u in UNEXPECTED), (path.name, out + err)
                    assert _sha(path) == before, f"{path.name}: the setup was closed, yet the file changed"
                    continue
                check_cli(code, out, err)
                if code == 1:
                    refused += 1
                    assert _sha(path) == before, f"{path.name} {command}: refused, yet the file changed"
                    assert _listing(folder, path) == siblings, (path.name, command)
    assert refused >= len(files) * 3
    assert set(windows) <= {"damaged_checkins.db", "damaged_scan_log.db", "damaged_people.db", "garbage_wal.db"}


def _kiosk_says(qtbot, path, nip) -> tuple[str, bool]:
    """What the kiosk's service says opening ``path`` (and, if it opens, at its first scan); whether it opened."""
    service = KioskService(path)
    said: list = []
    service.failed.connect(said.append)
    service.opened.connect(lambda info: said.append(None))
    try:
        service.open()
        qtbot.waitUntil(lambda: bool(said), timeout=10000)
        if said[0] is not None:
            return said[0], False
        answers: list = []                               # it opened: the damage shows at the first scan
        service.check_in(nip, success=lambda r: answers.append(r.message),
                         failure=lambda exc: answers.append(describe(exc)))
        qtbot.waitUntil(lambda: bool(answers), timeout=10000)
        return answers[0], True
    finally:
        service.shutdown()


def test_the_kiosk_screen_on_a_bad_file_says_what_is_wrong(qtbot, tmp_path):
    """Opening refused in words; a file whose damage is further in opens, and a scan then says it in words."""
    folder = tmp_path / "dbs"
    folder.mkdir()
    files = [*_damaged_copies(folder), *(shutil.copy(p, folder / p.name) and folder / p.name
                                         for p in corpus_files("databases"))]
    nip = next(demo.people(1)).nip
    opened_anyway = []
    for path in files:
        with tally.case():
            message, opened = _kiosk_says(qtbot, path, nip)
            if opened:
                opened_anyway.append(path.name)
            assert message.strip() and not any(u in message for u in UNEXPECTED), (path.name, message)
    assert set(opened_anyway) <= {"damaged_people.db", "damaged_scan_log.db", "garbage_wal.db"}


# --- tampered exports -------------------------------------------------------------------------------------

@pytest.fixture
def genuine(tmp_path_factory):
    """A kiosk database with signed check-ins and its export (its key in this test's own key store)."""
    folder = tmp_path_factory.mktemp("exports")
    db = folder / "kiosk.db"
    with Store(db) as store:
        demo.seed(store, 60)
        desk = Desk(store)
        for p, sig in zip(demo.people(25), realistic_signatures(25)):
            desk.check_in(p.nip, signature=sig)
        export_sqlite(store, store.active_event(), folder / "genuine.db")
    return db, folder / "genuine.db"


def _edit(source, target, sql=(), fn=None):
    shutil.copy(source, target)
    conn = forger.open_db(target)
    for statement in sql:
        conn.execute(statement)
    if fn is not None:
        fn(conn)
    conn.commit()
    conn.close()
    return target


def _tampered(folder, genuine_file):
    key = forger.Ed25519PrivateKey.generate()

    def forged_checkin(conn):
        device = forger.manifest(conn)["device_id"]
        forger.add_checkin(conn, device, "199001012019031001", "2024-11-04T00:40:00.000Z")

    def resealed(conn):
        forged_checkin(conn)
        forger.reseal_device(conn, forger.manifest(conn)["device_id"], key)

    edits = {
        "name_edited": ["UPDATE people SET name = 'Orang Lain' WHERE rowid = 1"],
        "name_rehashed": (["UPDATE people SET name = 'Orang Lain' WHERE rowid = 1"],
                          lambda c: forger.rehash_rows(c, "people")),
        "checkin_deleted": ["DELETE FROM checkins WHERE rowid = 3"],
        "signature_nulled": ["UPDATE signatures SET samples = x'00' WHERE rowid = 2"],
        "manifest_dropped": ["DROP TABLE manifest"],
        "manifest_not_json": ["UPDATE manifest SET body_json = '{not json'"],
        "seal_not_hex": ["UPDATE manifest SET signature = 'zz'"],
        "trigger_added": ["CREATE TRIGGER t AFTER INSERT ON checkins BEGIN DELETE FROM people; END"],
        "view_added": ["CREATE VIEW hadir AS SELECT 'palsu' AS name"],
        "newer_format": ["PRAGMA user_version = 99"],
        "claims_kiosk": ["PRAGMA application_id = 1229671985"],
        "wal_mode": ["PRAGMA journal_mode = WAL"],
        "forged_checkin": ((), forged_checkin),
        "resealed_by_stranger": ((), resealed),
    }
    made = []
    for name, edit in edits.items():
        sql, fn = (edit, None) if isinstance(edit, list) else edit
        made.append(_edit(genuine_file, folder / f"{name}.db", sql, fn))
    data = genuine_file.read_bytes()
    for cut in (10, 50, 90):
        (folder / f"cut{cut}.db").write_bytes(data[: len(data) * cut // 100])
        made.append(folder / f"cut{cut}.db")
    return made


def _export_case(ikrar, kiosk_db, path, merged, folder, *, must_refuse):
    with tally.case():
        code, out, err = ikrar("--db", kiosk_db, "verify", path)
        check_cli(code, out, err)
        if must_refuse:
            assert code == 1, (path.name, out)
        before, siblings = _sha(merged), sorted(x.name for x in folder.iterdir())
        code, out, err = ikrar("--db", kiosk_db, "merge", path, merged.with_name("genuine.db"), "-o", merged)
        check_cli(code, out, err)
        if code == 1:
            assert _sha(merged) == before and sorted(x.name for x in folder.iterdir()) == siblings, path.name
        elif must_refuse:
            pytest.fail(f"{path.name} was merged")
        for reader in (("status",), ("attendance",), ("export", "csv", "-o", str(folder / "x.csv"))):
            code, out, err = ikrar("--db", path, *reader)
            check_cli(code, out, err)
            (folder / "x.csv").unlink(missing_ok=True)


def test_tampered_exports(ikrar, genuine, tmp_path):
    kiosk_db, genuine_file = genuine
    folder = tmp_path / "files"
    folder.mkdir()
    shutil.copy(genuine_file, folder / "genuine.db")
    merged = folder / "merged.db"
    code, out, err = ikrar("--db", kiosk_db, "merge", folder / "genuine.db", "-o", merged)
    assert code == 0, err
    for path in _tampered(folder, genuine_file):
        _export_case(ikrar, kiosk_db, path, merged, folder,
                     must_refuse=path.stem != "wal_mode")          # the same content, journaled otherwise


@settings(FUZZ, max_examples=size(30, 800))
@given(flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8))
@example(flips=[(0.3984375, 128)])        # a table's name in integrity_check's report no longer UTF-8
def test_exports_with_random_bytes_changed(ikrar, genuine, tmp_path, flips):
    kiosk_db, genuine_file = genuine
    folder = tmp_path / "flip"
    folder.mkdir(exist_ok=True)
    shutil.copy(genuine_file, folder / "genuine.db")
    merged = folder / "merged.db"
    if not merged.exists():
        assert ikrar("--db", kiosk_db, "merge", folder / "genuine.db", "-o", merged)[0] == 0
    data = bytearray(genuine_file.read_bytes())
    for where, byte in flips:
        data[int(where * len(data))] = byte
    path = folder / "flipped.db"
    path.write_bytes(bytes(data))
    _export_case(ikrar, kiosk_db, path, merged, folder, must_refuse=False)
