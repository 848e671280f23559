"""Merging the exports of one event from several kiosks into one file.

Rules:

* every input must pass ``verify`` (with this kiosk's known device keys), and all must be of the
  same event; otherwise nothing is written and the refusal names the file and the reason;
* an existing output file is itself an input, so merging a laptop's file into the master file
  again, or merging the same file twice, changes nothing (idempotent by UUID);
* each device's rows and signed manifest are taken whole from the input that holds the longest
  history of that device; any other copy must be a prefix of it (the same chain), else the device
  has two histories (a kiosk file copied instead of cloned) and the merge is refused;
* people, events and pledges are the union by key (people: the most recently updated row);
* the same NIP checked in on two devices keeps both rows: the earliest (by UTC time, then uuid)
  is the attendance, every later one gets ``duplicate_of`` = the earliest's uuid;
* the output is an export like any other, plus a merge manifest signed by this device.  It is a
  pure function of the inputs' content and this device's key: the same inputs give the same bytes.

Imports no Qt.
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.exchange.files import ExportFile, atomic_output, check_output, open_export
from kiosk.exchange.format import (
    COLUMNS,
    KEY,
    REFERENCE_TABLES,
    columns,
    create_schema,
    insert_sql,
    row_sha256,
    upgrade_row,
    with_row_hash,
)
from kiosk.exchange.manifest import Manifest, insert_manifest, manifest_body
from kiosk.exchange.report import Report
from kiosk.exchange.sealing import Passphrase
from kiosk.exchange.verify import Verifier, verify_file
from kiosk.i18n import KioskError, register, t
from kiosk.security import keys
from kiosk.store import GENESIS_HASH, Store

register({
    "merge.no_input": {
        "id": "Sebutkan minimal satu berkas ekspor untuk digabung.",
        "en": "Name at least one export file to merge.",
    },
    "merge.refused": {
        "id": "Berkas {path} tidak digabung karena gagal verifikasi: {reason}{more} Tidak ada yang diubah. "
              "Minta ekspor ulang dari kiosk tersebut, lalu gabungkan lagi.",
        "en": "{path} was not merged because it failed verification: {reason}{more} Nothing was changed. "
              "Ask that kiosk for a fresh export, then merge again.",
    },
    "merge.more": {"id": " (dan {count} masalah lain).", "en": " (and {count} more problems)."},
    "merge.other_event": {
        "id": "Berkas {path} berasal dari acara lain ({found}), sedangkan {first} dari acara {expected}. "
              "Gabungkan hanya ekspor dari acara yang sama. Tidak ada yang diubah.",
        "en": "{path} is from another event ({found}), while {first} is from event {expected}. "
              "Merge only exports of the same event. Nothing was changed.",
    },
    "merge.key_conflict": {
        "id": "Perangkat {device} muncul dengan dua kunci berbeda ({first} di {first_path}, {second} di "
              "{second_path}): berkas kiosk disalin ke laptop lain alih-alih dibuat dengan 'ikrar clone', atau "
              "salah satunya ditandatangani ulang oleh pihak lain. Tidak ada yang diubah; hubungi petugas TI.",
        "en": "Device {device} appears with two different keys ({first} in {first_path}, {second} in "
              "{second_path}): a kiosk file was copied to another laptop instead of made with 'ikrar clone', "
              "or one of them was re-signed by someone else. Nothing was changed; call your IT officer.",
    },
    "merge.forked": {
        "id": "Perangkat {device} punya dua riwayat check-in yang berbeda ({first} dan {second}). Biasanya "
              "berkas kiosk disalin ke laptop lain alih-alih dibuat dengan 'ikrar clone'. Tidak ada yang "
              "diubah; hubungi petugas TI.",
        "en": "Device {device} has two different check-in histories ({first} and {second}). Usually a kiosk "
              "file was copied to another laptop instead of made with 'ikrar clone'. Nothing was changed; "
              "call your IT officer.",
    },
    "merge.uuid_clash": {
        "id": "Baris {table} {uuid} muncul pada perangkat {first} dan {second}. Tidak ada yang diubah; "
              "hubungi petugas TI.",
        "en": "The {table} row {uuid} appears on devices {first} and {second}. Nothing was changed; "
              "call your IT officer.",
    },
    "merge.event_differs": {
        "id": "Data acara berbeda antar-perangkat (judul, tempat atau ikrar aktif); dipakai salah satunya.",
        "en": "The event's details differ between devices (title, venue or current pledge); one was kept.",
    },
    "merge.people_differ": {
        "id": "{count} peserta punya data berbeda antar-perangkat; dipakai yang paling baru diperbarui.",
        "en": "{count} people differ between devices; the most recently updated rows were kept.",
    },
    "merge.done": {
        "id": "Gabungan tersimpan di {path}: {devices} perangkat, {checkins} check-in, {present} hadir, "
              "{duplicates} ganda ({added} check-in baru).",
        "en": "Merged into {path}: {devices} devices, {checkins} check-ins, {present} present, "
              "{duplicates} duplicates ({added} new check-ins).",
    },
    "merge.unchanged": {
        "id": "Tidak ada yang berubah: {path} sudah memuat semuanya ({checkins} check-in, {present} hadir, "
              "{duplicates} ganda).",
        "en": "Nothing changed: {path} already holds everything ({checkins} check-ins, {present} present, "
              "{duplicates} duplicates).",
    },
})


@dataclass
class Section:
    """One device's signed history inside one input file."""
    file: ExportFile
    manifest: Manifest

    @property
    def device_id(self) -> str:
        return self.manifest.device_id

    @property
    def length(self) -> int:
        return self.manifest.body.get("chain_length") or 0

    @property
    def rank(self) -> tuple:
        b = self.manifest.body
        return (self.length, b.get("scan_log") or 0, b.get("signatures") or 0, b.get("created_at") or "",
                self.manifest.sha256)


def merge(store: Store, inputs: list[str | os.PathLike], out: str | os.PathLike, *,
          passphrase: Passphrase | None = None, encrypt: bool | None = None, admit: Sequence[str] = ()) -> dict:
    """Merge ``inputs`` (and an existing ``out``) into ``out``; see the module docstring.

    ``encrypt``: None keeps encryption when any input (or the existing output) is encrypted;
    ``admit``: key fingerprints of devices the organiser vouches for (trusted from now on, audit-logged).
    """
    if not inputs:
        raise KioskError("merge.no_input")
    out = Path(out)
    check_output(out, store)
    passphrase = passphrase or Passphrase()
    admitted = frozenset(a.strip().lower() for a in admit)
    files, reports = _open_verified(store, _paths(inputs, out), passphrase, admitted)
    event_uuid = _same_event(files, reports)
    chosen = _choose([Section(f, m) for f, r in zip(files, reports) for m in r.manifests if m.kind == "device"])
    _check_clashes(chosen)
    previous = _previous(files, reports, out)
    secret = _output_secret(passphrase, out, encrypt, previous, any(f.encrypted for f in files))
    key = keys.device_key(store)
    with atomic_output(out, secret, same_as=_same_as(previous, secret)) as output:
        warnings = _write(output.conn, files, reports, chosen)
        body = _merge_manifest(output.conn, store, key, event_uuid, chosen)
        _self_check(output.conn)
    _register_admitted(store, reports, admitted, str(out))
    added = body["checkins"] - (previous[1].checkins if previous else 0)
    store.audit("merge", devices=len(chosen), checkins=body["checkins"], added=added, unchanged=output.unchanged)
    return {"ok": True, "file": str(out), "event": event_uuid, "inputs": [str(f.path) for f in files],
            "devices": len(chosen), "checkins": body["checkins"], "present": body["present"],
            "duplicates": body["duplicates"], "people": body["people"], "signatures": body["signatures"],
            "added": added, "unchanged": output.unchanged, "encrypted": secret is not None,
            "warnings": warnings}


# --- inputs ------------------------------------------------------------------------------------

def _paths(inputs: list, out: Path) -> list[Path]:
    """Inputs in the order given, each once; an existing output file joins them last."""
    paths, seen = [], set()
    candidates = [Path(p) for p in inputs]
    if out.exists() and out.stat().st_size:
        candidates.append(out)
    for path in candidates:
        real = path.resolve()
        if real not in seen:
            seen.add(real)
            paths.append(path)
    return paths


def _open_verified(store: Store, paths: list[Path], passphrase: Passphrase,
                   admitted: frozenset[str]) -> tuple[list, list]:
    files, reports = [], []
    for path in paths:
        file = open_export(path, passphrase)
        report = verify_file(file, trust=store, admitted=admitted, deep=False)   # samples held to their hashes
        if not report.ok:
            more = t("merge.more", count=len(report.problems) - 1) if len(report.problems) > 1 else ""
            raise KioskError("merge.refused", path=str(path), reason=report.problems[0].message, more=more)
        files.append(file)
        reports.append(report)
    return files, reports


def _same_event(files: list[ExportFile], reports: list[Report]) -> str:
    expected = reports[0].event_uuid or ""
    for file, report in zip(files, reports):
        if report.event_uuid != expected:
            raise KioskError("merge.other_event", path=str(file.path), found=report.event_uuid,
                             first=str(files[0].path), expected=expected)
    return expected


def _choose(sections: list[Section]) -> dict[str, Section]:
    """Per device, the section with the longest history; every other copy must be a prefix of it."""
    by_device: dict[str, list[Section]] = {}
    for section in sections:
        by_device.setdefault(section.device_id, []).append(section)
    chosen = {}
    for device, group in sorted(by_device.items()):
        first = group[0]
        for other in group[1:]:
            a, b = str(first.manifest.body.get("public_key")), str(other.manifest.body.get("public_key"))
            if a != b:
                raise KioskError("merge.key_conflict", device=device, first=keys.fingerprint(a),
                                 second=keys.fingerprint(b), first_path=str(first.file.path),
                                 second_path=str(other.file.path))
        best = max(group, key=lambda s: s.rank)
        for other in group:
            if other is not best and not _is_prefix(best, other):
                raise KioskError("merge.forked", device=device, first=str(best.file.path),
                                 second=str(other.file.path))
        chosen[device] = best
    return chosen


def _is_prefix(best: Section, other: Section) -> bool:
    """True when ``other``'s chain (and scan log) are contained in ``best``'s."""
    device, length = other.device_id, other.length
    head = other.manifest.body.get("chain_head")
    found: str | None
    with _connect(best.file) as conn:
        if length == 0:
            found = GENESIS_HASH
        else:
            row = conn.execute("SELECT row_hash FROM checkins WHERE device_id = ? AND seq = ? UNION ALL "
                               "SELECT row_hash FROM chain_gaps WHERE device_id = ? AND seq = ?",
                               (device, length, device, length)).fetchone()
            found = row[0] if row else None
        best_log = _uuids(conn, "scan_log", device)
    with _connect(other.file) as conn:
        other_log = _uuids(conn, "scan_log", device)
    return found == head and other_log <= best_log


class _connect:
    """``with _connect(file) as conn``: a short-lived read connection."""

    def __init__(self, file: ExportFile) -> None:
        self.conn = file.connect()

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


def _uuids(conn: sqlite3.Connection, table: str, device: str) -> set[str]:
    return {r[0] for r in conn.execute(f"SELECT uuid FROM {table} WHERE device_id = ?", (device,))}


def _check_clashes(chosen: dict[str, Section]) -> None:
    """A check-in or scan uuid may belong to one device only."""
    for table in ("checkins", "scan_log"):
        owner: dict[str, str] = {}
        for device, section in chosen.items():
            with _connect(section.file) as conn:
                for uid in _uuids(conn, table, device):
                    if owner.setdefault(uid, device) != device:
                        raise KioskError("merge.uuid_clash", table=table, uuid=uid, first=owner[uid], second=device)


Previous = tuple[ExportFile, Report] | None


def _previous(files: list[ExportFile], reports: list[Report], out: Path) -> Previous:
    """(file, report) of the existing output file, when there is one."""
    for file, report in zip(files, reports):
        if out.exists() and file.path.resolve() == out.resolve():
            return file, report
    return None


def _same_as(previous: Previous, secret: str | None) -> Callable[[bytes], bool] | None:
    """Compares a new result with the existing output (same encryption state only): equal means unchanged."""
    if previous is None or previous[0].encrypted != (secret is not None):
        return None
    return previous[0].plaintext().__eq__


def _output_secret(passphrase: Passphrase, out: Path, encrypt: bool | None, previous: Previous,
                   encrypted_input: bool) -> str | None:
    """Encryption is kept: an encrypted master file, or encrypted inputs, give an encrypted output (with the
    same passphrase) unless ``encrypt`` is False (``--no-encrypt``)."""
    if encrypt is False:
        return None
    if (previous is not None and previous[0].encrypted) or (encrypt is None and encrypted_input):
        return passphrase.get(str(out))
    return passphrase.new(str(out)) if encrypt else None


def _register_admitted(store: Store, reports: list[Report], admitted: frozenset[str], source: str) -> None:
    """Devices the organiser vouched for by fingerprint are trusted from now on."""
    for report in reports:
        for device_id, public in report.device_keys().items():
            if keys.known_key(store, device_id) is None and keys.fingerprint(public) in admitted:
                keys.register_device(store, device_id, public, "admitted", source)


# --- writing -----------------------------------------------------------------------------------

def _write(conn: sqlite3.Connection, files: list[ExportFile], reports: list[Report],
           chosen: dict[str, Section]) -> list[str]:
    conn.execute("BEGIN")
    create_schema(conn)
    warnings = _write_reference(conn, files, reports)
    conn.execute("COMMIT")
    for device in sorted(chosen):
        _copy_device(conn, chosen[device])
    conn.execute("BEGIN")
    _mark_duplicates(conn)
    conn.execute("COMMIT")
    return warnings


def _covering(report: Report) -> Manifest:
    merges = [m for m in report.manifests if m.kind == "merge"]
    return merges[0] if merges else report.manifests[0]


def _better(table: str, new: dict, old: dict) -> bool:
    """Which of two rows with the same key to keep; any order of inputs gives the same answer."""
    if table == "people":                       # the most recently updated roster row
        return (new["updated_at"], new["row_sha256"]) > (old["updated_at"], old["row_sha256"])
    if table == "pledges":                      # the first time the text was saved
        return (new["created_at"], new["row_sha256"]) < (old["created_at"], old["row_sha256"])
    return new["row_sha256"] > old["row_sha256"]


def _write_reference(conn: sqlite3.Connection, files: list[ExportFile], reports: list[Report]) -> list[str]:
    """Union of events, pledges and people; an input whose table digest was already read is skipped."""
    merged: dict[str, dict] = {table: {} for table in REFERENCE_TABLES}
    differ: dict[str, set] = {table: set() for table in REFERENCE_TABLES}
    seen: set[tuple[str, str | None]] = set()
    for file, report in zip(files, reports):
        digests = _covering(report).body.get("digests") or {}
        with _connect(file) as src:
            for table in REFERENCE_TABLES:
                if (table, digests.get(table)) in seen:
                    continue
                seen.add((table, digests.get(table)))
                _collect(src, table, merged[table], differ[table], file.version)
    for table in ("pledges", "events", "people"):
        rows = (with_row_hash(table, merged[table][k]) for k in sorted(merged[table]))
        conn.executemany(insert_sql(table), rows)
    warnings = []
    if differ["events"]:
        warnings.append(t("merge.event_differs"))
    if differ["people"]:
        warnings.append(t("merge.people_differ", count=len(differ["people"])))
    return warnings


def _collect(src: sqlite3.Connection, table: str, into: dict, differ: set, version: int) -> None:
    """Rows of ``table`` from one input (of any format), in the current shape with their current hash."""
    key, cols = KEY[table], columns(version)[table]
    for r in src.execute(f"SELECT {', '.join(cols)} FROM {table}"):
        row = upgrade_row(table, dict(zip(cols, r)), version)
        row["row_sha256"] = row_sha256(table, row)
        old = into.get(row[key])
        if old is not None and old["row_sha256"] != row["row_sha256"]:
            differ.add(row[key])
        if old is None or _better(table, row, old):
            into[row[key]] = row


def _copy_device(conn: sqlite3.Connection, section: Section) -> None:
    """A device's rows, chain gaps, signatures, scan log and signed manifest, copied whole."""
    device = section.device_id
    section.file.attach(conn, "src")
    try:
        conn.execute("BEGIN")
        _copy(conn, "checkins", "FROM src.checkins WHERE device_id = ? ORDER BY seq", (device,),
              override={"duplicate_of": "NULL"})
        _copy(conn, "chain_gaps", "FROM src.chain_gaps WHERE device_id = ? ORDER BY seq", (device,))
        # A format-1 device's signatures keep their JSON strokes, as its manifest signed them.
        _copy(conn, "signatures", "FROM src.signatures s JOIN src.checkins c ON c.uuid = s.checkin_uuid "
                                  "WHERE s.device_id = ? ORDER BY c.seq", (device,), prefix="s.",
              override={"samples": "NULL", "samples_sha256": "NULL"} if section.file.version == 1 else None)
        _copy(conn, "scan_log", "FROM src.scan_log WHERE device_id = ? ORDER BY at, uuid", (device,))
        if "absences" in columns(section.file.version):
            _copy(conn, "absences", "FROM src.absences WHERE device_id = ? ORDER BY at, uuid", (device,))
        _copy(conn, "manifest", "FROM src.manifest WHERE id = ?", (section.manifest.row_id,))
        conn.execute("COMMIT")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.execute("DETACH src")


def _copy(conn: sqlite3.Connection, table: str, tail: str, args: tuple, *, prefix: str = "",
          override: dict | None = None) -> None:
    cols = COLUMNS[table]
    picked = ", ".join((override or {}).get(c, prefix + c) for c in cols)
    conn.execute(f"INSERT INTO main.{table} ({', '.join(cols)}) SELECT {picked} {tail}", args)


def _mark_duplicates(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE checkins SET duplicate_of = f.first FROM (SELECT uuid, first_value(uuid) OVER "
                 "(PARTITION BY event_uuid, nip ORDER BY checked_in_at, uuid) AS first FROM checkins) AS f "
                 "WHERE f.uuid = checkins.uuid AND f.first <> checkins.uuid")


def _merge_manifest(conn: sqlite3.Connection, store: Store, key: Ed25519PrivateKey, event_uuid: str,
                    chosen: dict[str, Section]) -> dict:
    check = Verifier(conn)
    ref = check.reference_facts()
    facts = {**check.totals(), "people": ref["people"], "chain_length": None, "chain_head": None}
    devices = [{"device_id": d, "manifest_sha256": chosen[d].manifest.sha256} for d in sorted(chosen)]
    # The newest device export, not the clock: the same inputs always give the same file.
    as_of = max(s.manifest.body.get("created_at") or "" for s in chosen.values())
    body = manifest_body("merge", store.device_id, keys.public_hex(key), event_uuid, as_of, facts,
                         ref["digests"], devices)
    conn.execute("BEGIN")
    insert_manifest(conn, body, key)
    conn.execute("COMMIT")
    return body


def _self_check(conn: sqlite3.Connection) -> None:
    report = Verifier(conn, deep=False).run()       # rows copied byte for byte from verified inputs
    if not report.ok:
        raise KioskError("exchange.self_check", detail=report.problems[0].message)
