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
    "cli.pin_current": {"id": "PIN admin yang sekarang: ", "en": "Current admin PIN: "},
    "cli.pin_resetting": {
        "id": "Mereset PIN admin tanpa PIN lama: tindakan ini dicatat di log audit basis data ini.",
        "en": "Resetting the admin PIN without the old one: this is recorded in this database's audit log."},
})


def add_commands(commands: Commands) -> None:
    admin = commands.group("admin", "administration")
    p = admin.command("pin", cmd_pin, "set the admin PIN; changing it asks the current one first (standard "
                                      "input: the current PIN on the first line, the new one on the second)")
    p.add_argument("--reset", action="store_true",
                   help="replace a forgotten PIN without the current one (recorded in the audit log)")


def _read(prompt: str) -> str:
    return getpass.getpass(t(prompt)) if sys.stdin.isatty() else sys.stdin.readline().strip()


def cmd_pin(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        current = None
        if pin.has_pin(store) and not args.reset:
            current = _read("cli.pin_current")
        elif pin.has_pin(store):
            print(t("cli.pin_resetting"), file=sys.stderr)
        new = _read("cli.pin_prompt")
        if sys.stdin.isatty() and getpass.getpass(t("cli.pin_again")) != new:
            raise KioskError("pin.mismatch")
        pin.set_pin(store, new, current=current, reset=args.reset)
    output(args, {"ok": True, "reset": bool(args.reset)}, t("pin.reset") if args.reset else t("pin.set"))
    return 0
