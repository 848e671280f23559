"""``ikrar pledge show``."""
from __future__ import annotations

import argparse

from kiosk.cli.common import Commands, event_of, open_reader, output


def add_commands(commands: Commands) -> None:
    pledge = commands.group("pledge", "the pledge text")
    p = pledge.command("show", cmd_show, "show the active event's pledge, unit by unit")
    p.add_argument("--event", type=int, metavar="ID")


def cmd_show(args: argparse.Namespace) -> int:
    with open_reader(args) as store:
        p = store.pledge(event_of(store, args).pledge_id)
    output(args, {"key": p.key, "title": p.title, "units": [u.text for u in p.units], "sha256": p.sha256},
           [*[u.text + "\n" for u in p.units], f"SHA-256: {p.sha256}"])
    return 0
