"""``ikrar badges`` and ``ikrar export pdf | xlsx | csv | pakta | laporan``: the documents a clerk hands in.

Every one reads a kiosk database or an export or merged file given as ``--db`` (decrypted in memory
when it is encrypted), refuses to replace an existing file without ``--force``, writes atomically and
for the owner alone, prints progress to stderr when it takes longer than a second, and with ``--json``
reports what it wrote.  The work is :mod:`kiosk.documents.exports`, which the desk window calls too.
"""
from __future__ import annotations

import argparse
import sys
import time
from typing import TextIO

from kiosk.cli.common import Commands, event_of, open_reader, output
from kiosk.documents import exports
from kiosk.documents.exports import Written
from kiosk.i18n import register, t

register({
    "documents.progress": {"id": "Membuat {document}: {done} dari {total}",
                           "en": "Making {document}: {done} of {total}"},
    "documents.written.badges": {"id": "Kartu peserta tersimpan: {path} ({count} orang).",
                                 "en": "Badges saved: {path} ({count} people)."},
    "documents.written.daftar-hadir": {"id": "Daftar hadir tersimpan: {path} ({count} orang hadir).",
                                       "en": "Attendance list saved: {path} ({count} present)."},
    "documents.written.xlsx": {"id": "Lembar kerja tersimpan: {path} ({count} hadir, {absent} tidak hadir).",
                               "en": "Workbook saved: {path} ({count} present, {absent} absent)."},
    "documents.written.csv": {"id": "Berkas CSV tersimpan: {path} ({count} hadir, {absent} tidak hadir).",
                              "en": "CSV file saved: {path} ({count} present, {absent} absent)."},
    "documents.written.pakta": {"id": "{count} pakta integritas tersimpan di {path}.",
                                "en": "{count} integrity pacts saved in {path}."},
    "documents.written.pakta-single": {"id": "{count} pakta integritas tersimpan dalam satu berkas: {path}.",
                                       "en": "{count} integrity pacts saved in one file: {path}."},
    "documents.written.laporan": {"id": "Laporan tersimpan: {path} ({count} hadir, {absent} tidak hadir).",
                                  "en": "Report saved: {path} ({count} present, {absent} absent)."},
})

_SEPARATORS = {";": ";", ",": ",", "tab": "\t", "\\t": "\t", "\t": "\t", "|": "|"}


def _separator(text: str) -> str:
    if text not in _SEPARATORS:
        raise argparse.ArgumentTypeError("one of ';' ',' tab '|'")
    return _SEPARATORS[text]


class StderrProgress:
    """``progress(done, total)`` that stays quiet for the first second, then says how far it is, at most
    twice a second (on one line that is rewritten when stderr is a terminal)."""

    def __init__(self, document: str, stream: TextIO | None = None, *, after: float = 1.0) -> None:
        self.document = document
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.monotonic()
        self.after = after
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        moment = time.monotonic()
        if moment - self.start < self.after or (moment - self.last < 0.5 and done < total):
            return
        if done >= total and not self.shown:
            return                          # finished within the first second: nothing to say
        self.last = moment
        self.shown = True
        line = t("documents.progress", document=exports.document_name(self.document), done=done, total=total)
        tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        end = ("\n" if done >= total else "\r") if tty else "\n"
        self.stream.write(("\r" if tty else "") + line + end)
        self.stream.flush()


def _reader_options(p: argparse.ArgumentParser, *, signatures: bool = False) -> None:
    p.allow_abbrev = False
    p.add_argument("--event", type=int, metavar="ID")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.add_argument("--passphrase-file", metavar="FILE", help="for an encrypted export given as --db")
    if signatures:
        p.add_argument("--no-encrypt", action="store_true",
                       help="allow signature images from an encrypted --db file in this unencrypted document")


def add_commands(commands: Commands) -> None:
    p = commands.command("badges", cmd_badges, "print badges: A4 sheets of 10 ID-1 cards with the QR code")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.add_argument("--unit", metavar="UNIT", help="only the people of this unit")
    p.add_argument("--nip", action="append", default=[], metavar="NIP|CODE", help="only these people (repeatable)")
    p.add_argument("--png", action="store_true", help="one person's card as a PNG image (with --nip)")
    _reader_options(p)

    export = commands.group("export", "export attendance", metavar="FORMAT")
    p = export.command("pdf", cmd_pdf, "the signed attendance list (daftar hadir), A4 PDF")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.add_argument("--unit", metavar="UNIT", help="only the people of this unit")
    p.add_argument("--by-unit", action="store_true", help="one section per unit")
    _reader_options(p, signatures=True)

    for fmt, what in (("xlsx", "Excel workbook: present, absent, recap per unit"),
                      ("csv", "CSV (UTF-8 with BOM): present, absent, recap per unit")):
        p = export.command(fmt, cmd_sheet, what)
        p.set_defaults(fmt=fmt)
        p.add_argument("-o", "--output", required=True, metavar=f"FILE.{fmt}")
        if fmt == "csv":
            p.add_argument("--sep", default=";", type=_separator, metavar="';'|','|tab|'|'",
                           help="field separator (default ';', what Excel expects on an Indonesian Windows)")
        _reader_options(p)

    p = export.command("pakta", cmd_pakta, "the integrity pact (pakta integritas) of every signer")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("-o", "--output", metavar="DIR", help="one PDF per signer in this folder")
    where.add_argument("--single", metavar="FILE.pdf", help="all pacts in one PDF")
    _reader_options(p, signatures=True)

    p = export.command("laporan", cmd_laporan, "the written report to BKPSDM (PDF)")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.add_argument("--photo", action="append", default=[], metavar="IMG", help="a photo of the ceremony (repeatable)")
    _reader_options(p)


def _report(args: argparse.Namespace, written: Written, *, single: bool = False) -> int:
    code = "documents.written.pakta-single" if single else f"documents.written.{written.document}"
    path = written.folder if written.folder is not None else written.files[0]
    for warning in written.warnings:
        print(warning, file=sys.stderr)
    output(args, written.to_json(), t(code, path=str(path), count=written.count, absent=written.absent))
    return 0


def cmd_badges(args: argparse.Namespace) -> int:
    with open_reader(args) as reader:
        written = exports.badges(reader, event_of(reader, args), args.output, unit=args.unit, keys=args.nip,
                                 png=args.png, force=args.force, progress=StderrProgress("badges"))
    return _report(args, written)


def cmd_pdf(args: argparse.Namespace) -> int:
    with open_reader(args) as reader:
        written = exports.daftar_hadir(reader, event_of(reader, args), args.output, unit=args.unit,
                                       by_unit=args.by_unit, force=args.force, plain=args.no_encrypt,
                                       progress=StderrProgress("daftar-hadir"))
    return _report(args, written)


def cmd_sheet(args: argparse.Namespace) -> int:
    sep = getattr(args, "sep", ";")
    with open_reader(args) as reader:
        written = exports.sheet(reader, event_of(reader, args), args.output, fmt=args.fmt, sep=sep,
                                force=args.force, progress=StderrProgress(args.fmt))
    return _report(args, written)


def cmd_pakta(args: argparse.Namespace) -> int:
    with open_reader(args) as reader:
        written = exports.pakta(reader, event_of(reader, args), args.output, single=args.single, force=args.force,
                                plain=args.no_encrypt, progress=StderrProgress("pakta"))
    return _report(args, written, single=args.single is not None)


def cmd_laporan(args: argparse.Namespace) -> int:
    with open_reader(args) as reader:
        written = exports.laporan(reader, event_of(reader, args), args.output, photos=args.photo,
                                  force=args.force)
    return _report(args, written)
