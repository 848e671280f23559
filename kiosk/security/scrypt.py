"""scrypt, one function for the admin PIN and the sealed exports.

Through ``cryptography`` (its own OpenSSL, the one the device keys and sealing use) rather than
``hashlib.scrypt``, which exists only when Python was built against an OpenSSL that has it.  Same
algorithm, same bytes: tests/test_admin.py compares the two, so the PINs stored so far still open.
"""
from __future__ import annotations


def scrypt(secret: str, salt: bytes, *, n: int, r: int, p: int, length: int = 32) -> bytes:
    """The scrypt key of ``secret`` (UTF-8) with this salt and cost."""
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
    return Scrypt(salt=salt, length=length, n=n, r=r, p=p).derive(secret.encode("utf-8"))
