"""Draw the application icon: ``python docs/icons.py`` writes kiosk/resources/icons/ikrar.png and ikrar.ico.

A signed pledge: a white sheet with lines of text on the kiosk's navy, a red-and-white band at its top
(the flag's colours), and a bold green tick over its lower corner.  Drawn at 1024 px and scaled down
(Lanczos) for each size; the smallest sizes of the .ico drop the text lines, which would only blur.
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "kiosk" / "resources" / "icons"
NAVY = (14, 42, 74, 255)
SHEET = (250, 251, 253, 255)
LINE = (150, 165, 185, 255)
RED = (206, 17, 38, 255)
GREEN = (34, 160, 90, 255)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(size: int = 1024, *, lines: bool = True) -> Image.Image:
    s = size / 1024
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((40 * s, 40 * s, 984 * s, 984 * s), radius=190 * s, fill=NAVY)
    # The sheet, its fold, the flag band.
    left, top, right, bottom, fold = 250 * s, 170 * s, 720 * s, 830 * s, 120 * s
    d.polygon([(left, top), (right - fold, top), (right, top + fold), (right, bottom), (left, bottom)], fill=SHEET)
    d.polygon([(right - fold, top), (right - fold, top + fold), (right, top + fold)], fill=(205, 214, 228, 255))
    d.rectangle((left + 50 * s, top + 60 * s, right - fold - 30 * s, top + 95 * s), fill=RED)
    d.rectangle((left + 50 * s, top + 95 * s, right - fold - 30 * s, top + 130 * s), fill=(235, 238, 243, 255))
    if lines:
        for i in range(4):
            y = top + (205 + 85 * i) * s
            d.rounded_rectangle((left + 50 * s, y, right - (60 + 70 * (i % 2)) * s, y + 30 * s), radius=15 * s,
                                fill=LINE)
    # The tick, with a navy outline so it stands off the sheet.
    tick = [(520 * s, 650 * s), (640 * s, 770 * s), (870 * s, 470 * s)]
    d.line(tick, fill=NAVY, width=round(150 * s), joint="curve")
    for x, y in (tick[0], tick[2]):
        r = 75 * s
        d.ellipse((x - r, y - r, x + r, y + r), fill=NAVY)
    d.line(tick, fill=GREEN, width=round(95 * s), joint="curve")
    for x, y in (tick[0], tick[2]):
        r = 47.5 * s
        d.ellipse((x - r, y - r, x + r, y + r), fill=GREEN)
    return img


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big, plain = draw(), draw(lines=False)
    big.resize((256, 256), Image.Resampling.LANCZOS).save(OUT / "ikrar.png", optimize=True)
    frames = [(plain if n < 48 else big).resize((n, n), Image.Resampling.LANCZOS) for n in ICO_SIZES]
    frames[-1].save(OUT / "ikrar.ico", sizes=[(n, n) for n in ICO_SIZES], append_images=frames[:-1])
    print(f"wrote {OUT / 'ikrar.png'} and {OUT / 'ikrar.ico'}")


if __name__ == "__main__":
    main()
