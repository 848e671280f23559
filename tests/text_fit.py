"""Does every text of a window fit where it is shown?  ``problems(window)`` lists what does not.

For each visible widget that shows text (labels, buttons, check boxes, radio buttons, combo boxes, group
box titles, tab bars, the hint of an empty line edit) it measures the text with the widget's own font and
compares it with the room the widget gives it:

- *clipped*: the text (wrapped where the widget wraps) needs more width or height than its contents
  rectangle (for buttons and combo boxes: what the style leaves for the text after padding, frame, icon
  and arrow), or a tab is narrower than its text, or the widget is cut by an ancestor or the window edge;
- *overlapping*: the rectangles the texts actually take (aligned in their widgets as they are drawn)
  intersect between two widgets neither of which contains the other.

Scroll areas are the one place where being cut by an ancestor is by design: their contents are checked
inside the scrolled widget, not against the viewport.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QTabBar,
    QToolButton,
    QWidget,
)

FLAGS = int(Qt.TextFlag.TextShowMnemonic)
SLACK = 1                                     # pixels of rounding allowed
SIZE = (1366, 768)                            # the smallest screen a hall laptop has


def _name(w: QWidget) -> str:
    text = _text(w).replace("\n", " ")
    return f"{type(w).__name__}({w.objectName() or '-'}) {text[:50]!r}"


def _text(w: QWidget) -> str:
    if isinstance(w, QLabel):
        return "" if w.pixmap() is not None and not w.pixmap().isNull() else w.text()
    if isinstance(w, QAbstractButton):
        return w.text()
    if isinstance(w, QComboBox):
        return w.currentText()
    if isinstance(w, QGroupBox):
        return w.title()
    if isinstance(w, QTabBar):
        return " | ".join(w.tabText(i) for i in range(w.count()))
    if isinstance(w, QLineEdit):
        return w.placeholderText() if not w.text() else ""   # what is typed scrolls; the hint must fit
    return ""


def _in_window(w: QWidget, top: QWidget) -> QRect:
    return QRect(w.mapTo(top, QPoint(0, 0)), w.size())


def _label_text_size(label: QLabel) -> QSize:
    """The room the label's text takes, wrapped at the label's width when it wraps."""
    contents = label.contentsRect()
    margin = 2 * label.margin()
    if label.wordWrap() or label.textFormat() == Qt.TextFormat.RichText or "<" in label.text():
        hint = label.minimumSizeHint() if label.wordWrap() else label.sizeHint()
        height = label.heightForWidth(label.width()) if label.wordWrap() else hint.height()
        across, down = label.width() - contents.width(), label.height() - contents.height()   # frame and margins
        return QSize(hint.width() - across, (height if height > 0 else hint.height()) - down)
    fm = label.fontMetrics()
    size = fm.size(FLAGS, label.text())
    return QSize(size.width() + margin, size.height() + margin)


def _button_room(button: QAbstractButton) -> tuple[QSize, QRect]:
    """What the button's text needs and the rectangle the style leaves it."""
    fm = button.fontMetrics()
    need = fm.size(FLAGS, button.text())
    if isinstance(button, QPushButton):
        opt = QStyleOptionButton()
        opt.initFrom(button)
        opt.text, opt.icon, opt.iconSize = button.text(), button.icon(), button.iconSize()
        if button.isDefault() or button.autoDefault():
            opt.features |= QStyleOptionButton.ButtonFeature.AutoDefaultButton
        room = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, button)
        if not button.icon().isNull():
            need = QSize(need.width() + button.iconSize().width() + 4, max(need.height(), button.iconSize().height()))
        return need, room
    if isinstance(button, (QCheckBox, QRadioButton)):
        opt = QStyleOptionButton()
        opt.initFrom(button)
        opt.text = button.text()
        element = QStyle.SubElement.SE_CheckBoxContents if isinstance(button, QCheckBox) \
            else QStyle.SubElement.SE_RadioButtonContents
        room = button.style().subElementRect(element, opt, button)
        return need, room
    if isinstance(button, QToolButton) and button.icon().isNull():
        return need, button.contentsRect().adjusted(2, 2, -2, -2)
    return QSize(0, 0), button.rect()


def _aligned(size: QSize, room: QRect, alignment: Qt.AlignmentFlag, w: QWidget) -> QRect:
    fitted = size.boundedTo(room.size())
    return QStyle.alignedRect(w.layoutDirection(), alignment, fitted, room)


def problems(window: QWidget) -> list[str]:
    """What is clipped or overlapping in ``window`` (one line each); empty when every text fits."""
    top = window.window()
    found: list[str] = []
    texts: list[tuple[QWidget, QRect]] = []
    for w in [top, *top.findChildren(QWidget)]:
        if not w.isVisible() or not _text(w).strip():
            continue
        rect = _in_window(w, top)
        visible, shown, scrolled, parent = QRect(rect), QRect(rect), False, w.parentWidget()
        while parent is not None and w is not top:
            scroller = parent.parentWidget()
            scrolled = scrolled or (isinstance(scroller, QAbstractScrollArea) and parent is scroller.viewport())
            shown &= _in_window(parent, top)              # what is on the screen
            if not scrolled:
                visible &= _in_window(parent, top)        # scrolled contents are cut by design
            if parent is top:
                break
            parent = parent.parentWidget()
        if visible != rect:
            found.append(f"cut by its parent or the window edge ({rect.width() - visible.width()}×"
                         f"{rect.height() - visible.height()} px hidden): {_name(w)}")
        drawn = rect
        if isinstance(w, QLabel):
            need, room = _label_text_size(w), w.contentsRect()
            drawn = _aligned(need, room, w.alignment(), w).translated(rect.topLeft())
        elif isinstance(w, QAbstractButton):
            need, room = _button_room(w)
            if isinstance(w, QPushButton):
                drawn = _aligned(need, room, Qt.AlignmentFlag.AlignCenter, w).translated(rect.topLeft())
        elif isinstance(w, QComboBox):
            opt = QStyleOptionComboBox()
            opt.initFrom(w)
            opt.editable, opt.currentText = w.isEditable(), w.currentText()
            room = w.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                            QStyle.SubControl.SC_ComboBoxEditField, w)
            need = w.fontMetrics().size(0, w.currentText())
        elif isinstance(w, QLineEdit):
            opt = QStyleOptionFrame()
            w.initStyleOption(opt)
            room = w.style().subElementRect(QStyle.SubElement.SE_LineEditContents, opt, w)
            margins = w.textMargins()
            room = room.adjusted(margins.left() + 2, margins.top(), -margins.right() - 2, -margins.bottom())
            need = w.fontMetrics().size(0, w.placeholderText())
            texts.append((w, w.rect().translated(rect.topLeft()) & shown))
            if need.width() > room.width() + SLACK:
                found.append(f"clipped hint: needs {need.width()} px, has {room.width()}: {_name(w)}")
            continue
        elif isinstance(w, QGroupBox):
            need = w.fontMetrics().size(FLAGS, w.title())
            room = w.rect().adjusted(6, 0, -6, 0)
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                hint, got = w.tabSizeHint(i), w.tabRect(i)
                if got.width() + SLACK < hint.width() or not w.rect().contains(got):
                    found.append(f"clipped tab {w.tabText(i)!r}: {got.width()} px for {hint.width()} px")
            continue
        else:
            continue
        if need.width() > room.width() + SLACK or need.height() > room.height() + SLACK:
            found.append(f"clipped: needs {need.width()}×{need.height()} px, has {room.width()}×{room.height()}: "
                         f"{_name(w)}")
        if w is not top:
            texts.append((w, drawn & shown))        # what a scroll area hides cannot overlap
    for i, (a, ra) in enumerate(texts):
        for b, rb in texts[i + 1:]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            common = ra & rb
            if common.width() > SLACK and common.height() > SLACK:
                found.append(f"overlapping ({common.width()}×{common.height()} px): {_name(a)} and {_name(b)}")
    return found


def fits(widget: QWidget, tmp_path: Path, name: str) -> None:
    """No clipped or overlapping text in ``widget``'s window, and the window no larger than the screen; its
    PNG is kept when there is (or always, in the folder ``IKRAR_PSEUDO_SHOTS`` names)."""
    from PySide6.QtWidgets import QApplication
    for _ in range(4):                    # a text just set re-lays its parents one level a pass (a busy machine
        QApplication.processEvents()      # showed a notice checked before its wrap was laid out)
    window = widget.window()
    found = problems(widget)
    if window.width() > SIZE[0] or window.height() > SIZE[1]:
        found.insert(0, f"the window needs {window.width()}×{window.height()}: more than the screen's {SIZE}")
    keep = os.environ.get("IKRAR_PSEUDO_SHOTS")
    if found or keep:
        window.grab().save(str(Path(keep or tmp_path) / f"pseudo-{name}.png"))
    assert not found, f"{name}:\n" + "\n".join(found)
