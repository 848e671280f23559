"""The counting behind the report and the spreadsheets' recap, and the report PDF that lays it out."""
from __future__ import annotations

import datetime as dt

import pytest
from documents_helpers import (
    assert_a4,
    assert_fonts_embedded,
    images,
    pages_text,
    pdftotext,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.documents import sample
from kiosk.documents.model import (
    AbsenceReason,
    DocAbsence,
    DocAttendance,
    DocPerson,
    PersonKind,
)
from kiosk.documents.recap import NO_UNIT, percent, recap
from kiosk.documents.report_pdf import report_pdf
from kiosk.i18n import KioskError

WIB = dt.timezone(dt.timedelta(hours=7))
T = dt.datetime(2024, 11, 4, 7, 30, tzinfo=WIB)


def staff(i: int, unit: str, kind=PersonKind.PNS) -> DocPerson:
    if kind is PersonKind.NON_ASN:
        return DocPerson(kind, f"Honorer {i}", code=f"NA{i:04d}K", unit=unit)
    nip = f"198001012005011{i:03d}" if kind is PersonKind.PNS else f"198001012021211{i:03d}"
    return DocPerson(kind, f"Pegawai {i}", nip=nip, unit=unit)


def test_counts_per_unit_with_kinds_reasons_and_share():
    a = [staff(1, "Bappeda"), staff(2, "Bappeda", PersonKind.PPPK), staff(3, "Inspektorat"),
         staff(4, "Bappeda", PersonKind.NON_ASN)]
    absent = [DocAbsence(staff(5, "Bappeda"), AbsenceReason.SAKIT),
              DocAbsence(staff(6, "Bappeda"), AbsenceReason.DINAS_LUAR),
              DocAbsence(staff(7, "Inspektorat", PersonKind.PPPK), "tanpa-keterangan")]
    guest = DocPerson(PersonKind.GUEST, "Ketua KPU", code="TM001X", institution="KPU")
    rows = [DocAttendance(p, T) for p in a] + [DocAttendance(guest, T)]
    r = recap(rows, absent)
    bappeda, inspektorat = r.units
    assert (bappeda.unit, bappeda.pns, bappeda.pppk, bappeda.non_asn) == ("Bappeda", 3, 1, 1)
    assert (bappeda.participants, bappeda.present, bappeda.absent_total) == (5, 3, 2)
    assert bappeda.absent_for(AbsenceReason.SAKIT) == 1 and bappeda.absent_for("dinas-luar") == 1
    assert bappeda.share_present == pytest.approx(0.6)
    assert (inspektorat.participants, inspektorat.present, inspektorat.absent_for("tanpa-keterangan")) == (2, 1, 1)
    assert (r.total.participants, r.total.present, r.total.absent_total) == (7, 4, 3)
    assert r.guests == 1
    assert [a.person.name for a in r.absentees] == ["Pegawai 5", "Pegawai 6", "Pegawai 7"]


def test_a_person_counts_once_present_wins_over_absent_and_a_second_check_in_is_ignored():
    p = staff(1, "Bappeda")
    r = recap([DocAttendance(p, T), DocAttendance(p, T + dt.timedelta(minutes=3))],
              [DocAbsence(p, "izin"), DocAbsence(staff(2, ""), "cuti"), DocAbsence(staff(2, ""), "cuti")])
    assert r.total.present == 1 and r.total.participants == 2
    assert [u.unit for u in r.units] == ["Bappeda", NO_UNIT]
    assert len(r.absentees) == 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["A", "B", "C", ""]),
                          st.one_of(st.none(), st.sampled_from(list(AbsenceReason)))), max_size=40))
def test_totals_are_the_sum_of_the_units_and_every_person_is_counted_once(people):
    rows, absences = [], []
    for i, (kind, unit, reason) in enumerate(people):
        p = staff(i, unit, [PersonKind.PNS, PersonKind.PPPK, PersonKind.NON_ASN, PersonKind.PNS][kind])
        if reason is None:
            rows.append(DocAttendance(p, T))
        else:
            absences.append(DocAbsence(p, reason))
    r = recap(rows, absences)
    assert r.total.participants == len(people) == sum(u.participants for u in r.units)
    assert r.total.present == len(rows)
    assert r.total.absent_total == len(absences)
    for u in r.units:
        assert u.present + u.absent_total == u.participants
        assert 0.0 <= u.share_present <= 1.0


def test_percent_uses_the_decimal_comma():
    assert percent(0.875) == "87,5%" and percent(0) == "0,0%" and percent(1) == "100,0%"


# --- the report PDF ------------------------------------------------------------------------

@pytest.fixture
def report_input(tmp_path):
    logo = sample.logo(tmp_path / "logo.png")
    event = sample.event(logo)
    people = sample.people(30, non_asn=3)
    rows = sample.attendance(people[:25], signatures=[sample.signature_png(i) for i in range(3)])
    absences = sample.absences(people[25:])
    photos = [sample.photo(tmp_path / "a.jpg", 1), sample.photo(tmp_path / "b.png", 2, (600, 900)),
              sample.photo(tmp_path / "c.jpg", 3)]
    return event, rows, absences, photos


def test_report_lays_out_the_recap_witnesses_absentees_and_photos(tmp_path, report_input):
    event, rows, absences, photos = report_input
    out = report_pdf(event, rows, absences, sample.guests(), tmp_path / "laporan.pdf", photos=photos)
    assert_a4(out)
    assert_fonts_embedded(out)
    text = pdftotext(out)
    r = recap(rows, absences)
    for needle in ("LAPORAN PELAKSANAAN", "Pemimpin ikrar", "Bupati Sleman", "Senin, 4 November 2024",
                   "Rekapitulasi Kehadiran per Unit Kerja", "Saksi (Tamu Undangan)", "Bawaslu Kabupaten Sleman",
                   "Daftar Pegawai yang Tidak Hadir", "Dokumentasi", "Kepala BKPSDM Kabupaten Sleman",
                   "NIP. 19700315 199403 1 005", f"{r.total.present} dari {r.total.participants} pegawai"):
        assert needle in text, needle
    total_line = next(line for line in text.splitlines() if "Jumlah" in line and "%" in line)
    assert total_line.split()[1:6] == [str(r.total.pns), str(r.total.pppk), str(r.total.non_asn),
                                       str(r.total.participants), str(r.total.present)]
    assert percent(r.total.share_present) in total_line
    for a in absences:
        assert a.reason.label.split()[0] in text
    assert len([i for i in images(out) if i["type"] == "image"]) == 1 + len(photos)   # the logo and the photos
    assert "Halaman 1 dari" in pages_text(out)[0]


def test_report_refuses_when_nobody_is_recorded(tmp_path):
    with pytest.raises(KioskError) as err:
        report_pdf(sample.event(), [], [], [], tmp_path / "x.pdf")
    assert err.value.code == "documents.nothing_participants"
    assert not (tmp_path / "x.pdf").exists()


def test_an_unreadable_photo_is_refused_with_its_name(tmp_path, report_input):
    event, rows, absences, _ = report_input
    bad = tmp_path / "rusak.jpg"
    bad.write_bytes(b"not a jpeg")
    with pytest.raises(KioskError) as err:
        report_pdf(event, rows, absences, [], tmp_path / "x.pdf", photos=[bad])
    assert "rusak.jpg" in str(err.value)
    assert not (tmp_path / "x.pdf").exists()
