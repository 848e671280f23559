"""What the desk's pytest-qt tests share (the fixtures are in ``desk_fixtures``): the desk's worker and
context on a database, a page shown at 1366×768, waiting until the worker has answered everything,
and answering the questions the desk asks (files, confirmations, passphrases) through
:mod:`ui.desk.ask`."""
from __future__ import annotations

from pathlib import Path

from desk_data import PIN

from ui.desk import ask
from ui.desk.service import DeskContext, DeskInfo, DeskService

__all__ = ["PIN", "Answers", "open_desk_context", "settle", "show"]


def open_desk_context(qtbot, db: Path, poll_seconds: float = 0.2) -> DeskContext:
    service = DeskService(db, poll_seconds=poll_seconds)
    got: list[object] = []
    service.opened.connect(got.append)
    service.failed.connect(got.append)
    service.open()
    qtbot.waitUntil(lambda: bool(got), timeout=10000)
    info = got[0]
    assert isinstance(info, DeskInfo), info
    return DeskContext(service, info)


def settle(qtbot, context: DeskContext, rounds: int = 2) -> None:
    """Every operation submitted so far (and those their answers submit) has answered."""
    for _ in range(rounds):
        done: list[object] = []
        context.service.run(lambda store: None, success=done.append)
        qtbot.waitUntil(lambda done=done: bool(done), timeout=30000)
        qtbot.wait(20)


def show(qtbot, widget, size=(1366, 720)):
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


class Answers:
    """The user's answers to the desk's questions; each asked question is recorded."""

    def __init__(self) -> None:
        self.files: list[Path | None] = []
        self.folders: list[Path | None] = []
        self.confirms: list[bool] = []
        self.passphrases: list[str | None] = []
        self.asked: list[tuple[str, str]] = []
        self.opened: list[Path] = []

    def _next(self, queue: list, kind: str, text: str):
        self.asked.append((kind, text))
        if not queue:
            raise AssertionError(f"the desk asked an unexpected {kind}: {text}")
        return queue.pop(0)

    def install(self, monkeypatch) -> Answers:
        monkeypatch.setattr(ask, "save_file", lambda parent, title, name, flt: self._next(self.files, "file", title))
        monkeypatch.setattr(ask, "open_file", lambda parent, title, flt: self._next(self.files, "file", title))
        monkeypatch.setattr(ask, "open_files", lambda parent, title, flt: self._next(self.files, "files", title))
        monkeypatch.setattr(ask, "folder", lambda parent, title: self._next(self.folders, "folder", title))
        monkeypatch.setattr(ask, "confirm",
                            lambda parent, title, text, yes: self._next(self.confirms, "confirm", text))
        monkeypatch.setattr(ask, "passphrase",
                            lambda parent, prompt, twice=False: self._next(self.passphrases, "passphrase", prompt))
        monkeypatch.setattr(ask, "open_folder", self.opened.append)
        return self
