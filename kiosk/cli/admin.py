"""``ikrar admin pin``: the admin PIN, read from standard input (asked twice on a terminal)."""
from __future__ import annotations

import argparse
import getpass
import sys

from kiosk.cli.common import Commands, open_store, output
from kiosk.i18n import KioskError, register, t
from kiosk.security import pin

register({
    "cli.pin_prompt": {"id": "PIN admin baru (6–12 angka): ", "en": "New admin PIN (6–12 digits): "},
    "cli.pin_again": {"id": "Ulangi PIN: ", "en": "Repeat the PIN: "},
})


def add_commands(commands: Commands) -> None:
    admin = commands.group("admin", "administration")
    admin.command("pin", cmd_pin, "set the admin PIN (read from standard input)")


def cmd_pin(args: argparse.Namespace) -> int:
    if sys.stdin.isatty():
        new = getpass.getpass(t("cli.pin_prompt"))
        if getpass.getpass(t("cli.pin_again")) != new:
            raise KioskError("pin.mismatch")
    else:
        new = sys.stdin.readline().strip()
    with open_store(args) as store:
        pin.set_pin(store, new)
    output(args, {"ok": True}, t("pin.set"))
    return 0
