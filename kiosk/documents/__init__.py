"""The documents a clerk hands in, as headless core code (no Qt): badges, the daftar hadir,
the pakta integritas, the report to BKPSDM, and the attendance spreadsheets.

Each takes the plain values of :mod:`kiosk.documents.model` (filled from the database by the
caller) and writes its file atomically (:mod:`kiosk.documents.output`)::

    badges.badges_pdf(event, people, path)     badges.badge_png(event, person, path, dpi=300)
    attendance_pdf.attendance_pdf(event, rows, path, by_unit=False, progress=None)
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
