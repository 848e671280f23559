"""Dates as people read them: "4 November 2024", "Senin, 4 November 2024".

Written out here rather than with ``strftime``: month and day names must not depend on the
laptop's locale (a Windows laptop set to English would print English names on an Indonesian
form), and every screen and document prints them the same way.
"""
from __future__ import annotations

import datetime as _dt

from kiosk import i18n

MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
DAYS = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def _date(value: str | _dt.date) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def long_date(value: str | _dt.date, lang: str | None = None) -> str:
    """``4 November 2024``; an unreadable ISO text is returned as it is."""
    d = _date(value)
    if d is None:
        return str(value)
    lang = lang or i18n.language()
    if lang == i18n.PSEUDO:
        return i18n.pseudo(long_date(d, "id"))
    return f"{d.day} {MONTHS[lang][d.month - 1]} {d.year}"


def day_and_date(value: str | _dt.date, lang: str | None = None) -> str:
    """``Senin, 4 November 2024`` (the *Hari/Tanggal* of a form)."""
    d = _date(value)
    if d is None:
        return str(value)
    lang = lang or i18n.language()
    if lang == i18n.PSEUDO:
        return i18n.pseudo(day_and_date(d, "id"))
    return f"{DAYS[lang][d.weekday()]}, {long_date(d, lang)}"
