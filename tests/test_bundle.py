"""The PyInstaller bundle (build.spec) builds, finds its resources, passes its self-test and starts.

pretix gave up on a Python desktop scanner because standalone bundles were "really hard"; this
proves ours on every CI run: one folder with three executables (``ikrar`` for the console,
``ikrar-kiosk`` and ``ikrar-desk`` windowed), only the parts the app uses, the command line working
from the frozen folder (pledge templates from sys._MEIPASS), ``ikrar --self-test`` passing in it,
and the kiosk reaching its idle screen on Xvfb, or the first-run setup on a fresh database.

``IKRAR_BUNDLE=…/dist/ikrar`` tests a folder built already (``bash .ci/bundle``) instead of building one.
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow
EXE = ".exe" if os.name == "nt" else ""

if not os.environ.get("IKRAR_BUNDLE") and shutil.which("pyinstaller") is None \
        and not (Path(sys.executable).parent / "pyinstaller").exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must have PyInstaller (bash .ci/setup test installs it)")
    pytest.skip("needs PyInstaller", allow_module_level=True)


def build(out: Path) -> Path:
    """``pyinstaller build.spec`` into ``out``; the bundle's folder."""
    pyinstaller = shutil.which("pyinstaller") or str(Path(sys.executable).parent / "pyinstaller")
    subprocess.run([pyinstaller, "--noconfirm", "--distpath", str(out / "dist"), "--workpath", str(out / "build"),
                    str(ROOT / "build.spec")], cwd=ROOT, check=True, capture_output=True, timeout=1500)
    return out / "dist" / "ikrar"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    given = os.environ.get("IKRAR_BUNDLE")
    return Path(given) if given else build(tmp_path_factory.mktemp("pyinstaller"))


@pytest.fixture(scope="module")
def bundle(folder) -> Path:
    exe = folder / f"ikrar{EXE}"
    assert exe.is_file()
    return exe


def run(exe: Path, *args: str, **kw) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "IKRAR_DB")}
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=180,
                          env={**env, "QT_QPA_PLATFORM": "offscreen", **kw.pop("env", {})}, **kw)


def test_one_folder_three_executables_and_only_what_is_used(folder):
    for name in ("ikrar", "ikrar-kiosk", "ikrar-desk"):
        assert (folder / f"{name}{EXE}").is_file(), name
    if os.name != "nt":        # no console window to hide: links to ikrar, not three copies of its 9 MB of modules
        assert all(os.readlink(folder / name) == "ikrar" for name in ("ikrar-kiosk", "ikrar-desk"))
    inside = folder / "_internal"
    names = {p.relative_to(inside).as_posix() for p in inside.rglob("*")}
    assert not [n for n in names if n.split("/")[0] in ("numpy", "numpy.libs", "cv2", "opencv_python_headless.libs")]
    assert not [n for n in names if "/Qt/translations/" in n]
    unused = ("Qt6Pdf", "Qt6WebEngine", "Qt63D", "Qt6VirtualKeyboard", "Qt6Designer", "Qt6QuickControls",
              "Qt6QuickDialogs", "Qt6Charts3D", "Qt6MultimediaWidgets", "QtQml.", "QtQuick.")
    assert not [n for n in names if any(u in n.split("/")[-1] for u in unused)]
    # Qt Quick's and QML's libraries (on Linux stand-ins) only because the FFmpeg multimedia plugin links them:
    # no QML module, plugin or Python binding of theirs.
    assert not [n for n in names if "/qml/" in n or n.endswith(("QtQml.abi3.so", "QtQuick.abi3.so"))]
    plugins = {n.split("/")[-2] for n in names if "/plugins/" in n and n.count("/") > 3}
    assert plugins <= {"platforms", "imageformats", "multimedia", "xcbglintegrations", "styles"}
    assert {"platforms", "imageformats", "multimedia"} <= plugins
    for resource in ("kiosk/resources/pledges/pemilu-2024.json", "kiosk/resources/sounds/recorded.wav",
                     "kiosk/resources/fonts/DejaVuSans.ttf", "kiosk/resources/icons/ikrar.ico"):
        assert resource in names, resource
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"bundle_size_mb: {size / 1e6:.1f}")
    if sys.platform.startswith("linux") and shutil.which("icupkg"):
        icu = next(inside.rglob("libicudata.so.*"))
        assert icu.stat().st_size < 8_000_000, "ICU's data was not cut to the app's languages"


def test_frozen_cli_finds_its_resources(bundle, tmp_path):
    db = tmp_path / "frozen.db"
    assert run(bundle, "--db", str(db), "demo").returncode == 0
    shown = run(bundle, "--db", str(db), "pledge", "show", "--json")
    assert shown.returncode == 0 and "Menolak politik uang" in shown.stdout
    assert run(bundle, "nip", "200012312024211001").returncode == 0


def test_frozen_self_test_passes(bundle, tmp_path):
    home = {"XDG_DATA_HOME": str(tmp_path), "LOCALAPPDATA": str(tmp_path)}
    out = run(bundle, "--self-test", env=home)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.strip().splitlines()
    assert sum(line.startswith("[OK] ") for line in lines) == 11 and lines[-1].startswith("Uji mandiri berhasil")
    assert str(Path(sys.executable).parent) not in out.stdout          # its resources are the bundle's own
    data = json.loads(run(bundle, "--lang", "en", "--self-test", "--json", env=home).stdout)
    assert data["ok"] and len(data["checks"]) == 11
    logs = json.loads(run(bundle, "logs", "--json", env=home).stdout)
    assert logs["file"].startswith(str(tmp_path))


def test_frozen_self_test_fails_loudly_when_a_part_is_missing(folder, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(folder, broken, symlinks=True)
    shutil.rmtree(broken / "_internal" / "kiosk" / "resources" / "sounds")
    home = {"XDG_DATA_HOME": str(tmp_path), "LOCALAPPDATA": str(tmp_path)}
    out = run(broken / f"ikrar{EXE}", "--self-test", env=home)
    assert out.returncode == 1 and "[GAGAL] sumber daya" in out.stdout and "Uji mandiri GAGAL" in out.stderr


def _x11():
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        pytest.skip("needs Xvfb and xdotool")
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    display = ":" + xvfb.stdout.readline().strip()
    return xvfb, {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}


def _wait_for(env, name: str, proc: subprocess.Popen, timeout: float = 60, label: str = "window") -> bool:
    start = time.monotonic()
    while time.monotonic() - start < timeout and proc.poll() is None:
        probe = subprocess.run(["xdotool", "search", "--name", name], env=env, capture_output=True, text=True)
        if probe.stdout.strip():
            print(f"frozen_start_to_{label}_s: {time.monotonic() - start:.2f}")
            return True
        time.sleep(0.1)
    return False


def _stop(*procs):
    for proc in procs:
        proc.terminate()
        try:
            proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


def test_frozen_windowed_kiosk_reaches_the_idle_screen(folder, bundle, tmp_path):
    db = tmp_path / "frozen.db"
    subprocess.run([str(bundle), "--db", str(db), "demo"], check=True, capture_output=True, timeout=120)
    subprocess.run([str(bundle), "--db", str(db), "admin", "pin"], input="246813\n", text=True, check=True,
                   capture_output=True, timeout=120)
    xvfb, env = _x11()
    kiosk = subprocess.Popen([str(folder / f"ikrar-kiosk{EXE}"), "--db", str(db), "--windowed"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert _wait_for(env, r"Ikrar Kiosk \[idle\]", kiosk, label="idle"), kiosk.communicate(timeout=5)[0] \
            if kiosk.poll() is not None else "no idle window"
    finally:
        _stop(kiosk, xvfb)
        xvfb.stdout.close()


def test_frozen_kiosk_reads_a_printed_badge_with_the_camera(folder, bundle, tmp_path):
    """The camera in the bundle: Qt's FFmpeg backend loads (its libraries whole; on Linux with build.spec's
    stand-ins for Qt Quick and QML) and a video of a badge as ``ikrar badges`` prints it checks that person in."""
    import camera_video as cvid

    from kiosk import demo
    person = next(iter(demo.people(5)))
    video = cvid.write_video(tmp_path / "badge.mp4", [cvid.Shot.empty(1, 1.0), cvid.Shot.card(
        cvid.RealBadge.of(person), 2, 3.0), cvid.Shot.empty(3, 30.0)], fps=15)
    db = tmp_path / "frozen.db"
    subprocess.run([str(bundle), "--db", str(db), "demo", "--people", "5"], check=True, capture_output=True,
                   timeout=120)
    subprocess.run([str(bundle), "--db", str(db), "admin", "pin"], input="246813\n", text=True, check=True,
                   capture_output=True, timeout=120)
    xvfb, env = _x11()
    kiosk = subprocess.Popen([str(folder / f"ikrar-kiosk{EXE}"), "--db", str(db), "--windowed", "--no-signature",
                              "--camera-file", str(video)], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    found: list = []
    try:
        assert _wait_for(env, r"Ikrar Kiosk \[idle\]", kiosk, label="idle"), "no idle window"
        deadline = time.monotonic() + 40
        while not found and time.monotonic() < deadline and kiosk.poll() is None:
            time.sleep(0.25)
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                found = conn.execute("SELECT nip, method FROM checkins").fetchall()
            finally:
                conn.close()
    finally:
        kiosk.terminate()
        try:
            out = kiosk.communicate(timeout=20)[0]
        except subprocess.TimeoutExpired:
            kiosk.kill()
            out = kiosk.communicate()[0]
        _stop(xvfb)
        xvfb.stdout.close()
    assert found == [(person.nip, "camera")], out
    assert "No QtMultimedia backends" not in out, out


def test_frozen_kiosk_on_a_fresh_database_opens_the_first_run_setup(folder, tmp_path):
    xvfb, env = _x11()
    env = {**env, "XDG_DATA_HOME": str(tmp_path / "home")}
    env.pop("IKRAR_DB", None)
    kiosk = subprocess.Popen([str(folder / f"ikrar-kiosk{EXE}"), "--windowed"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert _wait_for(env, "Ikrar Kiosk — Persiapan pertama", kiosk, label="setup"), "no setup window"
    finally:
        _stop(kiosk, xvfb)
        xvfb.stdout.close()
    assert not (tmp_path / "home" / "ikrar-kiosk" / "ikrar.db").exists()       # nothing made before Finish


def test_frozen_desk_executable(folder, tmp_path):
    from ui import commands
    if not hasattr(commands, "desk_main"):
        pytest.skip("the desk (ikrar desk) is not in this checkout yet; ikrar-desk runs it once it is")
    xvfb, env = _x11()
    db = tmp_path / "frozen.db"
    subprocess.run([str(folder / f"ikrar{EXE}"), "--db", str(db), "demo"], check=True, capture_output=True, timeout=120)
    desk = subprocess.Popen([str(folder / f"ikrar-desk{EXE}"), "--db", str(db)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert _wait_for(env, "Ikrar Kiosk", desk), desk.communicate(timeout=5)[0] if desk.poll() is not None \
            else "no desk window"
    finally:
        _stop(desk, xvfb)
        xvfb.stdout.close()


# --- what build.spec cut on Linux: Qt Quick/QML stand-ins, one OpenSSL --------------------------------------

LINUX_CUTS = sys.platform.startswith("linux") and all(shutil.which(t) for t in ("nm", "readelf", "gcc"))
PROBE = r"""
import ctypes, sys
lib = sys.argv[1]
core = ctypes.CDLL(lib + "/libQt6Core.so.6", ctypes.RTLD_GLOBAL)
gui = ctypes.CDLL(lib + "/libQt6Gui.so.6", ctypes.RTLD_GLOBAL)
quick = ctypes.CDLL(lib + "/libQt6Quick.so.6")
meta = ctypes.addressof(ctypes.c_char.in_dll(quick, "_ZN12QQuickWindow16staticMetaObjectE"))
window = ctypes.addressof(ctypes.c_char.in_dll(gui, "_ZN7QWindow16staticMetaObjectE"))
def method(name, restype, *argtypes):
    f = getattr(core, name)
    f.restype, f.argtypes = restype, [ctypes.c_void_p, *argtypes]
    return f
print(ctypes.string_at(method("_ZNK11QMetaObject9classNameEv", ctypes.c_void_p)(meta)).decode())
print(ctypes.c_void_p.from_address(meta).value == window)
print(method("_ZNK11QMetaObject8inheritsEPKS_", ctypes.c_bool, ctypes.c_void_p)(meta, window))
print(method("_ZNK11QMetaObject11methodCountEv", ctypes.c_int)(meta)
      == method("_ZNK11QMetaObject11methodCountEv", ctypes.c_int)(window))
sys.stdout.flush()
if sys.argv[2:] == ["grab"]:
    quick._ZN12QQuickWindow10grabWindowEv(None, None)
"""


def _dynamic(path: Path, *flags: str) -> set[str]:
    out = subprocess.run(["nm", "-D", *flags, str(path)], capture_output=True, text=True, check=True).stdout
    return {line.split()[-1].replace("@@", "@") for line in out.splitlines() if line.strip()}


@pytest.mark.skipif(not LINUX_CUTS, reason="Linux with gcc and binutils only (elsewhere the real Quick stays)")
def test_quick_and_qml_are_stand_ins_with_exactly_what_the_camera_plugin_imports(folder, tmp_path):
    qt = folder / "_internal" / "PySide6" / "Qt"
    lib, plugin = qt / "lib", qt / "plugins" / "multimedia" / "libffmpegmediaplugin.so"
    quick, qml = lib / "libQt6Quick.so.6", lib / "libQt6Qml.so.6"
    assert quick.stat().st_size < 100_000 and qml.stat().st_size < 100_000
    assert not [p.name for p in lib.iterdir() if p.name.startswith(("libQt6QmlModels", "libQt6QmlMeta",
                                                                     "libQt6QmlWorkerScript"))]
    exported = {s for s in _dynamic(quick, "--defined-only") if "@" in s and not s.startswith("Qt_6")}
    assert exported == {"_ZN12QQuickWindow10grabWindowEv@Qt_6", "_ZN12QQuickWindow16staticMetaObjectE@Qt_6"}
    assert exported <= _dynamic(plugin, "--undefined-only")          # nothing the plugin does not import
    assert _dynamic(qml, "--defined-only") == set()
    script = tmp_path / "probe.py"
    script.write_text(PROBE)
    probe = subprocess.run([sys.executable, str(script), str(lib)], capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0 and probe.stdout.split() == ["QQuickWindow", "True", "True", "True"], probe
    grab = subprocess.run([sys.executable, str(script), str(lib), "grab"], capture_output=True, text=True, timeout=60)
    assert grab.returncode == -6 and "QQuickWindow::grabWindow() was called" in grab.stderr, grab


@pytest.mark.skipif(not LINUX_CUTS, reason="Linux with binutils only")
def test_psycopg_uses_the_bundles_openssl(folder):
    libs = folder / "_internal" / "psycopg_binary.libs"
    for name in ("libcrypto", "libssl"):
        hashed = next(libs.glob(f"{name}-*.so.3"))
        assert hashed.is_symlink() and hashed.resolve() == (folder / "_internal" / f"{name}.so.3").resolve()
    assert not [p for p in folder.rglob("*") if p.is_symlink() and not p.exists()]     # no link left dangling


class TlsPostgres:
    """A throwaway PostgreSQL (tests/test_sync.py's) that takes TCP connections over TLS only."""

    def __init__(self, tmp_path: Path) -> None:
        from test_sync import LocalPostgres, require_postgres
        self.pg = LocalPostgres(require_postgres())
        if not shutil.which("openssl"):
            pytest.skip("needs the openssl command for a self-signed certificate")

    def start(self) -> str:
        pg = self.pg
        pg.start()
        pg._run(str(pg.bin / "pg_ctl"), "-D", str(pg.data), "-m", "fast", "-w", "stop")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                        "/CN=localhost", "-keyout", str(pg.data / "server.key"), "-out", str(pg.data / "server.crt")],
                       check=True, capture_output=True, timeout=60)
        (pg.data / "pg_hba.conf").write_text("local all all trust\nhostssl all all 127.0.0.1/32 trust\n")
        for name in ("server.key", "server.crt", "pg_hba.conf"):
            os.chmod(pg.data / name, 0o600)
            if pg.as_root:
                shutil.chown(pg.data / name, "postgres")
        options = (f"-p {pg.port} -k {pg.dir} -c listen_addresses=127.0.0.1 -c ssl=on -c fsync=off "
                   "-c full_page_writes=off")
        pg._run(str(pg.bin / "pg_ctl"), "-D", str(pg.data), "-o", options, "-l", str(pg.dir / "log"), "-w", "-t",
                "60", "start")
        return f"postgresql://postgres@127.0.0.1:{pg.port}/postgres?sslmode=require"


def test_frozen_sync_reaches_postgresql_over_tls(bundle, tmp_path):
    """libpq in the bundle (psycopg's, on the bundle's OpenSSL on Linux) syncs over TLS: the server refuses
    TCP connections without it."""
    import psycopg
    server = TlsPostgres(tmp_path)
    url = server.start()
    try:
        plain = url.replace("sslmode=require", "sslmode=disable")
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(plain).close()
        db = tmp_path / "frozen.db"
        assert run(bundle, "--db", str(db), "demo", "--people", "7").returncode == 0
        sent = run(bundle, "--db", str(db), "sync", "--to", url, "--json")
        assert sent.returncode == 0, sent.stdout + sent.stderr
        assert json.loads(sent.stdout)["ok"]
        with psycopg.connect(server.pg.url) as conn:
            assert conn.execute("SELECT count(*) FROM ikrar.people").fetchone()[0] == 7
        assert run(bundle, "sync", "--help").returncode == 0
    finally:
        server.pg.stop()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
def test_no_library_carries_megabytes_of_zero_padding(folder, tmp_path):
    """build.spec takes out the 2 MB of zeros patchelf left in Pillow's libXau; the copy still loads and works."""
    padded = []
    for path in (folder / "_internal").rglob("*"):
        if path.is_file() and not path.is_symlink() and path.stat().st_size > 1 << 20:
            data = path.read_bytes()
            if data[:4] == b"\x7fELF" and bytes(1 << 20) in data:
                padded.append(path.name)
    assert padded == []
    xau = next((folder / "_internal" / "pillow.libs").glob("libXau-*.so*"), None)
    if xau is None:
        pytest.skip("this Pillow brings no libXau")
    script = tmp_path / "xau.py"
    script.write_text("import ctypes, sys\nlib = ctypes.CDLL(sys.argv[1])\nlib.XauFileName.restype = ctypes.c_char_p\n"
                      "print(lib.XauFileName().decode())\n")
    home = {**os.environ, "XAUTHORITY": str(tmp_path / "auth")}
    called = subprocess.run([sys.executable, str(script), str(xau)], capture_output=True, text=True, timeout=60,
                            env=home)
    assert called.returncode == 0 and called.stdout.strip() == str(tmp_path / "auth"), called
