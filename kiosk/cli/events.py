"""``ikrar event create | list | activate`` and ``ikrar demo``."""
from __future__ import annotations

import argparse

from kiosk import demo
from kiosk.ceremony import pledge as _pledge
from kiosk.cli.common import Commands, event_json, event_of, open_reader, open_store, output
from kiosk.i18n import KioskError, register, t
from kiosk.store import SETTINGS

register({
    "cli.event_created": {"id": "Acara {id} dibuat dan diaktifkan: {title} ({date}).",
                          "en": "Event {id} created and made active: {title} ({date})."},
    "cli.event_activated": {"id": "Acara {id} aktif: {title} ({date}).",
                            "en": "Event {id} is active: {title} ({date})."},
    "cli.no_events": {"id": "Belum ada acara.", "en": "No events yet."},
    "cli.roster_copied": {"id": "{count} peserta disalin dari acara {source}.",
                          "en": "{count} people copied from event {source}."},
    "cli.event_edited": {"id": "Acara {id} diperbarui: {title} ({date}).",
                         "en": "Event {id} updated: {title} ({date})."},
    "cli.pledge_changed": {"id": "Teks ikrar acara ini diganti (SHA-256 {sha256}); tanda tangan sebelumnya tetap "
                                 "terikat ke teks yang mereka tandatangani.",
                           "en": "This event's pledge text was replaced (SHA-256 {sha256}); earlier signatures stay "
                                 "bound to the text they signed."},
    "cli.event_set": {"id": "Pengaturan acara {id} disimpan.", "en": "Settings of event {id} saved."},
    "cli.bad_pair": {"id": "Tulis pengaturan sebagai NAMA=NILAI, bukan '{item}'.",
                     "en": "Write a setting as NAME=VALUE, not '{item}'."},
    "cli.setting_unset": {"id": "(belum diisi)", "en": "(not set)"},
    "cli.demo_done": {"id": "Acara demo dan {count} peserta contoh dibuat di {path}.",
                      "en": "Demo event and {count} sample people created in {path}."},
    "cli.demo_skipped": {"id": "Basis data {path} sudah berisi acara; demo tidak dibuat.",
                         "en": "{path} already holds an event; no demo created."},
})


def add_commands(commands: Commands) -> None:
    event = commands.group("event", "create, list and activate events")
    p = event.command("create", cmd_create, "create an event and make it active")
    p.add_argument("--title", required=True)
    p.add_argument("--date", required=True, help="YYYY-MM-DD")
    p.add_argument("--venue", default="")
    p.add_argument("--pledge", default=_pledge.DEFAULT_TEMPLATE, metavar="KEY",
                   help=f"pledge template ({', '.join(_pledge.template_keys())})")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="fill a pledge placeholder or an event setting, e.g. --set instansi='Pemerintah Kabupaten "
                        "Sleman' (settings: " + ", ".join(SETTINGS) + ")")
    p.add_argument("--copy-roster-from", type=int, metavar="ID", help="start with another event's roster")
    event.command("list", cmd_list, "list events")
    p = event.command("activate", cmd_activate, "make an event the active one")
    p.add_argument("id", type=int)
    p = event.command("edit", cmd_edit, "change the event's title, date, venue, pledge template or placeholders")
    p.add_argument("--event", type=int, metavar="ID")
    p.add_argument("--title")
    p.add_argument("--date", help="YYYY-MM-DD")
    p.add_argument("--venue")
    p.add_argument("--pledge", metavar="KEY", help=f"pledge template ({', '.join(_pledge.template_keys())})")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="a pledge placeholder or an event setting (" + ", ".join(SETTINGS) + ")")
    p = event.command("set", cmd_set, "set what the documents print: " + ", ".join(SETTINGS))
    p.add_argument("pairs", nargs="+", metavar="KEY=VALUE", help="an empty VALUE clears the setting")
    p.add_argument("--event", type=int, metavar="ID")
    p = event.command("show", cmd_show, "the event, its settings and its roster size")
    p.add_argument("--event", type=int, metavar="ID")

    p = commands.command("demo", cmd_demo, "create a demo event and roster in an empty database")
    p.add_argument("--people", type=int, default=60)



def _pairs(items: list[str]) -> dict[str, str]:
    pairs = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise KioskError("cli.bad_pair", item=item)
        pairs[name.strip()] = value
    return pairs


def cmd_create(args: argparse.Namespace) -> int:
    pairs = _pairs(args.set)
    template = _pledge.load_template(args.pledge)
    # A name that is the pledge's placeholder fills it; the rest are the event's settings.
    # instansi is both: the agency the pledge names and the documents print.
    params = {k: v for k, v in pairs.items() if k in template.placeholders}
    settings = {k: v for k, v in pairs.items() if k not in params or k in SETTINGS}
    for key in settings:
        if key not in SETTINGS:
            raise KioskError("event.bad_setting", key=key, choices=", ".join([*template.placeholders, *SETTINGS]))
    rendered = _pledge.render(template, params)
    with open_store(args) as store:
        if args.copy_roster_from is not None:
            store.event(args.copy_roster_from)              # refuse an unknown source before creating anything
        with store.write():
            e = store.create_event(args.title, args.date, args.venue, pledge=rendered)
            if settings:
                e = store.set_event_settings(e.id, settings)
            copied = store.copy_roster(args.copy_roster_from, e.id) if args.copy_roster_from is not None else 0
    lines = [t("cli.event_created", id=e.id, title=e.title, date=e.date)]
    if args.copy_roster_from is not None:
        lines.append(t("cli.roster_copied", count=copied, source=args.copy_roster_from))
    output(args, {**event_json(e), "pledge_sha256": rendered.sha256, "roster_copied": copied}, lines)
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    pairs = _pairs(args.set)
    with open_store(args) as store:
        e = event_of(store, args)
        current = store.pledge(e.pledge_id)
        template = _pledge.load_template(args.pledge or current.key)
        params = {k: v for k, v in pairs.items() if k in template.placeholders}
        settings = {k: v for k, v in pairs.items() if k not in params or k in SETTINGS}
        for key in settings:
            if key not in SETTINGS:
                raise KioskError("event.bad_setting", key=key,
                                 choices=", ".join([*template.placeholders, *SETTINGS]))
        kept = {k: v for k, v in current.params.items() if k in template.placeholders}
        rendered = _pledge.render(template, {**kept, **params}) if args.pledge or params else None
        with store.write():
            e = store.update_event(e.id, title=args.title, date=args.date, venue=args.venue)
            if settings:
                e = store.set_event_settings(e.id, settings)
            changed = rendered is not None and rendered.sha256 != store.pledge_sha256(e.pledge_id)
            if changed:
                assert rendered is not None
                store.set_event_pledge(e.id, rendered)
                e = store.event(e.id)
    lines = [t("cli.event_edited", id=e.id, title=e.title, date=e.date)]
    if changed:
        assert rendered is not None
        lines.append(t("cli.pledge_changed", sha256=rendered.sha256))
    output(args, {**event_json(e), "pledge_changed": changed}, lines)
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        e = store.set_event_settings(event_of(store, args).id, _pairs(args.pairs))
    output(args, event_json(e), t("cli.event_set", id=e.id))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with open_reader(args) as store:
        e = event_of(store, args)
        roster, present = store.count_people(e.id), store.count_present(e.id)
    shown = dict(e.settings)
    lines = [f"{e.id}  {e.date}  {e.title}" + (f" — {e.venue}" if e.venue else "")]
    lines += [f"  {key:<15} {shown.get(key) or t('cli.setting_unset')}" for key in SETTINGS]
    lines.append(t("cli.status", title=e.title, date=e.date, present=present, roster=roster))
    output(args, {**event_json(e), "roster": roster, "present": present}, lines)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with open_reader(args) as store:
        events = store.events()
    lines = [f"{'*' if e.active else ' '} {e.id:>3}  {e.date}  {e.title}" + (f" — {e.venue}" if e.venue else "")
             for e in events] or [t("cli.no_events")]
    output(args, [event_json(e) for e in events], lines)
    return 0


def cmd_activate(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        e = store.activate_event(args.id)
    output(args, event_json(e), t("cli.event_activated", id=e.id, title=e.title, date=e.date))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        made = demo.seed(store, args.people)
        path = str(store.path)
    output(args, {"created": made, "path": path, "people": args.people if made else 0},
           t("cli.demo_done", count=args.people, path=path) if made else t("cli.demo_skipped", path=path))
    return 0
