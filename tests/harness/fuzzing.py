"""What every fuzz case must hold, and the tally of cases tried and crashes found.

A crash is anything but a clear refusal: an exception other than :class:`kiosk.i18n.KioskError` out of a
core call, the command line's "unexpected error" (its last line of defence), a traceback or a locked
database in any text a person reads, an exit code other than 0 (done) or 1 (refused), a refusal without a
message.  Nothing a refused input touched may change: the database's rows are compared before and after.
"""
from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from harness import CORPUS
from harness.checks import forbidden
from kiosk.i18n import KioskError

UNEXPECTED = ("Terjadi kesalahan tak terduga", "An unexpected error occurred")


@dataclass
class Tally:
    cases: int = 0
    crashes: int = 0

    @contextlib.contextmanager
    def case(self) -> Iterator[None]:
        """One input: counted; any failure inside counts as a crash (and fails the test)."""
        self.cases += 1
        try:
            yield
        except BaseException:
            self.crashes += 1
            raise


def refusal_or_none(call, *args, **kw):
    """``call(...)``'s value, or the KioskError it raised (with a message); anything else propagates."""
    try:
        return call(*args, **kw)
    except KioskError as exc:
        assert str(exc).strip() and exc.code, "a refusal without a message"
        return exc


def check_cli(code: int, out: str, err: str) -> None:
    """The command line answered: done (0) or refused (1) in words, never a traceback or an unexpected error."""
    text = out + err
    assert code in (0, 1), (code, text[-2000:])
    assert not any(u in text for u in UNEXPECTED), text[-2000:]
    assert not forbidden(text), text[-2000:]
    if code == 1:
        assert text.strip(), "refused without a word"


def corpus_json(name: str) -> list:
    return json.loads((CORPUS / name).read_text("utf-8"))


def corpus_files(folder: str) -> list[Path]:
    return sorted(p for p in (CORPUS / folder).iterdir() if p.is_file() and p.name != "README.md")
