"""Render every page of the desk offscreen into docs/ at 1366×768 (the main ones at 1920×1080 too).

    .venv/bin/python docs/desk_screenshots.py

The real path: a hall's morning in a kiosk database (``tests/desk_data.py``: the event and its
settings, PNS, PPPK and non-ASN staff, guests, check-ins with pad signatures, absences), a SIMPEG
workbook whose unit column the reader does not know (fixed by hand in the import preview), an export
of this laptop and an altered copy of it for the Gabung & kirim page.  The people are made up.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

DOCS = ROOT / "docs"
LARGE = ("events", "import", "attendance", "stats")


def pause(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def until(test, ms: int = 20000) -> None:
    waited = 0
    while not test() and waited < ms:
        pause(50)
        waited += 50
    if not test():
        raise SystemExit("the desk did not answer in time")


def settle(service) -> None:
    """Every operation asked of the desk's worker so far has answered (twice: answers ask again)."""
    for _ in range(2):
        done: list = []
        service.run(lambda store: None, success=done.append)
        until(lambda done=done: bool(done))
        pause(50)


def save(widget, name: str, size: tuple[int, int]) -> None:
    pause(150)
    out = DOCS / f"desk-{name}-{size[0]}x{size[1]}.png"
    widget.grab().save(str(out))
    print(f"wrote {out.relative_to(ROOT)}")


def shots(window, service, size: tuple[int, int], answers: dict, roster_file: Path, work: Path) -> None:
    window.resize(*size)
    window.show()
    pages = window.pages

    def shot(name: str) -> None:
        if size == (1366, 768) or name in LARGE:
            save(window, name, size)

    window.show_page("events")
    until(lambda: pages["events"].data is not None)
    shot("events")

    window.show_page("people")
    pages["people"].query.setText("Sri")
    pages["people"].search()
    settle(service)
    shot("people")

    answers["open_file"].append(roster_file)
    pages["people"].start_import(non_asn=False)
    dialog = pages["people"].import_dialog
    until(lambda: dialog.reads >= 1)
    dialog.resize(*[min(a, b) for a, b in zip((1280, 740) if size[0] < 1500 else (1500, 900), size)])
    combo = dialog.combos["unit"]
    combo.setCurrentIndex(combo.findData(3))
    until(lambda: dialog.reads >= 2 and not dialog._reading)
    dialog.mode_valid.setChecked(True)
    save(dialog, "import", size)
    if size == (1366, 768):
        dialog.tabs.setCurrentIndex(1)
        save(dialog, "import-problems", size)
        dialog.tabs.setCurrentIndex(3)
        save(dialog, "import-file", size)
    dialog.reject()

    window.show_page("badges")
    badges = pages["badges"]
    badges.query.setText("Utami")
    badges.search()
    until(lambda: bool(badges.found))
    badges.add_selected()
    settle(service)
    shot("badges")

    window.show_page("attendance")
    attendance = pages["attendance"]
    until(lambda: attendance.loads >= 1)
    row = next(r for r in attendance.model.shown if r.present and r.signed and "," in r.person.name)
    attendance.select(row.person.nip)
    until(lambda: attendance.signature.pixmap() is not None and not attendance.signature.pixmap().isNull())
    shot("attendance")
    absent = next(r for r in attendance.model.shown if r.absence is not None)
    attendance.select(absent.person.nip)
    if size == (1366, 768):
        save(window, "attendance-absent", size)

    window.show_page("stats")
    until(lambda: pages["stats"].draws >= 1)
    shot("stats")

    window.show_page("exports")
    exports = pages["exports"]
    answers["save_file"].append(work / f"daftar-hadir-{size[0]}.pdf")
    exports.make("daftar-hadir")
    until(lambda: exports.task.label.kind == "ok", 90000)
    shot("exports")

    window.show_page("exchange")
    exchange = pages["exchange"]
    if not exchange.inputs:
        exchange.add_files()
    until(lambda: exchange.checks >= 2)
    exchange.table.selectRow(1)
    until(lambda: exchange.sync.status is not None)
    settle(service)
    shot("exchange")


def main() -> None:
    app = QApplication([])
    work = Path(tempfile.mkdtemp(prefix="ikrar-desk-"))
    os.environ["IKRAR_KEY_DIR"] = str(work / "keys")
    from desk_data import build_hall, roster_people, write_roster_xlsx

    import ui.desk  # noqa: F401
    from kiosk.exchange.export import export_sqlite
    from ui.desk import ask
    from ui.desk.pin_dialog import PinDialog
    from ui.desk.service import DeskContext, DeskService
    from ui.desk.window import DeskWindow

    db = work / "kiosk.db"
    with build_hall(db, logo_dir=work) as store:
        export_sqlite(store, store.active_event(), work / "ekspor-laptop-1.db")
    shutil.copy(work / "ekspor-laptop-1.db", work / "ekspor-laptop-2.db")
    with sqlite3.connect(work / "ekspor-laptop-2.db") as conn:
        nip = conn.execute("SELECT nip FROM checkins ORDER BY seq LIMIT 1 OFFSET 3").fetchone()[0]
        conn.execute("UPDATE people SET name = 'Nama Diganti' WHERE nip = ?", (nip,))
    people = roster_people(40)
    roster_file = write_roster_xlsx(work / "nominatif-bkpsdm.xlsx", people, unit_header="Bagian",
                                    bad={7: "1.98501E+17", 19: people[3].nip})
    answers: dict[str, list] = {"open_file": [], "open_files": [[work / "ekspor-laptop-1.db",
                                                                           work / "ekspor-laptop-2.db"]],
                                "save_file": []}
    ask.open_file = lambda *a, **k: answers["open_file"].pop(0)
    ask.open_files = lambda *a, **k: answers["open_files"].pop(0)
    ask.save_file = lambda *a, **k: answers["save_file"].pop(0)

    service = DeskService(db)
    got: list = []
    service.opened.connect(got.append)
    service.open()
    until(lambda: bool(got))
    context = DeskContext(service, got[0])

    pin = PinDialog(service, has_pin=True)
    pin.show()
    save(pin, "pin", (1366, 768))
    pin.close()

    window = DeskWindow(context)
    for size in ((1366, 768), (1920, 1080)):
        shots(window, service, size, answers, roster_file, work)
    window.close()
    service.shutdown()
    app.quit()


if __name__ == "__main__":
    main()
