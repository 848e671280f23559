"""Messages in Indonesian (default) and English.

Every module keeps its own catalogue and registers it here, so a message lives
beside the code that raises it.  Errors carry a code and parameters and are
rendered in the current language only when shown.
"""
from __future__ import annotations

import math
import re

LANGUAGES = ("id", "en")
# A pseudo-locale for testing layouts (Windows and Qt call it qps-ploc): the Indonesian text with every
# word 40 % longer and accented, so a screen that clips or overlaps a longer translation shows it.
PSEUDO = "qps"
STRETCH = 1.4
_lang = "id"
_catalogue: dict[str, dict[str, str]] = {}
_pseudo_cache: dict[str, str] = {}
_ACCENTS = str.maketrans("aeiouyAEIOUYcnszCNSZ", "àéîõüýÀÉÎÕÜÝçñšžÇÑŠŽ")
# What is not text to stretch: {placeholders} (and {{ }}), <tags>, &entities; (a &-mnemonic stays before its letter).
_KEEP = re.compile(r"\{\{|\}\}|\{[^{}]*\}|<[^<>]*>|&[A-Za-z]+;|&#\d+;")
_WORD = re.compile(r"[^\W\d_]+")


def _stretch_word(word: str, extra: int) -> str:
    """``word`` with ``extra`` of its letters doubled, spread evenly, then accented."""
    n = len(word)
    picks = {min(n - 1, (2 * k + 1) * n // (2 * extra)) for k in range(extra)} if extra <= n else set(range(n))
    out = []
    for i, ch in enumerate(word):
        out.append(ch)
        if i in picks:
            out.append(ch.lower() * (1 + (extra - n) // n if extra > n else 1))
    stretched = "".join(out)
    stretched += stretched[-1] * max(0, n + extra - len(stretched))
    return stretched.translate(_ACCENTS)


def pseudo(text: str) -> str:
    """``text`` in the pseudo-locale: 40 % longer (placeholders, tags and entities aside), the extra letters
    spread over its words in proportion to their length, accented; placeholders, tags and entities are
    unchanged, so ``.format(**params)`` and rich text still work."""
    done = _pseudo_cache.get(text)
    if done is not None:
        return done
    segments, last = [], 0
    for kept in _KEEP.finditer(text):
        segments += [(text[last:kept.start()], True), (kept.group(), False)]
        last = kept.end()
    segments.append((text[last:], True))
    visible = sum(len(piece) for piece, free in segments if free)
    letters = sum(len(m.group()) for piece, free in segments if free for m in _WORD.finditer(piece))
    need = math.ceil((STRETCH - 1) * visible)

    def stretched(m: re.Match[str]) -> str:
        return _stretch_word(m.group(), math.ceil(need * len(m.group()) / letters))
    done = "".join(_WORD.sub(stretched, piece) if free else piece for piece, free in segments)
    _pseudo_cache[text] = done
    return done


def register(messages: dict[str, dict[str, str]]) -> None:
    """Add ``{code: {"id": ..., "en": ...}}`` entries to the catalogue."""
    for code, texts in messages.items():
        missing = [lang for lang in LANGUAGES if lang not in texts]
        if missing:
            raise ValueError(f"message {code!r} lacks {missing}")
        _catalogue[code] = texts


def set_language(lang: str) -> None:
    """Speak ``lang`` from now on: one of LANGUAGES, or PSEUDO (the layout tests' stretched Indonesian)."""
    global _lang
    if lang not in LANGUAGES and lang != PSEUDO:
        raise ValueError(f"unknown language {lang!r}; use one of {LANGUAGES}")
    _lang = lang


def language() -> str:
    return _lang


def t(code: str, lang: str | None = None, /, **params: object) -> str:
    texts = _catalogue.get(code)
    if texts is None:
        return code
    lang = lang or _lang
    if lang == PSEUDO:
        return pseudo(texts["id"]).format(**params)
    return texts[lang].format(**params)


class KioskError(Exception):
    """A refusal the user can act on; ``str()`` gives the message in the current language."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, lang: str | None = None) -> str:
        return t(self.code, lang, **self.params)

    def __str__(self) -> str:
        return self.message()
