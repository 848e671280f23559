"""``ikrar --self-test``: does this installation work?  From source, from a wheel and from the bundle.

Everything happens in a temporary folder that is removed afterwards (the device key included: it goes
to a key folder in there, never to the user's credential store): a new database is opened, a demo
person checks in with a signature, their badge is drawn and its QR code read back, a *daftar hadir*
page is drawn, the event is exported and the export verified.  The screens add their own checks
(the pledge drawn offscreen, the Qt plugins a hall laptop needs) through ``extra``; the core imports
no Qt.

Each check is a function of the shared :class:`Context` returning the line that says what it
checked; raising means it failed (the traceback goes to the log, masked).  A check that needs an
earlier one's work (the badge needs the check-in) says so instead of failing for a second reason.
"""
from __future__ import annotations

import math
import os
import sqlite3
import tempfile
import time
import wave
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.i18n import KioskError, register, t

if TYPE_CHECKING:
    from kiosk.ceremony.signature import Signature
    from kiosk.store import Event, Store

register({
    "selftest.fail": {"id": "[GAGAL] {name}: {reason}", "en": "[FAILED] {name}: {reason}"},
    "selftest.skipped": {"id": "tidak diperiksa karena pemeriksaan {needs} gagal",
                         "en": "not checked because the {needs} check failed"},
    "selftest.passed": {"id": "Uji mandiri berhasil: {count} pemeriksaan lolos dalam {seconds} detik.",
                        "en": "Self-test passed: {count} checks passed in {seconds} s."},
    "selftest.failed": {
        "id": "Uji mandiri GAGAL: {failed} dari {count} pemeriksaan gagal. Pasang ulang aplikasi dari berkas "
              "unduhannya; bila tetap gagal, kirim pesan ini dan berkas log ({log}) ke petugas TI.",
        "en": "Self-test FAILED: {failed} of {count} checks failed. Reinstall the application from its download; "
              "if it still fails, send this message and the log file ({log}) to your IT officer."},
    "selftest.name.resources": {"id": "sumber daya", "en": "resources"},
    "selftest.name.database": {"id": "basis data", "en": "database"},
    "selftest.name.checkin": {"id": "check-in", "en": "check-in"},
    "selftest.name.badge": {"id": "kartu peserta", "en": "badge"},
    "selftest.name.daftar_hadir": {"id": "daftar hadir", "en": "attendance list"},
    "selftest.name.export": {"id": "ekspor", "en": "export"},
    "selftest.name.log": {"id": "log", "en": "log"},
    "selftest.resources": {
        "id": "Sumber daya lengkap: {pledges} templat ikrar, {fonts} huruf, {sounds} suara ({folder})",
        "en": "Resources complete: {pledges} pledge templates, {fonts} fonts, {sounds} sounds ({folder})"},
    "selftest.database": {
        "id": "Basis data dibuat di folder sementara: skema {schema}, WAL, synchronous=FULL, integritas baik",
        "en": "Database made in a temporary folder: schema {schema}, WAL, synchronous=FULL, integrity ok"},
    "selftest.checkin": {
        "id": "Check-in dengan tanda tangan tercatat ({samples} titik, gambar {png} bita, SHA-256 cocok); "
              "pindai ulang ditolak sebagai ganda",
        "en": "Check-in with a signature recorded ({samples} samples, image {png} bytes, SHA-256 matches); "
              "a second scan refused as a duplicate"},
    "selftest.badge": {
        "id": "Kartu peserta digambar ({width}×{height} px) dan QR-nya terbaca kembali: NIP cocok",
        "en": "Badge drawn ({width}×{height} px) and its QR code read back: the NIP matches"},
    "selftest.daftar_hadir": {
        "id": "Daftar hadir digambar: {pages} halaman PDF, {size} bita, {rows} baris bertanda tangan",
        "en": "Attendance list drawn: {pages} PDF page(s), {size} bytes, {rows} signed row(s)"},
    "selftest.export": {
        "id": "Ekspor ditulis dan diverifikasi: {checkins} check-in, rantai hash dan tanda tangan perangkat cocok",
        "en": "Export written and verified: {checkins} check-in(s), hash chain and device signature match"},
    "selftest.log": {
        "id": "Folder log dapat ditulis, hanya untuk pemiliknya: {folder}",
        "en": "The log folder can be written, for its owner alone: {folder}"},
    "selftest.bad_result": {"id": "hasil tidak sesuai: {detail}", "en": "unexpected result: {detail}"},
})

#: What a passed check's line starts with (the same in both languages).
OK_MARK = "[OK] "
#: The badge of the person who checks in (a valid PNS NIP; the demo roster's people around it).
NIP = "199001012015031004"


@dataclass
class Context:
    """What the checks share: the temporary folder, the open database, the event, what earlier checks made."""
    folder: Path
    store: Store | None = None                # once the database check ran
    event: Event | None = None
    passed: set[str] = field(default_factory=set)

    @property
    def db(self) -> Store:
        assert self.store is not None, "the database check runs first"
        return self.store

    @property
    def ev(self) -> Event:
        assert self.event is not None, "the database check runs first"
        return self.event

    def need(self, *names: str) -> None:
        for name in names:
            if name not in self.passed:
                raise _Skipped(name)


Check = tuple[str, Callable[[Context], str]]


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    ok: bool
    line: str
    seconds: float
    error: str = ""

    def to_json(self) -> dict[str, object]:
        return {"check": self.name, "ok": self.ok, "message": self.line, "seconds": round(self.seconds, 3),
                "error": self.error or None}


class _Skipped(Exception):
    def __init__(self, needs: str) -> None:
        super().__init__(needs)
        self.needs = needs


def check_failed(detail: str) -> KioskError:
    """The refusal a check raises when what it made is not what it should be."""
    return KioskError("selftest.bad_result", detail=detail)


# --- the checks ----------------------------------------------------------------------------------

def check_resources(ctx: Context) -> str:
    from kiosk.ceremony import pledge
    from kiosk.resources import resource_path, resources_dir
    keys = pledge.template_keys()
    for key in keys:
        pledge.render(pledge.load_template(key), {"instansi": "Uji"})
    fonts = sorted(resource_path("fonts").glob("*.ttf"))
    sounds = sorted(resource_path("sounds").glob("*.wav"))
    for sound in sounds:
        with wave.open(str(sound), "rb") as w:
            if w.getnframes() <= 0:
                raise check_failed(f"{sound.name} has no frames")
    if len(keys) < 2 or len(fonts) < 2 or len(sounds) < 4:
        raise check_failed(f"{len(keys)} pledges, {len(fonts)} fonts, {len(sounds)} sounds")
    return t("selftest.resources", pledges=len(keys), fonts=len(fonts), sounds=len(sounds), folder=resources_dir())


def check_database(ctx: Context) -> str:
    from kiosk.ceremony import pledge
    from kiosk.store import SCHEMA_VERSION, Store
    store = Store(ctx.folder / "uji-mandiri.db")
    ctx.store = store
    conn = store.conn
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    sync = conn.execute("PRAGMA synchronous").fetchone()[0]
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if (mode, sync, integrity) != ("wal", 2, "ok"):
        raise check_failed(f"journal_mode={mode} synchronous={sync} integrity={integrity}")
    rendered = pledge.render(pledge.load_template(pledge.DEFAULT_TEMPLATE), {"instansi": "Pemerintah Kabupaten Uji"})
    ctx.event = store.create_event("Uji mandiri Ikrar Kiosk", "2024-11-04", "Ruang Pola", pledge=rendered)
    from kiosk.demo import DemoPerson
    store.upsert_people([DemoPerson(NIP, "Uji Mandiri, S.Kom.", "Uji Mandiri", "", "S.Kom.", "Pranata Komputer",
                                    "Dinas Komunikasi dan Informatika")])
    return t("selftest.database", schema=SCHEMA_VERSION)


def signature_sample(width: int = 600, height: int = 240) -> Signature:
    """A plausible two-stroke signature (the pad's own sample shape: x, y, t ms, pressure)."""
    from kiosk.ceremony.signature import Sample, Signature
    strokes = []
    t_ms = 0.0
    for k, (x0, x1) in enumerate(((60.0, 330.0), (350.0, 540.0))):
        stroke = []
        for i in range(60):
            u = i / 59
            x = x0 + (x1 - x0) * u
            y = height / 2 + math.sin(u * math.pi * (3 + k)) * height * 0.28
            stroke.append(Sample(round(x, 2), round(y, 2), t_ms, round(0.4 + 0.3 * math.sin(u * math.pi), 3)))
            t_ms += 8.0
        strokes.append(tuple(stroke))
        t_ms += 150.0
    return Signature(width, height, tuple(strokes), pressure_real=True)


def check_checkin(ctx: Context) -> str:
    ctx.need("database")
    from kiosk.attendance.checkin import Desk, Status
    store, event = ctx.db, ctx.ev
    sig = signature_sample()
    desk = Desk(store, event)
    result = desk.check_in(NIP, method="manual", signature=sig)
    if result.status != Status.RECORDED or result.checkin_uuid is None:
        raise check_failed(f"status {result.status}")
    again = desk.check_in(NIP, method="manual")
    if again.status != Status.DUPLICATE:
        raise check_failed(f"second scan: {again.status}")
    stored = store.signature(event.id, NIP)
    if stored is None or stored.sha256() != sig.sha256():
        raise check_failed("the stored signature differs from the drawn one")
    png = store.signature_png(result.checkin_uuid)
    if not png or not png.startswith(b"\x89PNG"):
        raise check_failed("no signature image")
    return t("selftest.checkin", samples=stored.sample_count, png=len(png))


def check_badge(ctx: Context) -> str:
    ctx.need("checkin")
    from PIL import Image

    from kiosk.camera.decode import FrameDecoder
    from kiosk.documents import exports
    from kiosk.people.payload import extract_badge
    out = ctx.folder / "kartu.png"
    exports.badges(ctx.db, ctx.ev, out, keys=[NIP], png=True)
    with Image.open(out) as img:
        img.load()
        size = img.size
        found = FrameDecoder(guide=(0.0, 0.0, 1.0, 1.0), budget_ms=2000).decode(img.convert("RGB"))
    if found is None:
        raise check_failed("the badge's QR code could not be read back")
    if extract_badge(found.text).value != NIP:
        raise check_failed("the QR code holds another badge")
    return t("selftest.badge", width=size[0], height=size[1])


def check_daftar_hadir(ctx: Context) -> str:
    ctx.need("checkin")
    from kiosk.documents import exports
    out = ctx.folder / "daftar-hadir.pdf"
    written = exports.daftar_hadir(ctx.db, ctx.ev, out)
    data = out.read_bytes()
    pages = data.count(b"/Type /Page\n") + data.count(b"/Type /Page>") + data.count(b"/Type /Page/")
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:] or pages < 1:
        raise check_failed(f"not a complete PDF ({len(data)} bytes)")
    if written.count != 1:
        raise check_failed(f"{written.count} rows")
    return t("selftest.daftar_hadir", pages=pages, size=len(data), rows=written.count)


def check_export(ctx: Context) -> str:
    ctx.need("checkin")
    from kiosk.exchange.export import export_sqlite
    from kiosk.exchange.verify import verify
    out = ctx.folder / "ekspor.db"
    facts = export_sqlite(ctx.db, ctx.ev, out)
    report = verify(out, trust=ctx.db)
    if not report.ok:
        raise check_failed(report.problems[0].message)
    conn = sqlite3.connect(f"{out.resolve().as_uri()}?mode=ro", uri=True)
    try:
        found = conn.execute("SELECT count(*) FROM checkins").fetchone()[0]
    finally:
        conn.close()
    if found != facts["checkins"] or found != 1:
        raise check_failed(f"{found} check-ins in the file")
    return t("selftest.export", checkins=found)


def check_log(ctx: Context) -> str:
    from kiosk import logs
    from kiosk.security.files import readable_by_others
    handler = logs.file_handler()
    if handler is None:
        raise check_failed(f"{logs.log_dir()} cannot be written")
    handler.close()
    if readable_by_others(logs.log_dir()) or readable_by_others(logs.log_path()):
        raise check_failed(f"{logs.log_dir()} is readable by other users")
    return t("selftest.log", folder=logs.log_dir())


CORE_CHECKS: tuple[Check, ...] = (
    ("resources", check_resources), ("database", check_database), ("checkin", check_checkin),
    ("badge", check_badge), ("daftar_hadir", check_daftar_hadir), ("export", check_export), ("log", check_log),
)


# --- running them --------------------------------------------------------------------------------

@contextmanager
def _own_key_folder(folder: Path) -> Iterator[None]:
    """Device keys of the test database go to ``folder``, never to the user's credential store."""
    old = os.environ.get("IKRAR_KEY_DIR")
    os.environ["IKRAR_KEY_DIR"] = str(folder)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("IKRAR_KEY_DIR", None)
        else:
            os.environ["IKRAR_KEY_DIR"] = old


def check_name(name: str) -> str:
    label = t(f"selftest.name.{name}")
    return name if label == f"selftest.name.{name}" else label


def run(checks: Sequence[Check] = CORE_CHECKS,
        report: Callable[[CheckResult], None] | None = None) -> list[CheckResult]:
    """Run ``checks`` in order in a fresh temporary folder; ``report`` sees each result as it comes."""
    from kiosk import logs
    results: list[CheckResult] = []
    with tempfile.TemporaryDirectory(prefix="ikrar-selftest-") as tmp:
        ctx = Context(Path(tmp))
        with _own_key_folder(ctx.folder / "keys"):
            try:
                for name, fn in checks:
                    started = time.perf_counter()
                    try:
                        line = OK_MARK + fn(ctx)
                        result = CheckResult(name, True, line, time.perf_counter() - started)
                        ctx.passed.add(name)
                    except _Skipped as skipped:
                        reason = t("selftest.skipped", needs=check_name(skipped.needs))
                        result = CheckResult(name, False, t("selftest.fail", name=check_name(name), reason=reason),
                                             time.perf_counter() - started, "skipped")
                    except Exception as exc:  # noqa: BLE001 - a failed check is reported, never raised
                        logs.log_exception(f"selftest.{name}", exc)
                        reason = str(exc) if isinstance(exc, KioskError) else f"{type(exc).__name__}: {exc}"
                        result = CheckResult(name, False, t("selftest.fail", name=check_name(name),
                                                            reason=logs.mask(reason)),
                                             time.perf_counter() - started, type(exc).__name__)
                    results.append(result)
                    if report is not None:
                        report(result)
            finally:
                if ctx.store is not None:
                    ctx.store.close()
    return results


def summary(results: Sequence[CheckResult], seconds: float) -> str:
    from kiosk import i18n, logs
    failed = sum(1 for r in results if not r.ok)
    if failed:
        return t("selftest.failed", failed=failed, count=len(results), log=logs.log_path())
    shown = f"{seconds:.1f}"
    if i18n.language() == "id":
        shown = shown.replace(".", ",")
    return t("selftest.passed", count=len(results), seconds=shown)
