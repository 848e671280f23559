"""The pledge on the projector: one unit at a time, as large as fits, read from the back of the hall.

One painting function, :func:`paint_unit`, draws a unit into any rectangle; the live
window (:class:`ProjectorWindow`), the console's preview and live views and the
offscreen renderer (:func:`render_unit_png`, ``ikrar display --render``) all call it,
so what the organiser checks offscreen is what the hall sees.

Fitting: the unit's text blocks (ordinal heading, text; or the title's two lines) are
laid out with :class:`QTextLayout` at a base pixel size, every block a fixed multiple
of it.  The largest size whose layout fits the text box — no line wider than the box,
the whole block no taller — is found by bisection over integer pixel sizes (FreeShow
searches 10–800 px to 5 px; we go to 1 px, about ten layouts per unit, cached per
text and box size).  Nothing is ever clipped or elided.

"Read after me": a unit is split into phrases (:func:`split_phrases`) at commas,
semicolons, "serta", "dan" and a few prepositions, never inside a list such as
"sebelum, selama, maupun sesudah" or a name such as "Pemilihan Umum dan Pemilihan
Serentak".  The phrase being read is drawn bright, the others dimmed; colour only, so
the layout never moves while the leader steps through.

Keys (clickers send these): PageDown, Right, Down, Space next; PageUp, Left, Up,
Backspace previous; B and ``.`` black screen; Home and End first and last.  The
"start/stop presentation" button of common clickers sends F5/Shift+F5/Esc: swallowed,
so it never drops the projector out of full screen.  While the screen is black,
next/previous bring the picture back without moving (as in PowerPoint).
"""
from __future__ import annotations

import functools
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (QColor, QFont, QFontMetricsF, QGuiApplication, QImage, QPainter, QTextCharFormat,
                           QTextLayout, QTextOption)
from PySide6.QtWidgets import QWidget

from kiosk.ceremony.pledge import Pledge, Unit

from ui.messages import t

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


def body_text(unit: Unit) -> str:
    """The words of a unit as read aloud: a point without its "1. " number (the ordinal says it)."""
    if unit.kind == "point" and unit.number is not None:
        prefix = f"{unit.number}. "
        if unit.text.startswith(prefix):
            return unit.text[len(prefix):]
    return unit.text


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


def is_phrased(unit: Unit) -> bool:
    """Units the hall repeats after the leader (not the title)."""
    return unit.kind in ("opening", "point", "closing")


# --- phrases --------------------------------------------------------------------------------------

TARGET_WORDS, MIN_WORDS, MAX_WORDS = 6, 3, 12
_CONNECTORS = frozenset("di dalam kepada untuk demi dengan sebagai baik tidak yang pada dari bagi agar oleh".split())
_CONJUNCTIONS = frozenset(("dan", "serta", "atau", "maupun"))


def _break_cost(w: list[str], bare: list[str], i: int) -> float | None:
    """Cost of starting a phrase at word ``i`` (None: never here)."""
    prev, word, n = w[i - 1], bare[i], len(w)
    if word in ("maupun", "atau"):
        return None                                   # "baik … maupun …", "A atau B"
    if prev[-1] in ";:":
        return 0.0
    if prev[-1] == ",":
        # a list is read in one breath: "sebelum, selama, maupun sesudah"; "jujur, adil dan damai"
        if w[i][-1] == "," or (i + 1 < n and bare[i + 1] in _CONJUNCTIONS):
            return None
        return 0.5
    if bare[i - 1] in _CONNECTORS or bare[i - 1] in _CONJUNCTIONS:
        return None                                   # never leave "di", "dan" … at a phrase's end
    if word == "serta":
        return 1.0
    if word == "dan":
        if prev[:1].isupper() and i + 1 < n and w[i + 1][:1].isupper():
            return None                               # inside a name: "Pemilihan Umum dan Pemilihan Serentak"
        return 4.0                                    # "tugas dan fungsi", "intimidasi dan ancaman": last resort
    if word == "baik":
        return 1.0
    if word in _CONNECTORS:
        return 1.5
    return None


@functools.lru_cache(maxsize=256)
def split_phrases(text: str) -> tuple[tuple[int, int], ...]:
    """Split the text into phrases for "read after me": ``(start, end)`` character spans.

    The text itself is untouched (the wording is the agency's).  Phrases are chosen by
    dynamic programming over the allowed break points: each phrase costs its distance
    from about six words (at least three, rarely more than twelve) plus the cost of the
    break that starts it, so punctuation is preferred, then "serta", a preposition, and
    "dan" only when nothing else is left.
    """
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    n = len(spans)
    if n == 0:
        return ()
    w = [text[a:b] for a, b in spans]
    bare = [re.sub(r"\W+$", "", x).lower() for x in w]
    cost = [0.0] + [_break_cost(w, bare, i) for i in range(1, n)]

    def phrase_cost(k: int) -> float:
        return 0.3 * (k - TARGET_WORDS) ** 2 + (20.0 * (k - MAX_WORDS) if k > MAX_WORDS else 0.0)

    inf = float("inf")
    best, back = [0.0] + [inf] * n, [0] * (n + 1)
    for j in range(1, n + 1):
        for i in range(j):
            if best[i] == inf or cost[i] is None or (j - i < MIN_WORDS and n >= MIN_WORDS):
                continue
            c = best[i] + phrase_cost(j - i) + cost[i]
            if c < best[j]:
                best[j], back[j] = c, i
    if best[n] == inf:                                # nowhere to break: one phrase
        return ((spans[0][0], spans[-1][1]),)
    out, j = [], n
    while j > 0:
        i = back[j]
        out.append((spans[i][0], spans[j - 1][1]))
        j = i
    return tuple(reversed(out))


def unit_phrases(unit: Unit) -> tuple[tuple[int, int], ...]:
    """Phrase spans in :func:`body_text` of the unit; empty when the unit is not read phrase by phrase."""
    if not is_phrased(unit):
        return ()
    spans = split_phrases(body_text(unit))
    return spans if len(spans) > 1 else ()


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


# --- offscreen ------------------------------------------------------------------------------------

_app_ref: list = []


def _ensure_gui() -> None:
    if QGuiApplication.instance() is not None:
        return
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app_ref.append(QGuiApplication(sys.argv[:1]))


def render_unit_image(pledge: Pledge, index: int, size: tuple[int, int], theme: str = "dark", *,
                      agency: str = "", logo: str | os.PathLike | QImage | None = None,
                      phrase: int | None = None, blank: bool = False) -> tuple[QImage, Painted]:
    """Paint a unit into a new image of ``size`` exactly as the projector would."""
    _ensure_gui()
    w, h = size
    image = QImage(w, h, QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(1.0)
    painter = QPainter(image)
    try:
        painted = paint_unit(painter, QRectF(0, 0, w, h), pledge, index, theme, agency=agency,
                             logo=str(logo) if isinstance(logo, os.PathLike) else logo, phrase=phrase, blank=blank)
    finally:
        painter.end()
    return image, painted


def render_unit_png(pledge: Pledge, index: int, size: tuple[int, int], theme: str, *, out: str | os.PathLike,
                    agency: str = "", logo: str | None = None, phrase: int | None = None) -> None:
    """Render unit ``index`` (0-based) offscreen and save it as a PNG (``ikrar display --render``)."""
    if not 0 <= index < len(pledge.units):
        raise IndexError(f"unit {index} out of range 0..{len(pledge.units) - 1}")
    image, _ = render_unit_image(pledge, index, size, theme, agency=agency, logo=logo, phrase=phrase)
    out = Path(out)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        raise OSError(f"cannot write {out}")


# --- the presentation state, shared by the console and the projector ---------------------------------

NEXT, PREVIOUS, FIRST, LAST, BLANK, SWALLOW = "next", "previous", "first", "last", "blank", "swallow"
_KEYS = {
    Qt.Key.Key_PageDown: NEXT, Qt.Key.Key_Right: NEXT, Qt.Key.Key_Down: NEXT, Qt.Key.Key_Space: NEXT,
    Qt.Key.Key_PageUp: PREVIOUS, Qt.Key.Key_Left: PREVIOUS, Qt.Key.Key_Up: PREVIOUS,
    Qt.Key.Key_Backspace: PREVIOUS,
    Qt.Key.Key_B: BLANK, Qt.Key.Key_Period: BLANK,
    Qt.Key.Key_Home: FIRST, Qt.Key.Key_End: LAST,
    # a clicker's "start/stop slideshow" button: never let it leave full screen
    Qt.Key.Key_F5: SWALLOW, Qt.Key.Key_Escape: SWALLOW,
}


def key_action(key: int) -> str | None:
    try:
        return _KEYS.get(Qt.Key(key))
    except ValueError:
        return None


class Presentation(QObject):
    """Which unit (and phrase) is live, and whether the screen is black.  Emits ``changed``."""
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pledge: Pledge | None = None
        self.index = 0
        self.phrase: int | None = None
        self.phrase_mode = False
        self.blank = False

    # --- reading the state ---------------------------------------------------------------------

    @property
    def count(self) -> int:
        return len(self.pledge.units) if self.pledge else 0

    def phrases(self, index: int | None = None) -> tuple[tuple[int, int], ...]:
        if not self.pledge or not self.phrase_mode:
            return ()
        i = self.index if index is None else index
        return unit_phrases(self.pledge.units[i]) if 0 <= i < self.count else ()

    # --- changing it ---------------------------------------------------------------------------

    def set_pledge(self, pledge: Pledge | None) -> None:
        self.pledge = pledge
        self.index = max(0, min(self.index, self.count - 1))
        self._settle(self.phrase if self.phrase is not None else 0)
        self.changed.emit()

    def set_phrase_mode(self, on: bool) -> None:
        self.phrase_mode = bool(on)
        self._settle(0)
        self.changed.emit()

    def set_blank(self, on: bool) -> None:
        if self.blank != bool(on):
            self.blank = bool(on)
            self.changed.emit()

    def go(self, index: int, phrase: int = 0) -> None:
        if not self.count:
            return
        self.index = max(0, min(index, self.count - 1))
        self._settle(phrase)
        self.blank = False
        self.changed.emit()

    def next(self) -> None:
        if self._unblank():
            return
        spans = self.phrases()
        if spans and self.phrase is not None and self.phrase + 1 < len(spans):
            self.phrase += 1
            self.changed.emit()
        elif self.index + 1 < self.count:
            self.go(self.index + 1, 0)

    def previous(self) -> None:
        if self._unblank():
            return
        if self.phrases() and self.phrase:
            self.phrase -= 1
            self.changed.emit()
        elif self.index > 0:
            self.go(self.index - 1, -1)          # back into the previous unit at its last phrase

    def handle_key(self, key: int) -> bool:
        """Act on a clicker or keyboard key; True if it was ours."""
        action = key_action(key)
        if action is None:
            return False
        if action == NEXT:
            self.next()
        elif action == PREVIOUS:
            self.previous()
        elif action == FIRST:
            self.go(0)
        elif action == LAST:
            self.go(self.count - 1)
        elif action == BLANK:
            self.set_blank(not self.blank)
        return True

    def _unblank(self) -> bool:
        if self.blank:
            self.set_blank(False)
            return True
        return False

    def _settle(self, phrase: int) -> None:
        spans = self.phrases()
        if not spans:
            self.phrase = None
        else:
            self.phrase = len(spans) - 1 if phrase < 0 else max(0, min(phrase, len(spans) - 1))


# --- the live window --------------------------------------------------------------------------------

class ProjectorWindow(QWidget):
    """The frameless full-screen output (or a plain window on the laptop as the fallback)."""

    def __init__(self, presentation: Presentation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projector")
        self.setWindowTitle(t("display.projector_title"))
        self.presentation = presentation
        self.theme = "dark"
        self.agency = ""
        self.logo: str | None = None
        self.fullscreen = False
        self.last_painted: Painted | None = None
        self._may_close = False
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(320, 180)
        presentation.changed.connect(self.update)

    def set_look(self, *, theme: str | None = None, agency: str | None = None, logo: str | None = ...) -> None:
        if theme is not None:
            self.theme = theme if theme in THEMES else "dark"
        if agency is not None:
            self.agency = agency
        if logo is not ...:
            self.logo = logo or None
        self.update()

    def place(self, screen, fullscreen: bool) -> None:
        """Show full screen on ``screen`` (frameless, on top), or as an ordinary window on it."""
        if (self.isVisible() and screen is not None and self.screen() is screen and self.fullscreen == fullscreen
                and (not fullscreen or self.geometry() == screen.geometry())):
            return                                  # already there: no flicker on a spurious screen signal
        flags = Qt.WindowType.Window
        if fullscreen:
            flags |= Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
        changed = flags != self.windowFlags() or self.fullscreen != fullscreen
        self.fullscreen = fullscreen
        if changed and self.isVisible():
            self.hide()
        self.setWindowFlags(flags)
        if screen is not None:
            self.setScreen(screen)
            geo = screen.geometry()
            if fullscreen:
                self.setGeometry(geo)
            else:
                w, h = max(480, geo.width() // 2), max(270, geo.height() // 2)
                self.setGeometry(geo.x() + (geo.width() - w) // 2, geo.y() + (geo.height() - h) // 2, w, h)
        if fullscreen:
            self.setCursor(Qt.CursorShape.BlankCursor)
            self.showFullScreen()
        else:
            self.unsetCursor()
            self.showNormal()

    def paintEvent(self, e) -> None:
        p = self.presentation
        painter = QPainter(self)
        try:
            self.last_painted = paint_unit(painter, QRectF(self.rect()), p.pledge, p.index, self.theme,
                                           agency=self.agency, logo=self.logo, phrase=p.phrase, blank=p.blank)
        finally:
            painter.end()

    def keyPressEvent(self, e) -> None:
        if not self.presentation.handle_key(e.key()):
            super().keyPressEvent(e)

    def allow_close(self) -> None:
        self._may_close = True

    def closeEvent(self, e) -> None:
        # Alt+F4 on the projector must not end the ceremony's picture; the console closes it.
        if self._may_close:
            e.accept()
        else:
            e.ignore()
