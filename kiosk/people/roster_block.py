"""Roster rows in blocks: the common clean row decided a whole column at a time.

A 100,000-row roster must parse in well under a second (DESIGN.md: import <= 2 s, calamine and SQLite
take most of it), which per-row Python cannot do: :meth:`Collector.offer` costs ~9 us a row.  The
readers hand rows here in blocks; :meth:`BlockCollector.offer_block` looks at each column with
C-level passes (``str.join`` and one ``isprintable()`` over the column, ``map``, sets,
:func:`kiosk.people.nip.plain_valid`) and builds the rows column-wise.  Every row it cannot vouch for
goes through :meth:`Collector.offer`, in its place in the file order, so problems, warnings,
duplicates and the rows are exactly what row-by-row reading gives:

* any row while the first data row is not yet read (it may be a second header row or column
  numbers, which change or skip columns), every row of a non-ASN list, and every row of a CSV
  decoded with replacement characters;
* a cell that is not text (a number, a date), text that is not printable (controls, tabs, line
  breaks, invisible format characters, non-breaking spaces), a double space inside a cell;
* a row longer than :data:`MAX_NAME_LENGTH` in all (a name or a cell that may be too long);
* an empty NIP or name, a name holding ``<`` or ``&`` (perhaps only markup), and a NIP that is not
  18 ASCII digits that ``nip.digits`` accepts as they are (also a repeated header row: its NIP
  cell is no NIP).
"""
from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import Any, cast

from kiosk.people import nip as _nip
from kiosk.people.roster_rows import Collector, join_rank
from kiosk.people.roster_types import MAX_NAME_LENGTH, RosterRow

#: Rows a reader hands over at a time.
BLOCK_ROWS = 2048

_new_row = tuple.__new__


def _length(cell: object) -> int:
    return len(cell) if isinstance(cell, str) else 0  # a non-text cell: an odd row anyway


def _where(marks: Iterable[object]) -> set[int]:
    return {i for i, mark in enumerate(marks) if mark}


class BlockCollector(Collector):
    """A :class:`Collector` that also takes rows in blocks (:meth:`offer_block`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.accepted: set[str] = set()                # birth dates and appointments of NIPs found valid

    def offer_block(self, block: Sequence[tuple[int, list[Any]]]) -> None:
        """Rows as read, ``(line, cells)`` in file order; a row shorter than the columns read is padded."""
        start = 0
        while start < len(block) and (self.first_data or self.non_asn or self.check_replacement):
            line, cells = block[start]
            self._offer_one(line, cells)
            start += 1
        if start >= len(block):
            return
        lines, rows = zip(*block[start:])
        need = self.need
        if min(map(len, rows)) < need:
            for cells in rows:
                if len(cells) < need:
                    cells.extend([""] * (need - len(cells)))
        values = list(map(self.pick, rows))
        texts, odd = self._columns(values)
        begin, count = 0, len(rows)
        for at in (*sorted(odd), count):
            if at > begin:
                self._add_clean(lines[begin:at], [column[begin:at] for column in texts])
            if at < count:
                self.offer(lines[at], rows[at], values[at])
            begin = at + 1

    def _offer_one(self, line: int, cells: list[object]) -> None:
        if len(cells) < self.need:
            cells.extend([""] * (self.need - len(cells)))
        self.offer(line, cells, self.pick(cells))      # may change the columns (a second header row)

    def _columns(self, values: list[tuple[object, ...]]) -> tuple[list[Sequence[str]], set[int]]:
        """The cells of each field, stripped, and the rows :meth:`offer` must read (see the module doc).

        Each column is joined once with "|" between the cells: printable, so one ``isprintable()`` says
        whether every cell is; no white space, so a "  " in it is inside a cell; and a cell starting or
        ending with " " shows as "| " or " |" (or "|" inside a cell: then the column is stripped anyway).
        """
        odd: set[int] = set()
        texts: list[Sequence[str]] = []
        try:                                           # each row's cells as read, as offer measures them
            totals = list(map(len, map("".join, values)))   # type: ignore[arg-type]
        except TypeError:                              # a cell that is no text (that row is odd anyway)
            totals = [sum(map(_length, row)) for row in values]
        for column in zip(*values):
            try:
                joined = "|".join(column)              # TypeError: not all text
            except TypeError:
                odd |= _where(type(v) is not str for v in column)
                column = tuple(v if type(v) is str else "" for v in column)
                joined = "|".join(column)
            strings = cast("Sequence[str]", column)
            if not joined.isprintable():                # printable: the only white space is " "
                odd |= _where(not v.isprintable() for v in strings)
            if "  " in joined:
                odd |= _where("  " in v for v in strings)
            if " |" in joined or "| " in joined or joined.startswith(" ") or joined.endswith(" "):
                strings = list(map(str.strip, strings))
            texts.append(strings)
        if max(totals) > MAX_NAME_LENGTH:
            odd |= _where(total > MAX_NAME_LENGTH for total in totals)
        ids, names = texts[self.p_id], texts[self.p_name]
        if "" in names:
            odd |= _where(not v for v in names)
        listed = "|".join(names)
        if "<" in listed or "&" in listed:
            odd |= _where("<" in v or "&" in v for v in names)
        valid = _nip.plain_valid(ids, today=self.today, accepted=self.accepted)   # an empty one: not 18 digits
        if not all(valid):
            odd |= _where(not ok for ok in valid)
        return texts, odd

    def _add_clean(self, lines: Sequence[int], texts: list[Sequence[str]]) -> None:
        """Rows every check passed (as ``offer``'s common row): register the NIPs, build the rows."""
        def field(p: int) -> Iterable[str]:
            return texts[p] if p >= 0 else repeat("")
        nips = texts[self.p_nip]
        first_line = self.first_line
        known = len(first_line)
        if first_line.keys().isdisjoint(nips):
            first_line.update(zip(nips, lines))
            if len(first_line) != known + len(nips):   # a NIP twice in these rows: take them out again
                for digits in nips:
                    first_line.pop(digits, None)
                known = -1
        else:
            known = -1
        if known < 0:                                  # a NIP seen before: as offer registers it
            for digits, line in zip(nips, lines):
                if first_line.setdefault(digits, line) != line:
                    self._register(digits, line)
        # The name and rank of each row from its cells, as _row makes them: a title list has few distinct
        # titles, so each distinct one is joined once and the rows look theirs up (C-level map and add).
        bares = texts[self.p_name]
        names: Iterable[str] = bares
        if self.p_front >= 0:
            fronts = texts[self.p_front]
            before = {front: f"{front} " if front else "" for front in set(fronts)}
            names = map(operator.add, map(before.__getitem__, fronts), names)
        if self.p_back >= 0:
            backs = texts[self.p_back]
            after = {back: f", {back.lstrip(', ')}" if back.lstrip(", ") else "" for back in set(backs)}
            names = map(operator.add, names, map(after.__getitem__, backs))
        ranks: Iterable[str] = repeat("")
        if self.has_rank:
            parts = list(zip(*map(field, self.p_rank)))
            joined = {part: join_rank(*part) for part in set(parts)}
            ranks = map(joined.__getitem__, parts)
        self.rows.extend(map(_new_row, repeat(RosterRow), zip(
            lines, nips, names, bares, field(self.p_front), field(self.p_back), field(self.p_position),
            field(self.p_unit), ranks, repeat(""), field(self.p_employment))))
        self.data_rows += len(lines)
