"""CSV rosters: decoding, the delimiter, and the row loop.

Encodings, in the order tried: UTF-16 with a BOM (Excel's "Unicode Text"),
UTF-16 without one (every other byte zero), UTF-8 with or without a BOM, and
Windows-1252, the ANSI code page of Indonesian Windows.  Cells starting with
``=`` stay literal text: nothing here evaluates anything.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from itertools import islice

from kiosk.i18n import KioskError
from kiosk.people.roster_block import BLOCK_ROWS, BlockCollector
from kiosk.people.roster_header import (
    ASN_FIELDS,
    FIELDS,
    Mapping,
    accepted,
    find_header,
    header_at,
    is_blank,
    resolve_header,
    shown,
)
from kiosk.people.roster_types import HEADER_SEARCH_ROWS, ParsedRoster, Reading, RosterPeek

_CSV_DELIMITERS = (";", ",", "\t")        # in order of preference on a tie
_DETECT_CHARS = 1 << 20                   # delimiter detection looks at the first 1 MiB of text
_SNIFF_BYTES = 8192
_SEP_HINT = re.compile(r"sep=(.)[ \t]*(?:\r\n|\r|\n|$)")
# Control bytes other than tab, line breaks and form feed: text files hardly have any, binary files many.
_BINARY_BYTES = bytes([*range(9), 11, *range(14, 32), 127])


def binary_kind(data: bytes) -> str | None:
    """Name what a non-text, non-xlsx file looks like, or None when it looks like text."""
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "XLS (Excel 97-2003)"
    if data.startswith(b"%PDF"):
        return "PDF"
    if data.startswith((b"PK\x05\x06", b"PK\x07\x08")):
        return "ZIP"
    if data.startswith(b"{\\rtf"):
        return "RTF"
    lead = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lead.startswith(b"<"):
        if b"<html" in lead or b"<table" in lead or b"<!doctype html" in lead:
            return "HTML"
        return "XML"
    sample = data[:_SNIFF_BYTES]
    controls = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    if controls >= 16 and controls > 0.02 * len(sample):
        return "binary"                        # a stray NUL or ESC in a text file is stripped, not refused
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" / "utf-16-be" when the text is plainly UTF-16 (ASCII-range text, every other byte 0)."""
    sample = data[:_SNIFF_BYTES] if len(data) >= 2 else b""
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return None


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            return data[3:].decode("cp1252", errors="replace"), "cp1252"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return data.decode(utf16, errors="replace"), utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; a real roster does not use them.
        return data.decode("cp1252", errors="replace"), "cp1252"


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line where the record starts, cells)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    prev = 0
    for cells in reader:
        yield prev + 1, cells
        prev = reader.line_num


def _detect_delimiter(text: str, hinted: str | None, key_field: str, fields: tuple[str, ...]
                      ) -> tuple[str, int, Mapping] | None:
    """Return (delimiter, header line, mapping) or None."""
    sample = text[:_DETECT_CHARS]
    best = None
    best_score = None
    for pref, delim in enumerate((hinted,) if hinted else _CSV_DELIMITERS):
        try:
            found = find_header(_records(sample, delim), fields, key_field)
        except csv.Error:
            continue
        if found is None:
            continue
        line, cells, mapping = found
        score = (len(mapping), -line, len(cells), -pref)
        if best_score is None or score > best_score:
            best, best_score = (delim, line, mapping), score
    return best


def _text(name: str, data: bytes) -> tuple[str, str]:
    """The file's text and encoding; refuses an empty or binary file."""
    if not data.strip(b" \t\r\n\x00"):
        raise KioskError("roster.empty_file", name=name)
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and _utf16_without_bom(data) is None:
        kind = binary_kind(data)
        if kind is not None:
            raise KioskError("roster.format", name=name, kind=kind)
    text, encoding = _decode(data)
    if not text.strip():
        raise KioskError("roster.empty_file", name=name)
    return text, encoding


def _no_header(name: str, non_asn: bool) -> KioskError:
    if non_asn:
        return KioskError("roster.no_name_header", name=name, rows=HEADER_SEARCH_ROWS, accepted=accepted("name"))
    return KioskError("roster.no_header", name=name, rows=HEADER_SEARCH_ROWS, accepted=accepted("nip"))


def _widest(text: str, hinted: str | None) -> str:
    """The delimiter splitting the top of the file into the most cells."""
    best, best_width = (hinted or _CSV_DELIMITERS[0]), 0
    for delim in (hinted,) if hinted else _CSV_DELIMITERS:
        try:
            rows = [cells for _, cells in _records(text[:_DETECT_CHARS], delim) if not is_blank(cells)]
            rows = rows[:HEADER_SEARCH_ROWS]
        except csv.Error:
            continue
        width = max((len(cells) for cells in rows), default=0)
        if width > best_width:
            best, best_width = delim, width
    return best


def _chosen_header(text: str, hinted: str | None, reading: Reading, name: str, key_field: str,
                   fields: tuple[str, ...]) -> tuple[str, int, Mapping]:
    """(delimiter, header line, mapping) for a header row chosen by hand (``reading.header_line``)."""
    line = reading.header_line
    assert line is not None
    found: list[tuple[tuple[int, int], str, Mapping]] = []
    error: KioskError | None = None
    for pref, delim in enumerate((hinted,) if hinted else _CSV_DELIMITERS):
        try:
            cells = header_at(_records(text, delim), line)
        except csv.Error:
            continue
        if cells is None:
            continue
        try:
            mapping = resolve_header(cells, reading.columns, fields, key_field, line, name)
        except KioskError as exc:
            error = error or exc
            continue
        found.append(((len(cells) if reading.columns is not None else len(mapping), -pref), delim, mapping))
    if not found:
        raise error or KioskError("roster.no_such_line", line=line, name=name)
    _, delim, mapping = max(found, key=lambda f: f[0])
    return delim, line, mapping


def read_csv(path: str, name: str, data: bytes, reading: Reading) -> ParsedRoster:
    non_asn = reading.non_asn
    text, encoding = _text(name, data)
    key_field, fields = ("name", FIELDS) if non_asn else ("nip", ASN_FIELDS)
    hint = _SEP_HINT.match(text)
    hinted = hint.group(1) if hint else None
    if reading.header_line is not None:
        delimiter, header_line, mapping = _chosen_header(text, hinted, reading, name, key_field, fields)
    else:
        found = _detect_delimiter(text, hinted, key_field, fields)
        if found is None:
            raise _no_header(name, non_asn)
        delimiter, header_line, mapping = found
        if reading.columns is not None:
            cells = header_at(_records(text, delimiter), header_line) or ()
            mapping = resolve_header(cells, reading.columns, fields, key_field, header_line, name)
        elif "name" not in mapping:
            raise KioskError("roster.no_name_column", name=name, line=header_line, accepted=accepted("name"))
    header_cells = tuple(shown(c) for c in (header_at(_records(text, delimiter), header_line) or ()))

    col = BlockCollector(mapping, non_asn=non_asn, check_replacement="\ufffd" in text,
                         fixed=reading.columns is not None)
    progress = reading.progress
    total = text.count("\n") + 1
    step = next_report = 4096
    records = _records(text, delimiter)
    try:
        for line, _ in records:                # up to and including the header record
            if line == header_line:
                break
        for block in iter(lambda: list(islice(records, BLOCK_ROWS)), []):
            if progress is not None and block[0][0] >= next_report:
                progress(block[0][0], total)
                next_report = block[0][0] + step
            col.offer_block(block)             # blank lines ([] or one blank cell) are skipped there
    except csv.Error as exc:
        raise KioskError("roster.unreadable", name=name, reason=f"CSV: {exc}") from None

    if col.data_rows == 0:
        raise KioskError("roster.empty", name=name, line=header_line)
    rows, problems, warnings = col.finish()
    if progress is not None:
        progress(total, total)
    return ParsedRoster(
        path=path, format="csv", encoding=encoding, delimiter=delimiter, header_line=header_line,
        columns=col.columns, rows=rows, problems=problems, warnings=warnings, non_asn=non_asn,
        header_cells=header_cells, positions=col.positions, chosen=reading.header_line is not None
        or reading.columns is not None,
    )


def peek_csv(path: str, name: str, data: bytes, *, non_asn: bool, limit: int) -> RosterPeek:
    """The first ``limit`` non-blank records as text, split by the detected (or widest) delimiter."""
    text, encoding = _text(name, data)
    key_field, fields = ("name", FIELDS) if non_asn else ("nip", ASN_FIELDS)
    hint = _SEP_HINT.match(text)
    hinted = hint.group(1) if hint else None
    found = _detect_delimiter(text, hinted, key_field, fields)
    delimiter = found[0] if found is not None else _widest(text, hinted)
    lines: list[tuple[int, tuple[str, ...]]] = []
    try:
        for line, cells in _records(text, delimiter):
            if is_blank(cells) or (hint is not None and line == 1):
                continue
            lines.append((line, tuple(shown(c) for c in cells)))
            if len(lines) >= limit:
                break
    except csv.Error as exc:
        raise KioskError("roster.unreadable", name=name, reason=f"CSV: {exc}") from None
    return RosterPeek(path, "csv", encoding, delimiter, None, tuple(lines), found[1] if found else None)
