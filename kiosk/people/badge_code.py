"""Badge codes for people without a NIP: non-ASN staff and guests.

A code is seven characters, printed ``K7QM-4XP`` (4-3) under the QR and typed by
hand at the desk when a badge is lost or will not scan.

Alphabet — 31 characters, ``23456789ABCDEFGHJKMNPQRSTUVWXYZ``: the digits and
Latin capitals without the ones people confuse, 0/O and 1/I/L.  Input is
case-insensitive.  Because 0, O, 1, I and L never occur, a typed one can only
be a misreading (of D or Q, of 7, J or T); guessing which would turn a
detected error into a possibly wrong person, so such input is refused with a
message naming the character and its position.  Spaces and dashes (any Unicode
dash) are ignored; full-width characters are folded by NFKC.

Layout — six data characters and one check character.  The first character is
always a letter and at least one of the six data characters is a digit, so a
code is never all digits (never mistaken for a NIP or NIK, never turned into a
number or scientific notation by a spreadsheet) and never an ordinary word or
name, which keeps a scan payload's other text from passing for a code.
That leaves 23 × (31⁵ − 23⁵) = 510,434,584 codes.

Check character — the ISO/IEC 7064 *pure system* computation (the one behind
MOD 11-2 and the IBAN's MOD 97-10) with modulus 31 and radix 3: the weighted
sum Σ vᵢ·3ⁱ (i counted from the right, the check character at i = 0) must be 1
mod 31.  31 is prime and equals the alphabet size, so the check character is a
character of the same alphabet, and 3 is a primitive root mod 31 (order 30):

* a single substitution changes the sum by (a − b)·3ⁱ, non-zero mod the prime
  31 because 0 < |a − b| < 31;
* swapping any two characters i and j (adjacent or not) changes it by
  (a − b)·(3ⁱ − 3ʲ), non-zero because 3ⁱ ≠ 3ʲ for 0 ≤ i < j < 30;
* so every single substitution and every transposition, adjacent or not, is
  caught; a random string passes with probability 1/31.

Luhn mod N was rejected: it misses the transposition of the alphabet's first
and last characters (as Luhn mod 10 misses 09 ↔ 90).
"""
from __future__ import annotations

import random
import secrets
import unicodedata
from collections.abc import Container

from kiosk.i18n import KioskError, register

register({
    "badge.empty": {
        "id": "Kode kartu kosong. Ketik 7 karakter kode yang tertera di kartu (contoh K7QM-4XP).",
        "en": "The badge code is empty. Type the 7-character code printed on the badge (e.g. K7QM-4XP).",
    },
    "badge.bad_char": {
        "id": "Kode kartu hanya berisi huruf dan angka; karakter ke-{pos} ('{char}') tidak ada di kode mana pun. "
              "Ketik ulang kode persis seperti di kartu.",
        "en": "A badge code holds only letters and digits; character {pos} ('{char}') is in no code. "
              "Type the code again exactly as printed on the badge.",
    },
    "badge.length": {
        "id": "Kode kartu terdiri atas 7 karakter (contoh K7QM-4XP), yang diketik {count}. "
              "Periksa apakah ada karakter yang hilang atau lebih.",
        "en": "A badge code has 7 characters (e.g. K7QM-4XP), this one has {count}. "
              "Check for a missing or extra character.",
    },
    "badge.ambiguous": {
        "id": "Kode kartu tidak pernah memakai '{char}': huruf O, I, L dan angka 0, 1 sengaja tidak dipakai "
              "agar tidak tertukar. Lihat lagi karakter ke-{pos} di kartu (mungkin {hint}), lalu ketik ulang.",
        "en": "A badge code never uses '{char}': the letters O, I, L and the digits 0, 1 are left out so "
              "they cannot be confused. Look at character {pos} on the badge again (perhaps {hint}) and retype it.",
    },
    "badge.shape": {
        "id": "{typed} bukan kode kartu: setiap kode diawali huruf dan memuat sedikitnya satu angka. "
              "Ketik ulang kode persis seperti di kartu, atau tanyakan ke meja panitia.",
        "en": "{typed} is not a badge code: every code starts with a letter and holds at least one digit. "
              "Type the code again exactly as printed on the badge, or ask the desk.",
    },
    "badge.check": {
        "id": "Kode kartu {typed} salah ketik atau salah baca (karakter pemeriksanya tidak cocok). "
              "Ketik ulang kode persis seperti di kartu, atau tanyakan ke meja panitia.",
        "en": "Badge code {typed} was mistyped or misread (its check character does not match). "
              "Type it again exactly as printed on the badge, or ask the desk.",
    },
    "badge.exhausted": {
        "id": "Tidak dapat membuat kode kartu baru yang belum dipakai. Coba lagi; jika terulang, "
              "hubungi pengelola aplikasi.",
        "en": "Could not make a badge code that is not already in use. Try again; if it happens again, "
              "contact whoever maintains the application.",
    },
})

# The example in messages, K7QM-4XP, fails its check (it would end in 9), so nobody can hold it.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 7            # six data characters and the check character
GROUP = 4             # printed as 4-3: K7QM-4XP
MODULUS = 31          # prime, = len(ALPHABET)
RADIX = 3             # a primitive root mod 31
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_DIGITS = ALPHABET[:8]
_LETTERS = ALPHABET[8:]
_AMBIGUOUS = {"0": "D/Q", "O": "D/Q", "1": "7/J/T", "I": "J/T", "L": "J/T"}
_IGNORED = str.maketrans("", "", " \t\r\n\u00a0\u2007\u202f-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_ATTEMPTS = 1000
_SYSTEM_RANDOM = secrets.SystemRandom()


def check_character(data: str) -> str:
    """The check character for the six data characters ``data`` (canonical, upper case)."""
    s = 0
    for ch in data:
        s = (s * RADIX + _VALUE[ch]) % MODULUS
    return ALPHABET[(1 - s * RADIX) % MODULUS]


def new_code(existing: Container[str] = frozenset(), *, rng: random.Random | None = None) -> str:
    """A fresh random code (canonical form) that is not in ``existing``.

    ``existing`` holds canonical codes (as ``parse_code`` returns them).  Randomness
    comes from ``secrets`` unless a seeded ``rng`` is given (tests).
    """
    r = rng or _SYSTEM_RANDOM
    for _ in range(_ATTEMPTS):
        data = r.choice(_LETTERS) + "".join(r.choice(ALPHABET) for _ in range(LENGTH - 2))
        if not any(ch in _DIGITS for ch in data):
            continue
        code = data + check_character(data)
        if code not in existing:
            return code
    raise KioskError("badge.exhausted")


def normalise(text: str) -> str:
    """Fold what typing adds: case, full-width forms, spaces and dashes."""
    folded = unicodedata.normalize("NFKC", str(text)).strip().strip("\ufeff")
    return folded.translate(_IGNORED).upper()


def parse_code(text: str) -> str:
    """The canonical code typed or scanned as ``text``, or KioskError saying what is wrong."""
    c = normalise(text)
    if not c:
        raise KioskError("badge.empty")
    for pos, ch in enumerate(c, 1):
        if not (ch.isascii() and ch.isalnum()):
            raise KioskError("badge.bad_char", char=ch, pos=pos)
    if len(c) != LENGTH:
        raise KioskError("badge.length", count=len(c))
    for pos, ch in enumerate(c, 1):
        if ch in _AMBIGUOUS:
            raise KioskError("badge.ambiguous", char=ch, pos=pos, hint=_AMBIGUOUS[ch])
    data = c[:-1]
    if data[0] in _DIGITS or not any(ch in _DIGITS for ch in data):
        raise KioskError("badge.shape", typed=_grouped(c))
    if check_character(data) != c[-1]:
        raise KioskError("badge.check", typed=_grouped(c))
    return c


def format_code(code: str) -> str:
    """The printed form, ``K7QM-4XP``; accepts any form ``parse_code`` accepts."""
    return _grouped(parse_code(code))


def is_code(text: str) -> bool:
    try:
        parse_code(text)
    except KioskError:
        return False
    return True


def _grouped(c: str) -> str:
    return f"{c[:GROUP]}-{c[GROUP:]}"
