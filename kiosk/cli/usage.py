"""argparse's own words (usage errors, help headings) in the user's language.

argparse looks each of its messages up through ``gettext`` at the moment it shows it; :func:`install`
puts this catalogue in gettext's place, so ``ikrar absence set X --reason liburan`` says, in
Indonesian, that the choice is unknown and which ones there are, then where the help is.  A message
this catalogue does not know stays as argparse wrote it.
"""
from __future__ import annotations

import argparse
import copy
from collections.abc import Sequence

from kiosk import i18n
from kiosk.cli.help_id import INDONESIAN
from kiosk.i18n import register, t

#: argparse's message (Python 3.11 to 3.13) -> our code; the English text is argparse's own.
_CODES = {
    "usage: ": "usage.usage",
    "argument %(argument_name)s: %(message)s": "usage.argument",
    "unrecognized arguments: %s": "usage.unrecognized",
    "the following arguments are required: %s": "usage.required",
    "one of the arguments %s is required": "usage.one_of",
    "expected one argument": "usage.one_value",
    "expected at most one argument": "usage.at_most_one",
    "expected at least one argument": "usage.at_least_one",
    "ambiguous option: %(option)s could match %(matches)s": "usage.ambiguous",
    "invalid %(type)s value: %(value)r": "usage.invalid_value",
    "invalid choice: %(value)r (choose from %(choices)s)": "usage.invalid_choice",
    "not allowed with argument %s": "usage.not_with",
    "%(prog)s: error: %(message)s\n": "usage.error",
    "positional arguments": "usage.positional",
    "options": "usage.options",
    "show this help message and exit": "usage.help",
}

register({
    "usage.usage": {"id": "cara pakai: ", "en": "usage: "},
    "usage.argument": {"id": "argumen %(argument_name)s: %(message)s", "en": "argument %(argument_name)s: %(message)s"},
    "usage.unrecognized": {"id": "argumen tidak dikenal: %s", "en": "unrecognized arguments: %s"},
    "usage.required": {"id": "argumen berikut wajib diisi: %s", "en": "the following arguments are required: %s"},
    "usage.one_of": {"id": "salah satu argumen %s wajib diisi", "en": "one of the arguments %s is required"},
    "usage.one_value": {"id": "perlu satu nilai", "en": "expected one argument"},
    "usage.at_most_one": {"id": "paling banyak satu nilai", "en": "expected at most one argument"},
    "usage.at_least_one": {"id": "perlu sedikitnya satu nilai", "en": "expected at least one argument"},
    "usage.ambiguous": {"id": "opsi %(option)s kurang jelas, bisa berarti %(matches)s",
                        "en": "ambiguous option: %(option)s could match %(matches)s"},
    "usage.invalid_value": {"id": "nilai %(value)r tidak sah (harus %(type)s)",
                            "en": "invalid %(type)s value: %(value)r"},
    "usage.invalid_choice": {"id": "pilihan %(value)r tidak dikenal; pilih salah satu: %(choices)s",
                             "en": "invalid choice: %(value)r (choose from %(choices)s)"},
    "usage.not_with": {"id": "tidak boleh bersama argumen %s", "en": "not allowed with argument %s"},
    "usage.error": {"id": "%(prog)s: %(message)s\nLihat bantuannya: %(prog)s --help\n",
                    "en": "%(prog)s: error: %(message)s\nSee the help: %(prog)s --help\n"},
    "usage.positional": {"id": "argumen posisi", "en": "positional arguments"},
    "usage.options": {"id": "opsi", "en": "options"},
    "usage.help": {"id": "tampilkan bantuan ini lalu keluar", "en": "show this help message and exit"},
})


def language_of(argv: Sequence[str]) -> str:
    """``--lang`` as given on the command line (argparse has not read it yet when it reports an error)."""
    for i, arg in enumerate(argv):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else (
            argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None)
        if value in i18n.LANGUAGES:
            return value
    return "id"


#: The options before the command that take a value (kiosk.cli.common.common_options).
_VALUED = ("--db", "--lang")


def command_of(argv: Sequence[str]) -> str | None:
    """The command the words name (the first word that is no option or an option's value), if any."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _VALUED:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def _translate(message: str) -> str:
    code = _CODES.get(message)
    return t(code) if code else message


def help_text(text: str) -> str:
    """A command's or option's help in the current language (the English text is its own key)."""
    return INDONESIAN.get(text, text) if i18n.language() == "id" else text


class HelpFormatter(argparse.HelpFormatter):
    """``--help`` in the current language: descriptions and help texts through :func:`help_text`."""

    def _format_text(self, text: str) -> str:
        return super()._format_text(help_text(text))

    def _expand_help(self, action: argparse.Action) -> str:
        translated = help_text(action.help) if action.help else action.help
        if translated != action.help:
            action = copy.copy(action)
            action.help = translated
        return super()._expand_help(action)


def install() -> None:
    """From now on argparse speaks the current language (set it first: :func:`kiosk.i18n.set_language`)."""
    argparse._ = _translate  # type: ignore[attr-defined]
