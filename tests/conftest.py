import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk import demo, i18n  # noqa: E402
from kiosk.ceremony import pledge  # noqa: E402
from kiosk.store import Store  # noqa: E402
from ui.commands import main  # noqa: E402  (the whole ikrar command line, screens included)


@pytest.fixture(autouse=True)
def _key_store(tmp_path_factory, monkeypatch):
    """Device keys go to a folder of the test's own (never the real user's key store); subprocesses inherit it."""
    monkeypatch.setenv("IKRAR_KEY_DIR", str(tmp_path_factory.mktemp("keys")))


@pytest.fixture(autouse=True)
def _user_data_folder(tmp_path_factory, monkeypatch):
    """The user data folder (log, config.json, default database) is a folder of the test's own, never the real
    user's; subprocesses inherit it."""
    folder = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    monkeypatch.setenv("LOCALAPPDATA", str(folder))
    monkeypatch.delenv("IKRAR_LOG_DIR", raising=False)


@pytest.fixture(autouse=True)
def _quick_pin(monkeypatch):
    """The admin PIN's real cost (a quarter second a guess) is tested on its own; other tests hash cheaply."""
    from kiosk.security import pin
    monkeypatch.setattr(pin, "COST", (2 ** 10, 8, 1))


@pytest.fixture(autouse=True)
def _fast_scrypt(monkeypatch):
    """Encrypted exports' real key derivation (half a second) is measured on its own; tests derive cheaply,
    and never from a passphrase left in the environment."""
    from kiosk.exchange import sealing
    monkeypatch.setattr(sealing, "SCRYPT_LOG2_N", 12)
    monkeypatch.delenv("IKRAR_PASSPHRASE", raising=False)


@pytest.fixture
def pair(tmp_path):
    """Kiosk a and its clone b with check-ins on both (see tests/kiosk_pair.py)."""
    from kiosk_pair import build_pair
    p = build_pair(tmp_path)
    yield p
    p.a.close()
    p.b.close()


@pytest.fixture(autouse=True)
def _indonesian():
    """Every test starts in Indonesian and leaves it so."""
    i18n.set_language("id")
    yield
    i18n.set_language("id")


@pytest.fixture
def pseudo():
    """Every text in the pseudo-locale (40 % longer, accented; tests/text_fit.py checks that it fits);
    _indonesian puts Indonesian back afterwards."""
    i18n.set_language(i18n.PSEUDO)
    yield


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "kiosk.db"


@pytest.fixture
def store(db_path):
    with Store(db_path) as s:
        yield s


@pytest.fixture
def people():
    return list(demo.people(30))


@pytest.fixture
def event(store, people):
    rendered = pledge.render(pledge.load_template("pemilu-2024"), {"instansi": "Pemerintah Kabupaten Uji"})
    e = store.create_event("Apel Ikrar Netralitas ASN", "2024-11-04", "Ruang Pola", pledge=rendered)
    store.upsert_people(people)
    return e


@pytest.fixture
def ikrar(tmp_path, monkeypatch, capsys):
    """Run the ``ikrar`` command line in-process: ``code, out, err = ikrar("status", "--json")``.

    The default database is a fresh file in the test's folder; standard input is not a terminal.
    """
    monkeypatch.setenv("IKRAR_DB", str(tmp_path / "cli.db"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)

    def run(*args):
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err
    return run
