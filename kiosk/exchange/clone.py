"""A new kiosk database for the next laptop: same events, pledges and roster, its own device id."""
from __future__ import annotations

import os
import uuid as _uuid
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.exchange.files import fsync_dir, fsync_file
from kiosk.i18n import KioskError, register
from kiosk.security import keys
from kiosk.security.files import check_output_path
from kiosk.store import Store
from kiosk.store.schema import EVENTS, PEOPLE, PLEDGES

register({
    "exchange.clone_exists": {
        "id": "Berkas {path} sudah ada. Salinan kiosk harus berkas baru: pilih nama lain.",
        "en": "{path} already exists. A kiosk clone must be a new file: choose another name.",
    },
})

#: Settings a clone carries over; everything else (device id, device key, admin PIN) stays behind.
CLONE_SETTINGS = ("active_event",)


def clone(store: Store, out: str | os.PathLike) -> dict:
    """A new kiosk database for the next laptop: same events, pledges and roster; its own device id and
    key; no check-ins, scan log, audit log or admin PIN.

    The new laptop's key is made here, registered as trusted in *this* database, and handed over in a
    key file beside the clone (``OUT.key``, for its owner alone), which the new laptop takes into its own
    key store the first time it opens the database.  A clone made from a copy of this database is
    registered in the copy, so this one never trusts it.
    """
    out = Path(out)
    check_output_path(out)                        # an empty name, a folder, a device or a pipe, no such folder
    if out.exists() or keys.key_file(out).exists():
        raise KioskError("exchange.clone_exists", path=str(out))
    tmp = out.parent / f".{out.name}.{_uuid.uuid4().hex[:12]}.tmp"
    key = Ed25519PrivateKey.generate()
    try:
        with Store(tmp) as new:
            _copy_kiosk(store, new)
            new.set_setting(keys.PUBLIC_SETTING, keys.public_hex(key))
            device = new.device_id
        fsync_file(tmp)
        if out.exists():                          # made meanwhile by someone else: never replace it
            raise KioskError("exchange.clone_exists", path=str(out))
        keys.write_key_file(out, device, key)
        os.replace(tmp, out)
        fsync_dir(out.parent)
    except OSError as exc:
        keys.key_file(out).unlink(missing_ok=True)
        raise KioskError("exchange.write_failed", path=str(out), reason=exc.strerror or str(exc)) from None
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
    keys.register_device(store, device, keys.public_hex(key), "clone", str(out))
    counts = {"events": len(store.events()), "people": store.conn.execute("SELECT count(*) FROM people").fetchone()[0]}
    store.audit("clone", device_id=device, **counts)
    return {"ok": True, "file": str(out), "key_file": str(keys.key_file(out)), "device_id": device,
            "public_key": keys.public_hex(key), "fingerprint": keys.fingerprint(keys.public_hex(key)),
            "source_device_id": store.device_id, **counts}


def _copy_kiosk(store: Store, new: Store) -> None:
    src = store.conn
    with new.write() as conn:
        # The next laptop checks in the same people, NIKs included (they stay on kiosk databases).
        for table, cols in (("pledges", ("id",) + PLEDGES.columns), ("events", ("id", "pledge_id") + EVENTS.columns),
                            ("people", PEOPLE.columns + ("nik",)), ("roster", ("event_id", "nip", "added_at"))):
            rows = src.execute(f"SELECT {', '.join(cols)} FROM {table}")
            conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows)
        for name in CLONE_SETTINGS:
            value = store.get_setting(name)
            if value is not None:
                new.set_setting(name, value)
        new.audit("clone.from", source_device_id=store.device_id)
