"""Roster headers and cells: which column is which, and a cell as clean text.

Shared by the CSV and XLSX readers.  Header names are matched through
:data:`~kiosk.people.roster_types.HEADER_SYNONYMS`, ignoring case and everything
but letters and digits.
"""
from __future__ import annotations

import datetime as _dt
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from kiosk.i18n import register
from kiosk.people.roster_types import HEADER_SEARCH_ROWS, HEADER_SYNONYMS

register({
    "roster.no_header": {
        "id": "Kolom NIP tidak ditemukan di {name}: tidak ada judul kolom NIP dalam {rows} baris terisi pertama. "
              "Beri judul kolom NIP salah satu dari: {accepted}. Kolom NIP Lama saja tidak cukup: "
              "roster harus memuat NIP baru 18 digit. Daftar tenaga non-ASN (honorer, PPNPN, tenaga kontrak) "
              "tanpa NIP diimpor sebagai daftar non-ASN.",
        "en": "No NIP column found in {name}: none of the first {rows} non-empty rows holds a NIP header. "
              "Head the NIP column with one of: {accepted}. An old-NIP (NIP Lama) column alone is not enough: "
              "the roster needs the 18-digit NIP. A list of non-ASN staff (honorer, PPNPN, contract staff) "
              "without NIPs is imported as a non-ASN list.",
    },
    "roster.no_name_header": {
        "id": "Kolom nama tidak ditemukan di {name}: tidak ada judul kolom nama dalam {rows} baris terisi pertama. "
              "Beri judul kolom nama salah satu dari: {accepted}.",
        "en": "No name column found in {name}: none of the first {rows} non-empty rows holds a name header. "
              "Head the name column with one of: {accepted}.",
    },
    "roster.no_name_column": {
        "id": "Baris judul kolom (baris {line}) di {name} tidak memuat kolom nama. Beri judul kolom nama "
              "salah satu dari: {accepted}.",
        "en": "The header row (line {line}) of {name} has no name column. Head the name column with one of: "
              "{accepted}.",
    },
    "roster.empty": {
        "id": "Berkas {name} hanya berisi judul kolom (baris {line}) tanpa data pegawai. "
              "Pilih berkas yang benar atau ekspor ulang dari SIMPEG/SIASN.",
        "en": "File {name} holds only the header row (line {line}) and no employees. "
              "Choose the right file or export it again from SIMPEG/SIASN.",
    },
})

_COLUMN_NUMBER = re.compile(r"\(?([0-9]{1,2})\)?")
_WHITESPACE_CONTROLS = frozenset("\t\n\r\x0b\x0c")
_SPLIT_CONTROLS = re.compile("[\x1c-\x1f\x85]")   # controls that str.split() takes for whitespace
_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
_MAX_HEADER_LENGTH = 100                          # longer cells are titles or notes, never a header

#: Fields in the order rows are read; ASN rosters do not read a NIK or an employment status.
FIELDS = tuple(HEADER_SYNONYMS)
ASN_FIELDS = tuple(f for f in FIELDS if f not in ("nik", "employment"))


def header_key(text: object) -> str:
    return "".join(ch for ch in str(text).casefold() if ch.isalnum())


def _synonym_keys() -> dict[str, tuple[str, int]]:
    keys: dict[str, tuple[str, int]] = {}
    for field, labels in HEADER_SYNONYMS.items():
        for preference, label in enumerate(labels):
            hit = keys.setdefault(header_key(label), (field, preference))
            if hit[0] != field:
                raise ValueError(f"header {label!r} is a synonym of both {hit[0]} and {field}")
    return keys


# header key -> (field, preference: lower wins)
SYNONYM_KEYS: dict[str, tuple[str, int]] = _synonym_keys()


_NAME_INITIALS = frozenset(label[:1].casefold() for label in HEADER_SYNONYMS["name"])


def accepted(field: str) -> str:
    return ", ".join(HEADER_SYNONYMS[field])


# --------------------------------------------------------------------------- cells


def cell_text(value: object) -> str:
    """A cell as stripped text with whitespace (non-breaking spaces too) collapsed to single spaces."""
    if value is None:
        return ""
    if type(value) is str:
        return " ".join(value.split())
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return " ".join(str(value).split())


def clean_text(value: str) -> tuple[str, bool]:
    """Collapse whitespace and drop control and format characters; say whether any was dropped.

    Tab and line breaks are whitespace.  Dropped: every other control character
    (category Cc) and every format character (Cf): the bidirectional marks and
    overrides U+200E/F, U+202A-U+202E, U+2066-U+2069, U+061C, zero-width spaces
    and joiners, soft hyphens, a BOM inside a cell.
    """
    collapsed = " ".join(value.split())
    if collapsed.isprintable() and not _SPLIT_CONTROLS.search(value):
        return collapsed, False               # only odd whitespace, e.g. non-breaking spaces
    category = unicodedata.category
    kept = "".join(ch for ch in value
                   if ch in _WHITESPACE_CONTROLS or category(ch) not in ("Cc", "Cf"))
    return " ".join(kept.split()), len(kept) != len(value)


def is_blank(cells: Iterable[object]) -> bool:
    """True for a row of nothing but empty cells and whitespace-only text."""
    return all(c is None or (type(c) is str and (not c or c.isspace())) for c in cells)


def is_markup_only(text: str) -> bool:
    """HTML-looking text with no letter left once tags and entities are taken out."""
    if "<" not in text and "&" not in text:
        return False
    rest = _ENTITY.sub("", _TAG.sub("", text))
    return rest != text and not any(ch.isalpha() for ch in rest)


def excel_number(value: float) -> str:
    """The number as Excel shows it in the formula bar: 15 significant digits."""
    try:
        return format(Decimal(f"{float(value):.15g}"), "f")
    except (InvalidOperation, OverflowError, ValueError):
        return str(value)


# --------------------------------------------------------------------------- headers


Mapping = dict[str, tuple[int, str]]   # field -> (column index, header text)


def map_header(cells: Sequence[object], fields: Sequence[str], key_field: str) -> Mapping | None:
    """field -> (column index, header text) when ``cells`` is a header row (has a ``key_field`` column)."""
    best: dict[str, tuple[int, int, str]] = {}
    for idx, cell in enumerate(cells):
        if type(cell) is not str or not cell or len(cell) > _MAX_HEADER_LENGTH:
            continue
        hit = SYNONYM_KEYS.get(header_key(cell))
        if hit is None or hit[0] not in fields:
            continue
        field, preference = hit
        if field not in best or preference < best[field][0]:
            best[field] = (preference, idx, clean_text(cell)[0])
    if key_field not in best:
        return None
    return {field: (idx, text) for field, (_, idx, text) in best.items()}


def find_header(rows: Iterable[tuple[int, Sequence[object]]], fields: Sequence[str],
                key_field: str) -> tuple[int, Sequence[object], Mapping] | None:
    """Consume ``(line, cells)`` pairs up to the header; return (line, cells, mapping) or None."""
    seen = 0
    for line, cells in rows:
        if is_blank(cells):
            continue
        mapping = map_header(cells, fields, key_field)
        if mapping is not None:
            return line, cells, mapping
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            return None
    return None


def is_column_numbers(cells: Sequence[object]) -> bool:
    """A "1 2 3 4" or "(1) (2) (3)" row under the header, as printed nominatif tables have."""
    numbers = []
    for c in cells:
        text = cell_text(c)
        if not text:
            continue
        m = _COLUMN_NUMBER.fullmatch(text)
        if m is None:
            return False
        numbers.append(int(m.group(1)))
    return len(numbers) >= 2 and all(a < b for a, b in itertools.pairwise(numbers))


def is_repeated_header(id_text: str, name_text: str, id_field: str) -> bool:
    if name_text[:1].casefold() not in _NAME_INITIALS or len(name_text) > _MAX_HEADER_LENGTH:
        return False
    id_hit = SYNONYM_KEYS.get(header_key(id_text))
    name_hit = SYNONYM_KEYS.get(header_key(name_text))
    return bool(name_hit and name_hit[0] == "name" and (id_field == "name" or id_hit and id_hit[0] == id_field))
