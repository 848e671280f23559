"""Pledge versions and events: create, list, activate; the active event is a setting."""
from __future__ import annotations

import datetime as _dt
import json
import uuid
from pathlib import Path

from kiosk.ceremony.pledge import Pledge
from kiosk.clock import now, utc_text
from kiosk.i18n import KioskError, register
from kiosk.people import nip
from kiosk.store.core import StoreCore
from kiosk.store.records import Event

register({
    "event.not_found": {
        "id": "Acara dengan id {id} tidak ada. Lihat daftar dengan: ikrar event list",
        "en": "There is no event with id {id}. List them with: ikrar event list",
    },
    "event.none_active": {
        "id": "Belum ada acara aktif. Buat dulu: ikrar event create --title JUDUL --date YYYY-MM-DD",
        "en": "No event is active. Create one first: ikrar event create --title TITLE --date YYYY-MM-DD",
    },
    "event.bad_date": {
        "id": "Tanggal '{value}' tidak valid. Tulis sebagai YYYY-MM-DD, misalnya 2024-11-04.",
        "en": "The date '{value}' is not valid. Write it as YYYY-MM-DD, e.g. 2024-11-04.",
    },
    "event.empty_title": {
        "id": "Judul acara tidak boleh kosong.",
        "en": "The event title cannot be empty.",
    },
    "event.bad_setting": {
        "id": "Pengaturan acara '{key}' tidak dikenal. Yang dapat diatur: {choices}.",
        "en": "Unknown event setting '{key}'. These can be set: {choices}.",
    },
    "event.setting_too_long": {
        "id": "Isi pengaturan {key} terlalu panjang ({length} karakter; batas {limit}).",
        "en": "The value of {key} is too long ({length} characters; the limit is {limit}).",
    },
    "event.bad_head_nip": {
        "id": "nip_kepala bukan NIP yang sah: {reason}",
        "en": "nip_kepala is not a valid NIP: {reason}",
    },
    "event.bad_logo": {
        "id": "Logo {path} tidak dapat dipakai: harus berkas gambar PNG atau JPEG yang ada. Periksa nama berkasnya.",
        "en": "The logo {path} cannot be used: it must be an existing PNG or JPEG image. Check the file name.",
    },
})

#: What the documents print, per event (``ikrar event set KEY=VALUE``).  ``instansi`` is also the
#: pledge's placeholder, so an event made with ``--set instansi=…`` has it already.
SETTINGS = {
    "instansi": "the agency, e.g. Pemerintah Kabupaten Sleman",
    "unit_kerja": "the office, e.g. Badan Kepegawaian dan Pengembangan SDM",
    "alamat": "the office's address (the letterhead)",
    "logo": "a PNG or JPEG of the agency's emblem",
    "pemimpin": "who leads the pledge, e.g. Bupati Sleman",
    "jabatan_kepala": "the head of office who signs, e.g. Kepala BKPSDM Kabupaten Sleman",
    "nama_kepala": "the head of office's name",
    "nip_kepala": "the head of office's NIP",
    "kota": "the place on the documents' date line, e.g. Sleman",
}
MAX_SETTING = 300


class EventsMixin(StoreCore):
    def save_pledge(self, pledge: Pledge) -> int:
        """Store a rendered pledge version (once per text hash) and return its id."""
        sha = pledge.sha256
        with self.write() as conn:
            row = conn.execute("SELECT id FROM pledges WHERE sha256 = ?", (sha,)).fetchone()
            if row:
                return row[0]
            cur = conn.execute(
                "INSERT INTO pledges(sha256, key, title, text, units_json, params_json, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (sha, pledge.key, pledge.title, pledge.text,
                 json.dumps(pledge.to_json()["units"], ensure_ascii=False),
                 json.dumps(pledge.params, ensure_ascii=False, sort_keys=True), utc_text(now())))
            return int(cur.lastrowid or 0)

    def pledge(self, pledge_id: int) -> Pledge:
        row = self.conn.execute("SELECT key, title, units_json, params_json FROM pledges WHERE id = ?",
                                (pledge_id,)).fetchone()
        return Pledge.from_json({"key": row[0], "title": row[1], "units": json.loads(row[2]),
                                 "params": json.loads(row[3])})

    def pledge_by_sha256(self, sha256: str) -> Pledge | None:
        row = self.conn.execute("SELECT id FROM pledges WHERE sha256 = ?", (sha256,)).fetchone()
        return self.pledge(row[0]) if row else None

    def pledge_sha256(self, pledge_id: int) -> str:
        return self.conn.execute("SELECT sha256 FROM pledges WHERE id = ?", (pledge_id,)).fetchone()[0]

    def create_event(self, title: str, date: str, venue: str = "", *, pledge: Pledge) -> Event:
        title = " ".join(title.split())
        if not title:
            raise KioskError("event.empty_title")
        try:
            date = _dt.date.fromisoformat(date.strip()).isoformat()
        except ValueError:
            raise KioskError("event.bad_date", value=date) from None
        with self.write() as conn:
            pledge_id = self.save_pledge(pledge)
            cur = conn.execute(
                "INSERT INTO events(uuid, title, date, venue, pledge_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (str(uuid.uuid4()), title, date, " ".join(venue.split()), pledge_id, utc_text(now())))
            event_id = int(cur.lastrowid or 0)
            self._set(conn, "active_event", str(event_id))
            self.audit("event.create", event_id=event_id, pledge_sha256=pledge.sha256)
        return self.event(event_id)

    def update_event(self, event_id: int, *, title: str | None = None, date: str | None = None,
                     venue: str | None = None) -> Event:
        """Change an event's title, date or venue (what is None stays); the same checks as creating one."""
        current = self.event(event_id)
        new_title = " ".join((current.title if title is None else title).split())
        if not new_title:
            raise KioskError("event.empty_title")
        try:
            new_date = _dt.date.fromisoformat((current.date if date is None else date).strip()).isoformat()
        except ValueError:
            raise KioskError("event.bad_date", value=date) from None
        new_venue = " ".join((current.venue if venue is None else venue).split())
        changed = sorted(k for k, old, new in (("title", current.title, new_title), ("date", current.date, new_date),
                                               ("venue", current.venue, new_venue)) if old != new)
        if changed:
            with self.write() as conn:
                conn.execute("UPDATE events SET title = ?, date = ?, venue = ? WHERE id = ?",
                             (new_title, new_date, new_venue, event_id))
                self.audit("event.edit", event_id=event_id, fields=changed)
        return self.event(event_id)

    def set_event_pledge(self, event_id: int, pledge: Pledge) -> int:
        """Point the event at a (new) pledge version; earlier signatures keep the hash they signed."""
        self.event(event_id)
        with self.write() as conn:
            pledge_id = self.save_pledge(pledge)
            conn.execute("UPDATE events SET pledge_id = ? WHERE id = ?", (pledge_id, event_id))
            self.audit("event.pledge", event_id=event_id, pledge_sha256=pledge.sha256)
        return pledge_id

    def pledge_versions(self) -> list[tuple[int, str, str, str]]:
        """Every stored pledge version: (id, sha256, key, created_at), oldest first."""
        return list(self.conn.execute("SELECT id, sha256, key, created_at FROM pledges ORDER BY id"))

    def events(self) -> list[Event]:
        active = self.get_setting("active_event")
        return [self._event(r, active) for r in self.conn.execute(
            f"SELECT {_EVENT_COLUMNS} FROM events ORDER BY date, id")]

    def event(self, event_id: int) -> Event:
        row = self.conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events WHERE id = ?", (event_id,)).fetchone()
        if row is None:
            raise KioskError("event.not_found", id=event_id)
        return self._event(row, self.get_setting("active_event"))

    @staticmethod
    def _event(row: tuple, active: str | None) -> Event:
        settings = tuple(sorted(json.loads(row[6] or "{}").items()))
        return Event(row[0], row[1], row[2], row[3], row[4], row[5], str(row[0]) == active, settings)

    def set_event_settings(self, event_id: int, values: dict[str, str]) -> Event:
        """Set (or, with an empty value, clear) what the documents print; refuses unknown keys."""
        checked = {key: _setting(key, value) for key, value in values.items()}
        with self.write() as conn:
            settings = dict(self.event(event_id).settings)
            for key, value in checked.items():
                if value:
                    settings[key] = value
                else:
                    settings.pop(key, None)
            conn.execute("UPDATE events SET settings_json = ? WHERE id = ?",
                         (json.dumps(settings, ensure_ascii=False, sort_keys=True), event_id))
            self.audit("event.settings", event_id=event_id, keys=sorted(checked))
        return self.event(event_id)

    def active_event(self) -> Event:
        active = self.get_setting("active_event")
        if active is None:
            raise KioskError("event.none_active")
        return self.event(int(active))

    def activate_event(self, event_id: int) -> Event:
        self.event(event_id)                       # refuses an unknown id
        with self.write():
            self.set_setting("active_event", str(event_id))
            self.audit("event.activate", event_id=event_id)
        return self.event(event_id)


_EVENT_COLUMNS = "id, uuid, title, date, venue, pledge_id, settings_json"


def _setting(key: str, value: str) -> str:
    key = key.strip().lower()
    if key not in SETTINGS:
        raise KioskError("event.bad_setting", key=key, choices=", ".join(SETTINGS))
    value = " ".join(str(value).split())
    if len(value) > MAX_SETTING:
        raise KioskError("event.setting_too_long", key=key, length=len(value), limit=MAX_SETTING)
    if key == "nip_kepala" and value:
        try:
            value = nip.parse(value).digits
        except KioskError as exc:
            raise KioskError("event.bad_head_nip", reason=str(exc)) from None
    if key == "logo" and value:
        path = Path(value).expanduser()
        try:
            head = path.read_bytes()[:8] if path.is_file() else b""
        except OSError:
            head = b""
        if not (head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8")):
            raise KioskError("event.bad_logo", path=value)
        value = str(path.resolve())
    return value
