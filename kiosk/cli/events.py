"""``ikrar event create | list | activate`` and ``ikrar demo``."""
from __future__ import annotations

import argparse

from kiosk import demo
from kiosk.ceremony import pledge as _pledge
from kiosk.cli.common import Commands, event_json, open_store, output
from kiosk.i18n import KioskError, register, t

register({
    "cli.event_created": {"id": "Acara {id} dibuat dan diaktifkan: {title} ({date}).",
                          "en": "Event {id} created and made active: {title} ({date})."},
    "cli.event_activated": {"id": "Acara {id} aktif: {title} ({date}).",
                            "en": "Event {id} is active: {title} ({date})."},
    "cli.no_events": {"id": "Belum ada acara.", "en": "No events yet."},
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
                   help="fill a pledge placeholder, e.g. --set instansi='Pemerintah Kabupaten Sleman'")
    event.command("list", cmd_list, "list events")
    p = event.command("activate", cmd_activate, "make an event the active one")
    p.add_argument("id", type=int)

    p = commands.command("demo", cmd_demo, "create a demo event and roster in an empty database")
    p.add_argument("--people", type=int, default=60)



def cmd_create(args: argparse.Namespace) -> int:
    params = {}
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep:
            raise KioskError("pledge.unknown_placeholder", name=item, choices="NAME=VALUE")
        params[name.strip()] = value
    rendered = _pledge.render(_pledge.load_template(args.pledge), params)
    with open_store(args) as store:
        e = store.create_event(args.title, args.date, args.venue, pledge=rendered)
    output(args, {**event_json(e), "pledge_sha256": rendered.sha256},
           t("cli.event_created", id=e.id, title=e.title, date=e.date))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
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
