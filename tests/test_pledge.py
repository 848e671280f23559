import pytest

from kiosk.ceremony import pledge
from kiosk.i18n import KioskError

DESIGN_POINTS_2_TO_4 = (
    "Menghindari konflik kepentingan, tidak melakukan praktik-praktik intimidasi dan ancaman kepada pegawai ASN "
    "dan seluruh elemen masyarakat serta tidak memihak kepada pasangan calon tertentu.",
    "Menggunakan media sosial secara bijak, tidak dipergunakan untuk kepentingan pasangan calon tertentu, tidak "
    "menyebarkan ujaran kebencian serta berita bohong.",
    "Menolak politik uang dan segala jenis pemberian dalam bentuk apapun.",
)


@pytest.mark.parametrize("key", ["pemilu-2024", "pilkada-2020"])
def test_templates_render_into_title_opening_four_points_closing(key):
    p = pledge.render(pledge.load_template(key), {"instansi": "Pemerintah Kabupaten Sleman"})
    assert [u.kind for u in p.units] == ["title", "opening", "point", "point", "point", "point", "closing"]
    assert "{" not in p.text and "Pemerintah Kabupaten Sleman" in p.units[1].text
    assert p.units[1].text.startswith("Kami Aparatur Sipil Negara") and p.units[1].text.endswith("berikrar:")
    assert p.units[-1].text.startswith("Demikian ikrar ini kami buat") and p.units[-1].text.endswith("NKRI.")
    assert p.units[2].text.startswith("1. Menjaga dan menegakkan prinsip netralitas pegawai ASN")
    assert "sebelum, selama, maupun sesudah pelaksanaan" in p.units[2].text
    assert tuple(u.text[3:] for u in p.units[3:6]) == DESIGN_POINTS_2_TO_4
    assert [u.ordinal() for u in p.units[2:6]] == ["Pertama", "Kedua", "Ketiga", "Keempat"]


def test_hash_is_of_the_exact_text_and_changes_with_any_word():
    t = pledge.load_template("pemilu-2024")
    a = pledge.render(t, {"instansi": "Kota A"})
    assert a.sha256 == pledge.render(t, {"instansi": "  Kota   A "}).sha256      # same words, same hash
    assert a.sha256 != pledge.render(t, {"instansi": "Kota B"}).sha256
    edited = pledge.render(t, {"instansi": "Kota A"}, points=[*t.points[:3], "Menolak politik uang."])
    assert edited.sha256 != a.sha256
    assert pledge.text_sha256(a.text.replace("\n", "\r\n")) == a.sha256        # line ends do not matter


def test_json_round_trip_keeps_the_hash():
    p = pledge.render(pledge.load_template("pilkada-2020"))
    assert pledge.Pledge.from_json(p.to_json()).sha256 == p.sha256


def test_unknown_template_and_placeholder_are_refused():
    with pytest.raises(KioskError) as info:
        pledge.load_template("pemilu-2099")
    assert "pemilu-2024" in str(info.value) and "pilkada-2020" in str(info.value)
    with pytest.raises(KioskError):
        pledge.render(pledge.load_template("pemilu-2024"), {"partai": "X"})
    with pytest.raises(KioskError):
        pledge.render(pledge.load_template("pemilu-2024"), {"instansi": "  "})
