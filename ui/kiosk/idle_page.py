"""The kiosk's idle page: the event, "scan your badge", the live count, the privacy notice, the staff button.

It is the kiosk's first frame, painted before the rest of the app is loaded (:mod:`ui.kiosk.shell`),
so it imports only Qt's widgets and the words: the event comes as anything with a ``title``, a
``date`` and a ``venue`` (the store's :class:`~kiosk.store.Event`, or the first frame's
:class:`~kiosk.store.glance.Glance`).  Object names are the style sheet's (:mod:`ui.kiosk.style`);
every label that shows data is plain text, bounded and never widens the window (:mod:`ui.text`).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.dates import long_date
from ui.kiosk.qr_glyph import QrGlyph
from ui.messages import t
from ui.text import plain, shown

if TYPE_CHECKING:
    from kiosk.attendance.sanity import EventWarning

NOTICE_SECONDS = 12


class Shown(Protocol):
    """What the idle page shows of an event."""
    @property
    def title(self) -> str: ...
    @property
    def date(self) -> str: ...
    @property
    def venue(self) -> str: ...


def make_label(name: str, text: str = "", *, wrap: bool = True, align=Qt.AlignmentFlag.AlignCenter) -> QLabel:
    lab = QLabel()
    lab.setObjectName(name)
    plain(lab, wrap=wrap)
    lab.setAlignment(align)
    lab.setText(text)
    return lab


def make_button(name: str) -> QPushButton:
    b = QPushButton(objectName=name)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)         # keys belong to the scanner (see ui.kiosk.wedge_filter)
    return b


class WarningBanner(QLabel):
    """The organiser's warnings (wrong date, clock behind): amber, plain text, hidden when there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("warningBanner")
        plain(self)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.warnings: tuple[EventWarning, ...] = ()
        self.hide()

    def set_warnings(self, warnings: Sequence[EventWarning]) -> None:
        self.warnings = tuple(warnings)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText("\n".join("⚠ " + shown(w.message, 600) for w in self.warnings))
        self.setVisible(bool(self.warnings))


class IdlePage(QWidget):
    """The event, "scan your badge", the live count, the privacy notice, the staff button.

    With a camera (:mod:`ui.kiosk.camera`) its live picture takes the QR glyph's place, and a camera
    that cannot be used says why in one line under the hint (the scanner works all the same).
    """
    firstPainted = Signal()            # its first frame has been drawn (the kiosk's shell loads the rest then)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="idlePage")
        v = QVBoxLayout(self)
        self.banner = WarningBanner()
        self.event_title = make_label("eventTitle")
        self.event_meta = make_label("eventMeta")
        self.scan_glyph = QrGlyph()
        self.scan_prompt = make_label("scanPrompt")
        self.scan_hint = make_label("scanHint")
        self.camera_note = make_label("cameraNote")      # no camera, unplugged, busy, refused: what to do
        self.camera_note.hide()
        self.camera_view: QWidget | None = None
        self._camera_live = False
        self.count_label = make_label("count")
        self.privacy = make_label("privacy", align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.notice = make_label("staffNotice")          # a staff setting that did not stick (nothing personal)
        self.notice.hide()
        self.staff_button = make_button("staffButton")
        v.addWidget(self.banner)
        v.addWidget(self.event_title)
        v.addWidget(self.event_meta)
        v.addStretch(2)
        v.addWidget(self.scan_glyph)
        v.addSpacing(24)
        v.addWidget(self.scan_prompt)
        v.addWidget(self.scan_hint)
        v.addWidget(self.camera_note)
        v.addStretch(1)
        v.addWidget(self.count_label)
        v.addStretch(2)
        v.addWidget(self.notice)
        bottom = QHBoxLayout()
        bottom.addWidget(self.privacy, 1)
        bottom.addWidget(self.staff_button, 0, Qt.AlignmentFlag.AlignBottom)
        v.addLayout(bottom)
        self._count: tuple[int, int] | None = None
        self._painted = False
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.hide)

    def paintEvent(self, e) -> None:
        super().paintEvent(e)
        if not self._painted:
            self._painted = True
            self.firstPainted.emit()

    def set_event(self, event: Shown) -> None:
        self.event_title.setText(shown(event.title))
        self.event_meta.setText(shown(" · ".join(x for x in (long_date(event.date), event.venue) if x)))

    def set_count(self, present: int, roster: int) -> None:
        self._count = (present, roster)
        self.count_label.setText(t("ui.present", present=present, roster=roster))

    def set_camera_view(self, view: QWidget) -> None:
        """The camera's picture, shown in the glyph's place while the camera is live."""
        layout = self.layout()
        layout.insertWidget(layout.indexOf(self.scan_glyph), view, 0, Qt.AlignmentFlag.AlignHCenter)
        view.hide()
        self.camera_view = view
        self._fit_camera_view()

    def set_camera(self, live: bool, note: str = "") -> None:
        self._camera_live = live and self.camera_view is not None
        if self.camera_view is not None:
            self.camera_view.setVisible(self._camera_live)
        self.scan_glyph.setVisible(not self._camera_live)
        self.camera_note.setText(shown(note, 400))
        self.camera_note.setVisible(bool(note))
        self.scan_hint.setText(t("ui.scan_hint_camera" if self._camera_live else "ui.scan_hint"))

    def _fit_camera_view(self) -> None:
        if self.camera_view is not None:
            h = max(120, round(self.height() * 0.3))
            self.camera_view.setFixedSize(round(h * 16 / 9), h)

    def resizeEvent(self, e) -> None:
        super().resizeEvent(e)
        self._fit_camera_view()

    def say(self, text: str) -> None:
        """A short note for the staff under the count; it goes away by itself."""
        self.notice.setText(shown(text, 600))
        self.notice.show()
        self._notice_timer.start(NOTICE_SECONDS * 1000)

    def retranslate(self) -> None:
        self.scan_prompt.setText(t("ui.scan_prompt"))
        self.scan_hint.setText(t("ui.scan_hint_camera" if self._camera_live else "ui.scan_hint"))
        self.privacy.setText(t("ui.privacy"))
        self.staff_button.setText("⚙ " + t("ui.staff"))
        self.banner.retranslate()
        if self._count is not None:
            self.set_count(*self._count)


