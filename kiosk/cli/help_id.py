"""The command line's help in Indonesian: each English help text (as the command modules write it) and
its Indonesian.  :class:`kiosk.cli.usage.HelpFormatter` looks help texts up here when the language is
Indonesian; ``tests/test_cli_help.py`` walks every command and option and finds each one here."""
from __future__ import annotations

INDONESIAN: dict[str, str] = {
    # the parser and its common options
    "Ikrar Kiosk: apel ikrar netralitas ASN": "Ikrar Kiosk: apel ikrar netralitas ASN",
    "show program's version number and exit": "tampilkan versi program lalu keluar",
    "database file (default: $IKRAR_DB, else the user data folder)":
        "berkas basis data (bawaan: $IKRAR_DB, bila kosong folder data pengguna)",
    "message language": "bahasa pesan",
    "print JSON": "cetak sebagai JSON",
    # the commands
    "create, list and activate events": "buat, lihat, dan aktifkan acara",
    "create a demo event and roster in an empty database": "buat acara dan daftar peserta contoh di basis data kosong",
    "import and search the roster": "impor dan cari daftar peserta",
    "add a guest or walk-in, or take someone off the roster":
        "tambah tamu atau peserta tanpa undangan, atau hapus seseorang dari daftar",
    "why the absent were absent": "alasan ketidakhadiran",
    "check a NIP": "periksa sebuah NIP",
    "check in a scanned payload": "catat kehadiran dari isi kartu yang dipindai",
    "list the active event's check-ins": "daftar kehadiran acara yang aktif",
    "the active event, roster size, count present, who scanned without signing, clock and date warnings":
        "acara aktif, jumlah peserta, jumlah hadir, yang memindai tanpa tanda tangan, peringatan jam dan tanggal",
    "give back a stored signature (JSON or PNG)": "keluarkan tanda tangan yang tersimpan (JSON atau PNG)",
    "the pledge text": "naskah ikrar",
    "administration": "administrasi",
    "make a new kiosk database for another laptop (same event and roster)":
        "buat basis data kios baru untuk laptop lain (acara dan daftar peserta yang sama)",
    "export attendance": "ekspor kehadiran",
    "check an export file: integrity, chain, signatures, counts":
        "periksa berkas ekspor: keutuhan, rantai, tanda tangan, jumlah",
    "merge exports of one event (idempotent; an existing OUT is kept and added to)":
        "gabungkan ekspor satu acara (aman diulang; OUT yang sudah ada dipertahankan dan ditambah)",
    "push to the central PostgreSQL database (safe to run again)":
        "kirim ke basis data PostgreSQL pusat (aman diulang)",
    "print badges: A4 sheets of 10 ID-1 cards with the QR code":
        "cetak kartu: lembar A4 berisi 10 kartu ukuran ID-1 dengan kode QR",
    "read badge QR codes from image files": "baca kode QR kartu dari berkas gambar",
    "open the check-in kiosk screen (full screen)": "buka layar kios kehadiran (layar penuh)",
    "open the organiser's console and the pledge on the projector": "buka konsol panitia dan ikrar di proyektor",
    # event
    "create an event and make it active": "buat acara dan jadikan aktif",
    "list events": "daftar acara",
    "make an event the active one": "jadikan sebuah acara aktif",
    "set what the documents print: instansi, unit_kerja, alamat, logo, pemimpin, jabatan_kepala, nama_kepala, "
    "nip_kepala, kota":
        "atur yang dicetak di dokumen: instansi, unit_kerja, alamat, logo, pemimpin, jabatan_kepala, nama_kepala, "
        "nip_kepala, kota",
    "the event, its settings and its roster size": "acara, pengaturannya, dan jumlah pesertanya",
    "YYYY-MM-DD": "TTTT-BB-HH",
    "pledge template (pemilu-2024, pilkada-2020)": "templat ikrar (pemilu-2024, pilkada-2020)",
    "fill a pledge placeholder or an event setting, e.g. --set instansi='Pemerintah Kabupaten Sleman' (settings: "
    "instansi, unit_kerja, alamat, logo, pemimpin, jabatan_kepala, nama_kepala, nip_kepala, kota)":
        "isi bagian kosong ikrar atau pengaturan acara, misalnya --set instansi='Pemerintah Kabupaten Sleman' "
        "(pengaturan: instansi, unit_kerja, alamat, logo, pemimpin, jabatan_kepala, nama_kepala, nip_kepala, kota)",
    "start with another event's roster": "mulai dengan daftar peserta acara lain",
    "an empty VALUE clears the setting": "VALUE kosong menghapus pengaturan itu",
    # roster and people
    "import an XLSX or CSV roster (all or nothing)":
        "impor daftar peserta XLSX atau CSV (semua atau tidak sama sekali)",
    "find people by NIP, badge code or part of the name": "cari orang menurut NIP, kode kartu, atau sebagian nama",
    "keep the valid rows, report the rest": "simpan baris yang sah, laporkan sisanya",
    "make the roster exactly the file (people who checked in are kept and listed)":
        "jadikan daftar peserta persis isi berkas (yang sudah hadir tetap disimpan dan dicantumkan)",
    "a list of non-ASN staff (honorer, PPNPN, tenaga kontrak): NIK or name and unit, no NIP":
        "daftar pegawai non-ASN (honorer, PPNPN, tenaga kontrak): NIK atau nama dan unit, tanpa NIP",
    "add a guest or a walk-in without a NIP to the active event; prints the code":
        "tambahkan tamu atau peserta tanpa NIP ke acara aktif; kodenya dicetak",
    "take someone off the roster (refused once they checked in)":
        "hapus seseorang dari daftar peserta (ditolak bila sudah hadir)",
    "a guest's institution (KPU, Bawaslu, DPRD …)": "instansi tamu (KPU, Bawaslu, DPRD …)",
    "a witness (signs the attendance list, no pakta)": "saksi (menandatangani daftar hadir, tanpa pakta)",
    "record why someone is absent": "catat alasan seseorang tidak hadir",
    "everyone not checked in, with the reason (unset: tanpa keterangan)":
        "semua yang belum hadir beserta alasannya (bila belum diisi: tanpa keterangan)",
    # signatures, pledge, admin
    "signature JSON file": "berkas JSON tanda tangan",
    "draw it into a PNG file": "gambar ke berkas PNG",
    "for an encrypted export given as --db": "untuk ekspor terenkripsi yang diberikan sebagai --db",
    "show the active event's pledge, unit by unit": "tampilkan ikrar acara aktif, bagian demi bagian",
    "set the admin PIN; changing it asks the current one first (standard input: the current PIN on the first line, "
    "the new one on the second)":
        "atur PIN admin; untuk menggantinya PIN lama ditanyakan dulu (masukan standar: PIN lama di baris pertama, "
        "PIN baru di baris kedua)",
    "replace a forgotten PIN without the current one (recorded in the audit log)":
        "ganti PIN yang terlupa tanpa PIN lama (dicatat di log audit)",
    # export, merge, sync, documents
    "one signed, self-contained SQLite file for merging and sync":
        "satu berkas SQLite bertanda tangan dan lengkap untuk digabung dan dikirim",
    "the signed attendance list (daftar hadir), A4 PDF": "daftar hadir bertanda tangan, PDF A4",
    "Excel workbook: present, absent, recap per unit": "buku kerja Excel: hadir, tidak hadir, rekap per unit",
    "CSV (UTF-8 with BOM): present, absent, recap per unit":
        "CSV (UTF-8 dengan BOM): hadir, tidak hadir, rekap per unit",
    "the integrity pact (pakta integritas) of every signer": "pakta integritas setiap penanda tangan",
    "the written report to BKPSDM (PDF)": "laporan tertulis ke BKPSDM (PDF)",
    "replace an existing file that is not an earlier export of this event from this laptop":
        "timpa berkas yang ada walaupun bukan ekspor sebelumnya dari acara ini di laptop ini",
    "encrypt the output with a passphrase": "enkripsi hasilnya dengan frasa sandi",
    "read the passphrase from this file's first line (else $IKRAR_PASSPHRASE, else ask)":
        "baca frasa sandi dari baris pertama berkas ini (bila tidak ada: $IKRAR_PASSPHRASE, "
        "bila tidak ada: ditanyakan)",
    "only the people of this unit": "hanya orang dari unit ini",
    "one section per unit": "satu bagian per unit",
    "replace an existing file": "timpa berkas yang sudah ada",
    "allow signature images from an encrypted --db file in this unencrypted document":
        "izinkan gambar tanda tangan dari berkas --db terenkripsi masuk ke dokumen tak terenkripsi ini",
    "field separator (default ';', what Excel expects on an Indonesian Windows)":
        "pemisah kolom (bawaan ';', yang diharapkan Excel di Windows berbahasa Indonesia)",
    "one PDF per signer in this folder": "satu PDF per penanda tangan di folder ini",
    "all pacts in one PDF": "semua pakta dalam satu PDF",
    "a photo of the ceremony (repeatable)": "foto upacara (boleh lebih dari satu)",
    "write the merged file unencrypted even though an input is encrypted":
        "tulis berkas gabungan tanpa enkripsi walaupun ada masukan yang terenkripsi",
    "trust a device this database does not know (its key fingerprint, as its refusal and 'ikrar status' on that "
    "laptop show it); recorded in the audit log":
        "percayai perangkat yang belum dikenal basis data ini (sidik jari kuncinya, seperti yang ditampilkan "
        "penolakannya dan 'ikrar status' di laptop itu); dicatat di log audit",
    "postgresql://user@host:port/dbname (default: $IKRAR_SYNC_URL)":
        "postgresql://pengguna@host:port/nama_basis_data (bawaan: $IKRAR_SYNC_URL)",
    "send a verified export or merged file instead of the kiosk database":
        "kirim berkas ekspor atau gabungan yang sudah diperiksa, bukan basis data kios",
    "show what is not yet sent, without connecting": "tampilkan yang belum terkirim, tanpa menyambung",
    "only these people (repeatable)": "hanya orang-orang ini (boleh lebih dari satu)",
    "one person's card as a PNG image (with --nip)": "kartu satu orang sebagai gambar PNG (dengan --nip)",
    "PNG, JPEG or other image files": "berkas gambar PNG, JPEG, atau lainnya",
    # the screens
    "a scan alone records attendance": "pindai saja sudah mencatat kehadiran",
    "a 1366×768 window instead of full screen": "jendela 1366×768, bukan layar penuh",
    "projector screen number (0 = first)": "nomor layar proyektor (0 = yang pertama)",
    "render one unit offscreen to a PNG and exit": "gambar satu bagian ke PNG tanpa layar lalu keluar",
    "unit number, 1 = the title (see: pledge show)": "nomor bagian, 1 = judul (lihat: pledge show)",
}
