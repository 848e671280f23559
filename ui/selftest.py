"""The screens' part of ``ikrar --self-test`` (the core's is :mod:`kiosk.selftest`).

Everything is drawn offscreen (Qt's ``offscreen`` platform when no application runs yet), so the
self-test works on a server, in CI and on a locked hall laptop alike: the pledge unit as the
projector shows it, the Qt plugins a hall laptop needs (the platform of this system, JPEG logos,
the camera and sound backend), and every screen module importable (a bundle that left one out
fails here, not in front of the queue).
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path

from kiosk.selftest import Check, Context, check_failed
from ui.messages import register, t

register({
    "selftest.name.pledge_unit": {"id": "unit ikrar", "en": "pledge unit"},
    "selftest.name.qt_plugins": {"id": "plugin Qt", "en": "Qt plugins"},
    "selftest.name.screens": {"id": "layar", "en": "screens"},
    "selftest.name.qt_text": {"id": "teks Qt", "en": "Qt text"},
    "selftest.qt_text": {
        "id": "Qt mengurutkan nama dan menulis tanggal Indonesia (ICU): {date}; {zone}",
        "en": "Qt sorts names and writes Indonesian dates (ICU): {date}; {zone}"},
    "selftest.pledge_unit": {
        "id": "Unit ikrar digambar di luar layar seperti di proyektor ({width}×{height}, {colours} warna)",
        "en": "Pledge unit drawn offscreen as on the projector ({width}×{height}, {colours} colours)"},
    "selftest.qt_plugins": {
        "id": "Plugin Qt ada: layar {platforms}; gambar {images}; kamera dan suara {media}",
        "en": "Qt plugins present: display {platforms}; images {images}; camera and sound {media}"},
    "selftest.screens": {"id": "{count} modul layar dapat dimuat (kiosk, proyektor, konsol{more})",
                         "en": "{count} screen modules load (kiosk, projector, console{more})"},
})

_PLATFORM = {"win32": "windows", "darwin": "cocoa"}


def _app() -> object:
    """The running QApplication, or a new one on the offscreen platform."""
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance()
    if app is None:
        from ui.logs import qt_messages_to_log
        qt_messages_to_log(chain=False)                 # Qt's notes (no PipeWire here …) are not results
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QApplication(sys.argv[:1])
        _keep.append(app)
    return app


_keep: list[object] = []


def check_pledge_unit(ctx: Context) -> str:
    from kiosk.ceremony import pledge
    from ui.display.projector import render_unit_image
    _app()
    rendered = pledge.render(pledge.load_template(pledge.DEFAULT_TEMPLATE), {"instansi": "Pemerintah Kabupaten Uji"})
    width, height = 1920, 1080
    image, _ = render_unit_image(rendered, 1, (width, height), "dark", agency="Pemerintah Kabupaten Uji")
    out = ctx.folder / "unit.png"
    if not image.save(str(out), "PNG") or out.stat().st_size < 1000:
        raise check_failed("the unit could not be saved as PNG")
    small = image.scaled(192, 108)
    colours = {small.pixel(x, y) for x in range(small.width()) for y in range(small.height())}
    if len(colours) < 3:
        raise check_failed("the unit is blank")
    return t("selftest.pledge_unit", width=width, height=height, colours=len(colours))


def _plugins(folder: Path, kind: str) -> list[str]:
    """Plugin names of one kind (``qxcb``, ``qjpeg`` …) in Qt's plugin folder."""
    names = []
    for f in sorted((folder / kind).glob("*")):
        if f.suffix in (".so", ".dll", ".dylib"):
            names.append(f.stem.removeprefix("lib"))
    return names


def _media_backend_loads() -> bool:
    """Whether Qt Multimedia found a backend it could load (the camera needs one; a plugin whose libraries
    are missing is skipped with only a warning): a media player is then available and decodes MP4."""
    _app()
    from PySide6.QtMultimedia import QMediaFormat, QMediaPlayer
    player = QMediaPlayer()
    decodes = QMediaFormat().supportedFileFormats(QMediaFormat.ConversionMode.Decode)
    return player.isAvailable() and QMediaFormat.FileFormat.MPEG4 in decodes


def check_qt_plugins(ctx: Context) -> str:
    from PySide6.QtCore import QLibraryInfo
    from PySide6.QtGui import QImageReader
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    platforms = _plugins(folder, "platforms")
    wanted = ["q" + _PLATFORM.get(sys.platform, "xcb"), "qoffscreen"]
    missing = [p for p in wanted if p not in platforms]
    images = sorted(bytes(f.data()).decode() for f in QImageReader.supportedImageFormats())
    missing += [f"image:{f}" for f in ("png", "jpg", "jpeg") if f not in images]
    media = _plugins(folder, "multimedia")
    if not media:
        missing.append("multimedia")
    elif not _media_backend_loads():
        missing.append("a multimedia backend that loads (" + ", ".join(media) + " is there but does not load: "
                       "a library it links is missing)")
    if missing:
        raise check_failed("missing " + ", ".join(missing) + f" in {folder}")
    return t("selftest.qt_plugins", platforms=", ".join(wanted), images="PNG, JPEG", media=", ".join(media))


def _module(*parts: str) -> str:
    return ".".join(("ui", *parts))


def check_qt_text(ctx: Context) -> str:
    """What Qt takes from ICU's data (cut to Indonesian and English in the Linux bundle): the desk's sorting
    of names, dates and time-zone names in Indonesian."""
    from PySide6.QtCore import QCollator, QDate, QLocale, QTimeZone
    _app()
    indonesian = QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)
    collator = QCollator(indonesian)
    names = ["citra", "Budi", "Ägus", "agus", "Zulkifli", "Dewi"]
    ordered = sorted(names, key=collator.sortKey)
    if [n.casefold() for n in ordered] != ["agus", "ägus", "budi", "citra", "dewi", "zulkifli"] and \
            [n.casefold() for n in ordered] != ["ägus", "agus", "budi", "citra", "dewi", "zulkifli"]:
        raise check_failed("names sorted as " + ", ".join(ordered))
    date = indonesian.toString(QDate(2024, 11, 4), "dddd, d MMMM yyyy")
    if date != "Senin, 4 November 2024":
        raise check_failed(f"the date reads {date!r}")
    zone = QTimeZone(b"Asia/Jakarta").displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName,
                                                  indonesian)
    if not zone:
        raise check_failed("no name for Asia/Jakarta")
    return t("selftest.qt_text", date=date, zone=zone)


def check_screens(ctx: Context) -> str:
    _app()
    import ui
    skip = (_module("__main__"), _module("entry_"))
    names = {m.name for m in pkgutil.walk_packages(ui.__path__, "ui" + ".") if not m.name.startswith(skip)}
    names |= {_module("kiosk", "window"), _module("display", "projector"), _module("display", "console")}
    for name in sorted(names):
        importlib.import_module(name)
    more = "".join(f", {label}" for label in ("desk", "setup") if _module(label) in sys.modules)
    return t("selftest.screens", count=len(names), more=more)


CHECKS: tuple[Check, ...] = (
    ("pledge_unit", check_pledge_unit), ("qt_plugins", check_qt_plugins), ("qt_text", check_qt_text),
    ("screens", check_screens),
)
