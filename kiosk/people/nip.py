"""NIP (Nomor Induk Pegawai): normalisation, validation and derived fields.

Two 18-digit layouts share the first eight digits (birth date) and the last four
(gender, sequence):

* PNS:  ``YYYYMMDD YYYYMM G SSS`` — birth date, first appointment (TMT CPNS)
  year and month, gender 1/2, sequence from 001.
* PPPK: ``YYYYMMDD YYYY 2 K G SSS`` — birth date, appointment year, the PPPK
  mark ``2``, contract count 1–9, gender, sequence.

Digit 13 tells them apart: a PNS appointment month starts with 0 or 1, so a 2
there can only be the PPPK mark.  A PNS-only validator reads it as month 2x and
wrongly refuses every PPPK number.
"""
from __future__ import annotations

import calendar
import datetime as _dt
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.i18n import KioskError, register

register({
    "nip.empty": {
        "id": "NIP kosong. Ketik 18 digit NIP.",
        "en": "The NIP is empty. Type the 18-digit NIP.",
    },
    "nip.scientific": {
        "id": "NIP {text} tertulis dalam notasi ilmiah: Excel sudah menghapus digit terakhirnya. "
              "Format kolom NIP sebagai Teks di sumbernya, lalu salin ulang NIP lengkap.",
        "en": "NIP {text} is in scientific notation: Excel has already destroyed its last digits. "
              "Format the NIP column as Text at the source and copy the full NIP again.",
    },
    "nip.not_digits": {
        "id": "NIP hanya boleh berisi angka (ditemukan '{char}'). Periksa kembali NIP.",
        "en": "A NIP may hold digits only (found '{char}'). Check the NIP.",
    },
    "nip.old": {
        "id": "NIP {digits} adalah NIP lama 9 digit. Gunakan NIP baru 18 digit.",
        "en": "NIP {digits} is an old 9-digit NIP. Use the new 18-digit NIP.",
    },
    "nip.length": {
        "id": "NIP harus 18 digit, yang ini {count} digit. Periksa apakah ada digit yang hilang atau lebih.",
        "en": "A NIP has 18 digits, this one has {count}. Check for a missing or extra digit.",
    },
    "nip.birth_date": {
        "id": "Tanggal lahir dalam NIP ({value}) tidak mungkin. Periksa 8 digit pertama NIP.",
        "en": "The birth date in the NIP ({value}) is impossible. Check the NIP's first 8 digits.",
    },
    "nip.tmt_month": {
        "id": "Bulan TMT CPNS dalam NIP ({value}) tidak ada (harus 01–12). Periksa digit ke-13 dan ke-14.",
        "en": "The appointment month in the NIP ({value}) does not exist (must be 01–12). Check digits 13 and 14.",
    },
    "nip.tmt_year": {
        "id": "Tahun pengangkatan dalam NIP ({value}) tidak mungkin. Periksa digit ke-9 sampai ke-12.",
        "en": "The appointment year in the NIP ({value}) is impossible. Check digits 9 to 12.",
    },
    "nip.pppk_contract": {
        "id": "NIP PPPK dengan kode perjanjian kerja 0 tidak ada (harus 1–9). Periksa digit ke-14.",
        "en": "A PPPK NIP cannot have contract count 0 (must be 1–9). Check digit 14.",
    },
    "nip.gender": {
        "id": "Kode jenis kelamin dalam NIP harus 1 (pria) atau 2 (wanita), bukan {value}. Periksa digit ke-15.",
        "en": "The gender digit of a NIP must be 1 (male) or 2 (female), not {value}. Check digit 15.",
    },
    "nip.sequence": {
        "id": "Nomor urut NIP tidak boleh 000. Jika NIP berasal dari Excel, tiga digit terakhirnya "
              "mungkin sudah dibulatkan: format kolom sebagai Teks dan salin ulang.",
        "en": "A NIP's sequence cannot be 000. If it came from Excel its last three digits may have been "
              "rounded away: format the column as Text and copy it again.",
    },
    "nip.before_birth": {
        "id": "NIP menyatakan pengangkatan ({appointed}) sebelum tanggal lahir ({born}). Periksa NIP.",
        "en": "The NIP says the appointment ({appointed}) came before birth ({born}). Check the NIP.",
    },
})

# Characters people and printers put inside a NIP.  Everything else is refused.
_SEPARATORS = re.compile(r"[\s.\-_/\u00a0\u2007\u202f]+")
_SCIENTIFIC = re.compile(r"^[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+$")
_EARLIEST_BIRTH_YEAR = 1900


@dataclass(frozen=True, slots=True)
class Nip:
    digits: str
    kind: str                  # "PNS" or "PPPK"
    birth_date: _dt.date
    gender: str                # "M" or "F"
    appointed_year: int
    appointed_month: int | None  # PNS only
    contract: int | None         # PPPK only
    sequence: int

    def __str__(self) -> str:
        return self.digits

    @property
    def spaced(self) -> str:
        """The printed form, ``19680411 199303 1 009`` (8-6-1-3)."""
        return format_spaced(self.digits)


def format_spaced(digits: str) -> str:
    d = digits
    return f"{d[:8]} {d[8:14]} {d[14]} {d[15:]}" if len(d) == 18 else d


def normalise(text: str) -> str:
    """Strip what typing, printing and Excel add around the digits.

    Raises KioskError for scientific notation, since the digits are already lost.
    """
    s = str(text).strip().strip("\ufeff")
    if s.isdigit() and s.isascii():           # the common case: nothing to strip (checked before the regexes)
        return s
    if s.startswith("'"):
        s = s[1:].strip()
    if _SCIENTIFIC.match(s.replace(" ", "")):
        raise KioskError("nip.scientific", text=s)
    return _SEPARATORS.sub("", s)


def parse(text: str, *, today: _dt.date | None = None) -> Nip:
    """Validate a NIP and return its fields; raise KioskError with the reason."""
    d, kind, birth, year, month, contract = _check(text, today)
    return Nip(d, kind, birth, "M" if d[14] == "1" else "F", year, month, contract, int(d[15:18]))


def digits(text: str, *, today: _dt.date | None = None) -> str:
    """The normalised 18 digits of a valid NIP: what :func:`parse` checks, without building a Nip
    (a roster import validates 100,000 of them); raise KioskError with the reason."""
    return _check(text, today)[0]


def _check(text: str, today: _dt.date | None
           ) -> tuple[str, str, _dt.date, int, int | None, int | None]:
    """(digits, kind, birth date, appointment year, month, contract) of a valid NIP, else KioskError."""
    d = normalise(text)
    if not d:
        raise KioskError("nip.empty")
    if not (d.isascii() and d.isdigit()):
        for ch in d:
            if not ("0" <= ch <= "9"):
                raise KioskError("nip.not_digits", char=ch)
    if len(d) == 9:
        raise KioskError("nip.old", digits=d)
    if len(d) != 18:
        raise KioskError("nip.length", count=len(d))

    today = today or _dt.date.today()
    birth = _date(d[0:4], d[4:6], d[6:8])
    if birth is None or birth.year < _EARLIEST_BIRTH_YEAR or birth > today:
        raise KioskError("nip.birth_date", value=f"{d[6:8]}-{d[4:6]}-{d[0:4]}")

    year = int(d[8:12])
    month: int | None
    contract: int | None
    if d[12] == "2":                      # PPPK mark
        kind, month, contract = "PPPK", None, int(d[13])
        if contract == 0:
            raise KioskError("nip.pppk_contract")
    else:
        kind, month, contract = "PNS", int(d[12:14]), None
        if not 1 <= month <= 12:
            raise KioskError("nip.tmt_month", value=d[12:14])
    if year < _EARLIEST_BIRTH_YEAR or year > today.year + 1:
        raise KioskError("nip.tmt_year", value=d[8:12])
    if (year, month or 12) < (birth.year, birth.month):
        appointed = f"{month:02d}-{year}" if month else str(year)
        raise KioskError("nip.before_birth", appointed=appointed, born=birth.isoformat())

    if d[14] not in "12":
        raise KioskError("nip.gender", value=d[14])
    if d[15:18] == "000":
        raise KioskError("nip.sequence")
    return d, kind, birth, year, month, contract


_BIRTH, _BORN_MONTH, _APPOINTED = (operator.itemgetter(slice(0, 8)), operator.itemgetter(slice(0, 6)),
                                   operator.itemgetter(slice(8, 14)))
_SEQUENCE = operator.itemgetter(slice(15, 18))
_ZERO = bytes.maketrans(b"0123456789", b"\x01" + bytes(9))
_STAND_IN = "196804111993031009"                  # in place of a text of the wrong shape (already refused)


def plain_valid(texts: Sequence[str], *, today: _dt.date | None = None, accepted: set[str] | None = None
                ) -> list[bool]:
    """For each text: True when it is a NIP as it stands (18 ASCII digits, nothing to normalise) that
    :func:`digits` accepts; False when this check cannot vouch for it (refused, or accepted only once
    normalised): ask :func:`digits` for the reason or the digits.

    The rules of :func:`_check`, decided on whole columns (a roster import checks 100,000 NIPs): each
    distinct birth date and appointment once, the other rules by C-level passes over the column.
    ``accepted``, for a column checked in parts with the same ``today``: the birth dates (8 digits) and
    appointments (digits 9-14) found valid so far, skipped here and added to.
    """
    n = len(texts)
    if n == 0:
        return []
    today = today or _dt.date.today()
    refused: list[list[bool]] = []                 # per rule that refuses any: a mark per text
    joined = "".join(texts)
    if not (joined.isascii() and len(joined) == 18 * n and max(map(len, texts)) == 18
            and joined.encode("ascii").isdigit()):
        shaped = [len(s) == 18 and s.isascii() and s.isdigit() for s in texts]
        refused.append(list(map(operator.not_, shaped)))
        texts = [s if ok else _STAND_IN for s, ok in zip(texts, shaped)]
        joined = "".join(texts)
    known = accepted if accepted is not None else set()
    births = set(map(_BIRTH, texts)) - known
    bad_births = _bad_births(births, f"{today:%Y%m%d}")
    if bad_births:
        refused.append(list(map(bad_births.__contains__, map(_BIRTH, texts))))
    appointed = list(map(_APPOINTED, texts))
    appointments = set(appointed) - known
    bad_appointed = {a for a in appointments if not _appointment_ok(a, today)}
    if bad_appointed:
        refused.append(list(map(bad_appointed.__contains__, appointed)))
    known |= births - bad_births
    known |= appointments - bad_appointed
    # Appointed before birth: "YYYYMM" < "YYYYMM" for a PNS; a PPPK's "YYYY2K" sorts after every month of
    # its year, so the same comparison says "the year is before the birth year", as _check does.  Against
    # the whole text first: "YYYYMM" < text also when the months are equal, which no real roster has.
    if any(map(operator.lt, appointed, texts)):
        refused.append(list(map(operator.lt, appointed, map(_BORN_MONTH, texts))))
    genders = joined[14::18]                       # digit 15 of every text
    if not set(genders) <= {"1", "2"}:
        refused.append([g not in "12" for g in genders])
    # Sequence 000: digits 16, 17 and 18 of one text all "0".  Each of the three as a column of bytes, 1 for
    # a "0", read as one integer: the AND of the three is not 0 when some text has all three.
    raw = joined.encode("ascii")
    if int.from_bytes(raw[15::18].translate(_ZERO), "big") & int.from_bytes(raw[16::18].translate(_ZERO), "big") \
            & int.from_bytes(raw[17::18].translate(_ZERO), "big"):
        refused.append(list(map("000".__eq__, map(_SEQUENCE, texts))))
    if not refused:
        return [True] * n
    marks = refused[0]
    for more in refused[1:]:
        marks = list(map(operator.or_, marks, more))
    return list(map(operator.not_, marks))


def _bad_births(births: set[str], today: str) -> set[str]:
    """The texts (8 ASCII digits each) among ``births`` that are no birth date _check accepts."""
    last_days: dict[str, str] = {}                 # "YYYYMM" -> its last day "DD"; "" for no such month
    bad = set()
    for birth in births:
        month = birth[:6]
        last = last_days.get(month)
        if last is None:
            y, m = int(month[:4]), int(month[4:])
            last = last_days[month] = f"{calendar.monthrange(y, m)[1]:02d}" \
                if y >= _EARLIEST_BIRTH_YEAR and 1 <= m <= 12 else ""
        if not "01" <= birth[6:] <= last or birth > today:
            bad.add(birth)
    return bad


def _appointment_ok(text: str, today: _dt.date) -> bool:
    """Digits 9-14 (year and month, or year, PPPK mark and contract) as _check accepts them."""
    if text[4] == "2":
        if text[5] == "0":
            return False
    elif not 1 <= int(text[4:6]) <= 12:
        return False
    return _EARLIEST_BIRTH_YEAR <= int(text[0:4]) <= today.year + 1


def is_valid(text: str) -> bool:
    try:
        parse(text)
    except KioskError:
        return False
    return True


def _date(y: str, m: str, d: str) -> _dt.date | None:
    try:
        return _dt.date(int(y), int(m), int(d))
    except ValueError:
        return None
