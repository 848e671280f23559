"""Encrypted exports: Scrypt → AES-256-GCM over the whole SQLite file behind a small header, and
where the passphrase comes from ($IKRAR_PASSPHRASE, a file's first line, a terminal prompt;
never the command line).  Encrypted files are handled in memory, so the plaintext never touches
the disk."""
from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

from kiosk.i18n import KioskError, register, t
from kiosk.security.files import readable_by_others
from kiosk.security.scrypt import scrypt

register({
    "exchange.passphrase_needed": {
        "id": "Berkas {path} perlu frasa sandi. Isi variabel IKRAR_PASSPHRASE, pakai --passphrase-file BERKAS, "
              "atau jalankan perintah di terminal agar ditanya.",
        "en": "{path} needs a passphrase. Set IKRAR_PASSPHRASE, use --passphrase-file FILE, "
              "or run the command in a terminal to be asked.",
    },
    "exchange.passphrase_wrong": {
        "id": "Frasa sandi salah untuk {path}, atau berkasnya rusak. Periksa frasa sandi lalu coba lagi.",
        "en": "Wrong passphrase for {path}, or the file is damaged. Check the passphrase and try again.",
    },
    "exchange.passphrase_short": {
        "id": "Frasa sandi terlalu pendek: minimal {min} karakter. Pakai beberapa kata yang mudah diingat.",
        "en": "The passphrase is too short: at least {min} characters. Use a few words you can remember.",
    },
    "exchange.passphrase_mismatch": {
        "id": "Kedua frasa sandi tidak sama. Ulangi.",
        "en": "The two passphrases differ. Try again.",
    },
    "exchange.passphrase_file": {
        "id": "Berkas frasa sandi {path} kosong atau tidak terbaca. Tulis frasa sandi di baris pertamanya.",
        "en": "The passphrase file {path} is empty or unreadable. Put the passphrase on its first line.",
    },
    "exchange.passphrase_file_open": {
        "id": "Berkas frasa sandi {path} dapat dibaca pengguna lain di komputer ini, jadi tidak dipakai. Batasi "
              "untuk Anda saja (chmod 600 {path}), lalu ulangi.",
        "en": "The passphrase file {path} can be read by other users of this computer, so it was not used. "
              "Make it yours alone (chmod 600 {path}), then try again.",
    },
    "exchange.bad_header": {
        "id": "Header enkripsi berkas {path} tidak sah ({detail}). Berkas rusak atau bukan ekspor Ikrar Kiosk.",
        "en": "The encryption header of {path} is not valid ({detail}). The file is damaged or not an "
              "Ikrar Kiosk export.",
    },
    "exchange.prompt": {"id": "Frasa sandi untuk {path}: ", "en": "Passphrase for {path}: "},
    "exchange.prompt_new": {"id": "Frasa sandi baru untuk enkripsi: ", "en": "New passphrase for encryption: "},
    "exchange.prompt_again": {"id": "Ulangi frasa sandi: ", "en": "Repeat the passphrase: "},
})

#: Encrypted file header: magic, version, KDF id, log2(N), r, p, salt, nonce (41 bytes, also the AAD).
MAGIC = b"IKRARENC"
ENC_VERSION = 1
KDF_SCRYPT = 1
SALT_BYTES, NONCE_BYTES, TAG_BYTES = 16, 12, 16
HEADER = struct.Struct(f">8sBBBBB{SALT_BYTES}s{NONCE_BYTES}s")
SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P = 17, 8, 1     # 128 MiB, about half a second
MAX_SCRYPT_BYTES = 256 * 1024 * 1024            # refuse headers asking for more memory than this
MIN_PASSPHRASE = 8


def _scrypt(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    return scrypt(passphrase, salt, n=2 ** log2_n, r=r, p=p)


def encrypt(data: bytes, passphrase: str) -> bytes:
    """Header + AES-256-GCM(data) with a Scrypt-derived key; the header is the associated data."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    header = HEADER.pack(MAGIC, ENC_VERSION, KDF_SCRYPT, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P, salt, nonce)
    key = _scrypt(passphrase, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P)
    return header + AESGCM(key).encrypt(nonce, data, header)


def decrypt(blob: bytes, passphrase: str, path: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    if len(blob) < HEADER.size + TAG_BYTES:
        raise KioskError("exchange.bad_header", path=path, detail="too short")
    magic, version, kdf, log2_n, r, p, salt, nonce = HEADER.unpack_from(blob)
    if magic != MAGIC or version != ENC_VERSION or kdf != KDF_SCRYPT:
        raise KioskError("exchange.bad_header", path=path, detail=f"version {version}, kdf {kdf}")
    if not (1 <= log2_n <= 24 and 1 <= r <= 32 and 1 <= p <= 16) or 128 * r * 2 ** log2_n > MAX_SCRYPT_BYTES:
        raise KioskError("exchange.bad_header", path=path, detail=f"scrypt N=2^{log2_n} r={r} p={p}")
    key = _scrypt(passphrase, salt, log2_n, r, p)
    try:
        return AESGCM(key).decrypt(nonce, blob[HEADER.size:], blob[:HEADER.size])
    except InvalidTag:
        raise KioskError("exchange.passphrase_wrong", path=path) from None


class Passphrase:
    """Where a passphrase comes from: $IKRAR_PASSPHRASE, else a file's first line, else a tty prompt.

    Never from the command line.  Asked once and remembered for the run.
    """

    def __init__(self, file: str | os.PathLike | None = None, *, interactive: bool | None = None,
                 value: str | None = None) -> None:
        """``value``: a passphrase typed into a window (the desk), used before any other source."""
        self.file = file
        self.interactive = sys.stdin.isatty() if interactive is None else interactive
        self._typed = value or None
        self._value: str | None = None

    def _given(self) -> str | None:
        if self._typed is not None:
            return self._typed
        env = os.environ.get("IKRAR_PASSPHRASE")
        if env:
            return env
        if self.file is not None:
            try:
                if readable_by_others(Path(self.file)):
                    raise KioskError("exchange.passphrase_file_open", path=str(self.file))
                text = Path(self.file).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                raise KioskError("exchange.passphrase_file", path=str(self.file)) from None
            first = text.splitlines()[0] if text.splitlines() else ""
            if not first:
                raise KioskError("exchange.passphrase_file", path=str(self.file))
            return first
        return None

    def get(self, path: str) -> str:
        """The passphrase for reading ``path``."""
        if self._value is None:
            value = self._given()
            if value is None:
                if not self.interactive:
                    raise KioskError("exchange.passphrase_needed", path=path)
                import getpass
                value = getpass.getpass(t("exchange.prompt", path=path))
            self._value = value
        return self._value

    def new(self, path: str) -> str:
        """A passphrase for encrypting a new file (asked twice on a terminal)."""
        if self._value is None:
            value = self._given()
            if value is None:
                if not self.interactive:
                    raise KioskError("exchange.passphrase_needed", path=path)
                import getpass
                value = getpass.getpass(t("exchange.prompt_new"))
                if getpass.getpass(t("exchange.prompt_again")) != value:
                    raise KioskError("exchange.passphrase_mismatch")
            if len(value) < MIN_PASSPHRASE:
                raise KioskError("exchange.passphrase_short", min=MIN_PASSPHRASE)
            self._value = value
        return self._value
