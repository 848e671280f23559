"""The first-run setup window (``ikrar setup``; shown by ``ikrar kiosk`` and ``ikrar desk`` when the
database has no admin PIN or no event yet).  The work itself is :mod:`kiosk.firstrun`."""
