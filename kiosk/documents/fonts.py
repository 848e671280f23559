"""The one typeface of every document: DejaVu Sans (regular and bold), shipped and embedded.

DejaVu's licence allows redistribution (``kiosk/resources/fonts/LICENSE``).  Every PDF embeds
a subset of it, so a document prints the same on any computer.

A character the font has no glyph for (most emoji, some scripts) is printed as U+FFFD, never
as an invisible gap and never as a crash.

Small documents made by the thousand (one pakta per signer) use a *working copy* of the fonts
cut down to the Latin, Greek and Cyrillic letters and common punctuation: fpdf2 subsets every
embedded font when it writes a file, and on the full 750 kB font that costs about 0.1 s a
file, on the working copy a tenth of it.  A document with any character outside the copy
uses the full font.
"""
from __future__ import annotations

import atexit
import functools
import io
import shutil
import tempfile
import threading
from pathlib import Path

from kiosk.resources import resource_path

FAMILY = "DejaVu"
REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"
REPLACEMENT = "\ufffd"

#: What the working copy keeps: Latin (with Vietnamese and the extended blocks), Greek,
#: Cyrillic, general punctuation, currency, letter-like symbols, arrows, and U+FFFD.
WORKING_RANGES = ((0x20, 0x7E), (0xA0, 0x24F), (0x250, 0x2FF), (0x370, 0x3FF), (0x400, 0x4FF),
                  (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x214F),
                  (0x2190, 0x21FF), (0x2500, 0x25FF), (0xFFFD, 0xFFFD))

_lock = threading.Lock()


def font_path(name: str) -> Path:
    return resource_path("fonts", name)


@functools.cache
def glyphs() -> frozenset[int]:
    """Code points both shipped fonts can draw."""
    from fontTools.ttLib import TTFont

    sets = []
    for name in (REGULAR, BOLD):
        with TTFont(str(font_path(name)), lazy=True) as font:
            sets.append(frozenset(font.getBestCmap()))
    return sets[0] & sets[1]


@functools.cache
def _working_glyphs() -> frozenset[int]:
    wanted = set()
    for lo, hi in WORKING_RANGES:
        wanted.update(range(lo, hi + 1))
    return frozenset(wanted) & glyphs()


def drawable(text: str) -> str:
    """``text`` with every character the font lacks replaced by U+FFFD."""
    if text.isascii():
        return text
    have = glyphs()
    if all(ord(ch) in have for ch in text):
        return text
    return "".join(ch if ord(ch) in have else REPLACEMENT for ch in text)


def fits_working_copy(texts) -> bool:
    have = _working_glyphs()
    return all(s.isascii() or all(ord(ch) in have for ch in s) for s in texts)


_work_dir: Path | None = None


def _working_copy() -> tuple[Path, Path]:
    """Build (once per process) the cut-down fonts in a private temporary folder."""
    global _work_dir
    with _lock:
        if _work_dir is None or not (_work_dir / REGULAR).is_file():
            from fontTools import subset
            from fontTools.ttLib import TTFont

            folder = Path(tempfile.mkdtemp(prefix="ikrar-fonts-"))
            atexit.register(shutil.rmtree, folder, True)
            for name in (REGULAR, BOLD):
                options = subset.Options()
                options.layout_features = []
                options.hinting = False
                options.notdef_outline = True
                options.drop_tables += ["FFTM", "GDEF", "GPOS", "GSUB", "MATH", "kern"]
                subsetter = subset.Subsetter(options)
                subsetter.populate(unicodes=sorted(_working_glyphs()))
                with TTFont(str(font_path(name))) as font:
                    subsetter.subset(font)
                    buf = io.BytesIO()
                    font.save(buf)
                (folder / name).write_bytes(buf.getvalue())
            _work_dir = folder
        return _work_dir / REGULAR, _work_dir / BOLD


def install(pdf, *, working_copy: bool = False) -> None:
    """Register the family (styles ``""`` and ``"B"``) on an FPDF document."""
    if working_copy:
        regular, bold = _working_copy()
    else:
        regular, bold = font_path(REGULAR), font_path(BOLD)
    pdf.add_font(FAMILY, "", str(regular))
    pdf.add_font(FAMILY, "B", str(bold))
    for font in pdf.fonts.values():
        # Subsetting leaves every outline as it is, so the stored bounding boxes stay true;
        # recomputing them re-encodes every glyph of the subset (a third of the time per file).
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.recalcBBoxes = False
