"""Guards against a Qt binding that corrupts reference counts.

PySide6 6.12.0 returns None for a null C++ pointer without taking a reference,
so every ``QApplication.focusWidget()`` that finds no focus drops one reference
to None; a kiosk calls it on every key press and crashed with "Fatal Python
error: none_dealloc" after a few thousand scans.  pyproject.toml keeps PySide6
below 6.12; this test fails if an upgrade brings the bug back.
"""
import sys

from PySide6.QtWidgets import QApplication, QWidget


def test_null_returns_keep_none_alive(qapp):
    orphan = QWidget()
    before = sys.getrefcount(None)
    for _ in range(500):
        QApplication.focusWidget()
        QApplication.activeModalWidget()
        orphan.parent()
    assert sys.getrefcount(None) - before > -100, "this PySide6 release leaks references to None; pin another"
