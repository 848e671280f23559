"""What build.spec does to the Linux bundle's libraries, beyond choosing them: ICU's data cut to the app's
languages, small stand-ins for the Qt Quick and QML the camera plugin links, psycopg on the bundle's own
OpenSSL, patchelf's zero padding taken out, one copy of a library known under two names.

Each step takes PyInstaller's list of binaries, ``(destination, source, kind)``, and returns the list to
keep; each keeps what it was given when its tools are missing or what it finds is not what it expects
(and says so in one line).  build.spec sets :data:`WORK` (its work folder) before the first step.
"""
from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

WORK = Path("build") / "bundle-linux"        # build.spec: Path(workpath)


# --- ICU's data, for the languages the app speaks (Linux) -------------------------------------------------
# Qt links ICU on Linux: 31 MB of data for every language of the world.  The app needs Indonesian and
# English (Malay close by): collation, dates and time-zone names, IDNA.  With ICU's own tools (Debian:
# icu-devtools, and gcc) the data is cut to those locales, without the legacy code pages (Windows' own
# kept), word-break dictionaries or transliterators: 3.7 MB.  Without the tools the full data stays.
ICU_LOCALES = {"root", "en", "en_US", "en_001", "en_150", "id", "id_ID", "ms", "ms_ID", "ms_MY"}
ICU_CODEPAGES = ("ibm-5346_", "ibm-5347_", "ibm-5348_", "ibm-5349_", "ibm-5350_", "ibm-9447_", "ibm-9448_",
                 "ibm-9449_", "ibm-5354_")       # windows-1250 … 1258
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*$")


def _icu_item_kept(item: str) -> bool:
    folder, _, name = item.rpartition("/")
    stem = name.rsplit(".", 1)[0]
    if folder in ("translit", "brkitr") or name == "unames.icu":
        return False
    if name.endswith(".cnv"):
        return name.startswith(ICU_CODEPAGES)
    return not (name.endswith(".res") and _LOCALE.match(stem) and stem not in ICU_LOCALES | {"res_index", "pool"})


def small_icu_data(library: str) -> str | None:
    """A libicudata with only the data the app uses, built in the work folder; None without the tools."""
    import subprocess
    tools = [shutil.which(t) for t in ("icupkg", "genccode", "readelf")] + [shutil.which("gcc") or shutil.which("cc")]
    if None in tools:
        return None
    icupkg, genccode, readelf, cc = tools
    soname = Path(library).name                                        # libicudata.so.73
    version = soname.rsplit(".", 1)[-1]
    name = f"icudt{version}l"
    work = WORK / "icu"
    out = work / soname
    if out.is_file() and out.stat().st_mtime >= Path(library).stat().st_mtime:
        return str(out)
    (work / "small").mkdir(parents=True, exist_ok=True)
    # The data is the library's one symbol, icudtNN_dat: cut it out of its section.
    symbols = subprocess.run([readelf, "-Ws", library], capture_output=True, text=True, check=True).stdout
    value, size = next((int(f[1], 16), int(f[2], 0)) for f in (line.split() for line in symbols.splitlines())
                       if f and f[-1] == f"icudt{version}_dat")
    sections = subprocess.run([readelf, "-SW", library], capture_output=True, text=True, check=True).stdout
    for line in sections.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+\S+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if m and int(m.group(1), 16) <= value < int(m.group(1), 16) + int(m.group(3), 16):
            start = int(m.group(2), 16) + value - int(m.group(1), 16)
            with open(library, "rb") as fh:
                fh.seek(start)
                (work / f"{name}.dat").write_bytes(fh.read(size))
            break
    else:
        return None
    items = subprocess.run([icupkg, "-l", f"{name}.dat"], cwd=work, capture_output=True, text=True,
                           check=True).stdout.split()
    (work / "drop.txt").write_text("\n".join(i for i in items if not _icu_item_kept(i)) + "\n")
    subprocess.run([icupkg, "-r", "drop.txt", f"{name}.dat", f"small/{name}.dat"], cwd=work, check=True,
                   capture_output=True)
    subprocess.run([genccode, "-a", "gcc", "-e", f"icudt{version}", "-d", ".", f"small/{name}.dat"], cwd=work,
                   check=True, capture_output=True)
    subprocess.run([cc, "-shared", "-nostdlib", f"-Wl,-soname,{soname}", "-Wl,-z,noexecstack", "-o", soname,
                    f"{name}_dat.S"], cwd=work, check=True, capture_output=True)
    return str(out)


def with_small_icu(binaries: list) -> list:
    found = []
    for dest, src, kind in binaries:
        if Path(dest).name.startswith("libicudata.so."):
            small = small_icu_data(src)
            found.append((dest, small or src, kind))
        else:
            found.append((dest, src, kind))
    return found


# --- Qt Quick and QML: two small stand-ins (Linux) -------------------------------------------------------
# The FFmpeg multimedia plugin (the camera) has libQt6Quick.so.6 and libQt6Qml.so.6 among its DT_NEEDED, and
# through them come QmlModels, QmlMeta and QmlWorkerScript: 16.6 MB for a kiosk with no QML.  What it takes from
# them is two symbols of Quick, QQuickWindow::grabWindow() and QQuickWindow::staticMetaObject, and nothing of
# Qml; it is linked BIND_NOW, so those two must exist at load time, and the two libraries must be there by name.
# So on Linux, with gcc, both are built here in their place: a libQt6Quick.so.6 (SONAME libQt6Quick.so.6, the
# symbols versioned Qt_6 like Qt's own) with exactly the symbols the binaries that link it import from the real
# one, and an empty libQt6Qml.so.6; the other three are left out.  Why that is safe (checked
# with objdump -d --no-show-raw-insn | c++filt on the plugin of PySide6 6.11.3):
#   * staticMetaObject: each of the plugin's five uses loads its address into %rdi and calls
#     QMetaObject::cast(QObject*), i.e. qobject_cast<QQuickWindow*>(window) over QGuiApplication's top-level
#     windows.  cast() calls obj->metaObject()->inherits(that address), and inherits() (libQt6Core) only
#     compares that pointer with each metaobject up the object's chain: it never reads the stand-in.  No object
#     can have the stand-in in its chain (it is no class's metaobject), so every cast gives nullptr.  Still, the
#     stand-in is a well-formed metaobject (revision 13, class name "QQuickWindow", no members of its own,
#     superdata QWindow's), in case a later Qt reads it: className(), inherits(), methodCount() work on it.
#   * grabWindow(): called only on the result of such a cast, which is never a QQuickWindow here; if it ever
#     were called, the stand-in says so on stderr and aborts rather than hand back an image it cannot make.
# The trick refuses (the real libraries stay, one line says why) when this is not Linux, when gcc, nm or readelf
# is missing, or when any binary of the bundle imports from Quick anything beyond QUICK_STUB_ALLOWED, or from
# Qml anything at all, or links QmlModels/QmlMeta/QmlWorkerScript itself: a new PySide6 never gets a stand-in
# silently too small.  tests/test_bundle.py checks the stand-ins in the built bundle.
QUICK = "libQt6Quick.so.6"
QML = "libQt6Qml.so.6"
QML_REST = ("libQt6QmlModels.so.6", "libQt6QmlMeta.so.6", "libQt6QmlWorkerScript.so.6")
QUICK_STUB_ALLOWED = {"_ZN12QQuickWindow10grabWindowEv@Qt_6": "abort",            # QQuickWindow::grabWindow()
                      "_ZN12QQuickWindow16staticMetaObjectE@Qt_6": "metaobject"}   # QQuickWindow::staticMetaObject
QWINDOW_META = "_ZN7QWindow16staticMetaObjectE"
QUICK_STUB_C = r"""/* A stand-in for Qt Quick, built by build.spec: see the comment there. */
#include <stdio.h>
#include <stdlib.h>
"""
QUICK_STUB_METAOBJECT = r"""
extern const void *const %(qwindow)s[];                     /* QWindow::staticMetaObject (libQt6Gui) */
static const struct { unsigned int offsetsAndSizes[2]; char name[13]; } names = {{8, 12}, "QQuickWindow"};
/* revision 13, className 0, no class info, methods, properties, enums or constructors, flags 0, no signals */
static const unsigned int meta_data[15] = {13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
static const void *const meta_types[1] = {0};
/* superdata, stringdata, data, static_metacall, relatedMetaObjects, metaTypes, extradata */
const void *const %(name)s[7] = {%(qwindow)s, &names, meta_data, 0, 0, meta_types, 0};
"""
QUICK_STUB_ABORT = r"""
void %(name)s(void) {
    fputs("ikrar: %(pretty)s was called, but this bundle has only a stand-in for Qt Quick (build.spec)\n", stderr);
    abort();
}
"""


def _elf(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"\x7fELF"
    except OSError:
        return False


def _needed(readelf: str, path: str) -> set[str]:
    import subprocess
    out = subprocess.run([readelf, "-dW", path], capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out))


def _symbols(nm: str, path: str, defined: bool) -> set[str]:
    """A library's dynamic symbols as ``name@version`` (``name`` when unversioned)."""
    import subprocess
    out = subprocess.run([nm, "-D", "--defined-only" if defined else "--undefined-only", path],
                         capture_output=True, text=True, check=True).stdout
    return {line.split()[-1].replace("@@", "@") for line in out.splitlines() if line.strip()}


def quick_stubs(binaries: list) -> tuple[dict[str, str], str]:
    """The stand-ins to put in place of the real Quick and Qml, {name: built file}, or {} and why not."""
    import subprocess
    if not sys.platform.startswith("linux"):
        return {}, "not Linux"
    tools = {t: shutil.which(t) for t in ("nm", "readelf")}
    tools["cc"] = shutil.which("gcc") or shutil.which("cc")
    if None in tools.values():
        return {}, "no " + ", ".join(t for t, found in tools.items() if not found)
    nm, readelf, cc = tools["nm"], tools["readelf"], tools["cc"]
    sources = {Path(dest).name: src for dest, src, kind in binaries}
    if QUICK not in sources or QML not in sources or "libQt6Gui.so.6" not in sources:
        return {}, "Quick, Qml or Gui not among the libraries"
    family = {QUICK, QML, *QML_REST}
    quick_defined = {s.split("@")[0] for s in _symbols(nm, sources[QUICK], True)}
    qml_defined = {s.split("@")[0] for s in _symbols(nm, sources[QML], True)}
    wanted: set[str] = set()
    for name, src in sorted(sources.items()):
        if name in family or not _elf(src):
            continue
        needed = _needed(readelf, src)
        if needed & set(QML_REST):
            return {}, f"{name} links {', '.join(sorted(needed & set(QML_REST)))}"
        if not needed & {QUICK, QML}:
            continue
        undefined = _symbols(nm, src, False)
        from_qml = sorted(s for s in undefined if s.split("@")[0] in qml_defined)
        if from_qml:
            return {}, f"{name} imports {len(from_qml)} symbols from {QML} ({from_qml[0]} …)"
        from_quick = {s for s in undefined if s.split("@")[0] in quick_defined}
        unknown = sorted(from_quick - set(QUICK_STUB_ALLOWED))
        if unknown:
            return {}, f"{name} imports from {QUICK} more than QUICK_STUB_ALLOWED: {', '.join(unknown[:3])}"
        wanted |= from_quick
    if f"{QWINDOW_META}@Qt_6" not in _symbols(nm, sources["libQt6Gui.so.6"], True):
        return {}, f"libQt6Gui.so.6 has no {QWINDOW_META}@Qt_6"
    work = WORK / "quick-stub"
    work.mkdir(parents=True, exist_ok=True)
    code = QUICK_STUB_C
    for symbol in sorted(wanted):
        name = symbol.split("@")[0]
        if QUICK_STUB_ALLOWED[symbol] == "metaobject":
            code += QUICK_STUB_METAOBJECT % {"name": name, "qwindow": QWINDOW_META}
        else:
            pretty = subprocess.run(["c++filt", name], capture_output=True, text=True).stdout.strip() \
                if shutil.which("c++filt") else name
            code += QUICK_STUB_ABORT % {"name": name, "pretty": pretty or name}
    (work / "quick.c").write_text(code)
    (work / "quick.map").write_text("Qt_6 {\n  global:\n" + "".join(f"    {s.split('@')[0]};\n" for s in sorted(wanted))
                                    + "  local: *;\n};\n")
    (work / "empty.c").write_text("/* A stand-in for QML (build.spec): the camera plugin links it, uses none. */\n")
    gui = Path(sources["libQt6Gui.so.6"]).parent
    try:
        subprocess.run([cc, "-shared", "-fPIC", "-O2", "-o", QUICK, "quick.c", f"-Wl,-soname,{QUICK}",
                        "-Wl,--version-script=quick.map", "-Wl,-z,now", "-Wl,-z,noexecstack", "-Wl,-rpath,$ORIGIN",
                        f"-L{gui}", "-l:libQt6Gui.so.6", f"-Wl,-rpath-link,{gui}"], cwd=work, check=True,
                       capture_output=True, text=True)
        subprocess.run([cc, "-shared", "-nostdlib", "-o", QML, "empty.c", f"-Wl,-soname,{QML}",
                        "-Wl,-z,noexecstack"], cwd=work, check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as failed:
        return {}, f"{cc} failed: {(failed.stderr or '').strip()[:200]}"
    built = _symbols(nm, str(work / QUICK), True)
    if not wanted <= built:
        return {}, f"the stand-in lacks {', '.join(sorted(wanted - built))}"
    return {QUICK: str(work / QUICK), QML: str(work / QML)}, ""


def with_quick_stubs(binaries: list) -> list:
    stubs, why = quick_stubs(binaries)
    if not stubs:
        print(f"build.spec: Qt Quick and QML kept whole: {why}")
        return binaries
    # The other three are left out here, not by needed_only(): PyInstaller reads the plugin's needs with ldd, which
    # follows the real Quick in the wheel.  quick_stubs() made sure nothing else of the bundle links them.
    return [(dest, stubs.get(Path(dest).name, src), kind) for dest, src, kind in binaries
            if Path(dest).name not in QML_REST]


# --- one OpenSSL (Linux) ----------------------------------------------------------------------------------
# psycopg's wheel brings its own OpenSSL for libpq (psycopg_binary.libs/libcrypto-<hash>.so.3 and libssl-<hash>.so.3,
# 6.9 MB) beside the one the bundle keeps for Python's ssl and hashlib (libcrypto.so.3, libssl.so.3; PYTHON_NEEDS).
# The wheel's libpq and libldap ask their OpenSSL only for symbols of version OPENSSL_3.0.0, which any OpenSSL 3
# has; so where the bundle's copy defines every symbol (name and version) they import from the wheel's, the
# wheel's two names become relative links to the bundle's libraries: one OpenSSL in the process instead of two.
# Links, not patchelf --replace-needed: nothing in the wheel's files is rewritten (patchelf-rewritten files are
# what binutils' strip breaks, see strip() below), and no tool beyond binutils is needed.  glibc loads a library
# once per file, so libpq gets the very libcrypto.so.3 Python's ssl has.  When any symbol is missing (a libpq
# built against a newer OpenSSL, say) the wheel's copies stay, and one line says which symbol.
# tests/test_bundle.py syncs the frozen app to a PostgreSQL over TLS.
OPENSSL = {"libcrypto": "libcrypto.so.3", "libssl": "libssl.so.3"}
_HASHED = re.compile(r"^(libcrypto|libssl)-[0-9a-f]{8}\.so\.3$")


def shared_openssl(binaries: list) -> list:
    import os
    tools = [shutil.which("nm"), shutil.which("readelf")]
    if None in tools:
        print("build.spec: psycopg's own OpenSSL kept (6.9 MB): no nm or readelf")
        return binaries
    nm, readelf = tools
    by_dest = {dest: src for dest, src, kind in binaries}
    ours = {stem: next((src for dest, src in by_dest.items() if dest == name), None) for stem, name in OPENSSL.items()}
    hashed = {dest: src for dest, src in by_dest.items() if _HASHED.match(Path(dest).name) and "/" in dest}
    if not hashed:
        return binaries
    if None in ours.values():
        print("build.spec: psycopg's own OpenSSL kept (6.9 MB): the bundle has no libcrypto.so.3/libssl.so.3")
        return binaries
    provided = _symbols(nm, ours["libcrypto"], True) | _symbols(nm, ours["libssl"], True)
    theirs = set().union(*(_symbols(nm, src, True) for src in hashed.values()))
    hashed_names = {Path(dest).name for dest in hashed}
    for dest, src in sorted(by_dest.items()):
        if dest in hashed or not _elf(src) or not _needed(readelf, src) & hashed_names:
            continue
        missing = sorted(s for s in _symbols(nm, src, False) & theirs if s not in provided)
        if missing:
            print(f"build.spec: psycopg's own OpenSSL kept (6.9 MB): {Path(dest).name} needs {missing[0]}, "
                  f"which {OPENSSL['libcrypto']}/{OPENSSL['libssl']} of the bundle lack")
            return binaries
    links = {dest: os.path.relpath(OPENSSL[_HASHED.match(Path(dest).name).group(1)], Path(dest).parent)
             for dest in hashed}
    return [(dest, links[dest], "SYMLINK") if dest in links else (dest, src, kind) for dest, src, kind in binaries]


def without_dangling_links(datas: list, binaries: list) -> list:
    """PyInstaller's top-level links to libraries in subfolders, less those whose library was left out."""
    import os
    present = {dest for dest, src, kind in binaries} | {dest for dest, src, kind in datas}
    return [(dest, src, kind) for dest, src, kind in datas
            if kind != "SYMLINK" or os.path.normpath(os.path.join(os.path.dirname(dest), src)) in present]


# --- zero padding (Linux) ---------------------------------------------------------------------------------
# Pillow's libXau (auditwheel's copy, rewritten by patchelf) is 2.1 MB for 20 KB of library: patchelf put its new
# symbol tables in a last LOAD segment at file offset 2 MiB (its 2 MiB alignment) and the 2 MB before it are
# zeros no section or segment covers.  without_zero_padding() writes a copy with that segment moved down to the
# first page boundary after the file's last non-zero byte (its alignment set to the 4 KiB page, so offset and
# address still agree modulo p_align as glibc requires) and the offsets of that segment's program headers, its
# sections and the section table shifted by the same amount; nothing else changes, no byte but those zeros goes.
# Any other layout (not a 64-bit little-endian shared library, anything in the gap, anything after the segment,
# a gap under 1 MiB) is left as it is.  tests/test_bundle.py loads the copy and calls it.
def compacted_elf(data: bytes, min_gap: int = 1 << 20, page: int = 0x1000) -> bytes | None:
    """The ELF file without the zeros before its last LOAD segment, or None when there are none to take."""
    import struct
    if data[:4] != b"\x7fELF" or data[4:6] != b"\x02\x01" or struct.unpack_from("<H", data, 0x10)[0] != 3:
        return None
    phoff, shoff = struct.unpack_from("<QQ", data, 0x20)
    phentsize, phnum, shentsize, shnum = struct.unpack_from("<HHHH", data, 0x36)
    ph_format, sh_format = "<IIQQQQQQ", "<IIQQQQIIQQ"
    phs = [list(struct.unpack_from(ph_format, data, phoff + i * phentsize)) for i in range(phnum)]
    shs = [list(struct.unpack_from(sh_format, data, shoff + i * shentsize)) for i in range(shnum)]
    loads = sorted((p for p in phs if p[0] == 1), key=lambda p: p[2])     # PT_LOAD: type, flags, offset, vaddr …
    if not loads:
        return None
    start, end = loads[-1][2], loads[-1][2] + loads[-1][5]

    def inside(offset: int, size: int) -> bool:
        return start <= offset and offset + size <= end

    spans = [(p[2], p[5]) for p in phs] + [(s[4], 0 if s[1] == 8 else s[5]) for s in shs]   # 8: SHT_NOBITS
    spans += [(0, phoff + phnum * phentsize), (shoff, shnum * shentsize)]
    before = max([o + n for o, n in spans if not inside(o, n)] + [len(data[:start].rstrip(b"\0"))])
    new = -(-before // page) * page + loads[-1][3] % page
    if before > start or data[end:].strip(b"\0") or start - new < min_gap:
        return None
    delta = start - new
    out = bytearray(data[:new] + data[start:end])
    for i, p in enumerate(phs):
        if inside(p[2], p[5]) and p[2] >= start:
            p[2] -= delta
            if p[0] == 1:
                p[7] = page
        struct.pack_into(ph_format, out, phoff + i * phentsize, *p)
    new_shoff = shoff - delta if inside(shoff, shnum * shentsize) else shoff
    for i, s in enumerate(shs):
        if s[1] != 0 and s[4] >= start and inside(s[4], 0 if s[1] == 8 else s[5]):
            s[4] -= delta
        struct.pack_into(sh_format, out, new_shoff + i * shentsize, *s)
    struct.pack_into("<Q", out, 0x28, new_shoff)
    return bytes(out)


def without_zero_padding(binaries: list) -> list:
    work = WORK / "compact"
    found = []
    for dest, src, kind in binaries:
        if kind in ("BINARY", "EXTENSION") and Path(src).is_file() and Path(src).stat().st_size > 1 << 20:
            small = compacted_elf(Path(src).read_bytes())
            if small is not None:
                copy = work / dest
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy.write_bytes(small)
                copy.chmod(0o755)
                src = str(copy)
        found.append((dest, src, kind))
    return found


# --- one copy of a library under two names (Linux) ---------------------------------------------------------
# The system's libbz2 is collected twice, as libbz2.so.1.0 (Python's _bz2 links that name) and libbz2.so.1 (FFmpeg's
# libavformat links this one), both links to the same file: one of two names of one file becomes a relative link to
# the other (75 KB; glibc loads it once either way).
def without_duplicates(binaries: list) -> list:
    import os
    first: dict[str, str] = {}
    found = []
    for dest, src, kind in sorted(binaries, key=lambda entry: entry[0]):
        real = os.path.realpath(src) if kind in ("BINARY", "EXTENSION") else None
        if real in first:
            found.append((dest, os.path.relpath(first[real], os.path.dirname(dest) or "."), "SYMLINK"))
            continue
        if real:
            first[real] = dest
        found.append((dest, src, kind))
    return found
