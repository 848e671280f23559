"""The staff's camera choice: the cameras connected, and *Tanpa kamera* (the scanner alone).

A :class:`~ui.kiosk.staff_dialog.StaffDialog` like the others (a badge scanned into it closes it;
left untouched it closes itself).  The camera in use is marked; a remembered camera that is not
connected is listed too, marked as such, so choosing it again (to wait for it) stays possible.
"""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QButtonGroup, QDialog, QDialogButtonBox, QLayout, QRadioButton, QVBoxLayout, QWidget

from ui.kiosk.camera.devices import CameraChoice, CameraDevice, ChoiceKind
from ui.kiosk.staff_dialog import StaffDialog, label_buttons, message_label
from ui.messages import t
from ui.text import shown


class CameraDialog(StaffDialog):
    untouched_seconds = 60

    def __init__(self, cameras: Sequence[CameraDevice], current: CameraChoice, parent: QWidget | None = None,
                 *, in_use: CameraDevice | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("ui.camera_title"))
        self.choice: CameraChoice | None = None
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(message_label(t("ui.camera_prompt") if cameras else t("ui.camera_none_found")))
        self.group = QButtonGroup(self)
        self.options: list[tuple[QRadioButton, CameraChoice]] = []
        listed = list(cameras)
        if current.kind == ChoiceKind.DEVICE and not any(c.id == current.id or c.description == current.description
                                                         for c in listed):
            listed.append(CameraDevice(current.id, current.description))
        for camera in listed:
            text = shown(camera.description or camera.id, 80)
            if camera not in cameras:
                text += "  " + t("ui.camera_not_connected")
            elif in_use is not None and camera.id == in_use.id:
                text += "  " + t("ui.camera_in_use")
            self._option(text, CameraChoice.device(camera))
        self._option(t("ui.camera_off"), CameraChoice(ChoiceKind.NONE))
        for button, choice in self.options:
            if (choice.kind == current.kind == ChoiceKind.NONE
                    or (choice.kind == ChoiceKind.DEVICE and in_use is not None and choice.id == in_use.id)
                    or (choice.kind == ChoiceKind.DEVICE and current.kind == ChoiceKind.DEVICE
                        and in_use is None and choice.id == current.id)):
                button.setChecked(True)
                break
        for button, _choice in self.options:
            layout.addWidget(button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        label_buttons(buttons)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.keep_width(layout, 560)

    def _option(self, text: str, choice: CameraChoice) -> None:
        button = QRadioButton(text)
        self.group.addButton(button)
        self.options.append((button, choice))

    def _accept(self) -> None:
        picked = next((choice for button, choice in self.options if button.isChecked()), None)
        if picked is None:
            return
        self.choice = picked
        self.accept()

    @classmethod
    def ask(cls, cameras: Sequence[CameraDevice], current: CameraChoice, parent: QWidget | None = None, *,
            in_use: CameraDevice | None = None) -> CameraChoice | None:
        """The staff's choice, or None (cancelled, a badge scanned, left untouched)."""
        d = cls(cameras, current, parent, in_use=in_use)
        return d.choice if d.exec() == QDialog.DialogCode.Accepted else None
