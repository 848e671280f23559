"""Roster rows: from the cells of one row to a RosterRow, problems and warnings.

The format readers (``roster_csv``, ``roster_xlsx``) find the header with
:func:`~kiosk.people.roster_header.find_header`, then hand every row after it
to one :class:`Collector`, which skips what is not a person (blank rows, a
second header row, a row of column numbers, repeated headers) and turns the
rest into :class:`~kiosk.people.roster_types.RosterRow` or problems.
"""
from __future__ import annotations

import datetime as _dt
import operator
from collections.abc import Callable, Sequence
from typing import cast

from kiosk.i18n import KioskError, register, t
from kiosk.people import nip as _nip
from kiosk.people.nik import mask_nik as _mask_nik
from kiosk.people.nik import parse as _parse_nik
from kiosk.people.roster_header import (
    ASN_FIELDS,
    FIELDS,
    SYNONYM_KEYS,
    Mapping,
    cell_text,
    clean_text,
    excel_number,
    header_key,
    is_column_numbers,
    is_markup_only,
    is_repeated_header,
)
from kiosk.people.roster_types import MAX_NAME_LENGTH, MAX_TEXT_LENGTH, RosterRow, RowProblem

register({
    "roster.nip_number": {
        "id": "NIP tersimpan sebagai angka di Excel ({value}), sehingga digit terakhirnya sudah hilang "
              "(Excel hanya menyimpan 15 digit). Format kolom NIP sebagai Teks di sumbernya "
              "(ekspor SIMPEG/SIASN), lalu ekspor ulang. Jangan mengetik ulang dari angka ini.",
        "en": "The NIP is stored as a number in Excel ({value}), so its last digits are already lost "
              "(Excel keeps only 15 digits). Format the NIP column as Text at the source "
              "(the SIMPEG/SIASN export) and export again. Do not retype it from this number.",
    },
    "roster.nip_missing": {
        "id": "NIP kosong. Isi NIP 18 digit, atau hapus baris ini jika bukan data pegawai "
              "(misalnya catatan atau tanda tangan).",
        "en": "The NIP is empty. Fill in the 18-digit NIP, or delete this row if it is not an employee "
              "(e.g. a note or a signature block).",
    },
    "roster.name_missing": {
        "id": "Nama kosong untuk NIP {nip}. Isi kolom {column}, atau hapus baris ini.",
        "en": "The name is empty for NIP {nip}. Fill in the {column} column, or delete this row.",
    },
    "roster.name_empty": {
        "id": "Nama kosong. Isi kolom {column}, atau hapus baris ini jika bukan data pegawai "
              "(misalnya catatan atau tanda tangan).",
        "en": "The name is empty. Fill in the {column} column, or delete this row if it is not a person "
              "(e.g. a note or a signature block).",
    },
    "roster.name_too_long": {
        "id": "Nama di kolom {column} terlalu panjang ({count} karakter, paling banyak {limit}). "
              "Sel ini mungkin berisi catatan atau beberapa nama sekaligus: isi satu nama saja, lalu impor lagi.",
        "en": "The name in the {column} column is too long ({count} characters, at most {limit}). "
              "The cell may hold a note or several names: put one name in it, then import again.",
    },
    "roster.name_markup": {
        "id": "Nama di kolom {column} hanya berisi kode (seperti <b></b> atau &nbsp;) tanpa huruf. "
              "Ketik nama orangnya di sel itu, lalu impor lagi.",
        "en": "The name in the {column} column is only markup (such as <b></b> or &nbsp;) with no letters. "
              "Type the person's name in that cell, then import again.",
    },
    "roster.cell_too_long": {
        "id": "Isi kolom {column} terlalu panjang ({count} karakter, paling banyak {limit}). "
              "Persingkat isi sel itu atau pindahkan catatannya ke kolom lain.",
        "en": "The {column} cell is too long ({count} characters, at most {limit}). "
              "Shorten it or move the note to another column.",
    },
    "roster.duplicate_nip": {
        "id": "NIP {nip} tercantum lebih dari sekali (juga di baris {lines}). Satu NIP hanya boleh satu baris: "
              "hapus atau perbaiki baris yang salah. Baris-baris ini tidak diimpor.",
        "en": "NIP {nip} appears more than once (also on line(s) {lines}). A NIP may appear on one row only: "
              "delete or correct the wrong row. None of these rows is imported.",
    },
    "roster.duplicate_nik": {
        "id": "NIK {nik} tercantum lebih dari sekali (juga di baris {lines}). Satu NIK hanya boleh satu baris: "
              "hapus atau perbaiki baris yang salah. Baris-baris ini tidak diimpor.",
        "en": "NIK {nik} appears more than once (also on line(s) {lines}). A NIK may appear on one row only: "
              "delete or correct the wrong row. None of these rows is imported.",
    },
    "roster.duplicate_person": {
        "id": "{person} ({unit}) tercantum lebih dari sekali tanpa NIK (juga di baris {lines}), sehingga "
              "tidak dapat dibedakan satu sama lain. Isi NIK masing-masing, atau bedakan nama atau unitnya, "
              "atau hapus baris ganda. Baris-baris ini tidak diimpor.",
        "en": "{person} ({unit}) appears more than once without a NIK (also on line(s) {lines}), so they cannot "
              "be told apart. Fill in each one's NIK, or tell their names or units apart, or delete the "
              "double row. None of these rows is imported.",
    },
    "roster.no_unit": {"id": "tanpa unit kerja", "en": "no unit"},
    "roster.non_asn_nip": {
        "id": "Baris ini memuat NIP {nip}, jadi orangnya pegawai ASN. Daftar non-ASN hanya untuk honorer, PPNPN "
              "dan tenaga kontrak: impor pegawai ASN dari roster ASN, atau kosongkan NIP jika salah isi.",
        "en": "This row holds NIP {nip}, so the person is an ASN employee. A non-ASN list is for honorer, PPNPN "
              "and contract staff only: import ASN employees from the ASN roster, or clear the NIP if it is wrong.",
    },
    "roster.nik_number": {
        "id": "NIK tersimpan sebagai angka di Excel, sehingga digit terakhirnya sudah hilang (Excel hanya "
              "menyimpan 15 digit, NIK 16 digit). Format kolom NIK sebagai Teks, lalu salin ulang NIK lengkap "
              "dari KTP atau sumber datanya.",
        "en": "The NIK is stored as a number in Excel, so its last digit is already lost (Excel keeps only "
              "15 digits, a NIK has 16). Format the NIK column as Text, then copy the full NIK again from the "
              "ID card or the data source.",
    },
    "roster.invisible_removed": {
        "id": "Karakter tak terlihat (kontrol arah teks atau format) dihapus dari kolom {columns}. "
              "Periksa teks itu di berkas sumber.",
        "en": "Invisible characters (text-direction or format controls) were removed from column(s) {columns}. "
              "Check that text in the source file.",
    },
    "roster.replacement_character": {
        "id": "Kolom {columns} memuat karakter yang tidak terbaca (\ufffd): berkas ini mungkin disimpan dengan "
              "pengodean lain. Simpan ulang sebagai CSV UTF-8 dan impor lagi, atau perbaiki teks itu.",
        "en": "Column(s) {columns} hold unreadable characters (\ufffd): the file may have been saved in another "
              "encoding. Save it again as CSV UTF-8 and import it again, or correct that text.",
    },
})

_MAX_DUPLICATE_LINES_SHOWN = 10
# Numbers this large in a NIP or NIK cell cannot be trusted (Excel keeps 15 significant digits).
_EXCEL_PRECISION_LIMIT = 10 ** 15
_NO_ID = frozenset({"-", "\u2013", "\u2014", "0"})  # what lists write for "no NIK"
_TEXT_FIELDS = ("front_title", "back_title", "position", "unit", "rank", "pangkat", "golongan", "employment")


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "\u2026"


def join_rank(combined: str, pangkat: str, golongan: str) -> str:
    """One rank text: the "Pangkat/Gol" column, else "Penata Muda, III/a" from the two columns."""
    if combined:
        return combined
    if pangkat and golongan:
        p, g = pangkat.casefold(), golongan.casefold()
        if g in p:
            return pangkat
        if p in g:
            return golongan
        return f"{pangkat}, {golongan}"
    return pangkat or golongan


def _line_list(lines: list[int]) -> str:
    shown = ", ".join(str(x) for x in lines[:_MAX_DUPLICATE_LINES_SHOWN])
    if len(lines) > _MAX_DUPLICATE_LINES_SHOWN:
        shown += f", \u2026 (+{len(lines) - _MAX_DUPLICATE_LINES_SHOWN})"
    return shown


# --------------------------------------------------------------------------- rows


class Collector:
    """Turns data rows into RosterRow / RowProblem / warnings, shared by both formats.

    The readers pass, per row, all its cells and the cells of :attr:`index` (in
    :attr:`fields` order); :meth:`offer` returns True when the row was a second
    header row, after which the readers take :attr:`index` and :attr:`need` again.
    Row texts are lists in :attr:`fields` order plus a trailing ``""``, so a field
    the file lacks sits at position -1 and reads as empty.
    """

    def __init__(self, mapping: Mapping, *, non_asn: bool, check_replacement: bool = False,
                 fixed: bool = False) -> None:
        self.non_asn = non_asn
        self.fixed = fixed                             # columns chosen by hand: a second header row changes none
        self.allowed = FIELDS if non_asn else ASN_FIELDS
        self.check_replacement = check_replacement     # CSV decoded with replacement characters
        self.today = _dt.date.today()
        self.rows: list[RosterRow] = []
        self.problems: list[RowProblem] = []
        self.warnings: list[RowProblem] = []
        # Identity (see _key) -> the first line holding it, and every line when more than one.
        self.first_line: dict[str | tuple[str, str], int] = {}
        self.duplicates: dict[str | tuple[str, str], list[int]] = {}
        self.data_rows = 0
        self.first_data = True                          # the next non-blank row is the first under the header
        self._set_mapping(mapping)

    def _set_mapping(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self.fields = tuple(f for f in FIELDS if f in mapping)
        self.index = [mapping[f][0] for f in self.fields]
        self.need = max(self.index) + 1
        self.headers = {f: text for f, (_, text) in mapping.items()}
        if len(self.index) == 1:
            only = self.index[0]
            self.pick: Callable[[Sequence[object]], tuple[object, ...]] = lambda cells: (cells[only],)
        else:
            self.pick = operator.itemgetter(*self.index)
        pos = {f: i for i, f in enumerate(self.fields)}
        self.pos = {f: pos.get(f, -1) for f in FIELDS}
        self.text_pos = [(pos[f], f) for f in _TEXT_FIELDS if f in pos]
        self.id_field = "nip" if not self.non_asn else ("nik" if "nik" in pos else "name")
        self.p_id, self.p_name = self.pos[self.id_field], self.pos["name"]
        self.p_nip, self.p_nik = self.pos["nip"], self.pos["nik"]
        self.p_front, self.p_back = self.pos["front_title"], self.pos["back_title"]
        self.p_position, self.p_unit = self.pos["position"], self.pos["unit"]
        self.p_employment = self.pos["employment"]
        self.p_rank = (self.pos["rank"], self.pos["pangkat"], self.pos["golongan"])
        self.has_rank = self.p_rank != (-1, -1, -1)

    @property
    def columns(self) -> dict[str, str]:
        return dict(self.headers)

    @property
    def positions(self) -> dict[str, int]:
        return {f: idx for f, (idx, _) in self.mapping.items()}

    # ----------------------------------------------------------------- reading a row

    def _convert(self, values: Sequence[object]) -> tuple[list[str], list[int], list[str]]:
        """Texts of a row with non-text cells or odd characters: (texts, cleaned positions, number ids)."""
        texts: list[str] = []
        stripped: list[int] = []
        numbers: list[str] = []                        # "nip" / "nik" cells holding a (rounded) number
        for i, (field, value) in enumerate(zip(self.fields, values)):
            if type(value) is str:
                text, dropped = clean_text(value)
                if dropped:
                    stripped.append(i)
            elif (field == "nip" or field == "nik") and isinstance(value, (int, float)) \
                    and not isinstance(value, bool) and abs(value) >= _EXCEL_PRECISION_LIMIT:
                numbers.append(field)
                text = excel_number(value)
            else:
                text = cell_text(value)
            texts.append(text)
        return texts, stripped, numbers

    def offer(self, line: int, cells: Sequence[object], values: Sequence[object]) -> bool:
        """A row as read (``values``: the cells of ``index``); returns True when the columns changed."""
        stripped: list[int] = []
        numbers: list[str] = []
        try:
            joined = "".join(values)                   # type: ignore[arg-type]  # TypeError: not all text
        except TypeError:
            texts, stripped, numbers = self._convert(values)
            long_row = True
        else:
            strings = cast("Sequence[str]", values)
            if not joined.isprintable():
                texts, stripped, numbers = self._convert(values)
            elif "  " in joined:
                texts = [" ".join(v.split()) for v in strings]
            else:                                      # printable: the only whitespace is " "
                texts = list(map(str.strip, strings))
            long_row = len(joined) > MAX_NAME_LENGTH
        texts.append("")
        if not any(texts):
            return False
        if self.first_data:
            if self._sub_header(texts, cells):
                return True
            self.first_data = False
            if not numbers and is_column_numbers(cells):
                return False
        id_text = texts[self.p_id]
        if not numbers and not (id_text[:1].isdigit() or id_text[:1] == "'") \
                and is_repeated_header(id_text, texts[self.p_name], self.id_field):
            return False
        if stripped:
            self._warn(line, "roster.invisible_removed", [self.fields[i] for i in stripped])
        if self.check_replacement:
            odd = [f for f, text in zip(self.fields, texts) if "\ufffd" in text]
            if odd:
                self._warn(line, "roster.replacement_character", odd)
        self.data_rows += 1
        if self.non_asn:
            self._add_non_asn(line, texts, numbers, long_row)
            return False
        bare = texts[self.p_name]
        if id_text and bare and not (numbers or long_row or "<" in bare or "&" in bare):
            try:                                       # the common row, without the checks it cannot fail
                digits = _nip.digits(id_text, today=self.today)
            except KioskError:
                pass
            else:
                if self.first_line.setdefault(digits, line) != line:
                    self._register(digits, line)
                self.rows.append(self._row(line, digits, "", bare, texts))
                return False
        self._add_asn(line, texts, numbers, long_row)
        return False

    def _sub_header(self, texts: list[str], cells: Sequence[object]) -> bool:
        """A second header row under the first (merged "Pangkat" over "Gol." and "TMT"): take its columns.

        It has no id and no name, and header names in it.  A header found there
        maps its own column, replacing the group header above it ("Pangkat" over
        "Gol." makes that column the golongan); a field already read from another
        column keeps that column.
        """
        if texts[self.p_nip] or texts[self.p_nik] or texts[self.p_name]:
            return False
        found: Mapping = {}
        any_header = False
        for idx, cell in enumerate(cells):
            if type(cell) is not str or not cell or len(cell) > 100:
                continue
            hit = SYNONYM_KEYS.get(header_key(cell))
            if hit is None:
                continue
            any_header = True
            field = hit[0]
            if field in self.allowed and (field not in self.mapping or self.mapping[field][0] == idx):
                found.setdefault(field, (idx, clean_text(cell)[0]))
        if not any_header:
            return False
        if found and not self.fixed:
            taken = {idx for idx, _ in found.values()}
            kept = {f: v for f, v in self.mapping.items() if v[0] not in taken or f in found}
            self._set_mapping({**kept, **found})
        return True

    def problem(self, line: int, code: str, **params: object) -> None:
        self.problems.append(RowProblem(line, code, t(code, None, **params)))

    def _refused(self, line: int, exc: KioskError) -> None:
        self.problems.append(RowProblem(line, exc.code, exc.message()))

    def _warn(self, line: int, code: str, fields: list[str]) -> None:
        columns = ", ".join(self.headers[f] for f in fields)
        self.warnings.append(RowProblem(line, code, t(code, columns=columns)))

    def _key(self, row: RosterRow) -> str | tuple[str, str]:
        """Who a row is: the NIP; on a non-ASN list the NIK, or name and unit when there is none."""
        if not self.non_asn:
            return row.nip
        return row.nik or (row.name.casefold(), row.unit.casefold())

    def _register(self, key: str | tuple[str, str], line: int) -> None:
        first = self.first_line.setdefault(key, line)
        if first != line:
            lines = self.duplicates.get(key)
            if lines is None:
                self.duplicates[key] = [first, line]
            else:
                lines.append(line)

    def _check_texts(self, line: int, texts: list[str], bare: str, long_row: bool) -> None:
        """Refuse a name that is too long or only markup, and any other cell that is too long."""
        if long_row:
            if len(bare) > MAX_NAME_LENGTH:
                self.problem(line, "roster.name_too_long", column=self.headers["name"], count=len(bare),
                             limit=MAX_NAME_LENGTH)
            for p, field in self.text_pos:
                if len(texts[p]) > MAX_TEXT_LENGTH:
                    self.problem(line, "roster.cell_too_long", column=self.headers[field], count=len(texts[p]),
                                 limit=MAX_TEXT_LENGTH)
        if ("<" in bare or "&" in bare) and is_markup_only(bare):
            self.problem(line, "roster.name_markup", column=self.headers["name"])

    def _add_asn(self, line: int, texts: list[str], numbers: list[str], long_row: bool) -> None:
        nip_text = texts[self.p_nip]
        bare = texts[self.p_name]
        digits = None
        if numbers:
            self.problem(line, "roster.nip_number", value=nip_text)
            if not bare:
                self.problem(line, "roster.name_missing", nip=nip_text, column=self.headers["name"])
            return
        if not nip_text:
            self.problem(line, "roster.nip_missing")
        else:
            try:
                digits = _nip.digits(nip_text, today=self.today)
            except KioskError as exc:
                self._refused(line, exc)
        if digits is not None:
            first = self.first_line.setdefault(digits, line)
            if first != line:
                self._register(digits, line)
        if not bare:
            self.problem(line, "roster.name_missing", nip=digits or _short(nip_text) or "-",
                         column=self.headers["name"])
            return
        if long_row or "<" in bare or "&" in bare:
            before = len(self.problems)
            self._check_texts(line, texts, bare, long_row)
            if len(self.problems) != before:
                return
        if digits is not None:
            self.rows.append(self._row(line, digits, "", bare, texts))

    def _add_non_asn(self, line: int, texts: list[str], numbers: list[str], long_row: bool) -> None:
        bare = texts[self.p_name]
        before = len(self.problems)
        nik = ""
        nik_text = texts[self.p_nik]
        if "nik" in numbers:
            self.problem(line, "roster.nik_number")
        elif nik_text and nik_text not in _NO_ID:
            try:
                nik = _parse_nik(nik_text, today=self.today).digits
            except KioskError as exc:
                self._refused(line, exc)
            else:
                self._register(nik, line)
        nip_text = texts[self.p_nip]
        if nip_text and nip_text not in _NO_ID and "nip" not in numbers:
            try:
                digits = _nip.digits(nip_text, today=self.today)
            except KioskError:
                pass                                     # not a NIP: some lists number their staff there
            else:
                self.problem(line, "roster.non_asn_nip", nip=digits)
        if not bare:
            self.problem(line, "roster.name_empty", column=self.headers["name"])
            return
        self._check_texts(line, texts, bare, long_row)
        if len(self.problems) != before:
            return
        row = self._row(line, "", nik, bare, texts)
        if not nik:
            self._register(self._key(row), line)
        self.rows.append(row)

    def _row(self, line: int, digits: str, nik: str, bare: str, texts: list[str]) -> RosterRow:
        front = texts[self.p_front]
        back = texts[self.p_back]
        name = f"{front} {bare}" if front else bare
        if back:
            back_clean = back.lstrip(", ")
            if back_clean:
                name = f"{name}, {back_clean}"
        rank = ""
        if self.has_rank:
            p_combined, p_pangkat, p_golongan = self.p_rank
            rank = join_rank(texts[p_combined], texts[p_pangkat], texts[p_golongan])
        return RosterRow(line, digits, name, bare, front, back, texts[self.p_position], texts[self.p_unit],
                         rank, nik, texts[self.p_employment])

    # ----------------------------------------------------------------- the end

    def finish(self) -> tuple[tuple[RosterRow, ...], tuple[RowProblem, ...], tuple[RowProblem, ...]]:
        rows = self.rows
        if self.duplicates:
            by_line = {row.line: row for row in rows}
            for key, lines in self.duplicates.items():
                for line in lines:
                    others = _line_list([x for x in lines if x != line])
                    if isinstance(key, tuple):
                        row = by_line[line]
                        self.problem(line, "roster.duplicate_person", person=row.name,
                                     unit=row.unit or t("roster.no_unit"), lines=others)
                    elif self.non_asn:
                        self.problem(line, "roster.duplicate_nik", nik=_mask_nik(key), lines=others)
                    else:
                        self.problem(line, "roster.duplicate_nip", nip=key, lines=others)
            key_of = self._key
            rows = [r for r in rows if key_of(r) not in self.duplicates]
        self.problems.sort(key=lambda p: p.line)  # stable: a row's own problems keep their order
        self.warnings.sort(key=lambda p: p.line)
        return tuple(rows), tuple(self.problems), tuple(self.warnings)
