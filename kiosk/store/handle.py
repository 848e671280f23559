"""The one handle on a kiosk database: :class:`Store`, every table's operations in one class."""
from __future__ import annotations

from kiosk.store.absences import AbsencesMixin
from kiosk.store.checkins import CheckinsMixin
from kiosk.store.events import EventsMixin


class Store(EventsMixin, AbsencesMixin, CheckinsMixin):
    """An open kiosk database.  Use as a context manager, or call :meth:`close`."""
