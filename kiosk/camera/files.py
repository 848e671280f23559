"""Read badges from image files (photos, screenshots, scans) for ``ikrar decode IMAGE...``.

Each file gets one entry, in the order given, and a file that cannot be read does not stop the
others: its entry carries an ``error`` message (Indonesian by default) instead of raising, so a
clerk who decodes a folder of photos sees every result at once.
"""
from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from pathlib import Path

from PIL import Image

from kiosk.camera.decode import FrameDecoder
from kiosk.i18n import KioskError, register
from kiosk.people.payload import BadgeKind, extract_badge

register({
    "camera.file_missing": {
        "id": "Berkas tidak ditemukan. Periksa nama dan foldernya.",
        "en": "File not found. Check its name and folder.",
    },
    "camera.not_image": {
        "id": "Berkas ini tidak dapat dibuka sebagai gambar. Gunakan foto PNG atau JPEG yang utuh.",
        "en": "This file cannot be opened as an image. Use an intact PNG or JPEG photo.",
    },
    "camera.no_code": {
        "id": "Tidak ada kode QR yang terbaca di gambar ini. Foto ulang kartunya lebih dekat, tajam, dan tanpa "
              "pantulan cahaya.",
        "en": "No QR code could be read in this image. Photograph the badge again: closer, sharp and without "
              "glare.",
    },
})

# A photo from a phone is at most ~50 MP; anything bigger is refused as a likely decompression bomb.
MAX_PIXELS = 60_000_000


def decode_image_files(paths: Iterable[str | os.PathLike[str]],
                       decoder: FrameDecoder | None = None) -> list[dict[str, str | None]]:
    """Decode the badge in each image file.

    Every entry is ``{"file", "nip", "code", "payload", "error"}``: ``payload`` the text of the QR
    code read (None if none), ``nip`` the one valid NIP in it (digits) or None, ``code`` the badge
    code or None, and ``error`` None when the file held a valid badge, else a message saying what
    is wrong and what to do (missing file, not an image, no code, a code that is not a badge); the
    message does not repeat the file name, which the entry carries.
    """
    dec = decoder or FrameDecoder(budget_ms=10_000)      # files are read once: no need to hurry
    return [_decode_one(Path(p), dec) for p in paths]


def _decode_one(path: Path, dec: FrameDecoder) -> dict[str, str | None]:
    entry: dict[str, str | None] = {"file": str(path), "nip": None, "code": None, "payload": None, "error": None}
    try:
        image = _open(path)
    except KioskError as exc:
        entry["error"] = exc.message()
        return entry
    result = dec.decode(image)
    if result is None:
        entry["error"] = KioskError("camera.no_code").message()
        return entry
    entry["payload"] = result.text
    try:
        badge = extract_badge(result.text)
    except KioskError as exc:
        entry["error"] = exc.message()
        return entry
    entry["nip" if badge.kind is BadgeKind.NIP else "code"] = badge.value
    return entry


def _open(path: Path) -> Image.Image:
    """The file as an RGB or grayscale image, transparent parts on white; KioskError if it is not one."""
    if not path.is_file():
        raise KioskError("camera.file_missing")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                if img.width * img.height > MAX_PIXELS:
                    raise KioskError("camera.not_image")
                img.load()
                if img.mode in ("L", "RGB"):
                    return img.copy()
                if "A" in img.getbands() or "transparency" in img.info:
                    rgba = img.convert("RGBA")
                    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                    return Image.alpha_composite(white, rgba).convert("RGB")
                return img.convert("RGB")
    except KioskError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            MemoryError):
        raise KioskError("camera.not_image") from None
