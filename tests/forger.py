"""A dishonest clerk's toolkit, written from docs/export-format.md alone (format 2).

Nothing here imports the project: only the standard library, ``sqlite3`` and ``cryptography``, and
only what the document says about the file — its tables and columns, the chain, the row hashes, the
table digests, the manifests and how they are signed.  If a forgery made with these tools fails for
a reason the document does not give, the document is wrong (and gets fixed), not this file.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid as _uuid
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

GENESIS = "0" * 64
#: "The chain": the fields of a check-in its row_hash covers.
CHAIN = ("uuid", "event_id", "nip", "device_id", "method", "checked_in_at", "utc_offset", "pledge_sha256",
         "signature_sha256", "prev_hash")
#: "Table digests": each table's key, whose plain text order the digest follows.
KEY = {"events": "uuid", "pledges": "sha256", "people": "nip", "signatures": "checkin_uuid", "scan_log": "uuid",
       "absences": "uuid"}
DEVICE_TABLES = ("signatures", "scan_log", "absences")
SHARED_TABLES = ("events", "pledges", "people")
#: "The signature is over the bytes IKRAR-KIOSK-MANIFEST-V1\n followed by body_json in UTF-8."
CONTEXT = b"IKRAR-KIOSK-MANIFEST-V1\n"


def canon(obj: object) -> str:
    """The document's canonical JSON: keys sorted, no spaces, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def lines_digest(hashes: list[str]) -> str:
    return sha("".join(h + "\n" for h in hashes))


def open_db(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn


def rows(conn: sqlite3.Connection, sql: str, args: tuple = ()) -> list[dict]:
    return [dict(r) for r in conn.execute(sql, args)]


def fingerprint(public_hex: str) -> str:
    """"the first 16 hex digits of the SHA-256 of the public key"."""
    return sha(bytes.fromhex(public_hex))[:16]


def public_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes_raw().hex()


def now_text() -> str:
    import datetime as dt
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


# --- row hashes --------------------------------------------------------------------------------------

def row_sha256(table: str, row: dict) -> str:
    """"the SHA-256 of the canonical JSON of the row's columns other than row_sha256 and the file's own row
    number id (in events, id is included; for signatures also without samples, strokes_json and png)"."""
    skip = {"row_sha256"} | ({"samples", "strokes_json", "png"} if table == "signatures" else set())
    if table != "events":
        skip.add("id")
    return sha(canon({k: v for k, v in row.items() if k not in skip}))


def rehash_rows(conn: sqlite3.Connection, table: str) -> None:
    for row in rows(conn, f"SELECT rowid AS _rowid, * FROM {table}"):
        rowid = row.pop("_rowid")
        conn.execute(f"UPDATE {table} SET row_sha256 = ? WHERE rowid = ?", (row_sha256(table, row), rowid))


def chain_hash(row: dict) -> str:
    return sha(canon({k: row[k] for k in CHAIN}))


def relink_chain(conn: sqlite3.Connection, device: str) -> str:
    """Follow the device's check-ins and gaps in seq order, set every prev_hash to the row before and
    recompute every check-in's row_hash (a gap keeps its own); returns the head."""
    head = GENESIS
    links = rows(conn, "SELECT 'checkins' AS t, seq FROM checkins WHERE device_id = ? UNION ALL "
                       "SELECT 'chain_gaps', seq FROM chain_gaps WHERE device_id = ? ORDER BY seq", (device, device))
    for link in links:
        if link["t"] == "chain_gaps":
            conn.execute("UPDATE chain_gaps SET prev_hash = ? WHERE device_id = ? AND seq = ?",
                         (head, device, link["seq"]))
            head = conn.execute("SELECT row_hash FROM chain_gaps WHERE device_id = ? AND seq = ?",
                                (device, link["seq"])).fetchone()[0]
            continue
        row = rows(conn, "SELECT * FROM checkins WHERE device_id = ? AND seq = ?", (device, link["seq"]))[0]
        row["prev_hash"] = head
        head = chain_hash(row)
        conn.execute("UPDATE checkins SET prev_hash = ?, row_hash = ? WHERE uuid = ?",
                     (row["prev_hash"], head, row["uuid"]))
    return head


# --- digests and manifests ---------------------------------------------------------------------------

def table_digest(conn: sqlite3.Connection, table: str, device: str | None = None) -> str:
    where, args = ("WHERE device_id = ?", (device,)) if device else ("", ())
    found = conn.execute(f"SELECT {KEY[table]}, row_sha256 FROM {table} {where}", args).fetchall()
    return lines_digest([h for _, h in sorted(found, key=lambda r: str(r[0]))])


def device_facts(conn: sqlite3.Connection, device: str) -> dict:
    mine = rows(conn, "SELECT nip, checked_in_at, row_hash FROM checkins WHERE device_id = ? ORDER BY seq", (device,))
    links = conn.execute("SELECT (SELECT count(*) FROM checkins WHERE device_id = ?) + "
                         "(SELECT count(*) FROM chain_gaps WHERE device_id = ?)", (device, device)).fetchone()[0]
    last = conn.execute("SELECT row_hash FROM (SELECT seq, row_hash FROM checkins WHERE device_id = ? UNION ALL "
                        "SELECT seq, row_hash FROM chain_gaps WHERE device_id = ?) ORDER BY seq DESC LIMIT 1",
                        (device, device)).fetchone()
    times = [r["checked_in_at"] for r in mine]

    def count(table: str) -> int:
        return conn.execute(f"SELECT count(*) FROM {table} WHERE device_id = ?", (device,)).fetchone()[0]
    digests = {"checkins": lines_digest([r["row_hash"] for r in mine])}
    digests.update({t: table_digest(conn, t, device) for t in DEVICE_TABLES})
    digests.update({t: table_digest(conn, t) for t in SHARED_TABLES})
    return {"checkins": len(mine), "present": len({r["nip"] for r in mine}),
            "duplicates": len(mine) - len({r["nip"] for r in mine}),
            "people": conn.execute("SELECT count(*) FROM people").fetchone()[0],
            "signatures": count("signatures"), "scan_log": count("scan_log"), "absences": count("absences"),
            "first_checkin_at": min(times, default=None), "last_checkin_at": max(times, default=None),
            "chain_length": links, "chain_head": last[0] if last else GENESIS, "digests": digests}


def device_body(conn: sqlite3.Connection, device: str, key: Ed25519PrivateKey, event_uuid: str,
                created_at: str | None = None, app_version: str = "0.2.0") -> dict:
    return {"kind": "device", "device_id": device, "format_version": 2, "app_version": app_version,
            "event_uuid": event_uuid, "created_at": created_at or now_text(), "public_key": public_hex(key),
            **device_facts(conn, device)}


def merge_body(conn: sqlite3.Connection, device: str, key: Ed25519PrivateKey, event_uuid: str) -> dict:
    """A merge manifest as the document lists it, over the whole file as it is now."""
    whole = conn.execute("SELECT count(*), count(DISTINCT nip), count(duplicate_of), min(checked_in_at), "
                         "max(checked_in_at) FROM checkins").fetchone()
    manifests = rows(conn, "SELECT device_id, body_json FROM manifest WHERE kind = 'device'")
    created = max(json.loads(m["body_json"])["created_at"] for m in manifests)

    def total(table: str) -> int:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return {"kind": "merge", "device_id": device, "format_version": 2, "app_version": "0.2.0",
            "event_uuid": event_uuid, "created_at": created, "public_key": public_hex(key),
            "checkins": whole[0], "present": whole[1], "duplicates": whole[2], "people": total("people"),
            "signatures": total("signatures"), "scan_log": total("scan_log"), "absences": total("absences"),
            "first_checkin_at": whole[3], "last_checkin_at": whole[4], "chain_length": None, "chain_head": None,
            "digests": {t: table_digest(conn, t) for t in SHARED_TABLES},
            "devices": sorted(({"device_id": m["device_id"], "manifest_sha256": sha(m["body_json"])}
                               for m in manifests), key=lambda d: d["device_id"])}


MIRRORED = ("kind", "device_id", "format_version", "app_version", "event_uuid", "created_at", "checkins", "present",
            "duplicates", "people", "signatures", "scan_log", "first_checkin_at", "last_checkin_at", "chain_length",
            "chain_head", "public_key")


def put_manifest(conn: sqlite3.Connection, body: dict, key: Ed25519PrivateKey, replace_id: int | None = None) -> None:
    """Sign ``body`` and store it as a manifest row (its columns a readable copy of the body)."""
    body_json = canon(body)
    signature = key.sign(CONTEXT + body_json.encode("utf-8")).hex()
    values = [body[m] for m in MIRRORED] + [body_json, signature]
    cols = ", ".join(MIRRORED + ("body_json", "signature"))
    if replace_id is not None:
        conn.execute("DELETE FROM manifest WHERE id = ?", (replace_id,))
        conn.execute(f"INSERT INTO manifest (id, {cols}) VALUES (?, {', '.join('?' * len(values))})",
                     (replace_id, *values))
    else:
        conn.execute(f"INSERT INTO manifest ({cols}) VALUES ({', '.join('?' * len(values))})", values)


def manifest(conn: sqlite3.Connection, kind: str = "device", device: str | None = None) -> dict:
    sql = "SELECT id, body_json FROM manifest WHERE kind = ?" + (" AND device_id = ?" if device else "")
    row = conn.execute(sql, (kind, device) if device else (kind,)).fetchone()
    return {"id": row[0], **json.loads(row[1])}


def event_uuid(conn: sqlite3.Connection) -> str:
    return conn.execute("SELECT uuid FROM events").fetchone()[0]


# --- whole forgeries ---------------------------------------------------------------------------------

def relabel_device(conn: sqlite3.Connection, old: str, new: str) -> None:
    for table in ("checkins", "chain_gaps") + DEVICE_TABLES:
        conn.execute(f"UPDATE {table} SET device_id = ? WHERE device_id = ?", (new, old))


def add_checkin(conn: sqlite3.Connection, device: str, nip: str, at: str, *, signature_of: str | None = None) -> str:
    """A check-in (and its 'recorded' scan) at the end of ``device``'s chain; optionally reusing the signature
    of an existing check-in (another person's strokes, hashes and drawing)."""
    last = rows(conn, "SELECT * FROM checkins WHERE device_id = ? ORDER BY seq DESC LIMIT 1", (device,))[0]
    gaps = conn.execute("SELECT max(seq) FROM chain_gaps WHERE device_id = ?", (device,)).fetchone()[0] or 0
    new = dict(last, id=None, uuid=str(_uuid.uuid4()), seq=max(last["seq"], gaps) + 1, nip=nip, checked_in_at=at,
               method="wedge", signature_sha256=None, duplicate_of=None)
    if signature_of is not None:
        sig = rows(conn, "SELECT * FROM signatures WHERE checkin_uuid = ?", (signature_of,))[0]
        new["signature_sha256"] = sig["sha256"]
        conn.execute(f"INSERT INTO signatures ({', '.join(sig)}) VALUES ({', '.join('?' * len(sig))})",
                     tuple(dict(sig, checkin_uuid=new["uuid"]).values()))
    new.pop("id")
    conn.execute(f"INSERT INTO checkins ({', '.join(new)}) VALUES ({', '.join('?' * len(new))})", tuple(new.values()))
    log = rows(conn, "SELECT * FROM scan_log WHERE reason = 'recorded' LIMIT 1")[0]
    log.update(id=None, uuid=str(_uuid.uuid4()), device_id=device, at=at, nip=nip, checkin_uuid=new["uuid"],
               method="wedge", payload_shape="9" * len(nip))
    log.pop("id")
    conn.execute(f"INSERT INTO scan_log ({', '.join(log)}) VALUES ({', '.join('?' * len(log))})", tuple(log.values()))
    return new["uuid"]


def reseal_device(conn: sqlite3.Connection, device: str, key: Ed25519PrivateKey, *, replace: bool = True) -> dict:
    """Recompute the device's chain, its rows' hashes and its manifest, and sign that with ``key``."""
    relink_chain(conn, device)
    for table in DEVICE_TABLES + SHARED_TABLES:
        rehash_rows(conn, table)
    old = conn.execute("SELECT id FROM manifest WHERE kind = 'device'").fetchone()
    body = device_body(conn, device, key, event_uuid(conn))
    put_manifest(conn, body, key, replace_id=old[0] if (old and replace) else None)
    return body
