"""The pledge on a screen: one unit, as large as fits, read from the back of the hall.

One painting function, :func:`paint_unit`, draws a unit into any rectangle; the live
projector window, the console's preview and live views and the offscreen renderer
(``ikrar display --render``) all call it, so what the organiser checks offscreen is
what the hall sees.

Fitting: the unit's text blocks (ordinal heading, text; or the title's two lines) are
laid out with :class:`QTextLayout` at a base pixel size, every block a fixed multiple
of it.  The largest size whose layout fits the text box — no line wider than the box,
the whole block no taller — is found by bisection over integer pixel sizes (FreeShow
searches 10–800 px to 5 px; we go to 1 px, about ten layouts per unit, cached per
text and box size).  Nothing is ever clipped or elided.

Reading phrase by phrase, the phrase being read is drawn bright, the others dimmed;
colour only, so the layout never moves while the leader steps through.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QTextCharFormat, QTextLayout, QTextOption

from kiosk.ceremony.pledge import Pledge, Unit
from ui.display.phrases import body_text, unit_phrases

# --- themes -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    background: str
    text: str          # the words being read
    dim: str           # the other phrases while reading phrase by phrase
    accent: str        # "Pertama", "Kedua", …
    header: str        # the agency's name


THEMES: dict[str, Theme] = {
    # navy and warm gold: the usual look of a government ceremony backdrop
    "dark": Theme("dark", "#0b1f3a", "#ffffff", "#5f7594", "#f2c14e", "#c9d6e8"),
    # for a bright hall where a dark picture washes out: ink on warm white
    "light": Theme("light", "#fbf8f1", "#111c2e", "#a8b0bc", "#9c1c1c", "#3d4a5c"),
    # maximum contrast: white and yellow on black, dimmed phrases still legible grey
    "contrast": Theme("contrast", "#000000", "#ffffff", "#8c8c8c", "#ffff00", "#ffffff"),
}
THEME_NAMES = tuple(THEMES)
BLACK = "#000000"

FONT_FAMILIES = ["Segoe UI", "Noto Sans", "Open Sans", "DejaVu Sans", "Liberation Sans", "Arial"]

# geometry, as fractions of the screen
MARGIN_X = 0.05            # of the width, both sides
MARGIN_Y = 0.055           # of the height, top and bottom
HEADER_H = 0.06            # agency strip (logo and name), of the height
HEADER_GAP = 0.03
MAX_PX_OF_HEIGHT = 0.12    # a short unit stops growing at this size: ~8 lines of text stay in view
MIN_PX = 8
LINE_SPACING = 1.06        # of the font's own line height
BLOCK_GAP = 0.45           # between blocks, of the base pixel size


# --- what a unit shows -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Block:
    text: str
    scale: float = 1.0         # of the base pixel size
    bold: bool = False
    role: str = "text"         # "text" (read, may be phrased), "ordinal", "heading", "subheading"
    center: bool = True



def unit_blocks(unit: Unit) -> tuple[Block, ...]:
    if unit.kind == "title":
        lines = unit.text.split("\n")
        blocks = [Block(lines[0], 1.0, True, "heading")]
        blocks += [Block(line, 0.72, False, "subheading") for line in lines[1:] if line.strip()]
        return tuple(blocks)
    if unit.kind == "point":
        ordinal = unit.ordinal("id") or ""       # the pledge is in Indonesian whatever the console language
        return (Block(ordinal, 0.78, True, "ordinal", center=False),
                Block(body_text(unit), 1.0, False, "text", center=False))
    return (Block(unit.text, 1.0, False, "text", center=True),)



# --- layout and fit -------------------------------------------------------------------------------

def _font(px: int, bold: bool) -> QFont:
    f = QFont()
    f.setFamilies(FONT_FAMILIES)
    f.setPixelSize(max(1, px))
    f.setBold(bold)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)   # the same shapes at every size
    f.setKerning(True)
    return f


@dataclass
class _Laid:
    layouts: list[tuple[QTextLayout, float, float, Block]]   # layout, x and y of its top left, block
    height: float
    width: float                                      # widest line
    overflow: bool


def _lay_out(blocks: tuple[Block, ...], px: int, width: float, formats: list | None = None,
             widths: list[float] | None = None) -> _Laid:
    """Lay the blocks out one under the other; ``widths`` narrows a block's lines (centred in ``width``)."""
    y, widest, overflow, out = 0.0, 0.0, False, []
    for n, block in enumerate(blocks):
        line_width = widths[n] if widths is not None else width
        if n:
            y += BLOCK_GAP * px * (0.5 if blocks[n - 1].role == "ordinal" else 1.0)
        layout = QTextLayout(block.text, _font(round(px * block.scale), block.bold))
        option = QTextOption(Qt.AlignmentFlag.AlignHCenter if block.center else Qt.AlignmentFlag.AlignLeft)
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        layout.setTextOption(option)
        layout.setCacheEnabled(True)
        if formats is not None:
            layout.setFormats(formats[n])               # before laying out: setting them later drops the lines
        layout.beginLayout()
        top = y
        ly = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(line_width)
            line.setPosition(QPointF(0, ly))
            natural = line.naturalTextWidth()
            widest = max(widest, natural)
            if natural > line_width + 0.5:             # a word longer than the line: too big
                overflow = True
            ly += line.height() * LINE_SPACING
        layout.endLayout()
        last = layout.lineAt(layout.lineCount() - 1) if layout.lineCount() else None
        # the block's bottom is its last line's descent, not the spacing after it
        y = top + (last.y() + last.height() if last is not None else 0.0)
        out.append((layout, (width - line_width) / 2, top, block))
    return _Laid(out, y, widest, overflow)


def _line_count(block: Block, px: int, width: float) -> int:
    return _lay_out((block,), px, width).layouts[0][0].lineCount()


@functools.lru_cache(maxsize=512)
def balanced_width(block: Block, px: int, width: int) -> float:
    """The narrowest line width that keeps a centred block's line count: even lines, no lone last word.

    ("IKRAR NETRALITAS PEGAWAI / APARATUR SIPIL NEGARA" rather than a full line and "NEGARA").
    The height does not change, so the fitted size still holds.
    """
    lines = _line_count(block, px, width)
    if lines < 2:
        return float(width)
    lo, hi = width / 2, float(width)
    while hi - lo > 2:
        mid = (lo + hi) / 2
        if _line_count(block, px, mid) <= lines and not _lay_out((block,), px, mid).overflow:
            hi = mid
        else:
            lo = mid
    return hi


@functools.lru_cache(maxsize=512)
def fit_size(blocks: tuple[Block, ...], width: int, height: int) -> int:
    """The largest base pixel size at which the blocks fit ``width`` × ``height`` (bisection, 1 px)."""
    hi = max(MIN_PX + 1, int(height * MAX_PX_OF_HEIGHT / 0.86))   # the cap is of the screen, the box ~86 % of it
    lo = MIN_PX

    def fits(px: int) -> bool:
        laid = _lay_out(blocks, px, width)
        return not laid.overflow and laid.height <= height

    if fits(hi):
        return hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid
    return lo


@dataclass(frozen=True, slots=True)
class UnitGeometry:
    header: QRectF
    body: QRectF


def geometry(rect: QRectF, *, header: bool) -> UnitGeometry:
    """Where the agency strip and the text go on a screen of ``rect``."""
    w, h = rect.width(), rect.height()
    mx, my = round(w * MARGIN_X), round(h * MARGIN_Y)
    inner = rect.adjusted(mx, my, -mx, -my)
    if not header:
        return UnitGeometry(QRectF(inner.x(), inner.y(), inner.width(), 0), inner)
    hh = round(h * HEADER_H)
    head = QRectF(inner.x(), inner.y(), inner.width(), hh)
    body = inner.adjusted(0, hh + round(h * HEADER_GAP), 0, 0)
    return UnitGeometry(head, body)


@dataclass(frozen=True, slots=True)
class Painted:
    """What :func:`paint_unit` did (for tests, timings and the console)."""
    px: int                 # fitted base pixel size (0: nothing drawn)
    text_rect: QRectF       # where the text block went
    body: QRectF            # the box it had to fit in


@functools.lru_cache(maxsize=8)
def _load_logo(path: str, mtime: float) -> QImage | None:
    image = QImage(path)
    return None if image.isNull() else image


def load_logo(path: str | os.PathLike | None) -> QImage | None:
    if not path:
        return None
    try:
        mtime = os.path.getmtime(path)
    except OSError:
        return None
    return _load_logo(str(path), mtime)


def paint_unit(painter: QPainter, rect: QRectF, pledge: Pledge | None, index: int, theme: str = "dark", *,
               agency: str = "", logo: QImage | str | None = None, phrase: int | None = None,
               blank: bool = False) -> Painted:
    """Draw unit ``index`` of ``pledge`` filling ``rect``: the one painting code of the projector."""
    rect = QRectF(rect)
    th = THEMES.get(theme, THEMES["dark"])
    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        if blank:
            painter.fillRect(rect, QColor(BLACK))
            return Painted(0, QRectF(), QRectF())
        painter.fillRect(rect, QColor(th.background))
        if pledge is None or not pledge.units:
            return Painted(0, QRectF(), QRectF())
        index = max(0, min(index, len(pledge.units) - 1))
        unit = pledge.units[index]
        image = load_logo(logo) if isinstance(logo, (str, os.PathLike)) else logo
        geo = geometry(rect, header=bool(agency or image))
        if agency or image:
            _paint_header(painter, geo.header, th, agency, image)
        blocks = unit_blocks(unit)
        body = geo.body
        px = fit_size(blocks, int(body.width()), int(body.height()))
        spans = unit_phrases(unit)
        current = phrase if spans and phrase is not None and 0 <= phrase < len(spans) else None
        widths = [balanced_width(b, px, int(body.width())) if b.center else body.width() for b in blocks]
        laid = _lay_out(blocks, px, body.width(), [_colours(b, th, spans, current) for b in blocks], widths)
        top = body.y() + (body.height() - laid.height) / 2
        # a left-aligned point is centred as a block by its widest line, so a short one does not hug the left
        shift = (body.width() - laid.width) / 2
        for layout, x, y, block in laid.layouts:
            painter.setPen(QColor(th.accent if block.role == "ordinal" else th.text))
            layout.draw(painter, QPointF(body.x() + (x if block.center else shift), top + y))
        text_rect = QRectF(body.x() + shift, top, laid.width, laid.height)
        return Painted(px, text_rect, body)
    finally:
        painter.restore()


def _colours(block: Block, th: Theme, spans, current: int | None) -> list:
    """Colour ranges of a block: the phrase being read bright, the rest dimmed (colour only: no reflow)."""
    bright = QTextCharFormat()
    bright.setForeground(QColor(th.accent if block.role == "ordinal" else th.text))
    if block.role != "text" or current is None:
        return [_range(0, len(block.text), bright)]
    dim = QTextCharFormat()
    dim.setForeground(QColor(th.dim))
    a, b = spans[current]
    return [_range(0, len(block.text), dim), _range(a, b - a, bright)]


def _range(start: int, length: int, fmt: QTextCharFormat) -> QTextLayout.FormatRange:
    r = QTextLayout.FormatRange()
    r.start, r.length, r.format = start, length, fmt
    return r


def _paint_header(painter: QPainter, rect: QRectF, th: Theme, agency: str, logo: QImage | None) -> None:
    """The agency's logo and name, centred, small: who is taking the pledge."""
    h = rect.height()
    font = _font(max(8, round(h * 0.5)), True)
    metrics = QFontMetricsF(font)
    logo_w = 0.0
    if logo is not None:
        logo_w = h * logo.width() / max(1, logo.height())
    gap = h * 0.3 if logo is not None and agency else 0.0
    text_room = max(0.0, rect.width() - logo_w - gap)
    text = metrics.elidedText(agency.upper(), Qt.TextElideMode.ElideRight, text_room) if agency else ""
    text_w = metrics.horizontalAdvance(text) if text else 0.0
    x = rect.x() + (rect.width() - logo_w - gap - text_w) / 2
    if logo is not None:
        painter.drawImage(QRectF(x, rect.y(), logo_w, h), logo)
    if text:
        painter.setFont(font)
        painter.setPen(QColor(th.header))
        painter.drawText(QRectF(x + logo_w + gap, rect.y(), text_w + 2, h),
                         int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)


def paint_fitted(painter: QPainter, rect: QRectF, blocks: tuple[Block, ...], text: QColor, accent: QColor, *,
                 centre: bool = True) -> int:
    """Draw ``blocks`` as large as fits ``rect`` (the projector's own fit), centred in its height (or from its
    top); return the pixel size.

    The kiosk's signing page shows the whole pledge this way: never clipped, never scrolled."""
    if not blocks or rect.width() < 8 or rect.height() < 8:
        return 0
    px = fit_size(blocks, int(rect.width()), int(rect.height()))
    laid = _lay_out(blocks, px, rect.width())
    top = rect.y() + (max(0.0, rect.height() - laid.height) / 2 if centre else 0.0)
    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        for layout, x, y, block in laid.layouts:
            painter.setPen(accent if block.role in ("heading", "ordinal") else text)
            layout.draw(painter, QPointF(rect.x() + x, top + y))
    finally:
        painter.restore()
    return px
