"""Canonical JSON and the SHA-256 digests every hash and signature of the export format is taken over."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical(obj: object) -> bytes:
    """Sorted keys, no spaces, UTF-8: the bytes every hash and signature in the format is taken over.

    The same as ``json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``.
    """
    return _CANONICAL.encode(obj).encode("utf-8")


def sha256_hex(data: bytes | str | None) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data or b"").hexdigest()


class Digest:
    """SHA-256 over row hashes, one per line, in the order of the rows' keys."""

    def __init__(self) -> None:
        self._items: list[tuple[str, str]] = []

    def add(self, key: str, row_hash: str) -> None:
        self._items.append((str(key), row_hash))

    def hexdigest(self) -> str:
        return sha256_hex("".join(h + "\n" for _, h in sorted(self._items)))


def ordered_digest(hashes: Iterable[str]) -> str:
    """The check-ins' digest: their row_hash in chain order, one per line."""
    return sha256_hex("".join(h + "\n" for h in hashes))
