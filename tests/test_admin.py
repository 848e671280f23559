import pytest

from kiosk.cli import main
from kiosk.i18n import KioskError
from kiosk.security import pin as admin


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


def test_each_lock_out_doubles_the_wait_and_a_right_pin_ends_it(store):
    admin.set_pin(store, "246810")
    now = [1000.0]
    waits = []
    for _ in range(4):
        for _ in range(admin.MAX_TRIES):
            assert not admin.verify_pin(store, "111111", clock=lambda: now[0])
        with pytest.raises(KioskError) as info:
            admin.verify_pin(store, "246810", clock=lambda: now[0])
        waits.append(info.value.params["seconds"])
        now[0] += float(store.get_setting("admin_pin_locked_until")) - now[0] + 0.5
    assert waits == [61, 121, 241, 481]
    assert admin.verify_pin(store, "246810", clock=lambda: now[0])      # the right PIN ends the back-off
    for _ in range(admin.MAX_TRIES):
        admin.verify_pin(store, "111111", clock=lambda: now[0])
    with pytest.raises(KioskError) as info:
        admin.verify_pin(store, "246810", clock=lambda: now[0])
    assert info.value.params["seconds"] == 61
    assert admin.lock_seconds(40) == admin.MAX_LOCK_SECONDS


def test_the_real_cost_is_a_quarter_second_class_hash(monkeypatch):
    from kiosk.security import pin as module
    monkeypatch.undo()                                   # the module's own cost, not the tests' cheap one
    n, r, p = module.COST
    assert n * r * 128 >= 64 * 1024 * 1024 and p == 1   # 64 MiB of memory per guess (0.27 s measured)


def test_an_old_cheap_hash_still_opens_and_is_stored_again_at_todays_cost(store):
    import hashlib
    import json
    import os
    salt = os.urandom(16)
    old = {"alg": "scrypt", "n": 2 ** 14, "r": 8, "p": 1, "salt": salt.hex(),
           "hash": hashlib.scrypt(b"482915", salt=salt, n=2 ** 14, r=8, p=1, dklen=32).hex()}
    store.set_setting("admin_pin", json.dumps(old))
    assert admin.verify_pin(store, "482915")
    assert json.loads(store.get_setting("admin_pin"))["n"] == admin.COST[0]
    assert admin.verify_pin(store, "482915")


def test_changing_the_pin_needs_the_current_one_and_a_reset_is_audited(tmp_path, monkeypatch, capsys):
    import io
    db = tmp_path / "pin.db"
    monkeypatch.setattr("sys.stdin", io.StringIO("135792\n"))
    assert main(["--db", str(db), "admin", "pin"]) == 0                   # the first PIN: no current one
    assert "disimpan" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("999999\n246813\n"))     # a wrong current PIN
    assert main(["--db", str(db), "admin", "pin"]) == 1
    assert "PIN yang sekarang salah" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("135792\n111111\n"))     # right, but a weak new one
    assert main(["--db", str(db), "admin", "pin"]) == 1
    assert "mudah ditebak" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("135792\n246813\n"))
    assert main(["--db", str(db), "admin", "pin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("975318\n"))               # forgotten: --reset
    assert main(["--db", str(db), "admin", "pin", "--reset"]) == 0
    out = capsys.readouterr()
    assert "log audit" in out.err and "direset" in out.out
    from kiosk.store import Store
    with Store(db) as s:
        assert admin.verify_pin(s, "975318") and not admin.verify_pin(s, "246813")
        actions = [r[0] for r in s.conn.execute("SELECT action FROM audit_log WHERE action LIKE 'admin.pin%'")]
    assert actions[:3] == ["admin.pin_set", "admin.pin_wrong", "admin.pin_changed"]
    assert "admin.pin_reset" in actions


def test_pin_hash_is_the_same_scrypt_as_hashlib_so_stored_pins_still_open():
    """The PIN's scrypt comes from cryptography now (no second OpenSSL in the bundle): the very bytes
    hashlib.scrypt gave the PINs stored by earlier releases."""
    import hashlib

    salt = bytes(range(16))
    for n, r, p in ((2 ** 14, 8, 1), admin.COST):
        expected = hashlib.scrypt(b"482915", salt=salt, n=n, r=r, p=p, maxmem=130 * r * n * p + (1 << 20), dklen=32)
        assert admin._hash("482915", salt, n, r, p) == expected
