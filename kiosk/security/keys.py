"""The device's Ed25519 key, and which other devices this database trusts.

Every kiosk database has a device id; its private key lives in the key store
(:mod:`kiosk.security.keystore`), never in the database or an export, and is made the first time it is
needed (the first export or merge) — or, for a laptop made with ``ikrar clone``, by the clone, which
hands it over in a key file beside the new database that the new laptop takes into its own key store
when it first opens the database.  The public key is kept in ``settings`` (``device_public_key``) and
travels in every manifest the device signs.

Trust: a file is accepted (merge, sync) only from devices this database knows — itself, the laptops
cloned from it, devices an organiser admitted by fingerprint (``--admit-device``), and devices the
first release remembered on first merge — each under the one key it was first known with.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.clock import now, utc_text
from kiosk.i18n import KioskError, register
from kiosk.security import keystore
from kiosk.security.files import tighten, write_private
from kiosk.security.holder import Store

register({
    "keys.mismatch": {
        "id": "Kunci perangkat {device} di {path} berbeda dari kunci yang tercatat untuk perangkat itu sejak "
              "{first_seen} (sidik {known}, berkas ini {found}). Berkas ditolak: mungkin ditandatangani ulang "
              "oleh pihak lain, atau berkas kiosk disalin alih-alih dibuat dengan 'ikrar clone'. Minta ekspor "
              "baru langsung dari laptop kiosk tersebut.",
        "en": "The key of device {device} in {path} differs from the key recorded for that device since "
              "{first_seen} (fingerprint {known}, this file {found}). The file is refused: it may have been "
              "re-signed by someone else, or a kiosk file was copied instead of made with 'ikrar clone'. "
              "Ask for a fresh export straight from that kiosk laptop.",
    },
    "keys.unknown_device": {
        "id": "Berkas {path} memuat data perangkat {device} (sidik kunci {fingerprint}) yang tidak dikenal acara "
              "ini: bukan laptop ini dan tidak dibuat dengan 'ikrar clone' dari basis data ini. Berkas ditolak. "
              "Jika perangkat itu memang laptop panitia, periksa sidik kuncinya di laptop tersebut "
              "(ikrar status) lalu ulangi dengan --admit-device {fingerprint}.",
        "en": "{path} holds data of device {device} (key fingerprint {fingerprint}) that this event does not "
              "know: it is not this laptop and was not made with 'ikrar clone' from this database. The file is "
              "refused. If that device really is an organiser's laptop, check its fingerprint on that laptop "
              "(ikrar status), then run again with --admit-device {fingerprint}.",
    },
    "keys.missing": {
        "id": "Kunci perangkat {device} tidak ada di komputer ini (basis data dipindahkan dari laptop lain?). "
              "Data tetap dapat dibaca dan dicetak, tetapi ekspornya tidak dapat lagi ditandatangani sebagai "
              "perangkat ini. Buat ekspor di laptop asalnya.",
        "en": "The key of device {device} is not on this computer (was the database moved from another "
              "laptop?). Its data can still be read and printed, but its exports can no longer be signed as "
              "this device. Make the export on the laptop it came from.",
    },
    "keys.bad_key_file": {
        "id": "Berkas kunci {path} tidak sah atau bukan milik basis data ini; tidak dipakai. Buat salinan kiosk "
              "baru dengan 'ikrar clone'.",
        "en": "The key file {path} is not valid or does not belong to this database; it was not used. Make a "
              "new kiosk copy with 'ikrar clone'.",
    },
})

PUBLIC_SETTING = "device_public_key"
LEGACY_SETTING = "device_key_ed25519"       # the first release kept the private key here
#: Signed bytes are this prefix + the manifest's body_json (domain separation).
SIGNING_CONTEXT = b"IKRAR-KIOSK-MANIFEST-V1\n"


def _hex(key: Ed25519PrivateKey) -> str:
    return key.private_bytes_raw().hex()


def public_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes_raw().hex()


def fingerprint(public_key_hex: str) -> str:
    """A short, readable fingerprint: the first 16 hex digits of SHA-256 of the raw public key."""
    try:
        raw = bytes.fromhex(public_key_hex)
    except (TypeError, ValueError):
        raw = str(public_key_hex).encode("utf-8", "replace")
    return hashlib.sha256(raw).hexdigest()[:16]


def device_key(store: Store) -> Ed25519PrivateKey:
    """This database's private key from the key store; made on first need.  Refuses (``keys.missing``)
    when the database had a key that this machine does not hold."""
    raw = keystore.load(store.device_id)
    if raw is not None:
        return Ed25519PrivateKey.from_private_bytes(raw)
    with store.write():
        if store.get_setting(PUBLIC_SETTING) is not None:
            raise KioskError("keys.missing", device=store.device_id)
        key = Ed25519PrivateKey.generate()
        keystore.save(store.device_id, key.private_bytes_raw())
        store.set_setting(PUBLIC_SETTING, public_hex(key))
        store.audit("device_key.create", fingerprint=fingerprint(public_hex(key)))
    return key


def own_public_key(store: Store) -> str | None:
    return store.get_setting(PUBLIC_SETTING)


def sign(key: Ed25519PrivateKey, body: bytes) -> str:
    return key.sign(SIGNING_CONTEXT + body).hex()


def signature_ok(public_key_hex: str, body: bytes, signature_hex: str) -> bool:
    """True when ``signature_hex`` is the Ed25519 signature of ``body`` by ``public_key_hex``."""
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        public.verify(bytes.fromhex(signature_hex), SIGNING_CONTEXT + body)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


# --- keys moving in and out ------------------------------------------------------------------------

def key_file(db_path: Path) -> Path:
    """Where ``ikrar clone`` hands a new laptop its key: beside its database."""
    return db_path.with_name(db_path.name + ".key")


def write_key_file(db_path: Path, device_id: str, key: Ed25519PrivateKey) -> Path:
    path = key_file(db_path)
    write_private(path, json.dumps({"device_id": device_id, "key": _hex(key)}).encode("ascii"))
    return path


def adopt(store: Store) -> None:
    """Take the key into the key store, out of the database (first release) or out of the clone's key file
    beside it; called when a database is opened for writing."""
    legacy = store.get_setting(LEGACY_SETTING)
    if legacy is not None:
        key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(legacy))
        keystore.save(store.device_id, key.private_bytes_raw())
        store.conn.execute("PRAGMA secure_delete = ON")    # the deleted key must not linger in a free page
        with store.write() as conn:
            store.set_setting(PUBLIC_SETTING, public_hex(key))
            conn.execute("DELETE FROM settings WHERE key = ?", (LEGACY_SETTING,))
            store.audit("device_key.moved", fingerprint=fingerprint(public_hex(key)))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = key_file(store.path)
    if not path.exists():
        return
    try:
        handed = json.loads(path.read_text(encoding="ascii"))
        key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(handed["key"]))
        if handed["device_id"] != store.device_id or store.get_setting(PUBLIC_SETTING) != public_hex(key):
            raise ValueError("not this database's key")
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        tighten(path)
        raise KioskError("keys.bad_key_file", path=str(path)) from None
    keystore.save(store.device_id, key.private_bytes_raw())
    path.unlink()
    store.audit("device_key.adopted", fingerprint=fingerprint(public_hex(key)))


# --- trust -----------------------------------------------------------------------------------------

def known_key(store: Store, device_id: str) -> tuple[str, str] | None:
    """(public key hex, known since) for a device this database trusts; this device's own key counts."""
    if device_id == store.device_id:
        own = own_public_key(store)
        return (own, "-") if own else None
    row = store.conn.execute("SELECT public_key, first_seen_at FROM known_devices WHERE device_id = ?",
                             (device_id,)).fetchone()
    return (row[0], row[1]) if row else None


def key_problem(store: Store | None, device_id: str, public_key_hex: str, path: str,
                admitted: frozenset[str] = frozenset()) -> KioskError | None:
    """Why a file's device is not trusted here (unknown, or known with another key); None when it is.
    Without a database nothing is known, so nothing is refused here (``verify`` says so instead)."""
    if store is None:
        return None
    known = known_key(store, device_id)
    if known is None:
        if fingerprint(public_key_hex) in admitted:
            return None
        return KioskError("keys.unknown_device", device=device_id, path=path, fingerprint=fingerprint(public_key_hex))
    if known[0] != public_key_hex:
        return KioskError("keys.mismatch", device=device_id, path=path, first_seen=known[1],
                          known=fingerprint(known[0]), found=fingerprint(public_key_hex))
    return None


def register_device(store: Store, device_id: str, public_key_hex: str, how: str, source: str) -> bool:
    """Trust ``device_id`` under this key from now on (a clone, or an organiser's admission); returns
    whether it was new.  Never replaces a key already known."""
    with store.write() as conn:
        cur = conn.execute("INSERT OR IGNORE INTO known_devices(device_id, public_key, first_seen_at, first_seen_in, "
                           "how) VALUES (?, ?, ?, ?, ?)", (device_id, public_key_hex, utc_text(now()), source, how))
        if cur.rowcount:
            store.audit(f"device.{how}", device=device_id, fingerprint=fingerprint(public_key_hex), source=source)
    return bool(cur.rowcount)
