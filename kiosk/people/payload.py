"""Extract exactly one NIP from what a badge scanner or camera delivers.

Accepted: a bare NIP, a spaced or dotted one, ``NIP. 19680411 199303 1 009``,
a URL or JSON holding one.  Scanners may wrap it in CR, LF, Tab, STX/ETX.
Two different NIPs in one payload, or none, is a refusal.
"""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, unquote, urlsplit

from kiosk.people import nip as _nip
from kiosk.i18n import KioskError, register

register({
    "payload.empty": {
        "id": "Kode QR kosong. Pindai ulang kartu Anda.",
        "en": "The QR code is empty. Scan your badge again.",
    },
    "payload.no_nip": {
        "id": "Kode QR ini tidak memuat NIP. Gunakan kartu QR NIP Anda.",
        "en": "This QR code holds no NIP. Use your NIP QR badge.",
    },
    "payload.two_nips": {
        "id": "Kode QR ini memuat dua NIP berbeda ({first} dan {second}). Gunakan kartu yang hanya memuat NIP Anda.",
        "en": "This QR code holds two different NIPs ({first} and {second}). Use a badge holding only your NIP.",
    },
    "payload.too_long": {
        "id": "Kode QR terlalu panjang untuk kartu NIP. Gunakan kartu QR NIP Anda.",
        "en": "The QR code is too long for a NIP badge. Use your NIP QR badge.",
    },
})

MAX_PAYLOAD = 4096
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_AIM = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_PREFIX = re.compile(r"^\s*NIP\s*[.:]?\s*", re.IGNORECASE)
# 18 digits, optionally grouped 8-6-1-3 with spaces or dots, not inside a longer number.
_CANDIDATE = re.compile(r"(?<![0-9])([0-9]{8}[ .]?[0-9]{6}[ .]?[0-9][ .]?[0-9]{3})(?![0-9])")
_BARE = re.compile(r"'?[0-9 .\u00a0]+|[0-9.,]+[eE][+-]?[0-9]+")
_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9]{9,}(?![0-9])")


def clean(raw: str) -> str:
    """Drop the control characters scanners add (CR, LF, Tab, STX, ETX …) and an AIM
    symbology identifier such as ``]Q1`` that some scanners put before the data."""
    return _AIM.sub("", _CONTROL.sub("", raw).strip(), count=1)


def extract_nip(raw: str) -> _nip.Nip:
    """Return the one valid NIP in ``raw`` or raise KioskError saying why not."""
    if len(raw) > MAX_PAYLOAD:
        raise KioskError("payload.too_long")
    text = clean(raw)
    if not text:
        raise KioskError("payload.empty")

    # The common case: the payload is the NIP itself, perhaps spaced or prefixed.
    bare = _PREFIX.sub("", text)
    if _BARE.fullmatch(bare) and len(_CANDIDATE.findall(bare)) <= 1:
        return _nip.parse(bare)

    candidates = _candidates(text)
    valid: dict[str, _nip.Nip] = {}
    first_error: KioskError | None = None
    for cand in candidates:
        try:
            parsed = _nip.parse(cand)
        except KioskError as exc:
            first_error = first_error or exc
            continue
        valid.setdefault(parsed.digits, parsed)
    if len(valid) > 1:
        a, b = list(valid)[:2]
        raise KioskError("payload.two_nips", first=_nip.format_spaced(a), second=_nip.format_spaced(b))
    if valid:
        return next(iter(valid.values()))
    if first_error is not None:
        raise first_error
    raise KioskError("payload.no_nip")


def _candidates(text: str) -> list[str]:
    """Every string in the payload that might be a NIP, most specific first."""
    found: list[str] = []
    for piece in _pieces(text):
        found.extend(m.group(1) for m in _CANDIDATE.finditer(piece))
        # A wrong-length digit run still deserves its own reason (e.g. old NIP).
        found.extend(m.group(0) for m in _DIGIT_RUN.finditer(piece) if len(m.group(0)) != 18)
    return found


def _pieces(text: str) -> list[str]:
    """Split JSON and URLs into their string values, so keys and hosts cannot glue digits together."""
    pieces: list[str] = []
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        obj = None
    if obj is not None and not isinstance(obj, (int, float)):
        _walk_json(obj, pieces)
        return pieces
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        parts = urlsplit(text)
        pieces.append(unquote(parts.path))
        pieces.extend(unquote(v) for _, v in parse_qsl(parts.query, keep_blank_values=True))
        pieces.append(unquote(parts.fragment))
        return pieces
    return [text]


def _walk_json(obj: object, out: list[str]) -> None:
    if isinstance(obj, dict):
        for value in obj.values():
            _walk_json(value, out)
    elif isinstance(obj, list):
        for value in obj:
            _walk_json(value, out)
    elif isinstance(obj, bool) or obj is None:
        return
    elif isinstance(obj, int):
        out.append(str(obj))
    elif isinstance(obj, str):
        out.append(obj)
