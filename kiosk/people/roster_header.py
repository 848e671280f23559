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
from collections.abc import Mapping as Choice
from decimal import Decimal, InvalidOperation

from kiosk.i18n import KioskError, register, t
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

register({  # the fields a column can be read for (the desk's column choice, the messages below)
    "roster.field.nip": {"id": "NIP", "en": "NIP"},
    "roster.field.name": {"id": "Nama", "en": "Name"},
    "roster.field.front_title": {"id": "Gelar depan", "en": "Title before the name"},
    "roster.field.back_title": {"id": "Gelar belakang", "en": "Title after the name"},
    "roster.field.position": {"id": "Jabatan", "en": "Position"},
    "roster.field.unit": {"id": "Unit kerja", "en": "Unit"},
    "roster.field.rank": {"id": "Pangkat/Gol", "en": "Rank/grade"},
    "roster.field.pangkat": {"id": "Pangkat", "en": "Rank"},
    "roster.field.golongan": {"id": "Golongan", "en": "Grade"},
    "roster.field.nik": {"id": "NIK", "en": "NIK"},
    "roster.field.employment": {"id": "Status kepegawaian", "en": "Employment status"},
    "roster.column_letter": {"id": "kolom {letter}", "en": "column {letter}"},
    "roster.column_unknown": {
        "id": "'{field}' bukan isian yang dibaca daftar ini. Yang dapat dipilih: {choices}.",
        "en": "'{field}' is not a field this list reads. These can be chosen: {choices}."},
    "roster.column_outside": {
        "id": "Kolom {column} tidak ada: baris judul kolom (baris {line}) hanya punya {count} kolom. "
              "Pilih kolom yang ada.",
        "en": "There is no column {column}: the header row (line {line}) has only {count} columns. "
              "Choose a column that exists."},
    "roster.column_twice": {
        "id": "Kolom {column} dipilih untuk {first} dan {second}. Satu kolom hanya untuk satu isian: ubah salah "
              "satunya.",
        "en": "Column {column} is chosen for both {first} and {second}. A column is for one field only: change "
              "one of them."},
    "roster.column_needed": {
        "id": "Pilih kolom {field} dulu: tanpa kolom itu tidak ada baris yang dapat diimpor.",
        "en": "Choose the {field} column first: without it no row can be imported."},
    "roster.not_header": {
        "id": "Baris {line} di {name} tidak memuat judul kolom {field} (yang dikenal: {accepted}). Pilih baris "
              "judul kolom yang lain, atau tetapkan sendiri kolom mana yang berisi {field}.",
        "en": "Line {line} of {name} holds no {field} column header (known: {accepted}). Choose another header "
              "row, or say yourself which column holds the {field}."},
    "roster.no_such_line": {
        "id": "Baris {line} tidak ada di {name} atau kosong. Pilih baris judul kolom dari isi berkas.",
        "en": "Line {line} does not exist in {name} or is empty. Choose the header row from the file's content."},
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


def field_label(field: str) -> str:
    """The field's name as the desk and the messages show it ("Unit kerja")."""
    return t(f"roster.field.{field}")


def column_letter(index: int) -> str:
    """Excel's letters for a 0-based column index: 0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


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


def shown(value: object) -> str:
    """A cell as the desk shows it: clean text, at most a header's length."""
    return clean_text(cell_text(value))[0][:_MAX_HEADER_LENGTH]


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


def chosen_mapping(cells: Sequence[object], columns: Choice[str, int], fields: Sequence[str],
                   key_field: str, line: int, first_column: int = 0) -> Mapping:
    """The mapping a user chose (field -> column index in the header row ``cells``), checked: known fields of
    this kind of list, columns that exist, one field per column, the key field and the name present."""
    chosen = dict(columns)
    width = len(cells)
    mapping: Mapping = {}
    owner: dict[int, str] = {}
    for field, idx in chosen.items():
        if field not in fields:
            raise KioskError("roster.column_unknown", field=field_label(field) if field in FIELDS else field,
                             choices=", ".join(field_label(f) for f in fields))
        idx = int(idx)
        if not 0 <= idx < width:
            raise KioskError("roster.column_outside", column=column_letter(first_column + max(idx, 0)),
                             line=line, count=width)
        if idx in owner:
            raise KioskError("roster.column_twice", column=column_letter(first_column + idx),
                             first=field_label(owner[idx]), second=field_label(field))
        owner[idx] = field
        text = shown(cells[idx])
        mapping[field] = (idx, text or t("roster.column_letter", letter=column_letter(first_column + idx)))
    for needed in dict.fromkeys((key_field, "name")):
        if needed not in mapping:
            raise KioskError("roster.column_needed", field=field_label(needed))
    return mapping


def resolve_header(cells: Sequence[object], columns: Choice[str, int] | None, fields: Sequence[str],
                   key_field: str, line: int, name: str, first_column: int = 0) -> Mapping:
    """The mapping of a header row chosen by hand (its line given): the ``columns`` chosen, else its names."""
    if columns is not None:
        return chosen_mapping(cells, columns, fields, key_field, line, first_column)
    mapping = map_header(cells, fields, key_field)
    if mapping is None:
        raise KioskError("roster.not_header", line=line, name=name, field=field_label(key_field),
                         accepted=accepted(key_field))
    if "name" not in mapping:
        raise KioskError("roster.no_name_column", name=name, line=line, accepted=accepted("name"))
    return mapping


def header_at(rows: Iterable[tuple[int, Sequence[object]]], line: int) -> Sequence[object] | None:
    """Consume ``(line, cells)`` pairs up to the row on ``line``; its cells, or None when there is none (or
    it is blank)."""
    for at, cells in rows:
        if at == line:
            return None if is_blank(cells) else cells
        if at > line:
            return None
    return None


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
