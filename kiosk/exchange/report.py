"""What ``verify`` found: problems that name the table, the row and the field at fault, in words."""
from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _field

from kiosk.exchange.manifest import Manifest
from kiosk.i18n import register, t

register({
    "verify.integrity": {
        "id": "Berkas SQLite rusak (integrity_check: {detail}).",
        "en": "The SQLite file is damaged (integrity_check: {detail}).",
    },
    "verify.schema_table": {"id": "Tabel {table} tidak ada.", "en": "The table {table} is missing."},
    "verify.schema_added": {
        "id": "Berkas memuat {kind} '{name}' yang bukan bagian format ekspor (ditambahkan kemudian): isi yang "
              "ditampilkan pembaca berkas bisa diubah olehnya.",
        "en": "The file holds a {kind} '{name}' that is not part of the export format (added later): it can change "
              "what a reader of the file is shown."},
    "verify.schema_altered": {
        "id": "Objek {kind} '{name}' di berkas berbeda dari format ekspor (diganti): yang ditampilkan DB Browser atau "
              "Datasette dari berkas ini tidak dapat dipercaya.",
        "en": "The {kind} '{name}' in the file differs from the export format (replaced): what DB Browser or "
              "Datasette shows of this file cannot be trusted."},
    "verify.schema_removed": {
        "id": "Objek {kind} '{name}' dari format ekspor tidak ada di berkas (dihapus).",
        "en": "The export format's {kind} '{name}' is missing from the file (removed)."},
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
    "verify.samples": {
        "id": "{table} {row}: data goresan tanda tangan (kolom samples) rusak dan tidak dapat dibaca.",
        "en": "{table} {row}: the signature's strokes (column samples) are damaged and cannot be read.",
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
    "verify.person": {"id": "Peserta: {person}.", "en": "Person: {person}."},
    "verify.object_table": {"id": "tabel", "en": "table"},
    "verify.object_view": {"id": "view (tampilan)", "en": "view"},
    "verify.object_trigger": {"id": "trigger (pemicu)", "en": "trigger"},
    "verify.object_index": {"id": "indeks", "en": "index"},
    "verify.too_many": {
        "id": "... dan {count} masalah lain.", "en": "... and {count} more problems.",
    },
})

MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    code: str
    table: str | None = None
    row: str | None = None
    field: str | None = None
    params: dict = _field(default_factory=dict)

    @property
    def message(self) -> str:
        text = t(self.code, table=self.table, row=self.row, field=self.field, **self.params)
        person = self.params.get("person")
        return f"{text} {t('verify.person', person=person)}" if person else text

    def to_json(self) -> dict:
        return {"code": self.code, "table": self.table, "row": self.row, "field": self.field,
                "message": self.message}


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
    #: Who signed what: kind, device id, key fingerprint, and whether the database checked against trusts
    #: it (None: no database, so nobody's identity was checked).
    signers: list[dict] = _field(default_factory=list)
    trust_checked: bool = False

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
                "people": self.people, "devices": self.devices, "signers": self.signers,
                "identities_checked": self.trust_checked, "errors": shown}


def show(value: object) -> str:
    return "NULL" if value is None else str(value)
