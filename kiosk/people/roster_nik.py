"""NIK cells on non-ASN lists: a PLACEHOLDER until ``kiosk.people.nik`` lands (another helper writes it).

SWITCH: in ``roster_rows.py`` import ``read_nik`` / ``mask_nik`` from the real module instead
(``read_nik(text)`` must return the 16 digits and raise KioskError; ``mask_nik(digits)`` the
masked form), then delete this file and its messages.  Until then, a minimal local check: 16
digits once spaces, dots and Excel's apostrophe are removed; scientific notation refused.
No message here holds the NIK.
"""
from __future__ import annotations

import re

from kiosk.i18n import KioskError, register

register({
    "roster.nik_scientific": {
        "id": "NIK tertulis dalam notasi ilmiah: Excel sudah menghapus digit terakhirnya. Format kolom NIK "
              "sebagai Teks, lalu salin ulang NIK lengkap.",
        "en": "The NIK is in scientific notation: Excel has already destroyed its last digits. Format the NIK "
              "column as Text and copy the full NIK again.",
    },
    "roster.nik_not_digits": {
        "id": "NIK hanya boleh berisi angka (ditemukan '{char}'). Periksa kembali NIK.",
        "en": "A NIK may hold digits only (found '{char}'). Check the NIK.",
    },
    "roster.nik_length": {
        "id": "NIK harus 16 digit, yang ini {count} digit. Periksa apakah ada digit yang hilang atau lebih.",
        "en": "A NIK has 16 digits, this one has {count}. Check for a missing or extra digit.",
    },
})

_NIK_SEPARATORS = re.compile(r"[\s.\-_/]+")
_NIK_SCIENTIFIC = re.compile(r"^[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+$")


def read_nik(text: str) -> str:
    """The 16 NIK digits from a cell; KioskError when it is no NIK.  Messages never hold the NIK."""
    s = text.strip()
    if s.startswith("'"):
        s = s[1:].strip()
    if _NIK_SCIENTIFIC.match(s.replace(" ", "")):
        raise KioskError("roster.nik_scientific")
    d = _NIK_SEPARATORS.sub("", s)
    for ch in d:
        if not "0" <= ch <= "9":
            raise KioskError("roster.nik_not_digits", char=ch)
    if len(d) != 16:
        raise KioskError("roster.nik_length", count=len(d))
    return d


def mask_nik(digits: str) -> str:
    """A NIK as it may be shown: region code and the last four digits, the rest hidden."""
    return f"{digits[:4]}{'*' * (len(digits) - 8)}{digits[-4:]}" if len(digits) > 8 else "*" * len(digits)
