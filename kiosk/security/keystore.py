"""Where a device's private key lives: the operating system's credential store where there is one
(Windows Credential Locker, macOS Keychain, Secret Service, through ``keyring``), otherwise a file
readable by its owner alone in the user data folder.  Never in the database or an export, so a copy
of the database file does not carry the power to sign as that device.

Keys are found by device id.  ``IKRAR_KEY_DIR`` names another folder for the files (tests, a
portable install).
"""
from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

from kiosk.i18n import KioskError, register
from kiosk.paths import data_dir
from kiosk.security.files import private_dir, tighten, write_private

register({
    "keys.store_failed": {
        "id": "Kunci perangkat tidak dapat disimpan ({reason}). Periksa izin folder {folder}, lalu ulangi.",
        "en": "The device key could not be stored ({reason}). Check the permissions of {folder}, then try again.",
    },
})

SERVICE = "Ikrar Kiosk device key"


def key_dir() -> Path:
    chosen = os.environ.get("IKRAR_KEY_DIR")
    if chosen:
        return Path(chosen)
    return data_dir() / "keys"


def _file(device_id: str) -> Path:
    return key_dir() / f"{device_id}.key"


def _keyring() -> ModuleType | None:
    """The keyring module, or None where it has no real backend."""
    if os.environ.get("IKRAR_KEY_DIR"):
        return None                                        # an explicit folder: files only
    try:
        import keyring
        from keyring.backends import fail
        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
            return None
        return keyring
    except Exception:  # noqa: BLE001 - a broken keyring installation must not stop the kiosk
        return None


def load(device_id: str) -> bytes | None:
    """The raw 32-byte private key of ``device_id``, or None when this machine has none."""
    ring = _keyring()
    if ring is not None:
        try:
            found = ring.get_password(SERVICE, device_id)
        except Exception:  # noqa: BLE001 - a locked or unreachable store: try the file
            found = None
        if found:
            return bytes.fromhex(found)
    path = _file(device_id)
    tighten(path.parent)                                   # a key folder restored from a backup as 0755/0644
    tighten(path)
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def save(device_id: str, raw: bytes) -> str:
    """Keep the key; returns where (``keyring`` or the file's path)."""
    ring = _keyring()
    if ring is not None:
        try:
            ring.set_password(SERVICE, device_id, raw.hex())
            return "keyring"
        except Exception:  # noqa: BLE001 - fall back to the owner-only file
            pass
    folder = key_dir()
    try:
        private_dir(folder)
        write_private(_file(device_id), raw.hex().encode("ascii") + b"\n")
    except OSError as exc:
        raise KioskError("keys.store_failed", reason=exc.strerror or str(exc), folder=str(folder)) from None
    return str(_file(device_id))
