"""``ikrar decode IMAGE... [--json]``: read badge QR codes from photos or screenshots.

Exit 0 when at least one file held a valid badge (a NIP, or a badge code), 1 when none did.
A file that cannot be read gets its own line (or JSON entry) and does not stop the others.
"""
from __future__ import annotations

import argparse

from kiosk.cli.common import Commands, output
from kiosk.i18n import register, t
from kiosk.people.badge_code import format_code
from kiosk.people.nip import format_spaced

register({
    "decode.nip": {"id": "{file}: NIP {spaced}", "en": "{file}: NIP (civil service number) {spaced}"},
    "decode.code": {"id": "{file}: kode kartu {badge}", "en": "{file}: badge code {badge}"},
    "decode.none_valid": {
        "id": "Tidak ada kartu yang sah di {count} berkas ini. Foto ulang kartunya, atau ketik NIP-nya.",
        "en": "None of these {count} files holds a valid badge. Photograph the badge again, or type the NIP.",
    },
})


def add_commands(commands: Commands) -> None:
    p = commands.command("decode", cmd_decode, "read badge QR codes from image files")
    p.add_argument("images", nargs="+", metavar="IMAGE", help="PNG, JPEG or other image files")


def cmd_decode(args: argparse.Namespace) -> int:
    from kiosk.camera.files import decode_image_files  # zxing-cpp only for this command

    entries = decode_image_files(args.images)
    ok = any(e["nip"] or e["code"] for e in entries)
    lines = []
    for e in entries:
        if e["nip"]:
            lines.append(t("decode.nip", file=e["file"], spaced=format_spaced(e["nip"])))
        elif e["code"]:
            lines.append(t("decode.code", file=e["file"], badge=format_code(e["code"])))
        else:
            lines.append(f"{e['file']}: {e['error']}")
    if not ok:
        lines.append(t("decode.none_valid", count=len(entries)))
    output(args, {"ok": ok, "files": entries}, lines)
    return 0 if ok else 1
