"""The idle screen's icon: a real QR code, so it looks like the badge people hold."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

#: The QR code of "IKRAR NETRALITAS ASN" (error correction L, no quiet zone), as the qrcode package makes
#: it (tests/test_kiosk_ui.py checks): written out, so the kiosk's start does without qrcode and Pillow.
TEXT = "IKRAR NETRALITAS ASN"
ROWS = (
    "#######...#.#.#######",
    "#.....#.#.#.#.#.....#",
    "#.###.#.#.##..#.###.#",
    "#.###.#.....#.#.###.#",
    "#.###.#.###.#.#.###.#",
    "#.....#.###...#.....#",
    "#######.#.#.#.#######",
    "........#..##........",
    "##.#..##..#.#.###.##.",
    "##..##.....#.##.#####",
    "...#..#.###.##...##..",
    "##.#.#.#..#.#..#..#..",
    ".##.#.#.###....####.#",
    "........##.####..#.##",
    "#######.#....#..#....",
    "#.....#..#...#...#.##",
    "#.###.#..####.####.#.",
    "#.###.#.##..#..#..###",
    "#.###.#..####.##..#.#",
    "#.....#.#.#.#####.#.#",
    "#######.##....#.##...",
)


class QrGlyph(QWidget):
    """A QR code drawn square and centred in the widget, as tall as the widget."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matrix: list[list[bool]] = [[cell == "#" for cell in row] for row in ROWS]
        self.colour = QColor("#7fb2ff")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def paintEvent(self, e) -> None:
        n = len(self.matrix)
        side = min(self.width(), self.height())
        cell = side / n
        left = (self.width() - side) / 2
        painter = QPainter(self)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colour)
        for r, row in enumerate(self.matrix):
            for c, dark in enumerate(row):
                if dark:
                    painter.drawRect(QRectF(left + c * cell, r * cell, cell + 0.5, cell + 0.5))
        painter.end()
