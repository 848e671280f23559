"""``ikrar --help`` speaks the user's language: every command's and option's help has its Indonesian."""
from __future__ import annotations

import argparse
import os
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
        return _help_texts(app.build_parser(ui_commands.plugins()))
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


def _top_commands(parser: argparse.ArgumentParser) -> list[str]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(sub.choices)


def test_the_command_table_says_what_each_module_adds():
    """app.CORE (and the screens' plugins) name each module's commands, so a command loads its module alone."""
    for module in (*app.CORE, *ui_commands.plugins()):
        parser = argparse.ArgumentParser()
        commands = app.Commands(parser.add_subparsers(dest="command"), app.common_options())
        module.load()(commands)
        assert sorted(_top_commands(parser)) == sorted(module.commands), module.name


def test_one_command_builds_only_its_modules_and_help_lists_them_all():
    everything = _top_commands(app.build_parser(ui_commands.plugins()))
    assert {"kiosk", "desk", "setup", "export", "badges", "sync", "purge"} <= set(everything)
    assert _top_commands(app.build_parser(ui_commands.plugins(), "kiosk")) == ["kiosk", "display", "desk"]
    assert sorted(_top_commands(app.build_parser(ui_commands.plugins(), "export"))) == [
        "badges", "clone", "export", "merge", "sync", "verify"]
    assert _top_commands(app.build_parser(ui_commands.plugins(), "no-such-command")) == everything
    from kiosk.cli import usage
    assert usage.command_of(["--db", "x.db", "--lang", "en", "--json", "kiosk", "--windowed"]) == "kiosk"
    assert usage.command_of(["--db=x.db", "status"]) == "status"
    assert usage.command_of(["--db", "x.db", "--help"]) is None


def test_the_kiosk_command_starts_without_the_documents_exports_or_sync():
    probe = ("import sys; from ui import commands; from kiosk.cli import app, usage; "
             "app.build_parser(commands.plugins(), usage.command_of(['--db', 'k.db', 'kiosk'])); "
             "print(' '.join(sorted(m for m in sys.modules if m.startswith(('kiosk.cli.', 'kiosk.documents', "
             "'kiosk.exchange', 'fpdf', 'openpyxl', 'python_calamine', 'psycopg', 'sqlite_utils')))))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert set(out) <= {"kiosk.cli.app", "kiosk.cli.common", "kiosk.cli.usage", "kiosk.cli.help_id"}, out


def test_the_kiosk_screen_and_its_database_start_without_what_only_other_work_needs(tmp_path):
    """The kiosk's start (its screen's modules, a database opened) leaves out what only documents, imports,
    exports, migrations or the staff need: each was a measured share of the cold start (bench_bundle.py)."""
    from kiosk.store import Store
    Store(tmp_path / "k.db").close()                    # made (and migrated) here, so the probe only opens it
    probe = ("import sys; from pathlib import Path; from PySide6.QtWidgets import QApplication; "
             "app = QApplication([]); import ui.kiosk.app; from ui.kiosk.window import KioskWindow; "
             "from ui.kiosk.service import KioskService; service = KioskService(Path(sys.argv[1]), None); "
             "window = KioskWindow(service); service.shutdown(); "
             "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlite_utils', 'qrcode', 'fpdf', "
             "'openpyxl', 'python_calamine', 'psycopg', 'fontTools') or m.startswith(('kiosk.documents', "
             "'kiosk.exchange', 'kiosk.cli.', 'ui.kiosk.dialogs', 'ui.kiosk.staff_', 'ui.kiosk.keeper')))))")
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "k.db")], capture_output=True, text=True,
                         check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}).stdout.split()
    assert out == [], out
