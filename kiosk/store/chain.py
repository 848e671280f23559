"""The check-in hash chain: each row carries the hash of its fields and of the row before it."""
from __future__ import annotations

import hashlib
import json

GENESIS_HASH = "0" * 64

CHAIN_FIELDS = ("uuid", "event_id", "nip", "device_id", "method", "checked_in_at", "utc_offset",
                "pledge_sha256", "signature_sha256", "prev_hash")


def chain_hash(fields: dict) -> str:
    """SHA-256 over a check-in's fields and the previous row's hash (canonical JSON)."""
    data = json.dumps({k: fields[k] for k in CHAIN_FIELDS}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()

