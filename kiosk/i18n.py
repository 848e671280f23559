"""Messages in Indonesian (default) and English.

Every module keeps its own catalogue and registers it here, so a message lives
beside the code that raises it.  Errors carry a code and parameters and are
rendered in the current language only when shown.
"""
from __future__ import annotations

LANGUAGES = ("id", "en")
_lang = "id"
_catalogue: dict[str, dict[str, str]] = {}


def register(messages: dict[str, dict[str, str]]) -> None:
    """Add ``{code: {"id": ..., "en": ...}}`` entries to the catalogue."""
    for code, texts in messages.items():
        missing = [lang for lang in LANGUAGES if lang not in texts]
        if missing:
            raise ValueError(f"message {code!r} lacks {missing}")
        _catalogue[code] = texts


def set_language(lang: str) -> None:
    global _lang
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {LANGUAGES}")
    _lang = lang


def language() -> str:
    return _lang


def t(code: str, lang: str | None = None, /, **params: object) -> str:
    texts = _catalogue.get(code)
    if texts is None:
        return code
    return texts[lang or _lang].format(**params)


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
