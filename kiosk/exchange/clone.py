"""A new kiosk database for the next laptop: same events, pledges and roster, its own device id."""
from __future__ import annotations

import os
import uuid as _uuid
from pathlib import Path

from kiosk.exchange.files import fsync_dir, fsync_file
from kiosk.i18n import KioskError, register
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
    """A new kiosk database for the next laptop: same events, pledges and roster; its own device id;
    no check-ins, scan log, audit log, admin PIN or device key."""
    out = Path(out)
    if out.exists():
        raise KioskError("exchange.clone_exists", path=str(out))
    tmp = out.parent / f".{out.name}.{_uuid.uuid4().hex[:12]}.tmp"
    try:
        with Store(tmp) as new:
            _copy_kiosk(store, new)
            device = new.device_id
        fsync_file(tmp)
        if out.exists():                          # made meanwhile by someone else: never replace it
            raise KioskError("exchange.clone_exists", path=str(out))
        os.replace(tmp, out)
        fsync_dir(out.parent)
    except OSError as exc:
        raise KioskError("exchange.write_failed", path=str(out), reason=exc.strerror or str(exc)) from None
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
    counts = {"events": len(store.events()), "people": store.conn.execute("SELECT count(*) FROM people").fetchone()[0]}
    store.audit("clone", device_id=device, **counts)
    return {"ok": True, "file": str(out), "device_id": device, "source_device_id": store.device_id, **counts}


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
