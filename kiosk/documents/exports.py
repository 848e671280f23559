"""One call per document, from a kiosk database or an export file to the file on disk.

What ``ikrar badges`` and ``ikrar export pdf|xlsx|csv|pakta|laporan`` run (and the desk window,
which calls the same functions): check where the file goes (before anything is built, so a
refusal costs nothing), refuse to put signature images from an encrypted file into a plain
document unless told so, read the data (:mod:`kiosk.documents.source`), refuse when there is
nothing to put in it, build and write it (atomically, for the owner alone).  Each returns a
:class:`Written` saying what was written.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.documents import source
from kiosk.documents.output import Progress, check_folder, check_target, nothing_to_export
from kiosk.documents.source import Reader
from kiosk.i18n import KioskError, register, t
from kiosk.store.records import Event

register({
    "documents.encrypted_input": {
        "id": "{path} terenkripsi, tetapi {document} memuat gambar tanda tangan yang akan tersimpan tanpa "
              "enkripsi. Bila memang boleh, ulangi dengan --no-encrypt dan simpan hasilnya hanya di tempat yang "
              "aman; bila tidak, buat dokumennya di laptop panitia dari berkas yang tidak terenkripsi.",
        "en": "{path} is encrypted, but {document} carries signature images that would be stored unencrypted. "
              "If that is acceptable, run again with --no-encrypt and keep the result somewhere safe; otherwise "
              "make the document on the organiser's laptop from an unencrypted file.",
    },
    "documents.png_one": {
        "id": "--png membuat kartu satu orang, tetapi yang terpilih {count} orang. Pilih satu dengan --nip NIP.",
        "en": "--png makes one person's badge, but {count} people are chosen. Pick one with --nip NIP.",
    },
    "documents.name.badges": {"id": "kartu peserta", "en": "the badges"},
    "documents.name.daftar-hadir": {"id": "daftar hadir", "en": "the attendance list"},
    "documents.name.xlsx": {"id": "lembar kerja XLSX", "en": "the XLSX workbook"},
    "documents.name.csv": {"id": "berkas CSV", "en": "the CSV file"},
    "documents.name.pakta": {"id": "pakta integritas", "en": "the integrity pacts"},
    "documents.name.laporan": {"id": "laporan", "en": "the report"},
})

#: Separators a CSV may use (Excel on an Indonesian Windows expects ``;``).
SEPARATORS = (";", ",", "\t", "|")


@dataclass(frozen=True, slots=True)
class Written:
    """What a document call wrote."""
    document: str                     # badges, daftar-hadir, xlsx, csv, pakta, laporan
    files: tuple[Path, ...]
    count: int                        # people on it (badges, pacts, rows present)
    folder: Path | None = None        # pakta, one file each
    absent: int = 0                   # xlsx, csv, laporan: those listed absent
    encrypted_input: bool = False
    warnings: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"ok": True, "document": self.document, "count": self.count,
                                   "files": [str(f) for f in self.files], "encrypted_input": self.encrypted_input,
                                   "warnings": list(self.warnings)}
        if self.folder is not None:
            data["folder"] = str(self.folder)
        else:
            data["file"] = str(self.files[0])
        if self.document in ("xlsx", "csv", "laporan"):
            data["absent"] = self.absent
        return data


def document_name(document: str) -> str:
    return t(f"documents.name.{document}")


def _refuse_plain_signatures(reader: Reader, document: str, plain: bool) -> None:
    if reader.encrypted and not plain:
        raise KioskError("documents.encrypted_input", path=str(reader.path), document=document_name(document))


def _present(reader: Reader, event: Event, *, unit: str | None = None,
             signatures: bool = True) -> list[source.DocAttendance]:
    rows = source.attendance(reader, event, unit=unit, signatures=signatures)
    if not rows:
        raise nothing_to_export("attendance")
    return rows


# --- the documents -----------------------------------------------------------------------------

def badges(reader: Reader, event: Event, out: str | os.PathLike, *, unit: str | None = None,
           keys: Sequence[str] = (), png: bool = False, force: bool = False,
           progress: Progress | None = None) -> Written:
    """A4 sheets of ID-1 badges (or, with ``png``, one person's badge as a PNG)."""
    from kiosk.documents.badges import badge_png, badges_pdf

    target = check_target(out, force=force)
    people = source.roster(reader, event, unit=unit, badges=keys)
    if not people:
        raise nothing_to_export("people")
    doc_event = source.doc_event(reader, event)
    if png:
        if len(people) != 1:
            raise KioskError("documents.png_one", count=len(people))
        badge_png(doc_event, people[0], target)
    else:
        badges_pdf(doc_event, people, target, progress=progress)
    return Written("badges", (target,), len(people), encrypted_input=reader.encrypted,
                   warnings=tuple(source.warnings(event)))


def daftar_hadir(reader: Reader, event: Event, out: str | os.PathLike, *, unit: str | None = None,
                 by_unit: bool = False, force: bool = False, plain: bool = False,
                 progress: Progress | None = None) -> Written:
    """The signed attendance list (PDF)."""
    from kiosk.documents.attendance_pdf import attendance_pdf

    target = check_target(out, force=force)
    _refuse_plain_signatures(reader, "daftar-hadir", plain)
    rows = _present(reader, event, unit=unit)
    attendance_pdf(source.doc_event(reader, event), rows, target, by_unit=by_unit, unit=unit, progress=progress)
    return Written("daftar-hadir", (target,), len(rows), encrypted_input=reader.encrypted,
                   warnings=tuple(source.warnings(event)))


def sheet(reader: Reader, event: Event, out: str | os.PathLike, *, fmt: str = "xlsx", sep: str = ";",
          force: bool = False, progress: Progress | None = None) -> Written:
    """The attendance spreadsheet: ``fmt`` ``xlsx`` (three sheets) or ``csv`` (three sections)."""
    from kiosk.documents.sheets import attendance_csv, attendance_xlsx

    if fmt not in ("xlsx", "csv"):
        raise ValueError(f"unknown spreadsheet format {fmt!r}")
    target = check_target(out, force=force)
    rows = _present(reader, event, signatures=False)
    away = source.absences(reader, event)
    doc_event = source.doc_event(reader, event)
    if fmt == "xlsx":
        attendance_xlsx(doc_event, rows, target, absences=away, progress=progress)
    else:
        if sep not in SEPARATORS:
            raise ValueError(f"unknown separator {sep!r}")
        attendance_csv(doc_event, rows, target, absences=away, sep=sep, progress=progress)
    return Written(fmt, (target,), len(rows), absent=len(away), encrypted_input=reader.encrypted)


def pakta(reader: Reader, event: Event, out_dir: str | os.PathLike | None = None, *,
          single: str | os.PathLike | None = None, force: bool = False, plain: bool = False,
          progress: Progress | None = None) -> Written:
    """The integrity pact of every signer: one file each in ``out_dir``, or all in the one PDF ``single``."""
    from kiosk.documents.pakta import file_names, pakta_all, signers

    if (out_dir is None) == (single is None):
        raise ValueError("give out_dir or single, not both")
    target = check_target(single, force=force) if single is not None else None
    _refuse_plain_signatures(reader, "pakta", plain)
    rows = signers(_present(reader, event))
    if not rows:
        raise nothing_to_export("signers")
    folder = None
    if out_dir is not None:
        folder = check_folder(out_dir, file_names(rows), force=force)
    written = pakta_all(source.doc_event(reader, event), rows, folder or Path("."), single=target, progress=progress)
    return Written("pakta", tuple(written), len(rows), folder=folder, encrypted_input=reader.encrypted,
                   warnings=tuple(source.warnings(event)))


def laporan(reader: Reader, event: Event, out: str | os.PathLike, *, photos: Sequence[str | os.PathLike] = (),
            force: bool = False) -> Written:
    """The written report to BKPSDM (PDF), with photos of the ceremony."""
    from kiosk.documents.report_pdf import report_pdf

    target = check_target(out, force=force)
    rows = _present(reader, event, signatures=False)
    away = source.absences(reader, event)
    report_pdf(source.doc_event(reader, event), rows, away, source.guests(rows), target, photos=photos)
    return Written("laporan", (target,), len(rows), absent=len(away), encrypted_input=reader.encrypted,
                   warnings=tuple(source.warnings(event)))
