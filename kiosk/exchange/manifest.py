"""Manifests: the signed statement of what a device (or a merge) put in an export file."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk import __version__
from kiosk.exchange.format import COLUMNS, FORMAT_VERSION, MIRRORED, insert_sql
from kiosk.exchange.hashing import canonical, sha256_hex
from kiosk.security import keys


@dataclass
class Manifest:
    row_id: int
    row: dict
    body: dict

    @property
    def kind(self) -> str:
        return self.body.get("kind", "")

    @property
    def device_id(self) -> str:
        return self.body.get("device_id", "")

    @property
    def sha256(self) -> str:
        return sha256_hex(self.row["body_json"])




def manifest_body(kind: str, device_id: str, public_key: str, event_uuid: str, created_at: str,
                  facts: dict, digests: dict, devices: list | None = None) -> dict:
    body = {"kind": kind, "device_id": device_id, "format_version": FORMAT_VERSION, "app_version": __version__,
            "event_uuid": event_uuid, "created_at": created_at, "public_key": public_key, "digests": digests}
    for name in ("checkins", "present", "duplicates", "people", "signatures", "scan_log", "absences",
                 "first_checkin_at", "last_checkin_at", "chain_length", "chain_head"):
        body[name] = facts.get(name)
    if devices is not None:
        body["devices"] = devices
    return body


def insert_manifest(conn: sqlite3.Connection, body: dict, key: Ed25519PrivateKey) -> None:
    body_json = canonical(body).decode("utf-8")
    row = {**{m: body[m] for m in MIRRORED}, "body_json": body_json,
           "signature": keys.sign(key, body_json.encode("utf-8"))}
    conn.execute(insert_sql("manifest"), tuple(row[c] for c in COLUMNS["manifest"]))
