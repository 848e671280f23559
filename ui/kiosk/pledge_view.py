"""The whole pledge on the signing page, fitted to its box the way the projector fits a unit.

Title, opening, the numbered points and the closing are laid out with the projector's own
fitting (:func:`ui.display.pledge_painter.paint_fitted`: the largest font size whose layout fits,
found by bisection), so the text a person signs is always readable in full: never cut, never
behind a scroll bar, at 1366×768 as at 1920×1080.
"""
from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ceremony.pledge import Pledge
from ui.display.pledge_painter import Block, paint_fitted

TEXT = QColor("#ffffff")
ACCENT = QColor("#f2c14e")


def pledge_blocks(pledge: Pledge) -> tuple[Block, ...]:
    """Every unit of the pledge, one block each: the title centred and bold, the rest left-aligned."""
    blocks: list[Block] = []
    for unit in pledge.units:
        if unit.kind == "title":
            lines = [line for line in unit.text.split("\n") if line.strip()]
            blocks += [Block(line, 1.0 if n == 0 else 0.85, n == 0, "heading" if n == 0 else "subheading")
                       for n, line in enumerate(lines)]
        else:
            blocks.append(Block(unit.text, 1.0, False, "text", center=False))
    return tuple(blocks)


class PledgeView(QWidget):
    """Paints the pledge fitted to the widget; ``px`` is the size it was last drawn at (0: nothing)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pledgeText")
        self.blocks: tuple[Block, ...] = ()
        self.px = 0
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(120, 60)

    def set_pledge(self, pledge: Pledge | None) -> None:
        self.blocks = pledge_blocks(pledge) if pledge is not None else ()
        self.update()

    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    def paintEvent(self, e) -> None:
        painter = QPainter(self)
        try:
            self.px = paint_fitted(painter, QRectF(self.rect()), self.blocks, TEXT, ACCENT)
        finally:
            painter.end()
