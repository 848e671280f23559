"""Independent readers for the documents' tests: poppler's tools and the QR decoder."""
from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

MM = 72 / 25.4


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdftotext(path: Path, *, layout: bool = True) -> str:
    return _run("pdftotext", *(["-layout"] if layout else []), str(path), "-")


def pages_text(path: Path) -> list[str]:
    return pdftotext(path).split("\f")[:-1]


def pdfinfo(path: Path) -> dict[str, str]:
    out = {}
    for line in _run("pdfinfo", str(path)).splitlines():
        key, _, value = line.partition(":")
        out[key.strip()] = value.strip()
    return out


def page_count(path: Path) -> int:
    return int(pdfinfo(path)["Pages"])


def assert_a4(path: Path) -> None:
    assert "(A4)" in pdfinfo(path)["Page size"]


def fonts(path: Path) -> list[dict[str, str]]:
    lines = _run("pdffonts", str(path)).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name type... encoding emb sub uni object ID: the last five are fixed
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def assert_fonts_embedded(path: Path) -> None:
    rows = fonts(path)
    assert rows, "no font at all"
    for row in rows:
        assert row["emb"] == "yes", row
        assert row["name"].split("+")[-1].startswith("DejaVuSans"), row


def images(path: Path) -> list[dict[str, str]]:
    lines = _run("pdfimages", "-list", str(path)).splitlines()[2:]
    keys = ("page", "num", "type", "width", "height", "color", "comp", "bpc", "enc", "interp", "object")
    return [dict(zip(keys, line.split())) for line in lines]


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def words(path: Path) -> list[Word]:
    """Every word with its box, in mm from the page's top-left corner."""
    out = []
    page = 0
    for line in _run("pdftotext", "-bbox", str(path), "-").splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            x0, y0, x1, y1 = (float(m.group(i)) / MM for i in range(1, 5))
            out.append(Word(page, x0, y0, x1, y1, html.unescape(m.group(5))))
    return out


def render(path: Path, out_dir: Path, dpi: int = 200, first: int | None = None, last: int | None = None) -> list[Path]:
    args = ["pdftoppm", "-r", str(dpi), "-png"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    subprocess.run([*args, str(path), str(out_dir / "page")], check=True)
    return sorted(out_dir.glob("page*.png"))


def decode_qr(png: Path) -> list[tuple[str, str]]:
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    with Image.open(png) as im:
        return [(r.text, str(r.ec_level)) for r in zxingcpp.read_barcodes(im.convert("L"))]
