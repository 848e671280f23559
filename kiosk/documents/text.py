"""Text as it may be printed: cleaned of what breaks a layout, and wrapped into lines that fit.

Names and positions come from rosters anyone can edit, so they may carry control characters,
right-to-left overrides (which would flip the rest of a printed line), zero-width characters,
emoji, 10 kB of text, or a leading ``=``.  :func:`clean` keeps the visible text and drops the
rest; :func:`wrap` breaks it into at most *n* lines of a given width and ends a cut text with
an ellipsis, so nothing ever runs out of its box.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable

ELLIPSIS = "\u2026"
#: Longer text is cut before it is laid out (no field of a form needs more).
MAX_CHARS = 400


def clean(text: object, limit: int = MAX_CHARS) -> str:
    """One line of visible text: NFC, no control or format characters, single spaces."""
    if text is None:
        return ""
    s = str(text)
    if len(s) > limit * 4:
        s = s[: limit * 4]
    if not (s.isascii() and s.isprintable()):
        s = unicodedata.normalize("NFC", s)
        out = []
        for ch in s:
            cat = unicodedata.category(ch)
            if cat[0] == "Z" or ch in "\t\n\r\v\f\x1c\x1d\x1e\x1f\x85":
                out.append(" ")
            elif cat[0] == "C":      # Cc controls, Cf bidi overrides / zero-width, Co, Cs, Cn
                continue
            else:
                out.append(ch)
        s = "".join(out)
    s = " ".join(s.split())
    if len(s) > limit:
        s = s[: limit - 1].rstrip() + ELLIPSIS
    return s


def clean_lines(text: object, limit: int = 4000) -> list[str]:
    """Like :func:`clean` but keeps the line breaks (a pledge title has two lines)."""
    if text is None:
        return []
    return [clean(line, limit) for line in str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def _fit_prefix(measure: Callable[[str], float], word: str, width: float) -> int:
    """Longest prefix of ``word`` (at least one character) no wider than ``width``."""
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(word[:mid]) <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo


def ellipsize(measure: Callable[[str], float], text: str, width: float) -> str:
    """``text`` cut so that it and a trailing ellipsis fit in ``width``."""
    if measure(text + ELLIPSIS) <= width:
        return text + ELLIPSIS
    if not text:
        return ELLIPSIS
    k = _fit_prefix(measure, text, max(width - measure(ELLIPSIS), 0.0))
    return text[:k].rstrip() + ELLIPSIS


def wrap(measure: Callable[[str], float], text: str, width: float, max_lines: int = 0) -> list[str]:
    """Greedy word wrap; words wider than a line are broken; more than ``max_lines`` are cut with ….

    ``measure`` gives a string's width in the same unit as ``width``; widths add up (no kerning:
    true of every font measure here), so each word is measured once, not each growing line.
    ``max_lines`` 0 means no limit.
    """
    if not text:
        return [""]
    if measure(text) <= width:
        return [text]
    space = measure(" ")
    lines: list[str] = []
    current = ""
    current_w = 0.0
    cut = False
    for word in text.split(" "):
        if max_lines and len(lines) >= max_lines:
            cut = True
            break
        word_w = measure(word)
        candidate_w = current_w + space + word_w if current else word_w
        if candidate_w <= width:
            current = f"{current} {word}" if current else word
            current_w = candidate_w
            continue
        if current:
            lines.append(current)
            current = ""
        while word and word_w > width:
            if max_lines and len(lines) >= max_lines:
                cut = True
                break
            k = _fit_prefix(measure, word, width)
            lines.append(word[:k])
            word = word[k:]
            word_w = measure(word)
        current, current_w = word, word_w
    if current and not cut:
        lines.append(current)
    if max_lines and len(lines) > max_lines:
        lines, cut = lines[:max_lines], True
    if cut:
        lines[-1] = ellipsize(measure, lines[-1], width)
    return lines or [""]
