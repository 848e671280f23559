"""Crash safety through the real kiosk: SIGKILL at random moments, and nothing the screen confirmed is lost.

A child process runs the kiosk as ``ikrar kiosk`` does (``run_kiosk``: the single-instance lock, the log
file, the window, the worker thread), offscreen, with a queue of people driving it: scanner bursts as key
events through the wedge filter, signatures as pad events, Enter, Batal, walk-ons, repeats, strangers and
garbage (:mod:`harness.driver`).  The moment the screen turns to *done* the child says so on a pipe.  The
test kills it (SIGKILL, no chance to clean up) at a random moment, sometimes while it is still starting,
and then, before the next kiosk starts on the same file:

* every check-in the screen showed as done is in the database (``confirmed_lost`` must be 0);
* nothing is half-written: no check-in without its signature, no signature without its check-in, the scan
  log's "recorded" row with every check-in, ``PRAGMA integrity_check`` ok, the hash chain whole (our own
  recomputation and the exporter's ``store_chain``);
* the lock file of the dead kiosk is still there, and the next kiosk takes it over and starts normally.

Full size (``IKRAR_HARNESS_SCALE=full``): 220 kills.  CI: 25.  ``IKRAR_HARNESS_SEED`` replays a run.
"""
import os
import random
import time

import pytest
from harness import figure, size
from harness.checks import forbidden, health
from harness.parent import KioskChild, kiosk_db

from kiosk.logs import log_path  # the children's log: the user data folder's

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL")

KILLS = size(25, 220)
PER_CHILD = 40                        # people each kiosk life may check in (disjoint slices of the roster)


def test_kiosk_killed_at_random_moments_keeps_every_check_in_it_showed_done(tmp_path, request):
    seed = int(os.environ.get("IKRAR_HARNESS_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    roster = (KILLS + 2) * PER_CHILD
    db = tmp_path / "kiosk.db"
    kiosk_db(db, roster)
    lock = db.with_name(db.name + ".kiosk-lock")
    confirmed: set[str] = set()
    shown: list[str] = []                 # every result card and message the screens showed
    kills = during_start = during_save = 0
    started = time.monotonic()
    for life in range(KILLS):
        child = KioskChild(db, "--people", roster, "--start", life * PER_CHILD, "--count", PER_CHILD,
                           "--seed", rng.randrange(1 << 30), stderr=tmp_path / f"life-{life}.err")
        moment = rng.random()
        if moment < 0.12:                              # while it starts: opening, recovering the WAL, locking
            time.sleep(rng.uniform(0.0, 1.2))
        else:
            assert child.wait_for("ready", 90), _why(child, life)
            if moment < 0.56:                          # any moment of the queue
                time.sleep(rng.uniform(0.0, 1.5))
            else:                                      # while a signature is being saved: PNG, insert, commit
                for _ in range(rng.randint(1, 6)):
                    if child.wait_for("saving", 20) is None:
                        break
                time.sleep(rng.uniform(0.0, 0.06))
                during_save += 1
        child.kill()
        kills += 1
        during_start += not child.said("ready")
        confirmed.update(child.done)
        shown += child.said("result") + child.said("notsaved") + child.said("msgbox") + child.said("stuck")
        assert not child.said("mismatch"), child.said("mismatch")
        h = health(db)
        lost = confirmed - h.nips
        assert not lost, f"life {life} (seed {seed}): {len(lost)} check-ins shown done are not in the database"
        assert h.ok, f"life {life} (seed {seed}): {h.integrity} {h.problems}"
        if child.said("ready"):
            assert lock.exists()                       # the dead kiosk's lock is left behind: the next takes it over

    # The kiosk starts once more, checks people in and leaves normally: nothing about it is left broken.
    last = KioskChild(db, "--people", roster, "--start", KILLS * PER_CHILD, "--count", PER_CHILD,
                      "--actions", 12, "--quit", "--no-mix", stderr=tmp_path / "last.err")
    assert last.wait_for("ready", 90), _why(last, "last")
    assert last.wait_for("finished", 120), _why(last, "last")
    assert last.finish() == 0 and last.said("exit") == ["0"], _why(last, "last")
    confirmed.update(last.done)
    assert len(last.done) == 12
    h = health(db)
    assert h.ok and confirmed <= h.nips, (h.integrity, h.problems)
    assert not lock.exists()                            # released on a normal exit

    log = log_path().read_text("utf-8")
    refusals = [s for s in shown if not s.startswith(("invalid ", "unknown ", "duplicate "))]
    assert not refusals, refusals[:5]                   # no Belum tercatat, no message box, never stuck
    assert not forbidden(log) and " ERROR " not in log and " CRITICAL " not in log, _tail(log)
    extra = h.checkins - len(confirmed)
    assert 0 <= extra <= kills                          # at most the one being committed at each kill
    for name, value in (("crash_seed", seed), ("crash_kills_survived", kills),
                        ("crash_kills_while_starting", during_start), ("crash_kills_while_saving", during_save),
                        ("crash_confirmed_checkins", len(confirmed)),
                        ("crash_confirmed_checkins_lost", len(confirmed - h.nips)),
                        ("crash_committed_not_yet_shown", extra), ("crash_signatures", h.signatures),
                        ("crash_seconds", f"{time.monotonic() - started:.0f}")):
        figure(request.config, name, value)


def _why(child: KioskChild, life) -> str:
    return f"kiosk life {life} did not get going: {child.lines[-5:]} {_tail(child.stderr())}"


def _tail(text: str, n: int = 1500) -> str:
    return text[-n:]
