"""The documents a clerk hands in, as headless core code (no Qt): badges, the daftar hadir,
the pakta integritas, the report to BKPSDM, and the attendance spreadsheets.

From a kiosk database or an export file, one call per document (what ``ikrar badges`` and
``ikrar export pdf|xlsx|csv|pakta|laporan`` run, and the desk window too), in
:mod:`kiosk.documents.exports`::

    exports.badges(reader, event, out, unit=None, keys=(), png=False, force=False, progress=None)
    exports.daftar_hadir(reader, event, out, unit=None, by_unit=False, force=False, plain=False, progress=None)
    exports.sheet(reader, event, out, fmt="xlsx" | "csv", sep=";", force=False, progress=None)
    exports.pakta(reader, event, out_dir=None, single=None, force=False, plain=False, progress=None)
    exports.laporan(reader, event, out, photos=(), force=False)

``reader`` is a :class:`kiosk.store.Store` or a :class:`kiosk.exchange.reader.ExportReader`;
:mod:`kiosk.documents.source` turns what it holds into the plain values of
:mod:`kiosk.documents.model`, which the documents themselves take (each writes its file
atomically, for its owner alone: :mod:`kiosk.documents.output`)::

    badges.badges_pdf(event, people, path)     badges.badge_png(event, person, path, dpi=300)
    attendance_pdf.attendance_pdf(event, rows, path, by_unit=False, unit=None, progress=None)
    pakta.pakta_pdf(event, row, path)          pakta.pakta_all(event, rows, folder, single=None, progress=None)
    report_pdf.report_pdf(event, rows, absences, guests, path, photos=())
    sheets.attendance_xlsx(event, rows, path, absences=(), progress=None)
    sheets.attendance_csv(event, rows, path, absences=(), sep=";", progress=None)

Import each from its module: the package itself loads only the model, so ``import
kiosk.documents`` stays cheap (fpdf2, openpyxl and qrcode load when a document is made).
"""
from __future__ import annotations

from kiosk.documents.model import AbsenceReason, DocAbsence, DocAttendance, DocEvent, DocPerson, PersonKind

__all__ = ["AbsenceReason", "DocAbsence", "DocAttendance", "DocEvent", "DocPerson", "PersonKind"]
