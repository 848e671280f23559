"""The desk: the organiser's and the clerk's window (``ikrar desk``), behind the admin PIN.

One file per page or job: :mod:`.app` starts it, :mod:`.pin_dialog` opens it, :mod:`.window` holds the
pages (:mod:`.events_page`, :mod:`.people_page` with :mod:`.import_dialog` and :mod:`.person_dialog`,
:mod:`.badges_page`, :mod:`.attendance_page` with :mod:`.attendance_model`, :mod:`.stats_page` with
:mod:`.charts`, :mod:`.exports_page`, :mod:`.exchange_page` with :mod:`.sync_panel`), all on one
worker thread (:mod:`.service`).  Every change goes through the same core functions the ``ikrar``
commands call.  Words: :mod:`.texts` and :mod:`.texts_more`.
"""
from ui.desk import texts, texts_more  # noqa: F401  (register the desk's words)
