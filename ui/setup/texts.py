"""The first-run setup's words (Indonesian first, English), in the one catalogue."""
from kiosk.i18n import register

register({
    "setup.window_title": {"id": "Ikrar Kiosk — Persiapan pertama", "en": "Ikrar Kiosk — First-run setup"},
    "setup.step": {"id": "Langkah {n} dari {total}", "en": "Step {n} of {total}"},
    "setup.back": {"id": "‹ Kembali", "en": "‹ Back"},
    "setup.next": {"id": "Lanjut ›", "en": "Next ›"},
    "setup.finish": {"id": "Selesai", "en": "Finish"},
    "setup.cancel": {"id": "Batal", "en": "Cancel"},
    "setup.saving": {"id": "Menyimpan… (membuat PIN dan basis data)",
                     "en": "Saving… (making the PIN and the database)"},
    # 1 language
    "setup.lang_title": {"id": "Selamat datang di Ikrar Kiosk", "en": "Welcome to Ikrar Kiosk"},
    "setup.lang_intro": {
        "id": "Beberapa langkah singkat menyiapkan laptop ini untuk Apel Ikrar Netralitas ASN. Pilih bahasa layar:",
        "en": "A few short steps prepare this laptop for the Apel Ikrar Netralitas ASN. Choose the screens' "
              "language:"},
    "setup.lang_note": {"id": "Teks ikrar selalu dalam Bahasa Indonesia.",
                        "en": "The pledge text is always in Indonesian."},
    # 2 agency
    "setup.agency_title": {"id": "Instansi", "en": "Agency"},
    "setup.agency_intro": {
        "id": "Nama dan logo instansi tampil di kop daftar hadir, kartu peserta dan layar proyektor.",
        "en": "The agency's name and logo appear on the attendance list's letterhead, the badges and the "
              "projector."},
    "setup.agency_name": {"id": "Nama instansi", "en": "Agency name"},
    "setup.agency_example": {"id": "misalnya Pemerintah Kabupaten Sleman", "en": "e.g. Pemerintah Kabupaten Sleman"},
    "setup.logo": {"id": "Logo (PNG atau JPEG; boleh dilewati)", "en": "Logo (PNG or JPEG; may be skipped)"},
    "setup.logo_choose": {"id": "Pilih logo…", "en": "Choose a logo…"},
    "setup.logo_clear": {"id": "Tanpa logo", "en": "No logo"},
    "setup.logo_none": {"id": "(belum ada logo)", "en": "(no logo yet)"},
    "setup.logo_filter": {"id": "Gambar (*.png *.jpg *.jpeg)", "en": "Images (*.png *.jpg *.jpeg)"},
    # 3 PIN
    "setup.pin_title": {"id": "PIN admin", "en": "Admin PIN"},
    "setup.pin_intro": {
        "id": "PIN admin (6–12 angka) diperlukan untuk keluar dari kiosk, mencari peserta dan membuka meja "
              "panitia. Tidak ada PIN bawaan: buat PIN sendiri dan simpan baik-baik.",
        "en": "The admin PIN (6–12 digits) is needed to leave the kiosk, search the roster and open the desk. "
              "There is no default PIN: make your own and keep it safe."},
    "setup.pin": {"id": "PIN", "en": "PIN"},
    "setup.pin_again": {"id": "Ulangi PIN", "en": "Repeat the PIN"},
    "setup.pin_kept": {"id": "Basis data ini sudah punya PIN admin; PIN itu tetap dipakai.",
                       "en": "This database already has an admin PIN; it stays in use."},
    # 4 database
    "setup.db_title": {"id": "Tempat basis data", "en": "Where the database lives"},
    "setup.db_intro": {
        "id": "Semua kehadiran dan tanda tangan tersimpan dalam satu berkas di laptop ini, hanya dapat dibaca "
              "oleh akun pengguna ini. Tempat bawaan sudah tepat; ubah hanya bila instansi meminta folder lain.",
        "en": "Every attendance and signature is kept in one file on this laptop, readable by this user account "
              "alone. The default place is right; change it only if your agency asks for another folder."},
    "setup.db_path": {"id": "Berkas basis data", "en": "Database file"},
    "setup.db_choose": {"id": "Ubah…", "en": "Change…"},
    "setup.db_default": {"id": "Tempat bawaan", "en": "Default place"},
    "setup.db_fixed": {"id": "Berkas ini dipilih lewat --db atau IKRAR_DB.",
                       "en": "This file was chosen with --db or IKRAR_DB."},
    "setup.db_filter": {"id": "Basis data Ikrar Kiosk (*.db)", "en": "Ikrar Kiosk database (*.db)"},
    # 5 event
    "setup.event_title": {"id": "Acara", "en": "Event"},
    "setup.event_intro": {
        "id": "Coba dulu dengan acara demo berisi {count} peserta contoh, atau langsung buat acara apel yang "
              "sebenarnya; daftar pesertanya diimpor kemudian di meja panitia (atau: ikrar roster import).",
        "en": "Try it first with a demo event of {count} sample people, or make the real ceremony now; its roster "
              "is imported later at the desk (or: ikrar roster import)."},
    "setup.event_demo": {"id": "Acara demo untuk mencoba", "en": "A demo event to try"},
    "setup.event_real": {"id": "Acara yang sebenarnya", "en": "The real event"},
    "setup.event_name": {"id": "Nama acara", "en": "Event name"},
    "setup.event_date": {"id": "Tanggal", "en": "Date"},
    "setup.event_venue": {"id": "Tempat", "en": "Place"},
    "setup.event_pledge": {"id": "Teks ikrar", "en": "Pledge text"},
    "setup.event_kept": {"id": "Basis data ini sudah punya acara: {title} ({date}).",
                         "en": "This database already has an event: {title} ({date})."},
    "setup.finished": {
        "id": "Persiapan selesai: basis data {path}, acara {event}.",
        "en": "Setup done: database {path}, event {event}."},
    "setup.cancelled": {"id": "Persiapan dibatalkan; tidak ada yang disimpan.",
                        "en": "Setup cancelled; nothing was saved."},
    "setup.needs_screen": {
        "id": "Persiapan pertama memerlukan layar. Dari terminal: ikrar admin pin lalu ikrar event create "
              "(atau ikrar demo).",
        "en": "The first-run setup needs a screen. From a terminal: ikrar admin pin, then ikrar event create "
              "(or ikrar demo)."},
})
