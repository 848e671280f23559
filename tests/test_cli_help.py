"""``ikrar --help`` speaks the user's language: every command's and option's help has its Indonesian."""
from __future__ import annotations

import argparse
import subprocess
import sys

from kiosk.cli import app
from kiosk.cli.help_id import INDONESIAN
from ui import commands as ui_commands


def _help_texts(parser: argparse.ArgumentParser) -> set[str]:
    texts = {parser.description} if parser.description else set()
    for action in parser._actions:
        if action.help and action.help is not argparse.SUPPRESS:
            texts.add(action.help)
        if isinstance(action, argparse._SubParsersAction):
            texts |= {choice.help for choice in action._choices_actions if choice.help}
            for sub in action.choices.values():
                texts |= _help_texts(sub)
    return texts


def _all_texts() -> set[str]:
    from kiosk import i18n
    i18n.set_language("en")                 # argparse's own words in English, as the keys are
    try:
        return _help_texts(app.build_parser([ui_commands.add_commands]))
    finally:
        i18n.set_language("id")


def test_every_help_text_of_every_command_has_its_indonesian():
    missing = sorted(text for text in _all_texts() - {"show this help message and exit"} if text not in INDONESIAN)
    assert not missing, "add these to kiosk/cli/help_id.py:\n" + "\n".join(missing)


def test_no_indonesian_help_is_left_over_from_a_text_that_is_gone():
    assert not sorted(set(INDONESIAN) - _all_texts())


def _ikrar(*args: str) -> str:
    run = subprocess.run([sys.executable, "-m", "ui", *args], capture_output=True, text=True,
                         encoding="utf-8", check=True)
    return run.stdout


def test_help_is_indonesian_by_default_and_english_on_request():
    indonesian = _ikrar("export", "pdf", "--help")
    assert "cara pakai: ikrar export pdf" in indonesian
    assert "daftar hadir bertanda tangan, PDF A4" in indonesian
    assert "timpa berkas yang sudah ada" in indonesian
    assert "replace an existing file" not in indonesian
    english = _ikrar("--lang", "en", "export", "pdf", "--help")
    assert "usage: ikrar export pdf" in english and "replace an existing file" in english
    assert "timpa" not in english


def test_the_command_list_is_indonesian():
    text = _ikrar("--help")
    assert "buka layar kios kehadiran (layar penuh)" in text
    assert "gabungkan ekspor satu acara" in text
