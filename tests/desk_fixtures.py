"""The desk tests' fixtures (loaded with ``pytest_plugins = ("desk_fixtures",)``): a hall's database on
disk, the desk's worker and context on it, and the user's answers to the desk's questions."""
from __future__ import annotations

from pathlib import Path

import pytest
from desk_data import build_hall
from desk_helpers import Answers, open_desk_context


@pytest.fixture
def hall(tmp_path) -> Path:
    db = tmp_path / "hall.db"
    build_hall(db, logo_dir=tmp_path).close()
    return db


@pytest.fixture
def desk(qtbot, hall):
    context = open_desk_context(qtbot, hall)
    yield context
    context.service.shutdown()


@pytest.fixture
def answers(monkeypatch) -> Answers:
    return Answers().install(monkeypatch)
