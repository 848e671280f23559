"""Moving data between kiosks: clone, the SQLite export file, its verification and encryption.

The export file (format 1, see docs/export-format.md) is a plain SQLite database with the
tables ``events``, ``pledges``, ``people``, ``checkins``, ``chain_gaps``, ``signatures``,
``scan_log`` and ``manifest``.  Every device that recorded check-ins in it has one signed
*device manifest*; a merged file adds one *merge manifest* signed by the merging device.

Tamper evidence, in layers:

* each check-in row carries the hash of its fields and of the row before it (the device's
  chain, made by :func:`kiosk.store.chain_hash`); rows of other events appear in
  ``chain_gaps`` as hashes only, so the chain is complete from the genesis hash to its head;
* every other row carries ``row_sha256`` (canonical JSON of its columns), signatures also the
  SHA-256 of the strokes and of the PNG;
* the manifest signs (Ed25519) the chain head and length, the counts, the time range and a
  digest of each table, so a row removed, added, edited or reordered changes something signed.

An export can be encrypted with a passphrase: Scrypt → AES-256-GCM over the whole SQLite file,
behind a small documented header (:data:`MAGIC`).  Encrypted files are handled in memory, so
the plaintext never touches the disk.

Imports no Qt.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import struct
import sys
import uuid as _uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field as _field
from pathlib import Path

from kiosk import __version__
from kiosk.security import keys
from kiosk.i18n import KioskError, register, t
from kiosk.ceremony.pledge import text_sha256
from kiosk.store import APPLICATION_ID, GENESIS_HASH, Event, Store, chain_hash, now, utc_text

register({
    # --- files ---
    "exchange.not_export": {
        "id": "Berkas {path} bukan berkas ekspor Ikrar Kiosk (atau rusak). Periksa nama berkasnya.",
        "en": "{path} is not an Ikrar Kiosk export file (or it is damaged). Check the file name.",
    },
    "exchange.is_kiosk_db": {
        "id": "Berkas {path} adalah basis data kiosk, bukan berkas ekspor. Buat ekspornya dulu: "
              "ikrar --db {path} export sqlite -o EKSPOR.db",
        "en": "{path} is a kiosk database, not an export file. Export it first: "
              "ikrar --db {path} export sqlite -o EXPORT.db",
    },
    "exchange.too_new": {
        "id": "Berkas {path} memakai format ekspor {found}; versi ini mengenal sampai {known}. Perbarui aplikasi.",
        "en": "{path} uses export format {found}; this version knows up to {known}. Update the application.",
    },
    "exchange.would_overwrite": {
        "id": "Berkas {path} sudah ada dan bukan berkas ekspor Ikrar Kiosk; tidak ditimpa. Pilih nama berkas lain.",
        "en": "{path} already exists and is not an Ikrar Kiosk export; it was not overwritten. Choose another name.",
    },
    "exchange.same_as_db": {
        "id": "Berkas keluaran {path} adalah basis data kiosk itu sendiri. Pilih nama berkas lain.",
        "en": "The output {path} is the kiosk database itself. Choose another file name.",
    },
    "exchange.write_failed": {
        "id": "Berkas {path} tidak dapat ditulis ({reason}). Tidak ada berkas setengah jadi yang tertinggal. "
              "Periksa ruang disk dan izin folder, lalu ulangi.",
        "en": "{path} could not be written ({reason}). No half-written file was left behind. "
              "Check disk space and folder permissions, then try again.",
    },
    "exchange.clone_exists": {
        "id": "Berkas {path} sudah ada. Salinan kiosk harus berkas baru: pilih nama lain.",
        "en": "{path} already exists. A kiosk clone must be a new file: choose another name.",
    },
    "exchange.source_chain": {
        "id": "Rantai check-in di basis data kiosk rusak pada baris ke-{seq} (uuid {uuid}): {detail} tidak cocok. "
              "Tidak ada yang diekspor atau dikirim. Simpan salinan basis data ini dan hubungi petugas TI.",
        "en": "The kiosk database's check-in chain is broken at row {seq} (uuid {uuid}): {detail} does not match. "
              "Nothing was exported or sent. Keep a copy of this database and call your IT officer.",
    },
    "exchange.mixed_devices": {
        "id": "Basis data kiosk berisi check-in dari perangkat lain ({device}). Jangan menyalin berkas kiosk "
              "antar-laptop; pakai ikrar clone. Hubungi petugas TI.",
        "en": "The kiosk database holds check-ins from another device ({device}). Do not copy kiosk files "
              "between laptops; use ikrar clone. Call your IT officer.",
    },
    "exchange.self_check": {
        "id": "Ekspor dibatalkan: pemeriksaan akhir menemukan masalah ({detail}). Tidak ada berkas yang ditulis. "
              "Laporkan ke petugas TI.",
        "en": "Export cancelled: the final check found a problem ({detail}). No file was written. "
              "Report it to your IT officer.",
    },
    # --- passphrase and encryption ---
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
    "exchange.bad_header": {
        "id": "Header enkripsi berkas {path} tidak sah ({detail}). Berkas rusak atau bukan ekspor Ikrar Kiosk.",
        "en": "The encryption header of {path} is not valid ({detail}). The file is damaged or not an "
              "Ikrar Kiosk export.",
    },
    "exchange.prompt": {"id": "Frasa sandi untuk {path}: ", "en": "Passphrase for {path}: "},
    "exchange.prompt_new": {"id": "Frasa sandi baru untuk enkripsi: ", "en": "New passphrase for encryption: "},
    "exchange.prompt_again": {"id": "Ulangi frasa sandi: ", "en": "Repeat the passphrase: "},
    # --- verification problems: each names the table, the row and the field at fault ---
    "verify.integrity": {
        "id": "Berkas SQLite rusak (integrity_check: {detail}).",
        "en": "The SQLite file is damaged (integrity_check: {detail}).",
    },
    "verify.schema_table": {"id": "Tabel {table} tidak ada.", "en": "The table {table} is missing."},
    "verify.schema_column": {"id": "Kolom {table}.{field} tidak ada.", "en": "The column {table}.{field} is missing."},
    "verify.no_manifest": {
        "id": "Tidak ada manifest perangkat: berkas tidak dapat diperiksa.",
        "en": "There is no device manifest: the file cannot be checked.",
    },
    "verify.no_merge_manifest": {
        "id": "Berkas memuat {count} manifest perangkat tetapi tidak ada manifest merge yang menjamin tabel bersama.",
        "en": "The file holds {count} device manifests but no merge manifest vouching for the shared tables.",
    },
    "verify.manifest_json": {
        "id": "manifest baris {row}: body_json bukan JSON yang sah.",
        "en": "manifest row {row}: body_json is not valid JSON.",
    },
    "verify.manifest_kind": {
        "id": "manifest baris {row}: jenis '{found}' tidak dikenal, atau manifest ganda untuk {device}.",
        "en": "manifest row {row}: unknown kind '{found}', or a second manifest for {device}.",
    },
    "verify.manifest_field": {
        "id": "manifest {kind} {device}: kolom {field} berisi {found}, padahal yang ditandatangani {signed}.",
        "en": "manifest {kind} {device}: field {field} holds {found}, but the signed value is {signed}.",
    },
    "verify.manifest_format": {
        "id": "manifest {kind} {device}: format {found} tidak dikenal (versi ini: {known}).",
        "en": "manifest {kind} {device}: unknown format {found} (this version: {known}).",
    },
    "verify.signature": {
        "id": "manifest {kind} {device}: tanda tangan digital tidak cocok dengan isi manifest dan kunci publiknya "
              "(manifest atau kunci diubah).",
        "en": "manifest {kind} {device}: the digital signature does not match the manifest and its public key "
              "(the manifest or the key was changed).",
    },
    "verify.event": {
        "id": "{table} {row}: acara {found} berbeda dari acara manifest {signed}.",
        "en": "{table} {row}: event {found} differs from the manifest's event {signed}.",
    },
    "verify.unknown_device": {
        "id": "{table} {row}: perangkat {device} tidak punya manifest yang ditandatangani.",
        "en": "{table} {row}: device {device} has no signed manifest.",
    },
    "verify.row_hash": {
        "id": "checkins {row} (perangkat {device}, urutan {seq}): isi baris tidak cocok dengan row_hash-nya "
              "(baris diubah{hint}).",
        "en": "checkins {row} (device {device}, position {seq}): the row's fields do not match its row_hash "
              "(the row was edited{hint}).",
    },
    "verify.hint": {"id": "; kolom {field} berbeda dari {witness}", "en": "; field {field} differs from the {witness}"},
    "verify.chain_link": {
        "id": "{table} {row} (perangkat {device}, urutan {seq}): prev_hash tidak cocok dengan row_hash baris "
              "sebelumnya (urutan {before}): ada baris yang dihapus, disisipkan atau diubah urutannya.",
        "en": "{table} {row} (device {device}, position {seq}): prev_hash does not match the row_hash of the "
              "row before (position {before}): a row was removed, inserted or reordered.",
    },
    "verify.chain_missing": {
        "id": "Rantai perangkat {device}: urutan {first}–{last} hilang (baris dihapus).",
        "en": "Chain of device {device}: positions {first}–{last} are missing (rows removed).",
    },
    "verify.chain_repeat": {
        "id": "{table} {row} (perangkat {device}): urutan {seq} muncul dua kali.",
        "en": "{table} {row} (device {device}): position {seq} appears twice.",
    },
    "verify.mismatch": {
        "id": "{scope}: {field} di berkas {found}, manifest yang ditandatangani menyebut {signed}.",
        "en": "{scope}: {field} in the file is {found}, the signed manifest says {signed}.",
    },
    "verify.digest": {
        "id": "Tabel {table} ({scope}): isinya berbeda dari yang ditandatangani (baris diubah, ditambah atau dihapus).",
        "en": "Table {table} ({scope}): its content differs from what was signed (rows edited, added or removed).",
    },
    "verify.row_sha256": {
        "id": "{table} {row}: kolom {field} tidak cocok dengan row_sha256 baris itu (baris diubah).",
        "en": "{table} {row}: field {field} does not match the row's row_sha256 (the row was edited).",
    },
    "verify.field_hash": {
        "id": "{table} {row}: kolom {field} tidak cocok dengan {against}.",
        "en": "{table} {row}: field {field} does not match {against}.",
    },
    "verify.missing_row": {
        "id": "{table} {row}: {ref} yang dirujuk tidak ada di tabel {target} (baris dihapus).",
        "en": "{table} {row}: the referenced {ref} is missing from table {target} (row removed).",
    },
    "verify.duplicate_of": {
        "id": "checkins {row}: duplicate_of berisi {found}, seharusnya {expected}.",
        "en": "checkins {row}: duplicate_of holds {found}, it should be {expected}.",
    },
    "verify.merge_devices": {
        "id": "manifest merge {device}: daftar perangkat tidak cocok dengan manifest perangkat di berkas.",
        "en": "merge manifest {device}: its device list does not match the device manifests in the file.",
    },
    "verify.too_many": {
        "id": "... dan {count} masalah lain.", "en": "... and {count} more problems.",
    },
    # --- command results ---
    "exchange.cloned": {
        "id": "Salinan kiosk dibuat: {path} ({events} acara, {people} peserta, perangkat {device}). "
              "Salin berkas ini ke laptop berikutnya dan pakai dengan --db.",
        "en": "Kiosk clone made: {path} ({events} events, {people} people, device {device}). "
              "Copy it to the next laptop and use it with --db.",
    },
    "exchange.exported": {
        "id": "Ekspor selesai: {path} ({checkins} check-in, {present} hadir, {signatures} tanda tangan{enc}).",
        "en": "Export done: {path} ({checkins} check-ins, {present} present, {signatures} signatures{enc}).",
    },
    "exchange.encrypted_note": {"id": ", terenkripsi", "en": ", encrypted"},
    "exchange.verified": {
        "id": "Berkas utuh: {checkins} check-in, {present} hadir, {duplicates} ganda, {people} peserta, "
              "{devices} perangkat; tanda tangan digital dan rantai cocok.",
        "en": "File intact: {checkins} check-ins, {present} present, {duplicates} duplicates, {people} people, "
              "{devices} devices; digital signatures and chains match.",
    },
    "exchange.verify_failed": {
        "id": "Verifikasi GAGAL: {count} masalah. Jangan pakai berkas ini; minta ekspor ulang langsung dari kiosk.",
        "en": "Verification FAILED: {count} problems. Do not use this file; ask for a fresh export from the kiosk.",
    },
})

FORMAT_VERSION = 1
EXPORT_APPLICATION_ID = 0x494B5831          # "IKX1"; the kiosk database is "IKR1"
SQLITE_MAGIC = b"SQLite format 3\x00"

#: Encrypted file header: magic, version, KDF id, log2(N), r, p, salt, nonce (41 bytes, also the AAD).
MAGIC = b"IKRARENC"
ENC_VERSION = 1
KDF_SCRYPT = 1
SALT_BYTES, NONCE_BYTES, TAG_BYTES = 16, 12, 16
HEADER = struct.Struct(f">8sBBBBB{SALT_BYTES}s{NONCE_BYTES}s")
SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P = 17, 8, 1     # 128 MiB, about half a second
MAX_SCRYPT_BYTES = 256 * 1024 * 1024            # refuse headers asking for more memory than this
MIN_PASSPHRASE = 8
MAX_PROBLEMS = 200

#: Settings a clone carries over; everything else (device id, device key, admin PIN) stays behind.
CLONE_SETTINGS = ("active_event",)

# --- the export schema -------------------------------------------------------------------------

COLUMNS = {
    "events": ("id", "uuid", "title", "date", "venue", "pledge_sha256", "created_at", "row_sha256"),
    "pledges": ("sha256", "key", "title", "text", "units_json", "params_json", "created_at", "row_sha256"),
    "people": ("nip", "name", "bare_name", "front_title", "back_title", "position", "unit", "updated_at",
               "row_sha256"),
    "checkins": ("uuid", "device_id", "seq", "event_uuid", "event_id", "nip", "method", "checked_in_at",
                 "utc_offset", "pledge_sha256", "signature_sha256", "prev_hash", "row_hash", "duplicate_of"),
    "chain_gaps": ("device_id", "seq", "prev_hash", "row_hash"),
    "signatures": ("checkin_uuid", "device_id", "sha256", "pledge_sha256", "width", "height", "pressure_real",
                   "sample_count", "strokes_json", "png", "png_sha256", "row_sha256"),
    "scan_log": ("uuid", "device_id", "event_uuid", "at", "utc_offset", "method", "reason", "code", "nip",
                 "checkin_uuid", "payload_shape", "row_sha256"),
}
#: Columns covered by each row's row_sha256 (signatures: strokes via sha256, the PNG via png_sha256).
HASHED = {name: tuple(c for c in cols if c not in ("row_sha256", "strokes_json", "png"))
          for name, cols in COLUMNS.items() if "row_sha256" in cols}
#: The column rows are sorted by for a table digest.
KEY = {"events": "uuid", "pledges": "sha256", "people": "nip", "signatures": "checkin_uuid", "scan_log": "uuid"}
REFERENCE_TABLES = ("events", "pledges", "people")
DEVICE_TABLES = ("signatures", "scan_log")

MIRRORED = ("kind", "device_id", "format_version", "app_version", "event_uuid", "created_at", "checkins",
            "present", "duplicates", "people", "signatures", "scan_log", "first_checkin_at", "last_checkin_at",
            "chain_length", "chain_head", "public_key")
COLUMNS["manifest"] = MIRRORED + ("body_json", "signature")

SCHEMA = """
CREATE TABLE manifest (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    device_id TEXT NOT NULL,
    format_version INTEGER NOT NULL,
    app_version TEXT NOT NULL,
    event_uuid TEXT NOT NULL,
    created_at TEXT NOT NULL,
    checkins INTEGER NOT NULL,
    present INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    people INTEGER NOT NULL,
    signatures INTEGER NOT NULL,
    scan_log INTEGER NOT NULL,
    first_checkin_at TEXT,
    last_checkin_at TEXT,
    chain_length INTEGER,
    chain_head TEXT,
    public_key TEXT NOT NULL,
    body_json TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE TABLE pledges (
    sha256 TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    units_json TEXT NOT NULL,
    params_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    row_sha256 TEXT NOT NULL
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    date TEXT NOT NULL,
    venue TEXT NOT NULL,
    pledge_sha256 TEXT NOT NULL REFERENCES pledges(sha256),
    created_at TEXT NOT NULL,
    row_sha256 TEXT NOT NULL
);
CREATE TABLE people (
    nip TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    bare_name TEXT NOT NULL,
    front_title TEXT NOT NULL,
    back_title TEXT NOT NULL,
    position TEXT NOT NULL,
    unit TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    row_sha256 TEXT NOT NULL
);
CREATE TABLE checkins (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event_uuid TEXT NOT NULL REFERENCES events(uuid),
    event_id INTEGER NOT NULL,
    nip TEXT NOT NULL REFERENCES people(nip),
    method TEXT NOT NULL,
    checked_in_at TEXT NOT NULL,
    utc_offset INTEGER NOT NULL,
    pledge_sha256 TEXT NOT NULL REFERENCES pledges(sha256),
    signature_sha256 TEXT,
    prev_hash TEXT NOT NULL,
    row_hash TEXT NOT NULL,
    duplicate_of TEXT REFERENCES checkins(uuid),
    UNIQUE (device_id, seq)
);
CREATE INDEX checkins_nip ON checkins(nip, checked_in_at);
CREATE TABLE chain_gaps (
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    row_hash TEXT NOT NULL,
    PRIMARY KEY (device_id, seq)
);
CREATE TABLE signatures (
    checkin_uuid TEXT PRIMARY KEY REFERENCES checkins(uuid),
    device_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    pledge_sha256 TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    pressure_real INTEGER NOT NULL,
    sample_count INTEGER NOT NULL,
    strokes_json TEXT NOT NULL,
    png BLOB NOT NULL,
    png_sha256 TEXT NOT NULL,
    row_sha256 TEXT NOT NULL
);
CREATE TABLE scan_log (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    device_id TEXT NOT NULL,
    event_uuid TEXT NOT NULL,
    at TEXT NOT NULL,
    utc_offset INTEGER NOT NULL,
    method TEXT NOT NULL,
    reason TEXT NOT NULL,
    code TEXT,
    nip TEXT,
    checkin_uuid TEXT,
    payload_shape TEXT NOT NULL,
    row_sha256 TEXT NOT NULL
);
CREATE VIEW attendance AS
    SELECT c.checked_in_at, c.utc_offset, c.nip, p.name, p.position, p.unit, c.method, c.device_id,
           c.signature_sha256 IS NOT NULL AS signed, c.uuid
    FROM checkins c LEFT JOIN people p ON p.nip = c.nip
    WHERE c.duplicate_of IS NULL
    ORDER BY c.checked_in_at, c.uuid;
"""


# --- hashing -----------------------------------------------------------------------------------

_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical(obj: object) -> bytes:
    """Sorted keys, no spaces, UTF-8: the bytes every hash and signature in the format is taken over.

    The same as ``json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``.
    """
    return _CANONICAL.encode(obj).encode("utf-8")


def sha256_hex(data: bytes | str | None) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data or b"").hexdigest()


def row_sha256(table: str, row: dict) -> str:
    return sha256_hex(canonical({c: row[c] for c in HASHED[table]}))


class Digest:
    """SHA-256 over row hashes, one per line, in the order of the rows' keys."""

    def __init__(self) -> None:
        self._items: list[tuple[str, str]] = []

    def add(self, key: str, row_hash: str) -> None:
        self._items.append((str(key), row_hash))

    def hexdigest(self) -> str:
        return sha256_hex("".join(h + "\n" for _, h in sorted(self._items)))


def ordered_digest(hashes: Iterable[str]) -> str:
    """The check-ins' digest: their row_hash in chain order, one per line."""
    return sha256_hex("".join(h + "\n" for h in hashes))


# --- encryption --------------------------------------------------------------------------------

def _scrypt(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
    return Scrypt(salt=salt, length=32, n=2 ** log2_n, r=r, p=p).derive(passphrase.encode("utf-8"))


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

    def __init__(self, file: str | os.PathLike | None = None, *, interactive: bool | None = None) -> None:
        self.file = file
        self.interactive = sys.stdin.isatty() if interactive is None else interactive
        self._value: str | None = None

    def _given(self) -> str | None:
        env = os.environ.get("IKRAR_PASSPHRASE")
        if env:
            return env
        if self.file is not None:
            try:
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


# --- reading and writing files -----------------------------------------------------------------

@dataclass
class ExportFile:
    """An export on disk, decrypted into memory when it was encrypted."""
    path: Path
    encrypted: bool = False
    data: bytes | None = None          # the plaintext SQLite bytes of an encrypted file
    wal: bool = False                  # exports never are; a kiosk database (or an edited copy) may be

    def _uri(self) -> str:
        return self.path.resolve().as_uri() + ("?mode=ro" if self.wal else "?mode=ro&immutable=1")

    def connect(self) -> sqlite3.Connection:
        if self.data is None:
            return sqlite3.connect(self._uri(), uri=True)
        conn = sqlite3.connect(":memory:")
        conn.deserialize(self.data)
        return conn

    def attach(self, conn: sqlite3.Connection, name: str) -> None:
        if self.data is None:
            conn.execute(f"ATTACH ? AS {name}", (self._uri(),))
        else:
            conn.execute(f"ATTACH ':memory:' AS {name}")
            conn.deserialize(self.data, name=name)

    def plaintext(self) -> bytes:
        return self.data if self.data is not None else self.path.read_bytes()


def open_export(path: str | os.PathLike, passphrase: Passphrase | None = None) -> ExportFile:
    """Open an export (decrypting it in memory); refuses anything else with a clear message."""
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(100)
    file = ExportFile(path, wal=len(head) > 18 and head[18] == 2)
    if head.startswith(MAGIC):
        blob = path.read_bytes()
        secret = (passphrase or Passphrase()).get(str(path))
        file = ExportFile(path, True, decrypt(blob, secret, str(path)))
        head = file.data[:100]
    if not head.startswith(SQLITE_MAGIC):
        raise KioskError("exchange.not_export", path=str(path))
    try:
        conn = file.connect()
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise KioskError("exchange.not_export", path=str(path)) from None
    if app_id == APPLICATION_ID:
        raise KioskError("exchange.is_kiosk_db", path=str(path))
    if app_id != EXPORT_APPLICATION_ID:
        raise KioskError("exchange.not_export", path=str(path))
    if version > FORMAT_VERSION:
        raise KioskError("exchange.too_new", path=str(path), found=version, known=FORMAT_VERSION)
    return file


def is_export(path: Path) -> bool:
    """True for an (encrypted or plain) Ikrar export, judged from its first bytes and header."""
    with open(path, "rb") as fh:
        head = fh.read(100)
    if head.startswith(MAGIC):
        return True
    return (len(head) >= 72 and head.startswith(SQLITE_MAGIC)
            and struct.unpack(">I", head[68:72])[0] == EXPORT_APPLICATION_ID)


def check_output(path: Path, store: Store | None = None) -> None:
    """Refuse to overwrite the kiosk database or any file that is not an earlier export."""
    if store is not None and path.exists() and path.resolve() == store.path.resolve():
        raise KioskError("exchange.same_as_db", path=str(path))
    if path.exists() and path.stat().st_size and not is_export(path):
        raise KioskError("exchange.would_overwrite", path=str(path))


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class Output:
    """The file being written: fill ``conn``; :func:`atomic_output` puts it in place."""
    conn: sqlite3.Connection
    unchanged: bool = False
    bytes: int = 0


@contextlib.contextmanager
def atomic_output(path: Path, passphrase: str | None = None, *,
                  same_as: Callable[[bytes], bool] | None = None) -> Iterator[Output]:
    """Build an export and move it into place atomically (temp file in the same folder, fsync, rename).

    Plain files are built directly in the temp file; encrypted ones in memory, so the plaintext never
    reaches the disk.  The connection is in autocommit mode (so that files can be ATTACHed): wrap
    bulk inserts in BEGIN / COMMIT.  ``same_as(plaintext)`` returning True leaves an existing file
    untouched.  Any failure (full disk included) removes the temp file and leaves ``path`` as it was.
    """
    path = Path(path)
    tmp = path.parent / f".{path.name}.{_uuid.uuid4().hex[:12]}.tmp"
    conn = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        target = ":memory:" if passphrase is not None else tmp.resolve().as_uri()
        conn = sqlite3.connect(target, uri=True, isolation_level=None)
        conn.executescript("PRAGMA page_size = 4096; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        out = Output(conn)
        yield out
        if conn.in_transaction:
            conn.execute("COMMIT")
        _finish(conn, tmp, path, passphrase, same_as, out)
        conn = None
    except sqlite3.Error as exc:
        raise KioskError("exchange.write_failed", path=str(path), reason=str(exc)) from None
    except OSError as exc:
        raise KioskError("exchange.write_failed", path=str(path), reason=exc.strerror or str(exc)) from None
    except (OverflowError, MemoryError):            # AES-GCM takes at most 2 GiB at once
        raise KioskError("exchange.write_failed", path=str(path), reason="too large to encrypt") from None
    finally:
        if conn is not None:
            conn.close()
        tmp.unlink(missing_ok=True)


def _finish(conn: sqlite3.Connection, tmp: Path, path: Path, passphrase: str | None,
            same_as: Callable[[bytes], bool] | None, out: Output) -> None:
    if passphrase is None:
        conn.close()
        if same_as is not None and path.exists() and same_as(tmp.read_bytes()):
            out.unchanged, out.bytes = True, tmp.stat().st_size
            return
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        out.bytes = tmp.stat().st_size
    else:
        plain = conn.serialize()
        conn.close()
        if same_as is not None and path.exists() and same_as(plain):
            out.unchanged, out.bytes = True, len(plain)
            return
        blob = encrypt(plain, passphrase)
        with open(tmp, "wb") as fh:
            fh.write(blob)
            fh.flush()
            os.fsync(fh.fileno())
        out.bytes = len(blob)
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def create_schema(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA.split(";\n"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {EXPORT_APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {FORMAT_VERSION}")


def insert_sql(table: str, columns: tuple[str, ...] | None = None) -> str:
    cols = columns or COLUMNS[table]
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"


def with_row_hash(table: str, row: dict) -> tuple:
    """``row`` as a tuple in the table's column order, with its row_sha256 (and png_sha256) filled in."""
    if table == "signatures":
        row["png_sha256"] = sha256_hex(row["png"])
    row["row_sha256"] = row_sha256(table, row)
    return tuple(row[c] for c in COLUMNS[table])


# --- manifests ---------------------------------------------------------------------------------

def manifest_body(kind: str, device_id: str, public_key: str, event_uuid: str, created_at: str,
                  facts: dict, digests: dict, devices: list | None = None) -> dict:
    body = {"kind": kind, "device_id": device_id, "format_version": FORMAT_VERSION, "app_version": __version__,
            "event_uuid": event_uuid, "created_at": created_at, "public_key": public_key, "digests": digests}
    for name in ("checkins", "present", "duplicates", "people", "signatures", "scan_log", "first_checkin_at",
                 "last_checkin_at", "chain_length", "chain_head"):
        body[name] = facts.get(name)
    if devices is not None:
        body["devices"] = devices
    return body


def insert_manifest(conn: sqlite3.Connection, body: dict, key) -> None:
    body_json = canonical(body).decode("utf-8")
    row = {**{m: body[m] for m in MIRRORED}, "body_json": body_json,
           "signature": keys.sign(key, body_json.encode("utf-8"))}
    conn.execute(insert_sql("manifest"), tuple(row[c] for c in COLUMNS["manifest"]))


# --- verification ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    code: str
    table: str | None = None
    row: str | None = None
    field: str | None = None
    params: dict = _field(default_factory=dict)

    @property
    def message(self) -> str:
        return t(self.code, table=self.table, row=self.row, field=self.field, **self.params)

    def to_json(self) -> dict:
        return {"code": self.code, "table": self.table, "row": self.row, "field": self.field,
                "message": self.message}


@dataclass
class Manifest:
    row_id: int
    row: dict
    body: dict

    @property
    def kind(self) -> str:
        return self.body.get("kind", "")

    @property
    def device_id(self) -> str:
        return self.body.get("device_id", "")

    @property
    def sha256(self) -> str:
        return sha256_hex(self.row["body_json"])


@dataclass
class Report:
    """What ``verify`` found.  ``ok`` only when there is no problem at all."""
    checkins: int = 0
    present: int = 0
    duplicates: int = 0
    people: int = 0
    devices: int = 0
    event_uuid: str | None = None
    problems: list[Problem] = _field(default_factory=list)
    manifests: list[Manifest] = _field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def device_keys(self) -> dict[str, str]:
        return {m.device_id: m.body.get("public_key", "") for m in self.manifests}

    def to_json(self) -> dict:
        shown = [p.to_json() for p in self.problems[:MAX_PROBLEMS]]
        if len(self.problems) > MAX_PROBLEMS:
            shown.append(Problem("verify.too_many", params={"count": len(self.problems) - MAX_PROBLEMS}).to_json())
        return {"ok": self.ok, "checkins": self.checkins, "present": self.present, "duplicates": self.duplicates,
                "people": self.people, "devices": self.devices, "errors": shown}


def _show(value: object) -> str:
    return "NULL" if value is None else str(value)


class Verifier:
    """Checks one export file.  Also used by export and merge to compute what they sign."""

    def __init__(self, conn: sqlite3.Connection, schema: str = "main") -> None:
        self.conn = conn
        self.s = schema
        self.problems: list[Problem] = []

    def add(self, code: str, table: str | None = None, row: str | None = None, field: str | None = None,
            **params: object) -> None:
        self.problems.append(Problem(code, table, row, field, params))

    def q(self, sql: str, args: tuple = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql.replace("{s}", self.s), args)

    # --- structure ---------------------------------------------------------------------------

    def integrity(self) -> bool:
        rows = [r[0] for r in self.q("PRAGMA {s}.integrity_check")]
        if rows != ["ok"]:
            self.add("verify.integrity", detail="; ".join(rows[:3]))
        return rows == ["ok"]

    def schema(self) -> bool:
        ok = True
        for table, columns in COLUMNS.items():
            present = {r[1] for r in self.q(f"PRAGMA {{s}}.table_info({table})")}
            if not present:
                self.add("verify.schema_table", table=table)
                ok = False
                continue
            for column in columns:
                if column not in present:
                    self.add("verify.schema_column", table=table, field=column)
                    ok = False
        return ok

    def manifests(self) -> list[Manifest]:
        found, seen = [], set()
        cols = ", ".join(COLUMNS["manifest"])
        for r in self.q(f"SELECT id, {cols} FROM {{s}}.manifest ORDER BY id"):
            row = dict(zip(COLUMNS["manifest"], r[1:]))
            try:
                body = json.loads(row["body_json"])
                if not isinstance(body, dict):
                    raise ValueError
            except (TypeError, ValueError):
                self.add("verify.manifest_json", "manifest", str(r[0]))
                continue
            m = Manifest(r[0], row, body)
            label = (m.kind, m.device_id if m.kind == "device" else "")
            if m.kind not in ("device", "merge") or label in seen:
                self.add("verify.manifest_kind", "manifest", str(r[0]), "kind", found=m.kind, device=m.device_id)
                continue
            seen.add(label)
            self._check_manifest(m)
            found.append(m)
        if not any(m.kind == "device" for m in found):
            self.add("verify.no_manifest", "manifest")
        return found

    def _check_manifest(self, m: Manifest) -> None:
        who = {"kind": m.kind, "device": m.device_id}
        for name in MIRRORED:
            if m.row[name] != m.body.get(name):
                self.add("verify.manifest_field", "manifest", f"id={m.row_id}", name, found=_show(m.row[name]),
                         signed=_show(m.body.get(name)), **who)
        if m.body.get("format_version") != FORMAT_VERSION:
            self.add("verify.manifest_format", "manifest", f"id={m.row_id}", "format_version",
                     found=_show(m.body.get("format_version")), known=FORMAT_VERSION, **who)
        body_json = m.row["body_json"]
        if not keys.signature_ok(str(m.body.get("public_key")), str(body_json).encode("utf-8"),
                                 str(m.row["signature"])):
            self.add("verify.signature", "manifest", f"id={m.row_id}", "signature", **who)

    # --- per device --------------------------------------------------------------------------

    def device_facts(self, device: str) -> dict:
        """Counts, time range, chain and digests of one device's rows, checking each row on the way."""
        facts = self._chain(device)
        counts, checkins_digest = self._checkins(device)
        facts.update(counts)
        facts["signatures"], signatures_digest = self._signatures(device)
        facts["scan_log"], scan_log_digest = self._scan_log(device)
        facts["digests"] = {"checkins": checkins_digest, "signatures": signatures_digest,
                            "scan_log": scan_log_digest}
        return facts

    def _chain(self, device: str) -> dict:
        rows = self.q("SELECT seq, prev_hash, row_hash, uuid, 'checkins' FROM {s}.checkins WHERE device_id = ? "
                      "UNION ALL SELECT seq, prev_hash, row_hash, NULL, 'chain_gaps' FROM {s}.chain_gaps "
                      "WHERE device_id = ? ORDER BY 1, 5", (device, device))
        expected, head, count = 1, GENESIS_HASH, 0
        for seq, prev_hash, row_hash, uid, table in rows:
            count += 1
            label = f"uuid={uid}" if uid else f"seq={seq}"
            if not isinstance(seq, int) or seq < expected:
                self.add("verify.chain_repeat", table, label, "seq", device=device, seq=_show(seq))
                continue
            if seq > expected:
                self.add("verify.chain_missing", table, None, "seq", device=device, first=expected, last=seq - 1)
            if prev_hash != head:
                self.add("verify.chain_link", table, label, "prev_hash", device=device, seq=seq, before=seq - 1)
            head, expected = row_hash, seq + 1
        return {"chain_length": count, "chain_head": head}

    def _checkins(self, device: str) -> tuple[dict, str]:
        cols = ", ".join(COLUMNS["checkins"])
        hashes, nips, times = [], set(), []
        rows = 0
        for r in self.q(f"SELECT {cols} FROM {{s}}.checkins WHERE device_id = ? ORDER BY seq", (device,)):
            row = dict(zip(COLUMNS["checkins"], r))
            rows += 1
            nips.add(row["nip"])
            times.append(row["checked_in_at"])
            hashes.append(row["row_hash"])
            if chain_hash(row) != row["row_hash"]:
                self._row_hash_problem(row)
        return {"checkins": rows, "present": len(nips), "duplicates": rows - len(nips),
                "first_checkin_at": min(times, default=None), "last_checkin_at": max(times, default=None)}, \
            ordered_digest(hashes)

    def _row_hash_problem(self, row: dict) -> None:
        """Name the edited field when another record still holds the original value."""
        field_name, witness = self._suspect(row)
        hint = t("verify.hint", field=field_name, witness=witness) if field_name else ""
        self.add("verify.row_hash", "checkins", f"uuid={row['uuid']}", field_name or "row_hash",
                 device=row["device_id"], seq=row["seq"], hint=hint)

    def _suspect(self, row: dict) -> tuple[str | None, str | None]:
        log = self.q("SELECT nip, at, method, utc_offset FROM {s}.scan_log WHERE checkin_uuid = ? "
                     "AND reason = 'recorded' ORDER BY at LIMIT 1", (row["uuid"],)).fetchone()
        if log:
            for name, value in zip(("nip", "checked_in_at", "method", "utc_offset"), log):
                if row[name] != value:
                    return name, "scan_log"
        sig = self.q("SELECT sha256, pledge_sha256 FROM {s}.signatures WHERE checkin_uuid = ?",
                     (row["uuid"],)).fetchone()
        if sig:
            for name, value in zip(("signature_sha256", "pledge_sha256"), sig):
                if row[name] != value:
                    return name, "signatures"
        return None, None

    def _signatures(self, device: str) -> tuple[int, str]:
        cols = ", ".join("s." + c for c in COLUMNS["signatures"])
        digest, count = Digest(), 0
        rows = self.q(f"SELECT {cols}, c.uuid, c.signature_sha256, c.pledge_sha256, c.device_id "
                      f"FROM {{s}}.signatures s LEFT JOIN {{s}}.checkins c ON c.uuid = s.checkin_uuid "
                      f"WHERE s.device_id = ?", (device,))
        for r in rows:
            row = dict(zip(COLUMNS["signatures"], r))
            count += 1
            self._signature_row(row, *r[len(COLUMNS["signatures"]):])
            digest.add(row["checkin_uuid"], row_sha256("signatures", row))
        for (uid,) in self.q("SELECT c.uuid FROM {s}.checkins c LEFT JOIN {s}.signatures s "
                             "ON s.checkin_uuid = c.uuid WHERE c.device_id = ? AND c.signature_sha256 IS NOT NULL "
                             "AND s.checkin_uuid IS NULL", (device,)):
            self.add("verify.missing_row", "checkins", f"uuid={uid}", "signature_sha256", ref="signature",
                     target="signatures")
        return count, digest.hexdigest()

    def _signature_row(self, row: dict, c_uuid, c_sig, c_pledge, c_device) -> None:
        label = f"checkin_uuid={row['checkin_uuid']}"
        strokes = row["strokes_json"]
        if c_uuid is None:
            self.add("verify.missing_row", "signatures", label, "checkin_uuid", ref="check-in", target="checkins")
        if sha256_hex(strokes if isinstance(strokes, (str, bytes)) else str(strokes)) != row["sha256"]:
            self.add("verify.field_hash", "signatures", label, "strokes_json", against="sha256")
        if c_uuid is not None and row["sha256"] != c_sig:
            self.add("verify.field_hash", "signatures", label, "sha256", against="checkins.signature_sha256")
        if c_uuid is not None and row["pledge_sha256"] != c_pledge:
            self.add("verify.field_hash", "signatures", label, "pledge_sha256", against="checkins.pledge_sha256")
        if c_uuid is not None and row["device_id"] != c_device:
            self.add("verify.field_hash", "signatures", label, "device_id", against="checkins.device_id")
        png = row["png"]
        if sha256_hex(png if isinstance(png, (bytes, str)) else None) != row["png_sha256"]:
            self.add("verify.field_hash", "signatures", label, "png", against="png_sha256")
        if row_sha256("signatures", row) != row["row_sha256"]:
            self.add("verify.row_sha256", "signatures", label, "row_sha256")

    def _scan_log(self, device: str) -> tuple[int, str]:
        cols = ", ".join("l." + c for c in COLUMNS["scan_log"])
        digest, count = Digest(), 0
        for r in self.q(f"SELECT {cols}, c.uuid FROM {{s}}.scan_log l LEFT JOIN {{s}}.checkins c "
                        f"ON c.uuid = l.checkin_uuid WHERE l.device_id = ?", (device,)):
            row = dict(zip(COLUMNS["scan_log"], r))
            count += 1
            h = row_sha256("scan_log", row)
            digest.add(row["uuid"], h)
            if h != row["row_sha256"]:
                self.add("verify.row_sha256", "scan_log", f"uuid={row['uuid']}", "row_sha256")
            if row["reason"] == "recorded" and row["checkin_uuid"] and r[-1] is None:
                self.add("verify.missing_row", "scan_log", f"uuid={row['uuid']}", "checkin_uuid",
                         ref=f"check-in {row['checkin_uuid']}", target="checkins")
        return count, digest.hexdigest()

    # --- whole file --------------------------------------------------------------------------

    def reference_facts(self) -> dict:
        """Digests of events, pledges and people (checking each row), and the people count."""
        digests = {}
        for table in REFERENCE_TABLES:
            digest = Digest()
            cols = ", ".join(COLUMNS[table])
            for r in self.q(f"SELECT {cols} FROM {{s}}.{table}"):
                row = dict(zip(COLUMNS[table], r))
                h = row_sha256(table, row)
                digest.add(row[KEY[table]], h)
                label = f"{KEY[table]}={row[KEY[table]]}"
                if h != row["row_sha256"]:
                    self.add("verify.row_sha256", table, label, "row_sha256")
                if table == "pledges" and text_sha256(str(row["text"])) != row["sha256"]:
                    self.add("verify.field_hash", table, label, "text", against="sha256")
            digests[table] = digest.hexdigest()
        people = self.q("SELECT count(*) FROM {s}.people").fetchone()[0]
        return {"digests": digests, "people": people}

    def references(self, event_uuid: str) -> None:
        """Every check-in points at the event, a person and a pledge that are in the file."""
        for uid, found in self.q("SELECT uuid, event_uuid FROM {s}.checkins WHERE event_uuid IS NOT ? "
                                 "ORDER BY id", (event_uuid,)):
            self.add("verify.event", "checkins", f"uuid={uid}", "event_uuid", found=found, signed=event_uuid)
        for uid, found in self.q("SELECT id, uuid FROM {s}.events WHERE uuid IS NOT ?", (event_uuid,)):
            self.add("verify.event", "events", f"id={uid}", "uuid", found=found, signed=event_uuid)
        if not self.q("SELECT 1 FROM {s}.events WHERE uuid = ?", (event_uuid,)).fetchone():
            self.add("verify.missing_row", "manifest", None, "event_uuid", ref=f"event {event_uuid}", target="events")
        for uid, value in self.q("SELECT e.uuid, e.pledge_sha256 FROM {s}.events e LEFT JOIN {s}.pledges p "
                                 "ON p.sha256 = e.pledge_sha256 WHERE p.sha256 IS NULL"):
            self.add("verify.missing_row", "events", f"uuid={uid}", "pledge_sha256", ref=f"pledge {value}",
                     target="pledges")
        checks = (("nip", "people", "nip"), ("pledge_sha256", "pledges", "sha256"))
        for column, target, key in checks:
            for uid, value in self.q(f"SELECT c.uuid, c.{column} FROM {{s}}.checkins c LEFT JOIN {{s}}.{target} t "
                                     f"ON t.{key} = c.{column} WHERE t.{key} IS NULL ORDER BY c.id"):
                self.add("verify.missing_row", "checkins", f"uuid={uid}", column, ref=f"{column} {value}",
                         target=target)

    def unknown_devices(self, devices: set[str]) -> None:
        for table, key in (("checkins", "uuid"), ("chain_gaps", "seq"), ("signatures", "checkin_uuid"),
                           ("scan_log", "uuid")):
            for device, value in self.q(f"SELECT device_id, {key} FROM {{s}}.{table}"):
                if device not in devices:
                    self.add("verify.unknown_device", table, f"{key}={value}", "device_id", device=device)

    def duplicates(self) -> None:
        for uid, found, first in self.q(
                "SELECT uuid, duplicate_of, first_value(uuid) OVER (PARTITION BY event_uuid, nip "
                "ORDER BY checked_in_at, uuid) FROM {s}.checkins ORDER BY id"):
            expected = None if first == uid else first
            if found != expected:
                self.add("verify.duplicate_of", "checkins", f"uuid={uid}", "duplicate_of", found=_show(found),
                         expected=_show(expected))

    def totals(self) -> dict:
        row = self.q("SELECT count(*), count(DISTINCT nip), count(duplicate_of), min(checked_in_at), "
                     "max(checked_in_at) FROM {s}.checkins").fetchone()
        return {"checkins": row[0], "present": row[1], "duplicates": row[2], "first_checkin_at": row[3],
                "last_checkin_at": row[4],
                "signatures": self.q("SELECT count(*) FROM {s}.signatures").fetchone()[0],
                "scan_log": self.q("SELECT count(*) FROM {s}.scan_log").fetchone()[0]}

    def compare(self, scope: str, signed: dict, found: dict, names: Iterable[str]) -> None:
        for name in names:
            if signed.get(name) != found.get(name):
                self.add("verify.mismatch", "manifest", None, name, scope=scope, found=_show(found.get(name)),
                         signed=_show(signed.get(name)))

    def compare_digests(self, scope: str, signed: dict, found: dict, tables: Iterable[str]) -> None:
        for table in tables:
            if signed.get(table) != found.get(table):
                self.add("verify.digest", table, None, None, scope=scope)

    # --- the whole check ---------------------------------------------------------------------

    def run(self) -> Report:
        report = Report()
        if not self.integrity() or not self.schema():
            report.problems = self.problems
            return report
        manifests = self.manifests()
        report.manifests = manifests
        devices = [m for m in manifests if m.kind == "device"]
        merges = [m for m in manifests if m.kind == "merge"]
        event_uuid = devices[0].body.get("event_uuid") if devices else None
        report.event_uuid = event_uuid
        for m in manifests:
            if m.body.get("event_uuid") != event_uuid:
                self.add("verify.event", "manifest", f"id={m.row_id}", "event_uuid",
                         found=_show(m.body.get("event_uuid")), signed=_show(event_uuid))
        for m in devices:
            self._check_device(m)
        self.unknown_devices({m.device_id for m in devices})
        if event_uuid is not None:
            self.references(event_uuid)
        self.duplicates()
        self._check_whole(devices, merges)
        totals = self.totals()
        report.checkins, report.present, report.duplicates = totals["checkins"], totals["present"], \
            totals["duplicates"]
        report.people = self.q("SELECT count(*) FROM {s}.people").fetchone()[0]
        report.devices = len(devices)
        report.problems = self.problems
        return report

    def _check_device(self, m: Manifest) -> None:
        facts = self.device_facts(m.device_id)
        scope = f"{m.kind} {m.device_id}"
        self.compare(scope, m.body, facts, ("checkins", "present", "duplicates", "signatures", "scan_log",
                                            "first_checkin_at", "last_checkin_at", "chain_length", "chain_head"))
        self.compare_digests(scope, m.body.get("digests") or {}, facts["digests"], ("checkins",) + DEVICE_TABLES)

    def _check_whole(self, devices: list[Manifest], merges: list[Manifest]) -> None:
        ref = self.reference_facts()
        if merges:
            merge = merges[0]
            scope = f"merge {merge.device_id}"
            listed = sorted([{"device_id": m.device_id, "manifest_sha256": m.sha256} for m in devices],
                            key=lambda d: d["device_id"])
            if merge.body.get("devices") != listed:
                self.add("verify.merge_devices", "manifest", f"id={merge.row_id}", "devices",
                         device=merge.device_id)
            self.compare(scope, merge.body, {**self.totals(), "people": ref["people"]},
                         ("checkins", "present", "duplicates", "people", "signatures", "scan_log",
                          "first_checkin_at", "last_checkin_at"))
            self.compare_digests(scope, merge.body.get("digests") or {}, ref["digests"], REFERENCE_TABLES)
        elif len(devices) > 1:
            self.add("verify.no_merge_manifest", "manifest", None, "kind", count=len(devices))
        # The devices' own view of the shared tables, wherever they all agree (always, for one device).
        for table in REFERENCE_TABLES:
            signed = {(m.body.get("digests") or {}).get(table) for m in devices}
            if len(signed) == 1 and devices:
                self.compare_digests(f"device {devices[0].device_id}" if len(devices) == 1 else "devices",
                                     {table: signed.pop()}, ref["digests"], (table,))
        people = {m.body.get("people") for m in devices}
        if len(people) == 1 and devices:
            self.compare(f"device {devices[0].device_id}" if len(devices) == 1 else "devices",
                         {"people": people.pop()}, ref, ("people",))


def verify(path: str | os.PathLike, passphrase: Passphrase | None = None, *,
           trust: Store | None = None) -> Report:
    """Check an export file: integrity, schema, manifests and signatures, chains, digests, counts.

    ``trust``: a kiosk database whose known device keys the file's keys must match.
    """
    file = open_export(path, passphrase)
    return verify_file(file, trust=trust)


def verify_file(file: ExportFile, *, trust: Store | None = None) -> Report:
    conn = file.connect()
    try:
        verifier = Verifier(conn)
        report = verifier.run()
    finally:
        conn.close()
    if trust is not None:
        for m in report.manifests:
            problem = keys.key_problem(trust, m.device_id, m.body.get("public_key", ""), str(file.path))
            if problem is not None:
                report.problems.append(Problem(problem.code, "manifest", f"id={m.row_id}", "public_key",
                                               problem.params))
    return report


# --- export ------------------------------------------------------------------------------------

def export_sqlite(store: Store, event: Event, out: str | os.PathLike, *,
                  passphrase: str | None = None) -> dict:
    """Write ``event``'s export file (atomically); returns what it holds."""
    out = Path(out)
    check_output(out, store)
    key = keys.device_key(store)                  # made (a write) before the read snapshot
    src = store.conn
    src.execute("BEGIN")                          # one consistent snapshot; the kiosk may keep writing
    try:
        with atomic_output(out, passphrase) as output:
            facts = _fill_export(output.conn, src, store.device_id, event)
            body = manifest_body("device", store.device_id, keys.public_hex(key), event.uuid, utc_text(now()),
                                 facts, facts["digests"])
            insert_manifest(output.conn, body, key)
    finally:
        src.execute("ROLLBACK")
    store.audit("export.sqlite", event_id=event.id, checkins=facts["checkins"], encrypted=passphrase is not None)
    return {"ok": True, "file": str(out), "event": event.uuid, "device_id": store.device_id,
            "checkins": facts["checkins"], "present": facts["present"], "people": facts["people"],
            "signatures": facts["signatures"], "scan_log": facts["scan_log"], "chain_head": facts["chain_head"],
            "encrypted": passphrase is not None, "bytes": output.bytes}


def _fill_export(conn: sqlite3.Connection, src: sqlite3.Connection, device: str, event: Event) -> dict:
    conn.execute("BEGIN")
    create_schema(conn)
    _copy_reference(conn, src, event)
    _copy_checkins(conn, src, device, event)
    _copy_signatures(conn, src, event)
    _copy_scan_log(conn, src, event)
    check = Verifier(conn)
    facts = check.device_facts(device)
    ref = check.reference_facts()
    check.references(event.uuid)
    if check.problems:
        raise KioskError("exchange.self_check", detail=check.problems[0].message)
    facts["digests"].update(ref["digests"])
    facts["people"] = ref["people"]
    return facts


def _dicts(cur: sqlite3.Cursor) -> Iterator[dict]:
    names = [d[0] for d in cur.description]
    for r in cur:
        yield dict(zip(names, r))


def _copy_reference(conn: sqlite3.Connection, src: sqlite3.Connection, event: Event) -> None:
    rows = _dicts(src.execute(
        "SELECT sha256, key, title, text, units_json, params_json, created_at FROM pledges "
        "WHERE id = ? OR sha256 IN (SELECT pledge_sha256 FROM checkins WHERE event_id = ?) ORDER BY sha256",
        (event.pledge_id, event.id)))
    conn.executemany(insert_sql("pledges"), (with_row_hash("pledges", r) for r in rows))
    rows = _dicts(src.execute(
        "SELECT e.id, e.uuid, e.title, e.date, e.venue, p.sha256 AS pledge_sha256, e.created_at "
        "FROM events e JOIN pledges p ON p.id = e.pledge_id WHERE e.id = ?", (event.id,)))
    conn.executemany(insert_sql("events"), (with_row_hash("events", r) for r in rows))
    rows = _dicts(src.execute("SELECT nip, name, bare_name, front_title, back_title, position, unit, updated_at "
                              "FROM people ORDER BY nip"))
    conn.executemany(insert_sql("people"), (with_row_hash("people", r) for r in rows))


def store_chain(src: sqlite3.Connection, device: str) -> Iterator[dict]:
    """A kiosk database's check-ins in chain order, each with its position ``seq`` and its event's uuid;
    refuses (KioskError) at the first row that breaks the chain or belongs to another device."""
    cols = ("uuid", "event_id", "nip", "device_id", "method", "checked_in_at", "utc_offset", "pledge_sha256",
            "signature_sha256", "prev_hash", "row_hash")
    events = dict(src.execute("SELECT id, uuid FROM events").fetchall())
    prev = GENESIS_HASH
    for seq, r in enumerate(src.execute(f"SELECT {', '.join(cols)} FROM checkins ORDER BY id").fetchall(), 1):
        row = dict(zip(cols, r))
        _check_source_row(row, seq, prev, device)
        prev = row["row_hash"]
        row.update(seq=seq, event_uuid=events.get(row["event_id"]))
        yield row


def _copy_checkins(conn: sqlite3.Connection, src: sqlite3.Connection, device: str, event: Event) -> None:
    """The event's check-ins with their chain position; other events' rows as hashes only (chain_gaps)."""
    full, gaps = [], []
    for row in store_chain(src, device):
        seq = row["seq"]
        if row["event_id"] == event.id:
            row["duplicate_of"] = None
            full.append(tuple(row[c] for c in COLUMNS["checkins"]))
        else:
            gaps.append((device, seq, row["prev_hash"], row["row_hash"]))
    conn.executemany(insert_sql("checkins"), full)
    conn.executemany(insert_sql("chain_gaps"), gaps)


def _check_source_row(row: dict, seq: int, prev: str, device: str) -> None:
    if row["device_id"] != device:
        raise KioskError("exchange.mixed_devices", device=row["device_id"])
    if row["prev_hash"] != prev:
        raise KioskError("exchange.source_chain", seq=seq, uuid=row["uuid"], detail="prev_hash")
    if chain_hash(row) != row["row_hash"]:
        raise KioskError("exchange.source_chain", seq=seq, uuid=row["uuid"], detail="row_hash")


def _copy_signatures(conn: sqlite3.Connection, src: sqlite3.Connection, event: Event) -> None:
    rows = _dicts(src.execute(
        "SELECT s.checkin_uuid, c.device_id, s.sha256, s.pledge_sha256, s.width, s.height, s.pressure_real, "
        "s.sample_count, s.strokes_json, s.png FROM signatures s JOIN checkins c ON c.uuid = s.checkin_uuid "
        "WHERE c.event_id = ? ORDER BY c.id", (event.id,)))
    conn.executemany(insert_sql("signatures"), (with_row_hash("signatures", r) for r in rows))


def _copy_scan_log(conn: sqlite3.Connection, src: sqlite3.Connection, event: Event) -> None:
    rows = _dicts(src.execute(
        "SELECT uuid, device_id, ? AS event_uuid, at, utc_offset, method, reason, code, nip, checkin_uuid, "
        "payload_shape FROM scan_log WHERE event_id = ? ORDER BY id", (event.uuid, event.id)))
    conn.executemany(insert_sql("scan_log"), (with_row_hash("scan_log", r) for r in rows))


# --- clone -------------------------------------------------------------------------------------

def clone(store: Store, out: str | os.PathLike) -> dict:
    """A new kiosk database for the next laptop: same events, pledges and roster; its own device id;
    no check-ins, scan log, audit log, admin PIN or device key."""
    out = Path(out)
    if out.exists():
        raise KioskError("exchange.clone_exists", path=str(out))
    tmp = out.parent / f".{out.name}.{_uuid.uuid4().hex[:12]}.tmp"
    try:
        with Store(tmp) as new:
            _copy_kiosk(store, new)
            device = new.device_id
        _fsync_file(tmp)
        if out.exists():                          # made meanwhile by someone else: never replace it
            raise KioskError("exchange.clone_exists", path=str(out))
        os.replace(tmp, out)
        _fsync_dir(out.parent)
    except OSError as exc:
        raise KioskError("exchange.write_failed", path=str(out), reason=exc.strerror or str(exc)) from None
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
    counts = {"events": len(store.events()), "people": store.count_people()}
    store.audit("clone", device_id=device, **counts)
    return {"ok": True, "file": str(out), "device_id": device, "source_device_id": store.device_id, **counts}


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _copy_kiosk(store: Store, new: Store) -> None:
    src = store.conn
    with new.write() as conn:
        for table, cols in (("pledges", "id, sha256, key, title, text, units_json, params_json, created_at"),
                            ("events", "id, uuid, title, date, venue, pledge_id, created_at"),
                            ("people", "nip, name, bare_name, front_title, back_title, position, unit, updated_at")):
            rows = src.execute(f"SELECT {cols} FROM {table}")
            conn.executemany(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(cols.split(',')))})", rows)
        for name in CLONE_SETTINGS:
            value = store.get_setting(name)
            if value is not None:
                new.set_setting(name, value)
        new.audit("clone.from", source_device_id=store.device_id)
