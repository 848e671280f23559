"""Moving data between kiosks and to the centre: the export file and everything done with it.

* :mod:`.format` — the file's tables and per-row hashes (built from :mod:`kiosk.store.schema`);
  :mod:`.hashing` — canonical JSON and digests; :mod:`.manifest` — the signed manifests;
* :mod:`.sealing` — passphrases and encryption; :mod:`.files` — opening and atomic writing;
* :mod:`.export` — a kiosk's export; :mod:`.verify` and :mod:`.report` — checking one;
* :mod:`.merge` — several kiosks' exports into one file; :mod:`.clone` — a database for the next
  laptop; :mod:`.sync` and :mod:`.central` — the central PostgreSQL database.

Imports no Qt.
"""
