"""The one typeface of every document: DejaVu Sans (regular and bold), shipped and embedded.

DejaVu's licence allows redistribution (``kiosk/resources/fonts/LICENSE``).  Every PDF embeds
a subset of it, so a document prints the same on any computer.

A character the font has no glyph for (most emoji, some scripts) is printed as U+FFFD, never
as an invisible gap and never as a crash.

Documents made by the thousand (one pakta per signer) use a *batch copy* of the fonts holding
only the characters that batch prints: fpdf2 loads and subsets every embedded font again for
each file it writes, which costs about 0.24 s a file on the full 750 kB fonts and 0.02–0.03 s
on a copy of a hundred glyphs (measured on a 2-core machine).
"""
from __future__ import annotations

import atexit
import contextlib
import functools
import io
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from fpdf import FPDF
from fpdf.fonts import TTFFont

from kiosk.resources import resource_path

_Doc = TypeVar("_Doc", bound=FPDF)

FAMILY = "DejaVu"
REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"
REPLACEMENT = "\ufffd"
#: Always in a batch copy: printable ASCII and what the layouts add (…, ·, dashes, U+FFFD).
BASE_CHARS = frozenset(range(0x20, 0x7F)) | frozenset(map(ord, "\u2026\u00b7\u2013\u2014\ufffd"))


@dataclass(frozen=True, slots=True)
class FontFiles:
    regular: Path
    bold: Path
    coverage: frozenset[int]      # code points both files can draw


def font_path(name: str) -> Path:
    return resource_path("fonts", name)


@functools.cache
def full() -> FontFiles:
    """The shipped fonts."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    sets = []
    for name in (REGULAR, BOLD):
        with TTFont(str(font_path(name)), lazy=True) as font:
            sets.append(frozenset(font.getBestCmap()))
    return FontFiles(font_path(REGULAR), font_path(BOLD), sets[0] & sets[1])


def drawable(text: str, coverage: frozenset[int] | None = None) -> str:
    """``text`` with every character the font lacks replaced by U+FFFD."""
    if text.isascii() and text.isprintable():
        return text
    have = coverage if coverage is not None else full().coverage
    if all(ord(ch) in have for ch in text):
        return text
    return "".join(ch if ord(ch) in have else REPLACEMENT for ch in text)


_lock = threading.Lock()
_batches: dict[frozenset[int], FontFiles] = {}
_folder: Path | None = None


def batch(texts: Iterable[str]) -> FontFiles:
    """A copy of the fonts cut down to the characters of ``texts`` (plus :data:`BASE_CHARS`).

    Built once per set of characters and kept in a private temporary folder for the life of
    the process.
    """
    global _folder
    have = full().coverage
    wanted = set(BASE_CHARS)
    for s in texts:
        wanted.update(map(ord, s))
    key = frozenset(wanted & have)
    with _lock:
        found = _batches.get(key)
        if found is not None and found.regular.is_file():
            return found
        from fontTools import subset  # type: ignore[import-untyped]
        from fontTools.ttLib import TTFont

        if _folder is None or not _folder.is_dir():
            _folder = Path(tempfile.mkdtemp(prefix="ikrar-fonts-"))
            atexit.register(shutil.rmtree, _folder, True)
        paths = []
        for name in (REGULAR, BOLD):
            options = subset.Options()
            options.layout_features = []
            options.hinting = False
            options.notdef_outline = True
            options.glyph_names = True     # else fpdf2 rebuilds every glyph name from the cmap on each load
            options.drop_tables += ["FFTM", "GDEF", "GPOS", "GSUB", "MATH", "kern"]
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=sorted(key))
            with TTFont(str(font_path(name))) as font:
                subsetter.subset(font)
                buf = io.BytesIO()
                font.save(buf)
            path = _folder / f"{len(_batches)}-{name}"
            path.write_bytes(buf.getvalue())
            paths.append(path)
        files = FontFiles(paths[0], paths[1], key)
        if len(_batches) > 16:
            _batches.clear()
        _batches[key] = files
        return files


def install(pdf: FPDF, files: FontFiles | None = None) -> FontFiles:
    """Register the family (styles ``""`` and ``"B"``) on an FPDF document."""
    files = files or full()
    pdf.add_font(FAMILY, "", str(files.regular))
    pdf.add_font(FAMILY, "B", str(files.bold))
    for font in pdf.fonts.values():
        # Subsetting leaves every outline as it is, so the stored bounding boxes stay true;
        # recomputing them re-encodes every glyph of the subset (a third of the time per file).
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.recalcBBoxes = False
    return files


def measure(pdf: FPDF, text: str, cache: dict[tuple[int, str], float] | None = None) -> float:
    """Width of ``text`` in the current font, in user units — fpdf2's ``get_string_width``
    without its bidirectional-text pass (a tenth of the time; documents call it per word).
    ``cache`` keeps each string's width at 1 pt, per font, for a document that measures the
    same words again and again."""
    font = pdf.current_font
    if not isinstance(font, TTFFont):
        raise TypeError("the documents measure only their embedded TrueType fonts")
    cw = font.cw
    if cache is None:
        units = sum(cw[ord(c)] for c in text)
    else:
        key = (id(cw), text)
        found = cache.get(key)
        if found is None:
            found = cache[key] = sum(cw[ord(c)] for c in text)
        units = found
    width = units * pdf.font_size_pt * 0.001 / pdf.k
    if pdf.font_stretching != 100:
        width *= pdf.font_stretching / 100
    return float(width)


def output(pdf: FPDF) -> bytes:
    """The finished PDF, with the font files closed (fpdf2 keeps each font file open, lazily
    read, until the document is garbage collected)."""
    try:
        return bytes(pdf.output())
    finally:
        close(pdf)


@contextlib.contextmanager
def closing(pdf: _Doc) -> Iterator[_Doc]:
    """``with fonts.closing(pdf):`` — the font files are closed however the block ends."""
    try:
        yield pdf
    finally:
        close(pdf)


def close(pdf: FPDF) -> None:
    for font in pdf.fonts.values():
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.close()
