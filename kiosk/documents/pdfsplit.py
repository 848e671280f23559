"""Cut one PDF written by fpdf2 into several, by page ranges: how 5,000 pacts are made quickly.

fpdf2 loads, subsets and embeds its fonts once per document it writes, about 15–30 ms a file;
for 5,000 one-page pacts that alone is over a minute.  So the pacts are drawn as pages of one
document (a few hundred at a time), written once, and cut here into one file per pact.  Each
file gets the objects its pages use — content, resources, the fonts, the images — copied byte
for byte and renumbered, with a page tree, a catalog and the document information of its own.

This reads only what fpdf2 writes (``fpdf2>=2.8.9,<2.9``): a classic cross-reference table,
every object at its offset, no object streams, one resource dictionary per page.  Anything else
returns ``None`` and the caller draws the files one by one instead (slower, same pages).
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF_HEAD = re.compile(rb"xref\s+0\s+(\d+)\s+")
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_REF = re.compile(rb"(\d+) 0 R")
_KIDS = re.compile(rb"/Kids \[([^\]]*)\]")
_OBJ_HEAD = re.compile(rb"(\d+) 0 obj\s")
_INHERITED = re.compile(rb"/(?:MediaBox|CropBox) \[[^\]]*\]|/Rotate -?\d+")
_STREAM = b">>\nstream\n"


class _Source:
    """The objects of one fpdf2 PDF, by number: ``(dictionary part, whole body)``."""

    def __init__(self, data: bytes) -> None:
        tail = _STARTXREF.search(data[-64:])
        if tail is None:
            raise ValueError("no startxref")
        xref_at = int(tail.group(1))
        head = _XREF_HEAD.match(data, xref_at)
        if head is None:
            raise ValueError("not a classic xref table")
        count = int(head.group(1))
        pos = head.end()
        offsets: dict[int, int] = {}
        for number in range(count):
            entry = _XREF_ENTRY.match(data, pos)
            if entry is None:
                raise ValueError("bad xref entry")
            if entry.group(3) == b"n":
                offsets[number] = int(entry.group(1))
            pos = entry.end()
            while data[pos:pos + 1] in (b" ", b"\r", b"\n"):
                pos += 1
        trailer = data[pos:pos + 4096] if data[pos:pos + 7] == b"trailer" else b""
        root = re.search(rb"/Root (\d+) 0 R", trailer)
        info = re.search(rb"/Info (\d+) 0 R", trailer)
        if root is None:
            raise ValueError("no root")
        self.data = data
        self.header = data[:data.index(b"\n", data.index(b"\n") + 1) + 1]   # %PDF-1.x and the binary comment
        ends = sorted([*offsets.values(), xref_at])
        next_of = {start: ends[i + 1] for i, start in enumerate(ends[:-1])}
        self.objects: dict[int, tuple[bytes, bytes]] = {}
        for number, start in offsets.items():
            found = _OBJ_HEAD.match(data, start)
            if found is None or int(found.group(1)) != number:
                raise ValueError(f"object {number} is not at its offset")
            body = data[found.end():next_of[start]].rstrip()
            if not body.endswith(b"endobj"):
                raise ValueError(f"object {number} has no end")
            body = body[:-len(b"endobj")].rstrip()
            cut = body.find(_STREAM)
            self.objects[number] = (body if cut < 0 else body[:cut + 2], body)
        self.root = int(root.group(1))
        self.info = int(info.group(1)) if info else None
        catalog = self.objects[self.root][0]
        pages = re.search(rb"/Pages (\d+) 0 R", catalog)
        lang = re.search(rb"/Lang (\([^)]*\))", catalog)
        if pages is None:
            raise ValueError("no page tree")
        self.lang = lang.group(1) if lang else None
        self.tree: set[int] = set()
        self.pages: list[int] = []
        self._walk(int(pages.group(1)))
        # What the pages inherit from the tree's root (fpdf2 puts the page size there).
        top = self.objects[int(pages.group(1))][0]
        self.inherited = b"".join(m.group(0) + b"\n" for m in _INHERITED.finditer(top))

    def _walk(self, number: int) -> None:
        self.tree.add(number)
        if b"/Resources" in self.objects[number][0]:
            raise ValueError("resources inherited from the page tree")
        kids = _KIDS.search(self.objects[number][0])
        if kids is None:
            raise ValueError("a page tree node without kids")
        for ref in _REF.finditer(kids.group(1)):
            kid = int(ref.group(1))
            if b"/Type /Pages" in self.objects[kid][0]:
                self._walk(kid)
            else:
                self.pages.append(kid)

    def closure(self, pages: Sequence[int]) -> list[int]:
        """The pages and every object they reach (not the page tree above them), in first-seen order."""
        order: list[int] = []
        seen: set[int] = set(self.tree)
        todo = list(pages)
        while todo:
            number = todo.pop(0)
            if number in seen:
                continue
            seen.add(number)
            order.append(number)
            for ref in _REF.finditer(self.objects[number][0]):
                todo.append(int(ref.group(1)))
        return order

    def write(self, first: int, last: int) -> bytes:
        """Pages ``first``–``last`` (1-based, inclusive) as a document of their own."""
        pages = self.pages[first - 1:last]
        objects = self.closure(pages)
        new = {old: i for i, old in enumerate(objects, start=3)}
        for old in self.tree:
            new[old] = 1

        def renumber(match: re.Match[bytes]) -> bytes:
            return b"%d 0 R" % new[int(match.group(1))]

        out = bytearray(self.header)
        offsets = [0] * (len(objects) + 4)

        def put(number: int, body: bytes) -> None:
            offsets[number] = len(out)
            out.extend(b"%d 0 obj\n" % number)
            out.extend(body)
            out.extend(b"\nendobj\n")

        kids = b" ".join(b"%d 0 R" % new[p] for p in pages)
        put(1, b"<<\n/Type /Pages\n/Kids [%s]\n/Count %d\n%s>>" % (kids, len(pages), self.inherited))
        catalog = b"<<\n/Type /Catalog\n/Pages 1 0 R\n/OpenAction [%d 0 R /FitH null]\n/PageLayout /OneColumn\n" % (
            new[pages[0]])
        if self.lang:
            catalog += b"/Lang " + self.lang + b"\n"
        put(2, catalog + b">>")
        for old in objects:
            head, body = self.objects[old]
            put(new[old], _REF.sub(renumber, head) + body[len(head):])
        size = len(objects) + 3
        if self.info is not None:
            put(size, self.objects[self.info][1])    # strings only: copied as it is
            size += 1
        xref_at = len(out)
        out.extend(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for number in range(1, size):
            out.extend(b"%010d 00000 n \n" % offsets[number])
        digest = hashlib.md5(bytes(out), usedforsecurity=False).hexdigest().upper().encode()
        info = b"/Info %d 0 R\n" % (size - 1) if self.info is not None else b""
        out.extend(b"trailer\n<<\n/Size %d\n/Root 2 0 R\n%s/ID [<%s><%s>]\n>>\nstartxref\n%d\n%%%%EOF\n"
                   % (size, info, digest, digest, xref_at))
        return bytes(out)


def split(data: bytes, ranges: Sequence[tuple[int, int]]) -> list[bytes] | None:
    """One document per ``(first, last)`` page range of ``data`` (1-based, inclusive), or ``None`` when
    ``data`` is not laid out as fpdf2 writes it."""
    try:
        source = _Source(data)
        if any(not 1 <= first <= last <= len(source.pages) for first, last in ranges):
            return None
        return [source.write(first, last) for first, last in ranges]
    except (ValueError, KeyError, IndexError):
        return None
