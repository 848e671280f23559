"""The admin PIN: set once (no default), kept as a slow salted hash, checked with a back-off."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable

from kiosk.i18n import KioskError, register
from kiosk.store import Store

register({
    "pin.format": {"id": "PIN harus 6 sampai 12 angka.", "en": "The PIN must be 6 to 12 digits."},
    "pin.weak": {"id": "PIN terlalu mudah ditebak (angka sama atau berurutan). Pilih PIN lain.",
                 "en": "The PIN is too easy to guess (repeated or sequential digits). Choose another."},
    "pin.mismatch": {"id": "Kedua PIN tidak sama. Ulangi.", "en": "The two PINs differ. Try again."},
    "pin.not_set": {"id": "PIN admin belum dibuat. Buat dengan: ikrar admin pin",
                    "en": "No admin PIN yet. Set one with: ikrar admin pin"},
    "pin.wrong": {"id": "PIN salah.", "en": "Wrong PIN."},
    "pin.locked": {"id": "Terlalu banyak PIN salah. Coba lagi dalam {seconds} detik.",
                   "en": "Too many wrong PINs. Try again in {seconds} seconds."},
    "pin.set": {"id": "PIN admin disimpan.", "en": "Admin PIN saved."},
})

_N, _R, _P = 2 ** 14, 8, 1          # scrypt: about 50 ms and 16 MB per try
MAX_TRIES = 5
LOCK_SECONDS = 60


def check_strength(pin: str) -> None:
    if not (pin.isdigit() and pin.isascii() and 6 <= len(pin) <= 12):
        raise KioskError("pin.format")
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:])}
    if len(set(pin)) == 1 or steps in ({1}, {-1}):
        raise KioskError("pin.weak")


def _hash(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def set_pin(store: Store, pin: str) -> None:
    check_strength(pin)
    salt = os.urandom(16)
    record = {"alg": "scrypt", "n": _N, "r": _R, "p": _P, "salt": salt.hex(),
              "hash": _hash(pin, salt, _N, _R, _P).hex()}
    with store.write():
        store.set_setting("admin_pin", json.dumps(record))
        store.set_setting("admin_pin_failures", "0")
        store.audit("admin.pin_set")


def has_pin(store: Store) -> bool:
    return store.get_setting("admin_pin") is not None


def verify_pin(store: Store, pin: str, *, clock: Callable[[], float] = time.time) -> bool:
    """True for the right PIN.  After MAX_TRIES wrong ones, refuses for LOCK_SECONDS (KioskError)."""
    raw = store.get_setting("admin_pin")
    if raw is None:
        raise KioskError("pin.not_set")
    failures = int(store.get_setting("admin_pin_failures") or "0")
    locked_until = float(store.get_setting("admin_pin_locked_until") or "0")
    if clock() < locked_until:
        raise KioskError("pin.locked", seconds=int(locked_until - clock()) + 1)
    rec = json.loads(raw)
    ok = hmac.compare_digest(_hash(pin, bytes.fromhex(rec["salt"]), rec["n"], rec["r"], rec["p"]),
                             bytes.fromhex(rec["hash"]))
    with store.write():
        if ok:
            store.set_setting("admin_pin_failures", "0")
        else:
            failures += 1
            store.set_setting("admin_pin_failures", str(failures % MAX_TRIES))
            if failures >= MAX_TRIES:
                store.set_setting("admin_pin_locked_until", str(clock() + LOCK_SECONDS))
            store.audit("admin.pin_wrong")
    return ok
