"""Extract exactly one identity from what a badge scanner or camera delivers.

``extract_nip``: a bare NIP, a spaced or dotted one, ``NIP. 19680411 199303 1 009``,
a URL or JSON holding one.  Scanners may wrap it in CR, LF, Tab, STX/ETX.
Two different NIPs in one payload, or none, is a refusal.

``extract_badge``: the same NIP forms, or a badge code (``K7QM4XP``, ``K7QM-4XP``,
lower case, in a URL or JSON value) for people without a NIP.  A NIK anywhere in
the payload is refused (a badge never carries one), and so are two identities.
"""
from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import parse_qsl, unquote, urlsplit

from kiosk.i18n import KioskError, register
from kiosk.people import badge_code as _code
from kiosk.people import nik as _nik
from kiosk.people import nip as _nip

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
    "payload.badge_too_long": {
        "id": "Kode QR terlalu panjang untuk kartu peserta. Gunakan kartu QR apel Anda.",
        "en": "The QR code is too long for an attendee badge. Use your ceremony QR badge.",
    },
    "payload.no_badge": {
        "id": "Kode QR ini tidak memuat NIP maupun kode kartu. Gunakan kartu QR apel Anda, "
              "atau tanyakan ke meja panitia.",
        "en": "This QR code holds neither a NIP nor a badge code. Use your ceremony QR badge, or ask the desk.",
    },
    "payload.nik": {
        "id": "Kode QR ini memuat NIK. NIK adalah data pribadi dan tidak boleh ada di kartu: "
              "jangan pakai kartu ini lagi dan minta kartu baru dengan kode kartu di meja panitia.",
        "en": "This QR code holds a NIK. A NIK is personal data and never belongs on a badge: "
              "stop using this badge and ask the desk for a new one with a badge code.",
    },
    "payload.two_codes": {
        "id": "Kode QR ini memuat dua kode kartu berbeda ({first} dan {second}). "
              "Gunakan kartu yang hanya memuat kode Anda.",
        "en": "This QR code holds two different badge codes ({first} and {second}). "
              "Use a badge holding only your code.",
    },
    "payload.two_identities": {
        "id": "Kode QR ini memuat NIP {nip} sekaligus kode kartu {badge}. "
              "Gunakan kartu yang hanya memuat satu identitas, atau tanyakan ke meja panitia.",
        "en": "This QR code holds both NIP {nip} and badge code {badge}. "
              "Use a badge holding one identity only, or ask the desk.",
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


# --- NIP or badge code -------------------------------------------------------------------------


class BadgeKind(StrEnum):
    NIP = "nip"
    CODE = "code"


@dataclass(frozen=True, slots=True)
class Badge:
    kind: BadgeKind
    value: str          # the NIP's 18 digits, or the canonical badge code (K7QM4XP)


_CODE_PREFIX = re.compile(r"^\s*(KODE|CODE)\s*[.:]?\s*", re.IGNORECASE)
# A code inside other text: a letter, three characters, an optional dash, three characters,
# not inside a longer word.  Only candidates that pass parse_code count.
_CODE_TOKEN = re.compile(r"(?<![0-9A-Za-z])[A-Za-z][0-9A-Za-z]{3}-?[0-9A-Za-z]{3}(?![0-9A-Za-z])")
# What someone meant as a code: a few letters and digits, at least one of each.
_CODE_ATTEMPT = re.compile(r"(?=.*[A-Za-z])(?=.*[0-9])[0-9A-Za-z]{5,9}")
_SEVEN = re.compile(r"(?=.*[A-Za-z])[0-9A-Za-z]{7}")
_ATTEMPT_MAX = 40     # longer text is not a code typed with spaces and dashes
# Sixteen digits, perhaps grouped with spaces, dots or dashes, not inside a longer number.
_NOT_DIGIT = re.compile(r"[^0-9]+")
_NIK_RUN = re.compile(r"(?<![0-9])[0-9](?:[ .\-]?[0-9]){15}(?![0-9])")


def extract_badge(raw: str) -> Badge:
    """Return the one NIP or badge code in ``raw``, or raise KioskError saying why not."""
    if len(raw) > MAX_PAYLOAD:
        raise KioskError("payload.badge_too_long")
    text = clean(raw)
    if not text:
        raise KioskError("payload.empty")
    pieces = _pieces(text)
    if _holds_nik(text, pieces):
        raise KioskError("payload.nik")

    codes, code_error = _codes(text, pieces)
    try:
        found_nip: _nip.Nip | None = extract_nip(raw)
        nip_error: KioskError | None = None
    except KioskError as exc:
        found_nip, nip_error = None, exc

    if found_nip is not None and codes:
        raise KioskError("payload.two_identities", nip=found_nip.spaced, badge=_code.format_code(codes[0]))
    if len(codes) > 1:
        raise KioskError("payload.two_codes", first=_code.format_code(codes[0]),
                         second=_code.format_code(codes[1]))
    if codes:
        return Badge(BadgeKind.CODE, codes[0])
    if found_nip is not None:
        return Badge(BadgeKind.NIP, found_nip.digits)
    if nip_error is not None and nip_error.code != "payload.no_nip":
        raise nip_error
    if code_error is not None:
        raise code_error
    raise KioskError("payload.no_badge")


def _holds_nik(text: str, pieces: list[str]) -> bool:
    digits = len(_NOT_DIGIT.sub("", text))
    if digits < _nik.LENGTH:
        return False
    if digits == _nik.LENGTH and _nik.is_valid(text):
        return True
    return any(_nik.is_valid(m.group(0)) for piece in pieces for m in _NIK_RUN.finditer(piece))


def _codes(text: str, pieces: list[str]) -> tuple[list[str], KioskError | None]:
    """The distinct valid codes in the payload, and the refusal of a mistyped one if that is all there is.

    A whole payload (or a whole JSON or URL value) that looks meant as a code and fails
    gives its own reason; a word inside other text that fails is just not a code.
    """
    found: dict[str, None] = {}
    tried: set[str] = set()
    error: KioskError | None = None
    for i, whole in enumerate([_CODE_PREFIX.sub("", text), *pieces]):
        if len(whole) > _ATTEMPT_MAX:
            continue
        attempt = _code.normalise(whole)
        if attempt in tried:
            continue
        tried.add(attempt)
        # The payload itself, seven letters and digits: a code with a misread digit, say.
        if _CODE_ATTEMPT.fullmatch(attempt) or (i == 0 and _SEVEN.fullmatch(attempt)):
            try:
                found.setdefault(_code.parse_code(attempt), None)
            except KioskError as exc:
                error = error or exc
    for piece in pieces:
        for m in _CODE_TOKEN.finditer(piece):
            token = m.group(0).replace("-", "").upper()
            if token in tried or not any(ch.isdigit() for ch in token):    # every code holds a digit
                continue
            tried.add(token)
            with contextlib.suppress(KioskError):       # a word in other text that is not a code
                found.setdefault(_code.parse_code(token), None)
    return list(found), error
