"""Bulk work that piles up many small objects: a roster of 100,000 rows read, or stored.

Python's cycle collector runs whenever enough new objects pile up, and a full collection walks every
object of the process (in the kiosk, a whole Qt application): 100,000 rows trigger several.  The rows
hold no cycles, so collection waits until the job is done; any cycle made meanwhile is collected then.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cycle collection inside (nested use is fine); as it was after."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
