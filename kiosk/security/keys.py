"""The device's Ed25519 key, and the keys of other devices seen in merged files.

Every kiosk database gets its own key the first time it needs one (the first export or
merge).  The private key stays in the database's ``settings`` table (``device_key_ed25519``,
raw 32 bytes as hex) and is never exported or cloned; the public key travels in every
manifest the device signs.

Other devices' public keys are recorded in ``known_devices`` the first time one of their
files is merged (trust on first use).  A later file that claims the same device id with a
different key is refused: it was re-signed by someone else.
"""
from __future__ import annotations

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.i18n import KioskError, register
from kiosk.store import Store, now, utc_text

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
})

SETTING = "device_key_ed25519"
#: Signed bytes are this prefix + the manifest's body_json (domain separation).
SIGNING_CONTEXT = b"IKRAR-KIOSK-MANIFEST-V1\n"


def device_key(store: Store) -> Ed25519PrivateKey:
    """This database's private key, made and stored on first need."""
    raw = store.get_setting(SETTING)
    if raw is None:
        with store.write():
            raw = store.get_setting(SETTING)          # another process may have made it meanwhile
            if raw is None:
                key = Ed25519PrivateKey.generate()
                raw = key.private_bytes_raw().hex()
                store.set_setting(SETTING, raw)
                store.audit("device_key.create", fingerprint=fingerprint(public_hex(key)))
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(raw))


def public_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes_raw().hex()


def fingerprint(public_key_hex: str) -> str:
    """A short, readable fingerprint: the first 16 hex digits of SHA-256 of the raw public key."""
    try:
        raw = bytes.fromhex(public_key_hex)
    except (TypeError, ValueError):
        raw = str(public_key_hex).encode("utf-8", "replace")
    return hashlib.sha256(raw).hexdigest()[:16]


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


# --- trust on first use ------------------------------------------------------------------------

def known_key(store: Store, device_id: str) -> tuple[str, str] | None:
    """(public key hex, first seen at) recorded for ``device_id``; this device's own key counts."""
    if device_id == store.device_id and store.get_setting(SETTING) is not None:
        return public_hex(device_key(store)), "-"
    row = store.conn.execute("SELECT public_key, first_seen_at FROM known_devices WHERE device_id = ?",
                             (device_id,)).fetchone()
    return (row[0], row[1]) if row else None


def key_problem(store: Store, device_id: str, public_key_hex: str, path: str) -> KioskError | None:
    """A refusal when ``device_id`` is known with another key; None when unknown or the same."""
    known = known_key(store, device_id)
    if known is None or known[0] == public_key_hex:
        return None
    return KioskError("keys.mismatch", device=device_id, path=path, first_seen=known[1],
                      known=fingerprint(known[0]), found=fingerprint(public_key_hex))


def remember(store: Store, devices: dict[str, str], source: str) -> int:
    """Record unknown devices' keys (device id → public key hex); returns how many were new."""
    stamp = utc_text(now())
    added = 0
    with store.write() as conn:
        for device_id, public in sorted(devices.items()):
            if device_id == store.device_id:
                continue
            cur = conn.execute("INSERT OR IGNORE INTO known_devices(device_id, public_key, first_seen_at, "
                               "first_seen_in) VALUES (?, ?, ?, ?)", (device_id, public, stamp, source))
            added += cur.rowcount
    return added

