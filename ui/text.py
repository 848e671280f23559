"""The screens' words, in the core's catalogue, so the kiosk and the CLI speak alike."""
from kiosk.i18n import register, t  # noqa: F401  (t is re-exported for the widgets)

register({
    "ui.scan_prompt": {"id": "Silakan pindai kartu QR Anda", "en": "Please scan your QR badge"},
    "ui.scan_hint": {"id": "Dekatkan kartu NIP ke pemindai", "en": "Hold your NIP badge to the scanner"},
    "ui.present": {"id": "{present} dari {roster} peserta hadir", "en": "{present} of {roster} present"},
    "ui.privacy": {
        "id": "Data kehadiran dan tanda tangan Anda hanya dipakai untuk laporan apel ini "
              "(UU 27/2022 tentang Pelindungan Data Pribadi). Layar ini tidak menampilkan data orang lain.",
        "en": "Your attendance and signature are used only for this ceremony's report "
              "(Law 27/2022 on Personal Data Protection). This screen never shows anyone else's data."},
    "ui.sign_title": {"id": "Silakan tanda tangan", "en": "Please sign"},
    "ui.sign_hint": {"id": "Tanda tangan di sini", "en": "Sign here"},
    "ui.sign_statement": {
        "id": "Dengan menandatangani, saya menyatakan mengikuti dan menyetujui ikrar berikut:",
        "en": "By signing I declare that I took and agree to the following pledge:"},
    "ui.clear": {"id": "Hapus", "en": "Clear"},
    "ui.undo": {"id": "Urungkan", "en": "Undo"},
    "ui.cancel": {"id": "Batal", "en": "Cancel"},
    "ui.confirm": {"id": "Selesai ✓", "en": "Done ✓"},
    "ui.saving": {"id": "Menyimpan…", "en": "Saving…"},
    "ui.done_title": {"id": "Terima kasih", "en": "Thank you"},
    "ui.done_time": {"id": "Kehadiran tercatat pukul {time}", "en": "Attendance recorded at {time}"},
    "ui.duplicate_title": {"id": "Sudah tercatat", "en": "Already recorded"},
    "ui.duplicate_detail": {"id": "Kehadiran Anda sudah tercatat pukul {time}. Tidak perlu memindai lagi.",
                           "en": "Your attendance was already recorded at {time}. No need to scan again."},
    "ui.unknown_title": {"id": "NIP tidak terdaftar", "en": "NIP not on the roster"},
    "ui.invalid_hint": {"id": "Coba pindai sekali lagi. Jika tetap gagal, silakan ke meja panitia.",
                        "en": "Try scanning once more. If it still fails, please go to the organisers' desk."},
    "ui.not_saved_title": {"id": "Belum tercatat", "en": "Not recorded"},
    "ui.invalid_title": {"id": "Kartu tidak terbaca", "en": "Badge not readable"},
    "ui.staff": {"id": "Panitia", "en": "Staff"},
    "ui.pin_prompt": {"id": "Masukkan PIN admin", "en": "Enter the admin PIN"},
    "ui.pin_new": {"id": "Buat PIN admin (6–12 angka). PIN ini diperlukan untuk keluar dari kiosk, "
                         "mencari peserta, dan pengaturan.",
                   "en": "Create the admin PIN (6–12 digits). It is needed to leave the kiosk, "
                         "search the roster, and change settings."},
    "ui.pin_again": {"id": "Ulangi PIN", "en": "Repeat the PIN"},
    "ui.ok": {"id": "OK", "en": "OK"},
    "ui.menu_title": {"id": "Menu panitia", "en": "Staff menu"},
    "ui.menu_search": {"id": "Cari peserta (lupa kartu)", "en": "Find a participant (forgotten badge)"},
    "ui.menu_language": {"id": "English", "en": "Bahasa Indonesia"},
    "ui.menu_sound_off": {"id": "Matikan suara", "en": "Turn sounds off"},
    "ui.menu_sound_on": {"id": "Nyalakan suara", "en": "Turn sounds on"},
    "ui.menu_exit": {"id": "Keluar dari kiosk", "en": "Leave the kiosk"},
    "ui.menu_back": {"id": "Kembali ke kiosk", "en": "Back to the kiosk"},
    "ui.search_prompt": {"id": "Ketik minimal 3 huruf nama atau bagian NIP",
                         "en": "Type at least 3 letters of the name or part of the NIP"},
    "ui.search_none": {"id": "Tidak ada yang cocok.", "en": "No match."},
    "ui.search_pick": {"id": "Pilih", "en": "Choose"},
    "ui.already_running": {
        "id": "Kiosk lain sudah berjalan dengan basis data ini ({path}). Tutup kiosk itu dulu.",
        "en": "Another kiosk is already running on this database ({path}). Close it first."},
})
