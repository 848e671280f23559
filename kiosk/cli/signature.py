"""``ikrar signature NIP|CODE [--json | --png FILE]``: give back a stored signature.

``--json`` prints exactly the form ``ikrar checkin --signature FILE`` takes, sample for sample, so a
signature can be read, checked and recorded again elsewhere; ``--png`` draws it at the pad's size.
Works on a kiosk database and on an export or merged file.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from kiosk.cli.common import Commands, event_of, open_reader, output
from kiosk.i18n import KioskError, register, t
from kiosk.people.payload import extract_badge
from kiosk.security.files import check_output_path, write_private

register({
    "cli.signature_none": {
        "id": "{who} tidak punya tanda tangan tersimpan di acara ini (belum hadir, atau hadir tanpa tanda tangan).",
        "en": "{who} has no stored signature for this event (not checked in, or checked in without signing)."},
    "cli.signature_summary": {
        "id": "Tanda tangan {name}: {strokes} goresan, {samples} titik, kotak {width}×{height} piksel{pen}; "
              "SHA-256 {sha256}. Pakai --json untuk datanya atau --png BERKAS untuk gambarnya.",
        "en": "Signature of {name}: {strokes} strokes, {samples} points, a {width}×{height} pixel pad{pen}; "
              "SHA-256 {sha256}. Use --json for its data or --png FILE for its picture."},
    "cli.signature_pen": {"id": ", tekanan pena asli", "en": ", real pen pressure"},
    "cli.signature_png": {"id": "Gambar tanda tangan disimpan di {path}.", "en": "Signature picture saved to {path}."},
    "cli.png_overwrite": {
        "id": "Berkas {path} sudah ada dan bukan gambar PNG; tidak ditimpa. Pilih nama berkas lain.",
        "en": "{path} already exists and is not a PNG picture; it was not overwritten. Choose another file name."},
})

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def add_commands(commands: Commands) -> None:
    p = commands.command("signature", cmd_signature, "give back a stored signature (JSON or PNG)")
    p.add_argument("badge", metavar="NIP|CODE")
    p.add_argument("--png", metavar="FILE", help="draw it into a PNG file")
    p.add_argument("--event", type=int, metavar="ID")
    p.add_argument("--passphrase-file", metavar="FILE", help="for an encrypted export given as --db")


def cmd_signature(args: argparse.Namespace) -> int:
    key = extract_badge(args.badge).value
    with open_reader(args) as store:
        person = store.person(key)
        sig = store.signature(event_of(store, args).id, key)
    who = person.name if person else args.badge
    if sig is None:
        raise KioskError("cli.signature_none", who=who)
    if args.png is not None:              # "--png ''" is an empty name, refused below
        from kiosk.ceremony.ink import render_png
        out = Path(args.png)
        check_output_path(out)
        if out.exists() and out.stat().st_size:          # an earlier picture may be replaced, nothing else
            with open(out, "rb") as fh:
                if fh.read(len(PNG_MAGIC)) != PNG_MAGIC:
                    raise KioskError("cli.png_overwrite", path=str(out))
        write_private(out, render_png(sig, background=(255, 255, 255)))
        output(args, {"ok": True, "file": str(out), "sha256": sig.sha256()}, t("cli.signature_png", path=str(out)))
        return 0
    if getattr(args, "json", False):
        print(json.dumps(sig.to_json(), ensure_ascii=False))
        return 0
    output(args, {}, t("cli.signature_summary", name=who, strokes=len(sig.strokes), samples=sig.sample_count,
                       width=sig.width, height=sig.height, pen=t("cli.signature_pen") if sig.pressure_real else "",
                       sha256=sig.sha256()))
    return 0
