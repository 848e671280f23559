"""Believable sample input for the documents: the pictures in ``docs/``, the tests, the benchmark.

Signatures are drawn from generated pen strokes with the kiosk's own ink
(:func:`kiosk.ceremony.ink.render_png`), so they look and weigh like stored ones.  The logo is
a plain drawn emblem, not any real government's.
"""
from __future__ import annotations

import datetime as _dt
import math
import random
from pathlib import Path

from kiosk import demo
from kiosk.ceremony import pledge as _pledge
from kiosk.ceremony.ink import render_png
from kiosk.ceremony.signature import Sample, Signature
from kiosk.documents.model import (
    AbsenceReason,
    DocAbsence,
    DocAttendance,
    DocEvent,
    DocPerson,
    PersonKind,
)

RANKS = ("Penata Muda / III/a", "Penata Muda Tingkat I / III/b", "Penata / III/c", "Penata Tingkat I / III/d",
         "Pembina / IV/a", "Pengatur / II/c")
PPPK_GRADES = ("IX", "X", "VII", "V")
GUESTS = (("Drs. H. Ahmad Syarifuddin, M.Si.", "Ketua", "Bawaslu Kabupaten Sleman"),
          ("Sri Wahyuni, S.H.", "Anggota", "KPU Kabupaten Sleman"),
          ("Ir. Bambang Sutrisno", "Wakil Ketua", "DPRD Kabupaten Sleman"),
          ("AKBP Yuswanto Ardi, S.I.K.", "Kapolres", "Polresta Sleman"))
WIB = _dt.timezone(_dt.timedelta(hours=7))


def event(logo: str | Path | None = None) -> DocEvent:
    return DocEvent(
        title="Apel Ikrar Netralitas ASN", date="2024-11-04", venue="Ruang Pola Sekretariat Daerah",
        agency="Pemerintah Kabupaten Sleman",
        agency_unit="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        address="Jalan Parasamya Nomor 1, Beran, Tridadi, Sleman, Yogyakarta 55511 · Telepon (0274) 868405",
        logo=logo, leader="Bupati Sleman", head_title="Kepala BKPSDM Kabupaten Sleman",
        head_name="Drs. Budi Pramono, M.Si.", head_nip="197003151994031005", city="Sleman")


def pledge_text(instansi: str = "Pemerintah Kabupaten Sleman") -> tuple[str, str]:
    rendered = _pledge.render(_pledge.load_template(_pledge.DEFAULT_TEMPLATE), {"instansi": instansi})
    return rendered.text, rendered.sha256


def strokes(seed: int, width: int = 600, height: int = 240) -> Signature:
    """A handwritten-looking signature: a capital, a run of cursive loops, and a flourish."""
    rng = random.Random(seed)
    t = 0.0
    out = []
    # The capital: a tall loop.
    cx, cy = width * rng.uniform(0.18, 0.25), height * 0.58
    pts = []
    for i in range(40):
        a = 2 * math.pi * i / 39
        pts.append(Sample(cx + 26 * math.sin(a) + i * 0.8, cy - 80 * math.sin(a / 2) + 14 * math.cos(a), t, 0.5))
        t += 9
    out.append(tuple(pts))
    t += 120
    # The cursive body: loops along a slightly rising line.
    x0 = cx + 28
    loops = rng.randint(5, 8)
    length = width * rng.uniform(0.36, 0.5)
    amp = rng.uniform(30, 46)
    rise = rng.uniform(-0.08, 0.03)
    n = loops * 22
    pts = []
    for i in range(n):
        u = i / (n - 1)
        a = 2 * math.pi * loops * u
        x = x0 + length * u - 11 * math.sin(a)
        y = cy + 8 + rise * length * u - amp * (0.5 - 0.5 * math.cos(a)) * (1.0 if i % 44 < 30 else 0.6)
        pts.append(Sample(x, y, t, 0.5))
        t += rng.uniform(6, 11)
    out.append(tuple(pts))
    t += 150
    # The flourish underneath.
    pts = []
    base = cy + 30
    for i in range(30):
        u = i / 29
        pts.append(Sample(x0 - 30 + (length + 40) * u, base + 14 * math.sin(math.pi * u) - 10 * u, t, 0.5))
        t += 8
    out.append(tuple(pts))
    return Signature(width, height, tuple(out))


def signature_png(seed: int, scale: float = 0.5) -> bytes:
    return render_png(strokes(seed), scale=scale)


def logo(path: str | Path, size: int = 360) -> Path:
    """A plain emblem (shield, star, rice and cotton colours) as a PNG."""
    from PIL import Image, ImageDraw

    im = Image.new("RGBA", (size, int(size * 1.1)), (255, 255, 255, 0))
    d = ImageDraw.Draw(im)
    w, h = im.size
    shield = [(w * 0.08, h * 0.06), (w * 0.92, h * 0.06), (w * 0.92, h * 0.55), (w * 0.5, h * 0.96),
              (w * 0.08, h * 0.55)]
    d.polygon(shield, fill=(22, 90, 60), outline=(180, 140, 20))
    d.line(shield + [shield[0]], fill=(200, 160, 30), width=max(3, size // 40))
    cx, cy, r = w * 0.5, h * 0.33, w * 0.17
    star = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        rr = r if k % 2 == 0 else r * 0.42
        star.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    d.polygon(star, fill=(240, 200, 40))
    for side in (-1, 1):
        for k in range(7):
            x = cx + side * w * (0.2 + 0.03 * k)
            y = h * (0.78 - 0.06 * k)
            d.ellipse((x - 9, y - 5, x + 9, y + 5), fill=(240, 200, 40) if side < 0 else (250, 250, 250))
    path = Path(path)
    im.save(path)
    return path


def people(count: int, seed: int = 2024, *, non_asn: int = 0) -> list[DocPerson]:
    """ASN staff from the kiosk's demo roster (PNS and PPPK told apart by the NIP), then non-ASN staff."""
    rng = random.Random(seed)
    out = []
    for p in demo.people(count, seed):
        pppk = p.nip[12] == "2"
        rank = f"Golongan {rng.choice(PPPK_GRADES)}" if pppk else rng.choice(RANKS)
        out.append(DocPerson(PersonKind.PPPK if pppk else PersonKind.PNS, p.name, nip=p.nip, rank=rank,
                             position=p.position, unit=p.unit))
    for i in range(non_asn):
        out.append(DocPerson(PersonKind.NON_ASN, f"{rng.choice(demo.FIRST)} {rng.choice(demo.LAST)}",
                             code=f"NA{i + 1:04d}K", nik_masked=f"3404{rng.randint(10, 99)}******{i + 1:04d}",
                             position=rng.choice(("Tenaga Administrasi", "Pramu Bakti", "Pengemudi")),
                             unit=rng.choice(demo.UNITS)))
    return out


def guests() -> list[DocPerson]:
    return [DocPerson(PersonKind.GUEST, name, code=f"TM{i + 1:03d}X", position=position, institution=inst)
            for i, (name, position, inst) in enumerate(GUESTS)]


def attendance(persons: list[DocPerson], *, signatures: list[bytes] | None = None,
               start: _dt.datetime | None = None) -> list[DocAttendance]:
    text, sha = pledge_text()
    start = start or _dt.datetime(2024, 11, 4, 7, 15, tzinfo=WIB)
    sigs = signatures or [signature_png(i) for i in range(12)]
    rows = []
    for i, person in enumerate(persons):
        rows.append(DocAttendance(
            person, start + _dt.timedelta(seconds=7 * i), "wedge" if i % 9 else "manual", sigs[i % len(sigs)],
            None if person.kind is PersonKind.GUEST else text, None if person.kind is PersonKind.GUEST else sha))
    return rows


def absences(persons: list[DocPerson]) -> list[DocAbsence]:
    reasons = list(AbsenceReason)
    notes = {AbsenceReason.DINAS_LUAR: "Rapat koordinasi di Provinsi", AbsenceReason.CUTI: "Cuti melahirkan",
             AbsenceReason.SAKIT: "Surat keterangan dokter"}
    return [DocAbsence(p, reasons[i % len(reasons)], notes.get(reasons[i % len(reasons)], ""))
            for i, p in enumerate(persons)]


def photo(path: str | Path, seed: int = 0, size: tuple[int, int] = (1200, 800)) -> Path:
    """A drawn stand-in for a photo of the apel: a hall, a lectern, rows of people."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    w, h = size
    im = Image.new("RGB", size, (200, 205, 210))
    d = ImageDraw.Draw(im)
    for line in range(h // 2):
        c = 170 + int(60 * line / (h / 2))
        d.line((0, line, w, line), fill=(c, c + 5, c + 12))
    d.rectangle((0, h // 2, w, h), fill=(120, 110, 95))
    d.rectangle((w * 0.3, h * 0.12, w * 0.7, h * 0.3), fill=(150, 20, 30))
    d.rectangle((w * 0.46, h * 0.34, w * 0.54, h * 0.52), fill=(90, 60, 40))
    for row in range(5):
        y = h * (0.58 + row * 0.085)
        n = 12 + row * 2
        for k in range(n):
            x = w * (0.05 + 0.9 * (k + 0.5) / n) + rng.uniform(-6, 6)
            r = 10.0 + row * 3
            shirt = rng.choice(((230, 230, 225), (40, 70, 130), (200, 190, 160)))
            d.rectangle((x - r * 1.3, y + r * 0.8, x + r * 1.3, y + r * 4), fill=shirt)
            d.ellipse((x - r, y - r, x + r, y + r), fill=(120, 85, 60))
            d.chord((x - r, y - r, x + r, y + r * 0.2), 180, 360, fill=(25, 25, 25))
    path = Path(path)
    im.save(path, quality=85)
    return path
