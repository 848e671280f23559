"""Verification of an export file: integrity, schema, manifests and signatures, chains, digests, counts.

The :class:`Verifier` is also what export and merge use to compute what they sign.
"""
from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable

from kiosk.ceremony import signature_codec
from kiosk.ceremony.pledge import text_sha256
from kiosk.exchange.files import ExportFile, open_export
from kiosk.exchange.format import (
    FORMATS,
    KEY,
    MIRRORED,
    REFERENCE_TABLES,
    columns,
    device_tables,
    reference_sha256,
    row_sha256,
)
from kiosk.exchange.hashing import Digest, ordered_digest, sha256_hex
from kiosk.exchange.manifest import Manifest
from kiosk.exchange.objects import KINDS, compare_objects
from kiosk.exchange.report import Problem, Report, show
from kiosk.exchange.sealing import Passphrase
from kiosk.i18n import KioskError, t
from kiosk.security import keys
from kiosk.store import GENESIS_HASH, Store, chain_hash


class Verifier:
    """Checks one export file.  Also used by export and merge to compute what they sign."""

    def __init__(self, conn: sqlite3.Connection, schema: str = "main", *, deep: bool = True) -> None:
        self.conn = conn
        self.s = schema
        self.version: int = conn.execute(f"PRAGMA {schema}.user_version").fetchone()[0]
        self.cols = columns(self.version)
        # Decode every signature's samples and hash them against the check-in's signature SHA-256 (what a
        # recording kiosk vouched for).  Without it, the samples are still held to samples_sha256, which the
        # row hash and the device's signed digest cover: no change goes unnoticed either way.
        self.deep = deep
        self.problems: list[Problem] = []

    def add(self, code: str, table: str | None = None, row: str | None = None, field: str | None = None,
            **params: object) -> None:
        if row and table in _WHO and "person" not in params:
            params["person"] = self._who(table, row)
        self.problems.append(Problem(code, table, row, field, params))

    def _who(self, table: str, row: str) -> str | None:
        """The person a row is about, as a reader knows them: badge (NIP or code) and name."""
        key, _, value = row.partition("=")
        if key != KEY.get(table, "uuid"):               # checkins: uuid=…
            return None
        try:
            found = self.q(_WHO[table], (value,)).fetchone()
        except sqlite3.Error:                            # a table too damaged to ask: the row is named anyway
            return None
        if not found or found[0] is None:
            return None
        name = " ".join(str(found[1] or "").split())
        return f"{found[0]}, {name[:80]}" if name else str(found[0])

    def q(self, sql: str, args: tuple = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql.replace("{s}", self.s), args)

    # --- structure ---------------------------------------------------------------------------

    def integrity(self) -> bool:
        try:
            rows = [r[0] for r in self.q("PRAGMA {s}.integrity_check")]
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:   # too damaged to list (or name) what is wrong
            rows = [str(exc)]
        if rows != ["ok"]:
            self.add("verify.integrity", detail="; ".join(rows[:3]))
        return rows == ["ok"]

    def objects(self) -> None:
        """The file's tables, views, triggers and indexes are exactly the format's (:mod:`.objects`)."""
        for code, kind, name in compare_objects(self.conn, self.s, self.version):
            self.add(code, "sqlite_master", name, kind, kind=t(f"verify.object_{kind}") if kind in KINDS else kind,
                     name=name)

    def schema(self) -> bool:
        ok = True
        for table, names in self.cols.items():
            present = {r[1] for r in self.q(f"PRAGMA {{s}}.table_info({table})")}
            if not present:
                self.add("verify.schema_table", table=table)
                ok = False
                continue
            for column in names:
                if column not in present:
                    self.add("verify.schema_column", table=table, field=column)
                    ok = False
        return ok

    def manifests(self) -> list[Manifest]:
        found, seen = [], set()
        cols = ", ".join(self.cols["manifest"])
        for r in self.q(f"SELECT id, {cols} FROM {{s}}.manifest ORDER BY id"):
            row = dict(zip(self.cols["manifest"], r[1:]))
            try:
                body = json.loads(row["body_json"])
                if not isinstance(body, dict):
                    raise ValueError
            except (TypeError, ValueError):
                self.add("verify.manifest_json", "manifest", str(r[0]))
                continue
            m = Manifest(r[0], row, body)
            label = (m.kind, m.device_id if m.kind == "device" else "")
            if m.kind not in ("device", "merge") or label in seen:
                self.add("verify.manifest_kind", "manifest", str(r[0]), "kind", found=m.kind, device=m.device_id)
                continue
            seen.add(label)
            self._check_manifest(m)
            found.append(m)
        if not any(m.kind == "device" for m in found):
            self.add("verify.no_manifest", "manifest")
        return found

    def _check_manifest(self, m: Manifest) -> None:
        who = {"kind": m.kind, "device": m.device_id}
        for name in MIRRORED:
            if m.row[name] != m.body.get(name):
                self.add("verify.manifest_field", "manifest", f"id={m.row_id}", name, found=show(m.row[name]),
                         signed=show(m.body.get(name)), **who)
        # A merged file may carry a device's manifest of an earlier format, never of a later one.
        if m.body.get("format_version") not in FORMATS or m.body["format_version"] > self.version:
            self.add("verify.manifest_format", "manifest", f"id={m.row_id}", "format_version",
                     found=show(m.body.get("format_version")), known=self.version, **who)
        body_json = m.row["body_json"]
        if not keys.signature_ok(str(m.body.get("public_key")), str(body_json).encode("utf-8"),
                                 str(m.row["signature"])):
            self.add("verify.signature", "manifest", f"id={m.row_id}", "signature", **who)

    # --- per device --------------------------------------------------------------------------

    def device_facts(self, device: str) -> dict:
        """Counts, time range, chain and digests of one device's rows, checking each row on the way."""
        facts = self._chain(device)
        counts, checkins_digest = self._checkins(device)
        facts.update(counts)
        facts["signatures"], signatures_digest = self._signatures(device)
        facts["scan_log"], scan_log_digest = self._scan_log(device)
        facts["digests"] = {"checkins": checkins_digest, "signatures": signatures_digest,
                            "scan_log": scan_log_digest}
        if "absences" in self.cols:
            facts["absences"], facts["digests"]["absences"] = self._absences(device)
        return facts

    def _chain(self, device: str) -> dict:
        rows = self.q("SELECT seq, prev_hash, row_hash, uuid, 'checkins' FROM {s}.checkins WHERE device_id = ? "
                      "UNION ALL SELECT seq, prev_hash, row_hash, NULL, 'chain_gaps' FROM {s}.chain_gaps "
                      "WHERE device_id = ? ORDER BY 1, 5", (device, device))
        expected, head, count = 1, GENESIS_HASH, 0
        for seq, prev_hash, row_hash, uid, table in rows:
            count += 1
            label = f"uuid={uid}" if uid else f"seq={seq}"
            if not isinstance(seq, int) or seq < expected:
                self.add("verify.chain_repeat", table, label, "seq", device=device, seq=show(seq))
                continue
            if seq > expected:
                self.add("verify.chain_missing", table, None, "seq", device=device, first=expected, last=seq - 1)
            if prev_hash != head:
                self.add("verify.chain_link", table, label, "prev_hash", device=device, seq=seq, before=seq - 1)
            head, expected = row_hash, seq + 1
        return {"chain_length": count, "chain_head": head}

    def _checkins(self, device: str) -> tuple[dict, str]:
        cols = ", ".join(self.cols["checkins"])
        hashes, nips, times = [], set(), []
        rows = 0
        for r in self.q(f"SELECT {cols} FROM {{s}}.checkins WHERE device_id = ? ORDER BY seq", (device,)):
            row = dict(zip(self.cols["checkins"], r))
            rows += 1
            nips.add(row["nip"])
            times.append(row["checked_in_at"])
            hashes.append(row["row_hash"])
            if chain_hash(row) != row["row_hash"]:
                self._row_hash_problem(row)
        return {"checkins": rows, "present": len(nips), "duplicates": rows - len(nips),
                "first_checkin_at": min(times, default=None), "last_checkin_at": max(times, default=None)}, \
            ordered_digest(hashes)

    def _row_hash_problem(self, row: dict) -> None:
        """Name the edited field when another record still holds the original value."""
        field_name, witness = self._suspect(row)
        hint = t("verify.hint", field=field_name, witness=witness) if field_name else ""
        self.add("verify.row_hash", "checkins", f"uuid={row['uuid']}", field_name or "row_hash",
                 device=row["device_id"], seq=row["seq"], hint=hint)

    def _suspect(self, row: dict) -> tuple[str | None, str | None]:
        log = self.q("SELECT nip, at, method, utc_offset FROM {s}.scan_log WHERE checkin_uuid = ? "
                     "AND reason = 'recorded' ORDER BY at LIMIT 1", (row["uuid"],)).fetchone()
        if log:
            for name, value in zip(("nip", "checked_in_at", "method", "utc_offset"), log):
                if row[name] != value:
                    return name, "scan_log"
        sig = self.q("SELECT sha256, pledge_sha256 FROM {s}.signatures WHERE checkin_uuid = ?",
                     (row["uuid"],)).fetchone()
        if sig:
            for name, value in zip(("signature_sha256", "pledge_sha256"), sig):
                if row[name] != value:
                    return name, "signatures"
        return None, None

    def _signatures(self, device: str) -> tuple[int, str]:
        names = self.cols["signatures"]
        cols = ", ".join("s." + c for c in names)
        digest, count = Digest(), 0
        rows = self.q(f"SELECT {cols}, c.uuid, c.signature_sha256, c.pledge_sha256, c.device_id "
                      f"FROM {{s}}.signatures s LEFT JOIN {{s}}.checkins c ON c.uuid = s.checkin_uuid "
                      f"WHERE s.device_id = ?", (device,))
        for r in rows:
            row = dict(zip(names, r))
            count += 1
            self._signature_row(row, *r[len(names):])
            digest.add(row["checkin_uuid"], row_sha256("signatures", row, self.version))
        for (uid,) in self.q("SELECT c.uuid FROM {s}.checkins c LEFT JOIN {s}.signatures s "
                             "ON s.checkin_uuid = c.uuid WHERE c.device_id = ? AND c.signature_sha256 IS NOT NULL "
                             "AND s.checkin_uuid IS NULL", (device,)):
            self.add("verify.missing_row", "checkins", f"uuid={uid}", "signature_sha256", ref="signature",
                     target="signatures")
        return count, digest.hexdigest()

    def _signature_row(self, row: dict, c_uuid: str | None, c_sig: str | None, c_pledge: str | None,
                       c_device: str | None) -> None:
        label = f"checkin_uuid={row['checkin_uuid']}"
        if c_uuid is None:
            self.add("verify.missing_row", "signatures", label, "checkin_uuid", ref="check-in", target="checkins")
        self._samples(row, label)
        if c_uuid is not None and row["sha256"] != c_sig:
            self.add("verify.field_hash", "signatures", label, "sha256", against="checkins.signature_sha256")
        if c_uuid is not None and row["pledge_sha256"] != c_pledge:
            self.add("verify.field_hash", "signatures", label, "pledge_sha256", against="checkins.pledge_sha256")
        if c_uuid is not None and row["device_id"] != c_device:
            self.add("verify.field_hash", "signatures", label, "device_id", against="checkins.device_id")
        png = row["png"]
        if sha256_hex(png if isinstance(png, (bytes, str)) else None) != row["png_sha256"]:
            self.add("verify.field_hash", "signatures", label, "png", against="png_sha256")
        if row_sha256("signatures", row, self.version) != row["row_sha256"]:
            self.add("verify.row_sha256", "signatures", label, "row_sha256")

    def _samples(self, row: dict, label: str) -> None:
        """The samples are the signature the check-in's ``sha256`` names (format 1: its JSON text)."""
        strokes, samples = row.get("strokes_json"), row.get("samples")
        if strokes is not None or samples is None:
            if sha256_hex(strokes if isinstance(strokes, (str, bytes)) else str(strokes)) != row["sha256"]:
                self.add("verify.field_hash", "signatures", label, "strokes_json", against="sha256")
            return
        if sha256_hex(samples if isinstance(samples, bytes) else str(samples)) != row.get("samples_sha256"):
            self.add("verify.field_hash", "signatures", label, "samples", against="samples_sha256")
        if not self.deep:
            return
        try:
            sig = signature_codec.decode(bytes(samples))
        except (KioskError, TypeError):
            self.add("verify.samples", "signatures", label, "samples")
            return
        if sig.sha256() != row["sha256"]:
            self.add("verify.field_hash", "signatures", label, "samples", against="sha256")
        for name, value in (("width", sig.width), ("height", sig.height), ("sample_count", sig.sample_count),
                            ("pressure_real", int(sig.pressure_real))):
            if row[name] != value:
                self.add("verify.field_hash", "signatures", label, name, against="samples")

    def _scan_log(self, device: str) -> tuple[int, str]:
        cols = ", ".join("l." + c for c in self.cols["scan_log"])
        digest, count = Digest(), 0
        for r in self.q(f"SELECT {cols}, c.uuid FROM {{s}}.scan_log l LEFT JOIN {{s}}.checkins c "
                        f"ON c.uuid = l.checkin_uuid WHERE l.device_id = ?", (device,)):
            row = dict(zip(self.cols["scan_log"], r))
            count += 1
            h = row_sha256("scan_log", row, self.version)
            digest.add(row["uuid"], h)
            if h != row["row_sha256"]:
                self.add("verify.row_sha256", "scan_log", f"uuid={row['uuid']}", "row_sha256")
            if row["reason"] == "recorded" and row["checkin_uuid"] and r[-1] is None:
                self.add("verify.missing_row", "scan_log", f"uuid={row['uuid']}", "checkin_uuid",
                         ref=f"check-in {row['checkin_uuid']}", target="checkins")
        return count, digest.hexdigest()

    def _absences(self, device: str) -> tuple[int, str]:
        names = self.cols["absences"]
        digest, count = Digest(), 0
        for r in self.q(f"SELECT {', '.join(names)} FROM {{s}}.absences WHERE device_id = ?", (device,)):
            row = dict(zip(names, r))
            count += 1
            h = row_sha256("absences", row, self.version)
            digest.add(row["uuid"], h)
            if h != row["row_sha256"]:
                self.add("verify.row_sha256", "absences", f"uuid={row['uuid']}", "row_sha256")
        return count, digest.hexdigest()

    # --- whole file --------------------------------------------------------------------------

    def reference_facts(self) -> dict:
        """Digests of events, pledges and people (checking each row), and the people count."""
        digests = {}
        for table in REFERENCE_TABLES:
            digest = Digest()
            names = self.cols[table]
            for r in self.q(f"SELECT {', '.join(names)} FROM {{s}}.{table}"):
                row = dict(zip(names, r))
                h = reference_sha256(table, row, self.version)
                digest.add(row[KEY[table]], h)
                label = f"{KEY[table]}={row[KEY[table]]}"
                if h != row["row_sha256"]:
                    self.add("verify.row_sha256", table, label, "row_sha256")
                if table == "pledges" and text_sha256(str(row["text"])) != row["sha256"]:
                    self.add("verify.field_hash", table, label, "text", against="sha256")
            digests[table] = digest.hexdigest()
        people = self.q("SELECT count(*) FROM {s}.people").fetchone()[0]
        return {"digests": digests, "people": people}

    def references(self, event_uuid: str) -> None:
        """Every check-in points at the event, a person and a pledge that are in the file."""
        for uid, found in self.q("SELECT uuid, event_uuid FROM {s}.checkins WHERE event_uuid IS NOT ? "
                                 "ORDER BY id", (event_uuid,)):
            self.add("verify.event", "checkins", f"uuid={uid}", "event_uuid", found=found, signed=event_uuid)
        for uid, found in self.q("SELECT id, uuid FROM {s}.events WHERE uuid IS NOT ?", (event_uuid,)):
            self.add("verify.event", "events", f"id={uid}", "uuid", found=found, signed=event_uuid)
        if not self.q("SELECT 1 FROM {s}.events WHERE uuid = ?", (event_uuid,)).fetchone():
            self.add("verify.missing_row", "manifest", None, "event_uuid", ref=f"event {event_uuid}", target="events")
        for uid, value in self.q("SELECT e.uuid, e.pledge_sha256 FROM {s}.events e LEFT JOIN {s}.pledges p "
                                 "ON p.sha256 = e.pledge_sha256 WHERE p.sha256 IS NULL"):
            self.add("verify.missing_row", "events", f"uuid={uid}", "pledge_sha256", ref=f"pledge {value}",
                     target="pledges")
        checks = [("checkins", "nip", "people", "nip"), ("checkins", "pledge_sha256", "pledges", "sha256")]
        if "absences" in self.cols:
            checks.append(("absences", "nip", "people", "nip"))
            for uid, found in self.q("SELECT uuid, event_uuid FROM {s}.absences WHERE event_uuid IS NOT ?",
                                     (event_uuid,)):
                self.add("verify.event", "absences", f"uuid={uid}", "event_uuid", found=found, signed=event_uuid)
        for table, column, target, key in checks:
            for uid, value in self.q(f"SELECT c.uuid, c.{column} FROM {{s}}.{table} c LEFT JOIN {{s}}.{target} t "
                                     f"ON t.{key} = c.{column} WHERE t.{key} IS NULL ORDER BY c.rowid"):
                self.add("verify.missing_row", table, f"uuid={uid}", column, ref=f"{column} {value}",
                         target=target)

    def unknown_devices(self, devices: set[str]) -> None:
        tables = [("checkins", "uuid"), ("chain_gaps", "seq"), ("signatures", "checkin_uuid"), ("scan_log", "uuid")]
        if "absences" in self.cols:
            tables.append(("absences", "uuid"))
        for table, key in tables:
            for device, value in self.q(f"SELECT device_id, {key} FROM {{s}}.{table}"):
                if device not in devices:
                    self.add("verify.unknown_device", table, f"{key}={value}", "device_id", device=device)

    def duplicates(self) -> None:
        for uid, found, first in self.q(
                "SELECT uuid, duplicate_of, first_value(uuid) OVER (PARTITION BY event_uuid, nip "
                "ORDER BY checked_in_at, uuid) FROM {s}.checkins ORDER BY id"):
            expected = None if first == uid else first
            if found != expected:
                self.add("verify.duplicate_of", "checkins", f"uuid={uid}", "duplicate_of", found=show(found),
                         expected=show(expected))

    def totals(self) -> dict:
        row = self.q("SELECT count(*), count(DISTINCT nip), count(duplicate_of), min(checked_in_at), "
                     "max(checked_in_at) FROM {s}.checkins").fetchone()
        found = {"checkins": row[0], "present": row[1], "duplicates": row[2], "first_checkin_at": row[3],
                 "last_checkin_at": row[4],
                 "signatures": self.q("SELECT count(*) FROM {s}.signatures").fetchone()[0],
                 "scan_log": self.q("SELECT count(*) FROM {s}.scan_log").fetchone()[0]}
        if "absences" in self.cols:
            found["absences"] = self.q("SELECT count(*) FROM {s}.absences").fetchone()[0]
        return found

    def compare(self, scope: str, signed: dict, found: dict, names: Iterable[str]) -> None:
        for name in names:
            if signed.get(name) != found.get(name):
                self.add("verify.mismatch", "manifest", None, name, scope=scope, found=show(found.get(name)),
                         signed=show(signed.get(name)))

    def compare_digests(self, scope: str, signed: dict, found: dict, tables: Iterable[str]) -> None:
        for table in tables:
            if signed.get(table) != found.get(table):
                self.add("verify.digest", table, None, None, scope=scope)

    # --- the whole check ---------------------------------------------------------------------

    def run(self) -> Report:
        report = Report()
        if not self.integrity() or not self.schema():
            report.problems = self.problems
            return report
        self.objects()
        manifests = self.manifests()
        report.manifests = manifests
        devices = [m for m in manifests if m.kind == "device"]
        merges = [m for m in manifests if m.kind == "merge"]
        event_uuid = devices[0].body.get("event_uuid") if devices else None
        report.event_uuid = event_uuid
        for m in manifests:
            if m.body.get("event_uuid") != event_uuid:
                self.add("verify.event", "manifest", f"id={m.row_id}", "event_uuid",
                         found=show(m.body.get("event_uuid")), signed=show(event_uuid))
        for m in devices:
            self._check_device(m)
        self.unknown_devices({m.device_id for m in devices})
        if event_uuid is not None:
            self.references(event_uuid)
        self.duplicates()
        self._check_whole(devices, merges)
        totals = self.totals()
        report.checkins, report.present, report.duplicates = totals["checkins"], totals["present"], \
            totals["duplicates"]
        report.people = self.q("SELECT count(*) FROM {s}.people").fetchone()[0]
        report.devices = len(devices)
        report.problems = self.problems
        return report

    def _check_device(self, m: Manifest) -> None:
        facts = self.device_facts(m.device_id)
        scope = f"{m.kind} {m.device_id}"
        declared = m.body.get("format_version")
        tables = device_tables(declared if isinstance(declared, int) and declared in FORMATS else self.version)
        self.compare(scope, m.body, facts, ("checkins", "present", "duplicates", "signatures", "scan_log",
                                            "first_checkin_at", "last_checkin_at", "chain_length", "chain_head")
                     + (("absences",) if "absences" in tables else ()))
        self.compare_digests(scope, m.body.get("digests") or {}, facts["digests"], ("checkins",) + tables)

    def _check_whole(self, devices: list[Manifest], merges: list[Manifest]) -> None:
        ref = self.reference_facts()
        if merges:
            merge = merges[0]
            scope = f"merge {merge.device_id}"
            listed = sorted([{"device_id": m.device_id, "manifest_sha256": m.sha256} for m in devices],
                            key=lambda d: d["device_id"])
            if merge.body.get("devices") != listed:
                self.add("verify.merge_devices", "manifest", f"id={merge.row_id}", "devices",
                         device=merge.device_id)
            whole = ("checkins", "present", "duplicates", "people", "signatures", "scan_log", "first_checkin_at",
                     "last_checkin_at") + (("absences",) if "absences" in self.cols else ())
            self.compare(scope, merge.body, {**self.totals(), "people": ref["people"]}, whole)
            self.compare_digests(scope, merge.body.get("digests") or {}, ref["digests"], REFERENCE_TABLES)
        elif len(devices) > 1:
            self.add("verify.no_merge_manifest", "manifest", None, "kind", count=len(devices))
        # The devices' own view of the shared tables, wherever they all agree (always, for one device);
        # a device of an earlier format saw those rows in their earlier shape.
        devices = [m for m in devices if m.body.get("format_version") == self.version]
        for table in REFERENCE_TABLES:
            signed = {(m.body.get("digests") or {}).get(table) for m in devices}
            if len(signed) == 1 and devices:
                self.compare_digests(f"device {devices[0].device_id}" if len(devices) == 1 else "devices",
                                     {table: signed.pop()}, ref["digests"], (table,))
        people = {m.body.get("people") for m in devices}
        if len(people) == 1 and devices:
            self.compare(f"device {devices[0].device_id}" if len(devices) == 1 else "devices",
                         {"people": people.pop()}, ref, ("people",))


#: For a problem row of these tables: the badge and name of the person it is about.
_WHO = {
    "checkins": "SELECT c.nip, p.name FROM {s}.checkins c LEFT JOIN {s}.people p ON p.nip = c.nip WHERE c.uuid = ?",
    "signatures": "SELECT c.nip, p.name FROM {s}.signatures s JOIN {s}.checkins c ON c.uuid = s.checkin_uuid "
                  "LEFT JOIN {s}.people p ON p.nip = c.nip WHERE s.checkin_uuid = ?",
    "scan_log": "SELECT l.nip, p.name FROM {s}.scan_log l LEFT JOIN {s}.people p ON p.nip = l.nip WHERE l.uuid = ?",
    "absences": "SELECT a.nip, p.name FROM {s}.absences a LEFT JOIN {s}.people p ON p.nip = a.nip WHERE a.uuid = ?",
    "people": "SELECT nip, name FROM {s}.people WHERE nip = ?",
}


def verify(path: str | os.PathLike, passphrase: Passphrase | None = None, *,
           trust: Store | None = None, admitted: frozenset[str] = frozenset()) -> Report:
    """Check an export file: integrity, schema, manifests and signatures, chains, digests, counts.

    ``trust``: a kiosk database whose trusted devices every manifest's signer must be (see
    :mod:`kiosk.security.keys`); ``admitted``: key fingerprints the organiser admits on top of those.
    """
    file = open_export(path, passphrase)
    return verify_file(file, trust=trust, admitted=admitted)


def verify_file(file: ExportFile, *, trust: Store | None = None, admitted: frozenset[str] = frozenset(),
                deep: bool = True) -> Report:
    conn = file.connect()
    try:
        verifier = Verifier(conn, deep=deep)
        report = verifier.run()
    finally:
        conn.close()
    report.trust_checked = trust is not None
    for m in report.manifests:
        public = str(m.body.get("public_key", ""))
        problem = keys.key_problem(trust, m.device_id, public, str(file.path), admitted)
        known = None if trust is None else problem is None
        report.signers.append({"kind": m.kind, "device_id": m.device_id, "fingerprint": keys.fingerprint(public),
                               "trusted": known})
        if problem is not None:
            report.problems.append(Problem(problem.code, "manifest", f"id={m.row_id}", "public_key", problem.params))
    return report
