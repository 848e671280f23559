"""Progress on stderr: silent for a quick job, one rewritten line on a terminal, a line now and then
into a file, and never a failure when stderr has gone."""
from __future__ import annotations

import io

from kiosk.cli.progress import Progress


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_job_done_within_a_second_shows_nothing():
    clock, out = Clock(), io.StringIO()
    with Progress("Mengirim", out, clock=clock) as p:
        for done in range(0, 101, 10):
            clock.now = done / 200
            p(done, 100)
    assert out.getvalue() == ""


def test_into_a_file_a_line_every_five_seconds_and_the_last_one():
    clock, out = Clock(), io.StringIO()
    with Progress("Mengirim", out, clock=clock) as p:
        for second in range(1, 13):
            clock.now = float(second)
            p(second * 1000, 12_000)
    assert out.getvalue().splitlines() == ["Mengirim: 1.000/12.000 (8%)", "Mengirim: 6.000/12.000 (50%)",
                                           "Mengirim: 11.000/12.000 (91%)", "Mengirim: 12.000/12.000 (100%)"]


def test_on_a_terminal_one_line_rewritten_then_ended():
    clock, out = Clock(), Terminal()
    with Progress("Sending", out, clock=clock) as p:
        clock.now = 1.5
        p(1, 4)
        clock.now = 1.6
        p(2, 4)                                   # within 0.2 s of the last: skipped
        clock.now = 2.0
        p(4, 4)
    assert out.getvalue() == "\rSending: 1/4 (25%)\x1b[K\rSending: 4/4 (100%)\x1b[K\n"


def test_a_closed_stderr_is_not_an_error():
    clock, out = Clock(), io.StringIO()
    p = Progress("Mengirim", out, clock=clock)
    out.close()
    clock.now = 2.0
    p(1, 2)
    p.close()
