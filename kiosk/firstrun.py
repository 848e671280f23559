"""The first run: what the guided setup asks, and doing it in one step (the window is :mod:`ui.setup`).

A fresh hall laptop has no admin PIN and no event.  The setup asks the language of the screens, the
agency's name and logo (the letterhead, the badges and the projector show them), the admin PIN,
where the database lives, and whether to start with a demo event to try the kiosk (or the real
event's title, date and place).  :func:`apply` checks everything first, so a refused PIN or logo
changes nothing, then makes the database, the event and the PIN, and remembers a database placed
elsewhere than the default (and the language) in the user's ``config.json``.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk import i18n, paths
from kiosk.ceremony import pledge as _pledge
from kiosk.i18n import KioskError, register
from kiosk.paths import config_path, default_db_path, read_config
from kiosk.security import pin
from kiosk.security.files import private_dir, write_private
from kiosk.store import Store

register({
    "setup.agency_missing": {"id": "Isi nama instansi, misalnya Pemerintah Kabupaten Sleman.",
                             "en": "Fill in the agency's name, e.g. Pemerintah Kabupaten Sleman."},
    "setup.db_folder": {
        "id": "Folder {folder} tidak dapat dipakai untuk basis data ({reason}). Pilih folder lain yang dapat ditulisi.",
        "en": "The folder {folder} cannot hold the database ({reason}). Choose another folder that can be written."},
    "setup.db_not_ours": {
        "id": "{path} sudah ada dan bukan basis data Ikrar Kiosk. Pilih nama berkas lain.",
        "en": "{path} exists and is not an Ikrar Kiosk database. Choose another file name."},
})

DEMO_PEOPLE = 60
#: The ceremony's name is Indonesian in both languages.
DEMO_TITLE = "Apel Ikrar Netralitas ASN (demo)"
EVENT_TITLE = "Apel Ikrar Netralitas ASN"


@dataclass(frozen=True, slots=True)
class SetupChoices:
    """What the setup window collected."""
    language: str = "id"
    agency: str = ""
    logo: Path | None = None
    pin: str = ""
    db_path: Path = Path()
    demo: bool = True
    title: str = ""                      # the real event, when not a demo
    date: str = ""
    venue: str = ""
    template: str = _pledge.DEFAULT_TEMPLATE


@dataclass(frozen=True, slots=True)
class SetupDone:
    db_path: Path
    event_id: int
    demo: bool
    remembered: bool                     # the database's place was written to config.json


def needs_setup(store: Store) -> bool:
    """A database without an admin PIN or without an event: the kiosk and the desk open the setup."""
    return not pin.has_pin(store) or not store.events()


def default_choices(db_path: Path | None = None) -> SetupChoices:
    """What the window shows first: Indonesian, the default database (or the one given), a demo, today."""
    found = read_config()
    return SetupChoices(language=found.get("language", i18n.language()),
                        db_path=Path(db_path) if db_path is not None else default_db_path(),
                        date=_dt.date.today().isoformat(), venue="Ruang Pola")


def check_logo(path: Path) -> None:
    """Refuse a logo that is not an existing PNG or JPEG (``event.bad_logo``)."""
    from kiosk.store.events import _setting
    _setting("logo", str(path))


def check(choices: SetupChoices, *, pin_needed: bool = True) -> SetupChoices:
    """Refuse (KioskError) what cannot be used, before anything is written; returns the tidied choices."""
    if choices.language not in i18n.LANGUAGES:
        raise ValueError(f"unknown language {choices.language!r}")
    agency = " ".join(choices.agency.split())
    if not agency:
        raise KioskError("setup.agency_missing")
    if pin_needed:
        pin.check_strength(choices.pin)
    if choices.logo is not None:
        check_logo(choices.logo)
    if not choices.demo:
        if not " ".join(choices.title.split()):
            raise KioskError("event.empty_title")
        try:
            _dt.date.fromisoformat(choices.date.strip())
        except ValueError:
            raise KioskError("event.bad_date", value=choices.date) from None
    path = Path(choices.db_path).expanduser()
    if path.is_dir():
        raise KioskError("output.folder", path=str(path))
    return replace(choices, agency=agency, db_path=path.resolve() if path.is_absolute() else path.absolute())


def _open(path: Path) -> Store:
    folder = path.parent
    try:
        if folder == default_db_path().parent:
            private_dir(folder)
        else:
            folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KioskError("setup.db_folder", folder=str(folder), reason=exc.strerror or str(exc)) from None
    if not os.access(folder, os.W_OK):
        raise KioskError("setup.db_folder", folder=str(folder), reason="read-only")
    return Store(path)


def apply(choices: SetupChoices) -> SetupDone:
    """Make the database, the event (demo or real) and the admin PIN; remember the place and the language."""
    from kiosk import demo
    c = check(choices, pin_needed=not _has_pin(Path(choices.db_path).expanduser()))
    with _open(c.db_path) as store:
        events = store.events()
        if events:
            event = store.active_event() if store.get_setting("active_event") else events[-1]
            if c.agency and not dict(event.settings).get("instansi"):
                store.set_event_settings(event.id, {"instansi": c.agency})
        else:
            rendered = _pledge.render(_pledge.load_template(c.template), {"instansi": c.agency})
            with store.write():
                if c.demo:
                    event = store.create_event(DEMO_TITLE, _dt.date.today().isoformat(),
                                               "Ruang Pola", pledge=rendered)
                    store.upsert_people(demo.people(DEMO_PEOPLE), event_id=event.id)
                else:
                    event = store.create_event(c.title, c.date, c.venue, pledge=rendered)
                store.set_event_settings(event.id, {"instansi": c.agency})
        if c.logo is not None:
            store.set_event_settings(event.id, {"logo": str(c.logo)})
            store.set_setting("display.logo", str(Path(c.logo).resolve()))
        if not pin.has_pin(store):
            pin.set_pin(store, c.pin)
        store.set_setting("screen_language", c.language)
        store.audit("setup.done", event_id=event.id, demo=bool(c.demo and not events), language=c.language)
        event_id = event.id
    remembered = remember(c.db_path, c.language)
    return SetupDone(c.db_path, event_id, c.demo and not events, remembered)


def _has_pin(path: Path) -> bool:
    """Whether the database at ``path`` exists with an admin PIN (read only: a foreign file is refused)."""
    if not path.is_file() or path.stat().st_size == 0:
        return False
    with Store(path, readonly=True) as store:
        return pin.has_pin(store)


def remember(db_path: Path, language: str) -> bool:
    """Write ``config.json`` (the database's place unless it is the default, and the language); returns
    whether the place was written."""
    config = read_config()
    config["language"] = language
    elsewhere = Path(db_path).resolve() != default_db_path().resolve()
    if elsewhere:
        config["db"] = str(Path(db_path).resolve())
    else:
        config.pop("db", None)
    private_dir(config_path().parent)
    write_private(config_path(), json.dumps(config, ensure_ascii=False, indent=2).encode("utf-8"))
    return elsewhere


def screen_language(store: Store | None = None) -> str:
    """The language the setup chose for the screens: the database's, else the user's, else Indonesian."""
    return paths.screen_language(store.get_setting("screen_language") if store is not None else None)
