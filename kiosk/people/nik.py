"""NIK (Nomor Induk Kependudukan): normalisation, validation, masking.

Non-ASN staff (honorer, PPNPN, tenaga kontrak) have no NIP, sometimes a NIK.
Sixteen digits, no checksum::

    PP KK CC DDMMYY SSSS
    province, regency (kabupaten/kota), district (kecamatan),
    birth date with 40 added to the day for women, serial from 0001.

The province is the Kemendagri code of the province that issued the number,
one of the 38 provinces (11 Aceh … 96 Papua Barat Daya, the four Papua
provinces of 2022 included).  A province split since the NIK was issued does
not change it: a NIK from Tanjungpinang may still start with 14 (Riau).

The year has two digits: the century is the one that does not put the birth in
the future.  Excel keeps only 15 significant digits, so a NIK typed into a number
cell loses its last digit (it becomes 0); a serial 0000 is the only trace this
leaves, and the refusal says so.

A NIK is personal data (UU 27/2022): never shown or printed whole.  ``Nik``'s
``repr`` and ``str`` give the masked form ``7318********0003`` and no refusal
message carries more of the number than that.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from kiosk.i18n import KioskError, register
from kiosk.people import nip as _nip

register({
    "nik.empty": {
        "id": "NIK kosong. Ketik 16 digit NIK sesuai KTP atau Kartu Keluarga.",
        "en": "The NIK is empty. Type the 16-digit NIK from the identity card or family card.",
    },
    "nik.scientific": {
        "id": "NIK tertulis dalam notasi ilmiah: Excel sudah menghapus digit terakhirnya. "
              "Format kolom NIK sebagai Teks di sumbernya, lalu salin ulang NIK lengkap dari KTP.",
        "en": "The NIK is in scientific notation: Excel has already destroyed its last digits. "
              "Format the NIK column as Text at the source and copy the full NIK from the identity card again.",
    },
    "nik.as_number": {
        "id": "NIK tersimpan sebagai angka desimal (berakhiran ',0' atau '.0'), sehingga digit terakhirnya "
              "mungkin sudah berubah. Format kolom NIK sebagai Teks, lalu salin ulang NIK dari KTP.",
        "en": "The NIK was stored as a decimal number (ending in '.0'), so its last digit may have changed. "
              "Format the NIK column as Text and copy the NIK from the identity card again.",
    },
    "nik.not_digits": {
        "id": "NIK hanya boleh berisi angka (ditemukan '{char}'). Periksa kembali NIK.",
        "en": "A NIK may hold digits only (found '{char}'). Check the NIK.",
    },
    "nik.is_nip": {
        "id": "Nomor ini 18 digit dan merupakan NIP, bukan NIK. Masukkan di kolom NIP.",
        "en": "This number has 18 digits and is a NIP, not a NIK. Enter it in the NIP field.",
    },
    "nik.length": {
        "id": "NIK harus 16 digit, yang ini {count} digit. Periksa apakah ada digit yang hilang atau lebih.",
        "en": "A NIK has 16 digits, this one has {count}. Check for a missing or extra digit.",
    },
    "nik.province": {
        "id": "Kode provinsi {province} dalam NIK {masked} tidak ada. Dua digit pertama NIK adalah kode provinsi "
              "(11 Aceh sampai 96 Papua Barat Daya). Periksa NIK pada KTP.",
        "en": "Province code {province} in NIK {masked} does not exist. A NIK's first two digits are the province "
              "(11 Aceh to 96 Papua Barat Daya). Check the NIK on the identity card.",
    },
    "nik.regency": {
        "id": "Kode kabupaten/kota dalam NIK {masked} tidak boleh 00 (digit ke-3 dan ke-4). Periksa NIK pada KTP.",
        "en": "The regency code in NIK {masked} cannot be 00 (digits 3 and 4). Check the NIK on the identity card.",
    },
    "nik.district": {
        "id": "Kode kecamatan dalam NIK {masked} tidak boleh 00 (digit ke-5 dan ke-6). Periksa NIK pada KTP.",
        "en": "The district code in NIK {masked} cannot be 00 (digits 5 and 6). Check the NIK on the identity card.",
    },
    "nik.birth_day": {
        "id": "Tanggal lahir dalam NIK {masked} tidak mungkin: digit ke-7 dan ke-8 harus 01–31, atau 41–71 "
              "untuk perempuan. Periksa NIK pada KTP.",
        "en": "The birth day in NIK {masked} is impossible: digits 7 and 8 must be 01–31, or 41–71 for women. "
              "Check the NIK on the identity card.",
    },
    "nik.birth_month": {
        "id": "Bulan lahir dalam NIK {masked} tidak ada: digit ke-9 dan ke-10 harus 01–12. Periksa NIK pada KTP.",
        "en": "The birth month in NIK {masked} does not exist: digits 9 and 10 must be 01–12. "
              "Check the NIK on the identity card.",
    },
    "nik.birth_date": {
        "id": "Tanggal lahir dalam NIK {masked} tidak ada di kalender (misalnya 30 Februari, atau 29 Februari "
              "di tahun bukan kabisat). Periksa digit ke-7 sampai ke-12 NIK pada KTP.",
        "en": "The birth date in NIK {masked} is not in the calendar (say 30 February, or 29 February outside "
              "a leap year). Check digits 7 to 12 of the NIK on the identity card.",
    },
    "nik.serial": {
        "id": "Nomor urut NIK {masked} tidak boleh 0000. Jika NIK berasal dari Excel, digit terakhirnya mungkin "
              "sudah dibulatkan: format kolom sebagai Teks dan salin ulang NIK dari KTP.",
        "en": "The serial of NIK {masked} cannot be 0000. If it came from Excel its last digit may have been "
              "rounded away: format the column as Text and copy the NIK from the identity card again.",
    },
})

LENGTH = 16

# Kemendagri province codes (Kepmendagri 100.1.1-6117/2022, 38 provinces).
PROVINCES: dict[str, str] = {
    "11": "Aceh", "12": "Sumatera Utara", "13": "Sumatera Barat", "14": "Riau", "15": "Jambi",
    "16": "Sumatera Selatan", "17": "Bengkulu", "18": "Lampung", "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "DKI Jakarta", "32": "Jawa Barat", "33": "Jawa Tengah", "34": "DI Yogyakarta", "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali", "52": "Nusa Tenggara Barat", "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat", "62": "Kalimantan Tengah", "63": "Kalimantan Selatan", "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara", "72": "Sulawesi Tengah", "73": "Sulawesi Selatan", "74": "Sulawesi Tenggara",
    "75": "Gorontalo", "76": "Sulawesi Barat",
    "81": "Maluku", "82": "Maluku Utara",
    "91": "Papua", "92": "Papua Barat", "93": "Papua Selatan", "94": "Papua Tengah", "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}

_SEPARATORS = re.compile(r"[\s.\-_/\u00a0\u2007\u202f]+")
_SCIENTIFIC = re.compile(r"^[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+$")
_AS_NUMBER = re.compile(r"^[0-9]{16}[.,]0+$")
_FEMALE = 40


@dataclass(frozen=True, slots=True, repr=False)
class Nik:
    digits: str
    province: str          # "73"
    regency: str           # "18", the kabupaten/kota within the province
    district: str          # "01", the kecamatan within the regency
    birth_date: _dt.date
    gender: str            # "M" or "F"
    serial: int

    @property
    def masked(self) -> str:
        return mask_nik(self.digits)

    @property
    def province_name(self) -> str:
        return PROVINCES[self.province]

    def __repr__(self) -> str:
        return f"Nik({self.masked!r})"

    def __str__(self) -> str:
        return self.masked


def mask_nik(digits: str) -> str:
    """``7318011501900003`` → ``7318********0003``: the first four and the last four.

    Anything else (a wrong length, a typo) is masked the same way but never shows
    more than a quarter of its characters at each end, so no input has more than
    eight characters shown.
    """
    s = _SEPARATORS.sub("", str(digits))
    keep = min(4, len(s) // 4)
    return s[:keep] + "*" * (len(s) - 2 * keep) + (s[len(s) - keep:] if keep else "")


def normalise(text: str) -> str:
    """Strip what typing, printing and Excel add around the digits.

    Raises KioskError when Excel has already turned the number into a float.
    """
    s = str(text).strip().strip("\ufeff")
    if s.startswith("'"):
        s = s[1:].strip()
    compact = s.replace(" ", "")
    if _SCIENTIFIC.match(compact):
        raise KioskError("nik.scientific")
    if _AS_NUMBER.match(compact):
        raise KioskError("nik.as_number")
    return _SEPARATORS.sub("", s)


def parse(text: str, *, today: _dt.date | None = None) -> Nik:
    """Validate a NIK and return its fields; raise KioskError with the reason."""
    d = normalise(text)
    if not d:
        raise KioskError("nik.empty")
    for ch in d:
        if not ("0" <= ch <= "9"):
            raise KioskError("nik.not_digits", char=ch)
    if len(d) == 18 and _nip.is_valid(d):
        raise KioskError("nik.is_nip")
    if len(d) != LENGTH:
        raise KioskError("nik.length", count=len(d))

    masked = mask_nik(d)
    if d[0:2] not in PROVINCES:
        raise KioskError("nik.province", province=d[0:2], masked=masked)
    if d[2:4] == "00":
        raise KioskError("nik.regency", masked=masked)
    if d[4:6] == "00":
        raise KioskError("nik.district", masked=masked)

    day, month, yy = int(d[6:8]), int(d[8:10]), int(d[10:12])
    gender = "F" if day > _FEMALE else "M"
    if gender == "F":
        day -= _FEMALE
    if not 1 <= day <= 31:
        raise KioskError("nik.birth_day", masked=masked)
    if not 1 <= month <= 12:
        raise KioskError("nik.birth_month", masked=masked)
    birth = _birth_date(day, month, yy, today or _dt.date.today())
    if birth is None:
        raise KioskError("nik.birth_date", masked=masked)

    if d[12:16] == "0000":
        raise KioskError("nik.serial", masked=masked)

    return Nik(
        digits=d,
        province=d[0:2],
        regency=d[2:4],
        district=d[4:6],
        birth_date=birth,
        gender=gender,
        serial=int(d[12:16]),
    )


def is_valid(text: str) -> bool:
    try:
        parse(text)
    except KioskError:
        return False
    return True


def _birth_date(day: int, month: int, yy: int, today: _dt.date) -> _dt.date | None:
    """The date in the latest century that does not lie in the future, or None if it does not exist."""
    for century in (2000, 1900):
        if (century + yy, month, day) > (today.year, today.month, today.day):
            continue
        try:
            return _dt.date(century + yy, month, day)
        except ValueError:
            return None
    return None
