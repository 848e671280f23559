"""Long operations on the screens' worker: progress on the GUI thread, throttled; cancel from the GUI."""
import threading
import time

import pytest

from kiosk.documents import exports
from kiosk.i18n import KioskError
from ui.worker import Cancelled, Progress, StoreWorker, describe


@pytest.fixture
def worker(db_path, store):
    w = StoreWorker("test-store", db_path)
    yield w
    w.shutdown()


def test_progress_reaches_the_gui_thread_throttled_and_always_the_last(qtbot, worker):
    seen, done = [], []

    def op(store, progress):
        for i in range(1, 2001):
            progress.report(i, 2000)
        return "ok"
    worker.run_long(op, success=done.append,
                    progress=lambda d, total: seen.append((d, total, threading.current_thread().name)))
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][0] == 2000, timeout=2000)
    assert done == ["ok"]
    assert len(seen) < 200                                  # not one signal per row
    assert {name for *_, name in seen} == {threading.main_thread().name}
    assert [d for d, *_ in seen] == sorted(d for d, *_ in seen)


def test_a_cancelled_operation_stops_at_its_next_report_and_says_so(qtbot, worker):
    started, failed, succeeded = threading.Event(), [], []

    def op(store, progress):
        started.set()
        for i in range(10_000):
            time.sleep(0.001)
            progress(i, 10_000)                             # the handle is a progress(done, total) callable
        return "finished"
    handle = worker.run_long(op, success=succeeded.append, failure=failed.append)
    assert started.wait(5)
    handle.cancel()
    qtbot.waitUntil(lambda: bool(failed), timeout=5000)
    assert not succeeded and isinstance(failed[0], Cancelled) and isinstance(failed[0], KioskError)
    assert describe(failed[0]) == "Dibatalkan."
    assert handle.cancelled()
    # The worker carries on with the next operation.
    after = []
    worker.run(lambda store: 1, success=after.append)
    qtbot.waitUntil(lambda: after == [1], timeout=3000)


def test_an_operation_cancelled_before_it_starts_never_runs(qtbot, worker):
    gate, ran, failed = threading.Event(), [], []
    worker.run(lambda store: gate.wait(5))
    handle = worker.run_long(lambda store, progress: ran.append(1), failure=failed.append)
    handle.cancel()
    gate.set()
    qtbot.waitUntil(lambda: bool(failed), timeout=5000)
    assert ran == [] and isinstance(failed[0], Cancelled)


def test_a_cancelled_document_leaves_no_file(qtbot, tmp_path):
    from desk_data import build_hall
    db = tmp_path / "hall.db"
    build_hall(db, staff=30, present=30, pin=None).close()
    w = StoreWorker("doc-store", db)
    try:
        out = tmp_path / "hadir.pdf"
        failed = []

        def op(store, progress):
            progress.cancel()                              # as if the button were pressed while it works
            return exports.daftar_hadir(store, store.active_event(), out, progress=progress)
        w.run_long(op, failure=failed.append)
        qtbot.waitUntil(lambda: bool(failed), timeout=20000)
        assert isinstance(failed[0], Cancelled)
        assert not out.exists() and not list(tmp_path.glob("*.pdf*"))
    finally:
        w.shutdown()


def test_progress_without_a_gui_callback_only_counts():
    posted = []
    p = Progress(lambda fn, *a: posted.append(a))
    p.report(3, 10)
    assert (p.done, p.total) == (3, 10) and posted == []
    p.cancel()
    with pytest.raises(Cancelled):
        p.check()
