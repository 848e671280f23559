"""The admin PIN: set once (no default), kept as a slow salted hash, checked with a back-off.

The hash is scrypt with a cost that makes one guess take a quarter of a second or more on a hall
laptop (N=2^16, r=8: 0.27-0.29 s and 64 MB measured on the 2-core development machine), so searching
every 6-digit PIN of a copied database takes about two days of two cores, an 8-digit one about half a
year (the first release's N=2^14: 7 hours; tests/benchmarks/bench_security.py); and the database is
readable by its owner alone, so a copy needs that account first.  Five wrong PINs lock it for a minute,
and each lock-out after that doubles the wait.  A PIN of the first release (N=2^14) still opens, and is
stored again at today's cost on the first success.
"""
from __future__ import annotations

import hmac
import json
import os
import time
from collections.abc import Callable

from kiosk.i18n import KioskError, register
from kiosk.security.holder import Store
from kiosk.security.scrypt import scrypt

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
    "pin.current_wrong": {
        "id": "PIN yang sekarang salah, jadi PIN tidak diganti. Bila PIN lupa: ikrar admin pin --reset "
              "(dicatat di log audit).",
        "en": "The current PIN is wrong, so the PIN was not changed. If it is forgotten: ikrar admin pin --reset "
              "(recorded in the audit log)."},
    "pin.reset": {"id": "PIN admin direset dan diganti (dicatat di log audit).",
                  "en": "Admin PIN reset and replaced (recorded in the audit log)."},
})

#: scrypt's cost: N, r, p.  About 0.27 s and 64 MB per try on the development machine.
COST = (2 ** 16, 8, 1)
MAX_TRIES = 5
LOCK_SECONDS = 60                   # the first lock-out; each one after doubles it
MAX_LOCK_SECONDS = 24 * 3600


def check_strength(pin: str) -> None:
    if not (pin.isdigit() and pin.isascii() and 6 <= len(pin) <= 12):
        raise KioskError("pin.format")
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:])}
    if len(set(pin)) == 1 or steps in ({1}, {-1}):
        raise KioskError("pin.weak")


def _hash(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return scrypt(pin, salt, n=n, r=r, p=p)


def _record(pin: str) -> str:
    n, r, p = COST
    salt = os.urandom(16)
    return json.dumps({"alg": "scrypt", "n": n, "r": r, "p": p, "salt": salt.hex(),
                       "hash": _hash(pin, salt, n, r, p).hex()})


def set_pin(store: Store, pin: str, *, current: str | None = None, reset: bool = False) -> None:
    """The first PIN, or a new one: replacing a PIN needs the ``current`` one, or an explicit ``reset``
    (for a forgotten PIN), which is recorded in the audit log."""
    check_strength(pin)
    if has_pin(store) and not reset and (current is None or not verify_pin(store, current)):
        raise KioskError("pin.current_wrong")
    replacing = has_pin(store)
    record = _record(pin)
    with store.write():
        store.set_setting("admin_pin", record)
        for key in ("admin_pin_failures", "admin_pin_lockouts", "admin_pin_locked_until"):
            store.set_setting(key, "0")
        store.audit("admin.pin_reset" if reset and replacing else "admin.pin_changed" if replacing else "admin.pin_set")


def has_pin(store: Store) -> bool:
    return store.get_setting("admin_pin") is not None


def lock_seconds(lockouts: int) -> int:
    """The wait after the ``lockouts``-th lock-out in a row: 60 s, then 120, 240 … (at most a day)."""
    return min(LOCK_SECONDS * 2 ** max(0, lockouts - 1), MAX_LOCK_SECONDS)


def verify_pin(store: Store, pin: str, *, clock: Callable[[], float] = time.time) -> bool:
    """True for the right PIN.  After MAX_TRIES wrong ones it refuses (KioskError ``pin.locked``) for
    :func:`lock_seconds`; a right PIN ends the back-off."""
    raw = store.get_setting("admin_pin")
    if raw is None:
        raise KioskError("pin.not_set")
    failures = int(store.get_setting("admin_pin_failures") or "0")
    lockouts = int(store.get_setting("admin_pin_lockouts") or "0")
    locked_until = float(store.get_setting("admin_pin_locked_until") or "0")
    if clock() < locked_until:
        raise KioskError("pin.locked", seconds=int(locked_until - clock()) + 1)
    rec = json.loads(raw)
    ok = hmac.compare_digest(_hash(pin, bytes.fromhex(rec["salt"]), rec["n"], rec["r"], rec["p"]),
                             bytes.fromhex(rec["hash"]))
    with store.write():
        if ok:
            store.set_setting("admin_pin_failures", "0")
            store.set_setting("admin_pin_lockouts", "0")
            if (rec["n"], rec["r"], rec["p"]) != COST:          # an older, cheaper hash: store it again
                store.set_setting("admin_pin", _record(pin))
        else:
            failures += 1
            store.set_setting("admin_pin_failures", str(failures % MAX_TRIES))
            if failures >= MAX_TRIES:
                lockouts += 1
                store.set_setting("admin_pin_lockouts", str(lockouts))
                store.set_setting("admin_pin_locked_until", str(clock() + lock_seconds(lockouts)))
            store.audit("admin.pin_wrong")
    return ok
