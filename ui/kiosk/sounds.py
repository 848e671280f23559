"""One short, distinct sound per outcome of a scan; silent where the machine has no audio."""
from __future__ import annotations

from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, QUrl

from kiosk.resources import resource_path


class Sound(StrEnum):
    RECORDED = "recorded"
    DUPLICATE = "duplicate"
    UNKNOWN = "unknown"
    INVALID = "invalid"


class Sounds(QObject):
    """``play(Sound.RECORDED)`` …; ``enabled`` is the organiser's setting, ``last`` what was asked last.

    The sounds are loaded by :meth:`load`, which the kiosk calls once its idle screen is painted (opening the
    audio device takes a tenth of a second of the start), or by the first :meth:`play` if that comes first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effects: dict[Sound, Any] = {}          # QSoundEffect, imported only where there is audio
        self._loaded = False
        self.last = ""
        self.enabled = True

    def load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:                       # pragma: no cover - Qt without multimedia
            return
        for sound in Sound:
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(resource_path("sounds", f"{sound}.wav"))))
            effect.setVolume(0.8)
            self._effects[sound] = effect

    def play(self, sound: Sound) -> None:
        self.last = sound
        self.load()
        effect = self._effects.get(sound)
        if effect is not None and self.enabled:
            effect.play()
