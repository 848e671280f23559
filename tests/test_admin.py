import pytest

from kiosk.security import pin as admin
from kiosk.cli import main
from kiosk.i18n import KioskError


@pytest.mark.parametrize("pin, code", [("12345", "pin.format"), ("12a456", "pin.format"), ("1234567890123", "pin.format"),
                                       ("000000", "pin.weak"), ("123456", "pin.weak"), ("987654", "pin.weak")])
def test_weak_or_malformed_pins_are_refused(store, pin, code):
    with pytest.raises(KioskError) as info:
        admin.set_pin(store, pin)
    assert info.value.code == code
    assert not admin.has_pin(store)


def test_no_default_pin(store):
    assert not admin.has_pin(store)
    with pytest.raises(KioskError) as info:
        admin.verify_pin(store, "000000")
    assert info.value.code == "pin.not_set" and "ikrar admin pin" in str(info.value)


def test_pin_is_stored_as_a_slow_salted_hash(store):
    admin.set_pin(store, "246810")
    raw = store.get_setting("admin_pin")
    assert "246810" not in raw and '"alg": "scrypt"' in raw
    assert admin.verify_pin(store, "246810") and not admin.verify_pin(store, "246811")
    assert "246810" not in "\n".join(store.conn.iterdump())


def test_too_many_wrong_pins_lock_for_a_minute(store):
    admin.set_pin(store, "246810")
    now = [1000.0]
    for _ in range(admin.MAX_TRIES):
        assert not admin.verify_pin(store, "111111", clock=lambda: now[0])
    with pytest.raises(KioskError) as info:
        admin.verify_pin(store, "246810", clock=lambda: now[0])
    assert info.value.code == "pin.locked"
    now[0] += admin.LOCK_SECONDS + 1
    assert admin.verify_pin(store, "246810", clock=lambda: now[0])


def test_cli_reads_the_pin_from_standard_input(tmp_path, monkeypatch, capsys):
    import io
    db = tmp_path / "pin.db"
    monkeypatch.setattr("sys.stdin", io.StringIO("135792\n"))
    assert main(["--db", str(db), "admin", "pin"]) == 0
    assert "disimpan" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("111111\n"))
    assert main(["--db", str(db), "admin", "pin"]) == 1
    assert "mudah ditebak" in capsys.readouterr().err
    from kiosk.store import Store
    with Store(db) as s:
        assert admin.verify_pin(s, "135792")
