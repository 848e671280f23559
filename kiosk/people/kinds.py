"""Who attends (PNS, PPPK, non-ASN staff, guests) and why the absent were absent.

Since SE MenPAN-RB 1/2023 non-ASN staff (honorer, PPNPN, tenaga kontrak) take the pledge too; they
have no NIP.  Guests (KPU, Bawaslu, DPRD, Forkopimda) attend as witnesses: they sign the attendance
list, not the pakta integritas.  PNS and PPPK are told apart by the NIP (:mod:`kiosk.people.nip`).
"""
from __future__ import annotations

from enum import StrEnum

from kiosk.i18n import register, t

register({
    "kind.pns": {"id": "PNS", "en": "Civil servant (PNS)"},
    "kind.pppk": {"id": "PPPK", "en": "Contract civil servant (PPPK)"},
    "kind.non-asn": {"id": "Non-ASN", "en": "Non-ASN staff"},
    "kind.guest": {"id": "Tamu", "en": "Guest"},
    "absence.sakit": {"id": "Sakit", "en": "Sick"},
    "absence.izin": {"id": "Izin", "en": "Excused"},
    "absence.cuti": {"id": "Cuti", "en": "On leave"},
    "absence.dinas-luar": {"id": "Dinas Luar", "en": "On official duty elsewhere"},
    "absence.tugas-belajar": {"id": "Tugas Belajar", "en": "On study assignment"},
    "absence.tanpa-keterangan": {"id": "Tanpa Keterangan", "en": "No reason given"},
})


class PersonKind(StrEnum):
    PNS = "pns"
    PPPK = "pppk"
    NON_ASN = "non-asn"
    GUEST = "guest"

    @property
    def label(self) -> str:
        return t(f"kind.{self.value}")

    @property
    def has_nip(self) -> bool:
        return self in (PersonKind.PNS, PersonKind.PPPK)

    @property
    def signs_pakta(self) -> bool:
        """Guests witness the pledge: they sign the attendance list, not the integrity pact."""
        return self is not PersonKind.GUEST


class AbsenceReason(StrEnum):
    SAKIT = "sakit"
    IZIN = "izin"
    CUTI = "cuti"
    DINAS_LUAR = "dinas-luar"
    TUGAS_BELAJAR = "tugas-belajar"
    TANPA_KETERANGAN = "tanpa-keterangan"          # also what an unstated absence counts as

    @property
    def label(self) -> str:
        return t(f"absence.{self.value}")

    @property
    def letter(self) -> str:
        """The recap column of Indonesian attendance reports: S, I, C, DL, TB, TK."""
        return {"sakit": "S", "izin": "I", "cuti": "C", "dinas-luar": "DL", "tugas-belajar": "TB",
                "tanpa-keterangan": "TK"}[self.value]


def kind_of_nip(nip: str) -> PersonKind:
    """PNS or PPPK, from an 18-digit NIP's 13th digit (a PNS appointment month starts with 0 or 1)."""
    return PersonKind.PPPK if nip[12:13] == "2" else PersonKind.PNS
