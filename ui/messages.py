"""Every word the screens show, in the core's catalogue (Indonesian first, English), so the kiosk,
the projector, the console and the CLI speak alike.  The one UI catalogue: screens register nothing
themselves."""
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
    "ui.menu_desk": {"id": "Buka meja panitia", "en": "Open the organiser's desk"},
    "ui.menu_exit": {"id": "Keluar dari kiosk", "en": "Leave the kiosk"},
    "ui.menu_back": {"id": "Kembali ke kiosk", "en": "Back to the kiosk"},
    "ui.search_field": {"id": "Nama atau NIP", "en": "Name or NIP"},
    "ui.search_prompt": {"id": "Ketik minimal 3 huruf nama atau bagian NIP",
                         "en": "Type at least 3 letters of the name or part of the NIP"},
    "ui.search_none": {"id": "Tidak ada yang cocok.", "en": "No match."},
    "ui.search_pick": {"id": "Pilih", "en": "Choose"},
    "ui.search_failed": {"id": "Pencarian gagal. {reason}", "en": "The search failed. {reason}"},
    "ui.sound_failed": {
        "id": "Pilihan suara tidak tersimpan, jadi hanya berlaku sampai kiosk ditutup. {reason}",
        "en": "The sound choice was not saved, so it holds only until the kiosk is closed. {reason}"},
    "ui.not_saved": {
        "id": "{reason} Kehadiran ini BELUM tercatat: pindai ulang, atau lapor ke meja panitia.",
        "en": "{reason} This attendance was NOT recorded: scan again, or go to the organisers' desk."},
    "ui.unexpected": {
        "id": "Terjadi kesalahan tak terduga. Rinciannya tercatat di log; laporkan ke panitia.",
        "en": "An unexpected error occurred. The details are in the log; tell the organisers."},
    "ui.unexpected_logged": {
        "id": "Terjadi kesalahan tak terduga. Rinciannya tercatat di berkas log {log}.",
        "en": "An unexpected error occurred. The details are in the log file {log}."},
    "ui.cancelled": {"id": "Dibatalkan.", "en": "Cancelled."},
    "ui.badge_code": {"id": "Kode kartu {code}", "en": "Badge code {code}"},
    "ui.sign_statement_guest": {
        "id": "Dengan menandatangani, Anda tercatat hadir sebagai tamu (saksi) pada apel ikrar berikut:",
        "en": "By signing you are recorded as a guest (witness) at the following pledge ceremony:"},
    "ui.sign_first": {
        "id": "Belum ada tanda tangan. Tanda tangani kotak putih dengan jari atau pena, lalu tekan Selesai.",
        "en": "There is no signature yet. Sign in the white box with a finger or a pen, then press Done."},
    "ui.countdown_save": {"id": "Tanda tangan disimpan otomatis dalam {seconds} detik",
                          "en": "The signature is saved automatically in {seconds} s"},
    "ui.countdown_leave": {"id": "Kembali ke awal dalam {seconds} detik: sentuh kotak tanda tangan untuk lanjut",
                           "en": "Back to the start in {seconds} s: touch the signing box to go on"},
    "ui.unknown_detail": {
        "id": "Anda tidak ada dalam daftar peserta acara ini. Silakan ke meja panitia: panitia dapat "
              "menambahkan Anda di kiosk ini.",
        "en": "You are not on this event's roster. Please go to the organisers' desk: staff can add you "
              "at this kiosk."},
    "ui.pin_empty": {"id": "Ketik PIN admin dulu, lalu tekan OK.", "en": "Type the admin PIN first, then press OK."},
    "ui.pin_needed": {
        "id": "Kiosk ini memerlukan PIN admin. Tanpa PIN, tidak ada yang dapat keluar dari kiosk, mencari "
              "peserta yang lupa kartu, menambahkan tamu, atau mengubah pengaturan. Buat PIN sekarang, atau "
              "tutup kiosk dan jalankan lagi nanti.",
        "en": "This kiosk needs an admin PIN. Without one, nobody can leave the kiosk, find a participant who "
              "forgot their badge, add a guest, or change the settings. Set the PIN now, or close the kiosk "
              "and start it again later."},
    "ui.pin_needed_set": {"id": "Buat PIN admin", "en": "Set the admin PIN"},
    "ui.pin_needed_quit": {"id": "Tutup kiosk (tanpa PIN kiosk tidak dapat dipakai)",
                           "en": "Close the kiosk (it cannot be used without a PIN)"},
    "ui.closed_no_pin": {
        "id": "Kiosk ditutup karena PIN admin belum dibuat. Jalankan lagi untuk membuatnya, atau: ikrar admin pin",
        "en": "The kiosk was closed because no admin PIN was set. Start it again to set one, or: ikrar admin pin"},
    "ui.menu_walk_in": {"id": "Tambah tamu atau peserta yang tidak terdaftar",
                        "en": "Add a guest or someone not on the roster"},
    "ui.walkin_intro": {
        "id": "Orang ini ditambahkan ke daftar peserta acara ini, lalu langsung menandatangani di kiosk. "
              "Tanpa NIP ia mendapat kode kartu.",
        "en": "This person is added to this event's roster and signs at the kiosk right away. "
              "Without a NIP they get a badge code."},
    "ui.walkin_name": {"id": "Nama lengkap", "en": "Full name"},
    "ui.walkin_kind": {"id": "Sebagai", "en": "As"},
    "ui.walkin_guest": {"id": "Tamu (saksi)", "en": "Guest (witness)"},
    "ui.walkin_non_asn": {"id": "Pegawai non-ASN", "en": "Non-ASN staff"},
    "ui.walkin_nip_hint": {"id": "Kosongkan untuk tamu dan non-ASN", "en": "Leave empty for guests and non-ASN staff"},
    "ui.walkin_institution": {"id": "Instansi", "en": "Institution"},
    "ui.walkin_position": {"id": "Jabatan", "en": "Position"},
    "ui.walkin_unit": {"id": "Unit kerja", "en": "Unit"},
    "ui.walkin_add": {"id": "Tambah dan tanda tangan", "en": "Add and sign"},
    "ui.already_running": {
        "id": "Kiosk lain sudah berjalan dengan basis data ini ({path}). Tutup kiosk itu dulu.",
        "en": "Another kiosk is already running on this database ({path}). Close it first."},
})

register({  # the organiser's console, the projector and the pledge editor
    # console
    "display.title": {"id": "Ikrar Kiosk — Konsol Ikrar", "en": "Ikrar Kiosk — Pledge console"},
    "display.projector_title": {"id": "Ikrar Kiosk — Proyektor", "en": "Ikrar Kiosk — Projector"},
    "display.tab_control": {"id": "Kendali tayangan", "en": "Presentation"},
    "display.tab_editor": {"id": "Teks ikrar", "en": "Pledge text"},
    "display.live": {"id": "TAYANG", "en": "LIVE"},
    "display.preview": {"id": "BERIKUTNYA", "en": "NEXT"},
    "display.end": {"id": "(akhir ikrar)", "en": "(end of the pledge)"},
    "display.units": {"id": "Bagian ikrar", "en": "Pledge parts"},
    "display.unit_title": {"id": "Judul", "en": "Title"},
    "display.unit_opening": {"id": "Pembuka", "en": "Opening"},
    "display.unit_closing": {"id": "Penutup", "en": "Closing"},
    "display.prev": {"id": "◀ Sebelumnya", "en": "◀ Previous"},
    "display.next": {"id": "Berikutnya ▶", "en": "Next ▶"},
    "display.blank": {"id": "Layar hitam (B)", "en": "Black screen (B)"},
    "display.blanked": {"id": "LAYAR HITAM — tekan B untuk menampilkan lagi",
                        "en": "BLACK SCREEN — press B to show again"},
    "display.phrases": {"id": "Sorot per frasa (tirukan)", "en": "Highlight phrase by phrase (read after me)"},
    "display.theme": {"id": "Tema", "en": "Theme"},
    "display.theme_dark": {"id": "Gelap", "en": "Dark"},
    "display.theme_light": {"id": "Terang", "en": "Light"},
    "display.theme_contrast": {"id": "Kontras tinggi", "en": "High contrast"},
    "display.logo": {"id": "Logo instansi…", "en": "Agency logo…"},
    "display.desk": {"id": "Meja panitia…", "en": "Organiser's desk…"},
    "display.desk_tip": {"id": "Acara, peserta, kartu, kehadiran, statistik, ekspor, gabung & kirim (dengan PIN "
                               "admin)",
                         "en": "Event, participants, badges, attendance, statistics, exports, merge & send (admin "
                               "PIN)"},
    "display.logo_none": {"id": "Tanpa logo", "en": "No logo"},
    "display.logo_pick": {"id": "Pilih logo instansi", "en": "Choose the agency logo"},
    "display.logo_bad": {"id": "Berkas {path} bukan gambar yang bisa dibaca. Pakai PNG atau JPG.",
                         "en": "{path} is not an image that can be read. Use a PNG or JPG."},
    "display.keys_hint": {
        "id": "Tombol: PageDown/→/↓/Spasi berikutnya · PageUp/←/↑ sebelumnya · B atau . layar hitam · "
              "Home/End awal/akhir",
        "en": "Keys: PageDown/→/↓/Space next · PageUp/←/↑ previous · B or . black screen · Home/End first/last"},
    "display.position": {"id": "Bagian {n} dari {count}", "en": "Part {n} of {count}"},
    "display.phrase_position": {"id": "frasa {n} dari {count}", "en": "phrase {n} of {count}"},
    # screens
    "display.screen": {"id": "Layar proyektor", "en": "Projector screen"},
    "display.screen_auto": {"id": "Otomatis (layar kedua)", "en": "Automatic (second screen)"},
    "display.screen_window": {"id": "Jendela di laptop", "en": "Window on the laptop"},
    "display.screen_item": {"id": "Layar {n}: {name} {w}×{h}{primary}", "en": "Screen {n}: {name} {w}×{h}{primary}"},
    "display.screen_primary": {"id": " (utama)", "en": " (primary)"},
    "display.on_screen": {"id": "Proyektor tampil penuh di layar {n}: {name} {w}×{h}.",
                          "en": "The projector is full screen on screen {n}: {name} {w}×{h}."},
    "display.fallback_single": {
        "id": "Hanya ada satu layar: ikrar ditampilkan sebagai jendela di laptop. Sambungkan proyektor "
              "(mode Extend / Perluas, Win+P); layar kedua dipakai otomatis.",
        "en": "Only one screen: the pledge is shown as a window on the laptop. Connect the projector "
              "(Extend mode, Win+P); the second screen is used automatically."},
    "display.fallback_remembered": {
        "id": "Layar yang dipilih ({name} {w}×{h}) tidak tersambung.",
        "en": "The chosen screen ({name} {w}×{h}) is not connected."},
    "display.fallback_requested": {
        "id": "Layar nomor {n} tidak ada (ada {count} layar).",
        "en": "There is no screen number {n} (there are {count} screens)."},
    "display.window_chosen": {"id": "Ikrar ditampilkan sebagai jendela di laptop (pilihan panitia).",
                              "en": "The pledge is shown as a window on the laptop (the organiser's choice)."},
    # live count
    "display.count": {"id": "{present} / {roster} hadir", "en": "{present} / {roster} present"},
    "display.count_waiting": {"id": "Menghitung kehadiran…", "en": "Counting attendance…"},
    "display.recent": {"id": "Kehadiran terakhir", "en": "Latest check-ins"},
    "display.kiosk_waiting": {"id": "Kiosk: belum ada pindaian.", "en": "Kiosk: no scans yet."},
    "display.kiosk_last": {"id": "Kiosk: pindaian terakhir {time}", "en": "Kiosk: last scan {time}"},
    "display.kiosk_refused": {
        "id": "{minutes} menit terakhir: {unknown} NIP tidak terdaftar, {invalid} kartu tidak terbaca",
        "en": "last {minutes} minutes: {unknown} NIPs not on the roster, {invalid} unreadable badges"},
    "display.recent_none": {"id": "Belum ada yang hadir.", "en": "Nobody has checked in yet."},
    "display.incomplete": {"id": "Sudah memindai, BELUM tercatat (panggil kembali)",
                           "en": "Scanned, NOT recorded (call them back)"},
    "display.incomplete_none": {"id": "Tidak ada yang tertinggal.", "en": "Nobody left unsigned."},
    "display.count_error": {"id": "Kehadiran tidak dapat dibaca: {error}", "en": "Cannot read attendance: {error}"},
    "display.setting_failed": {
        "id": "Pilihan ini berlaku sekarang, tetapi tidak tersimpan untuk lain kali. {reason}",
        "en": "This choice applies now but was not saved for next time. {reason}"},
    # editor
    "editor.template": {"id": "Templat", "en": "Template"},
    "editor.year": {"id": "Tahun", "en": "Year"},
    "editor.points": {"id": "Butir ikrar", "en": "Pledge points"},
    "editor.point": {"id": "Butir {n}", "en": "Point {n}"},
    "editor.add_point": {"id": "+ Tambah butir", "en": "+ Add a point"},
    "editor.remove_point": {"id": "Hapus butir terakhir", "en": "Remove the last point"},
    "editor.placeholder_hint": {
        "id": "{{pemilihan}} dan {{instansi}} di dalam butir diganti dengan isian di atas.",
        "en": "{{pemilihan}} and {{instansi}} inside a point are replaced by the fields above."},
    "editor.reset": {"id": "Kembalikan teks templat", "en": "Restore the template text"},
    "editor.save": {"id": "Simpan sebagai versi baru", "en": "Save as a new version"},
    "editor.saving": {"id": "Menyimpan…", "en": "Saving…"},
    "editor.saved": {"id": "Tersimpan. Versi ini sekarang dipakai acara dan kiosk.",
                     "en": "Saved. The event and the kiosk now use this version."},
    "editor.unchanged": {"id": "Teks sama dengan versi yang dipakai; tidak ada versi baru.",
                         "en": "The text is the same as the version in use; no new version."},
    "editor.dirty": {"id": "Belum disimpan.", "en": "Not saved yet."},
    "editor.sha_current": {"id": "SHA-256 versi yang dipakai", "en": "SHA-256 of the version in use"},
    "editor.sha_draft": {"id": "SHA-256 teks di layar", "en": "SHA-256 of the text on screen"},
    "editor.versions": {"id": "Versi tersimpan (tanda tangan terikat ke SHA-256 versi yang ditandatangani)",
                        "en": "Saved versions (each signature is bound to the SHA-256 of the version signed)"},
    "editor.col_id": {"id": "No.", "en": "No."},
    "editor.col_time": {"id": "Disimpan (UTC)", "en": "Saved (UTC)"},
    "editor.col_template": {"id": "Templat", "en": "Template"},
    "editor.col_sha": {"id": "SHA-256", "en": "SHA-256"},
    "editor.in_use": {"id": "dipakai", "en": "in use"},
    "editor.empty_point": {"id": "Butir {n} kosong. Isi atau hapus butir itu.",
                           "en": "Point {n} is empty. Fill it in or remove it."},
    "editor.bad_braces": {
        "id": "Butir {n} memuat isian {{…}} yang tidak dikenal. Isian yang ada: {choices}.",
        "en": "Point {n} holds an unknown {{…}} placeholder. Its placeholders: {choices}."},
    "editor.no_points": {"id": "Ikrar perlu paling sedikit satu butir.", "en": "The pledge needs at least one point."},
})

# --- camera scanning (ui.kiosk.camera) ---------------------------------------------------------------
register({
    "ui.scan_hint_camera": {"id": "Tunjukkan kartu ke kamera, atau dekatkan ke pemindai",
                            "en": "Show your badge to the camera, or hold it to the scanner"},
    "ui.menu_camera": {"id": "Pilih kamera", "en": "Choose the camera"},
    "ui.camera_title": {"id": "Kamera", "en": "Camera"},
    "ui.camera_prompt": {"id": "Kamera mana yang dipakai untuk memindai kartu?",
                         "en": "Which camera should scan the badges?"},
    "ui.camera_none_found": {
        "id": "Tidak ada kamera yang terpasang. Pasang kamera USB lalu buka menu ini lagi, atau pakai pemindai saja.",
        "en": "No camera is connected. Plug in a USB camera and open this menu again, or use the scanner alone."},
    "ui.camera_not_connected": {"id": "(tidak terpasang)", "en": "(not connected)"},
    "ui.camera_in_use": {"id": "(sedang dipakai)", "en": "(in use)"},
    "ui.camera_off": {"id": "Tanpa kamera (pemindai saja)", "en": "No camera (scanner only)"},
    "ui.camera_no_camera": {"id": "Tidak ada kamera. Pindai kartu dengan pemindai.",
                            "en": "No camera found. Scan badges with the scanner."},
    "ui.camera_unplugged": {
        "id": "Kamera {name} tidak terhubung. Pasang kembali kabelnya atau pilih kamera lain di menu Panitia. "
              "Pemindai tetap bisa dipakai.",
        "en": "The camera {name} is not connected. Plug it back in or choose another camera in the Staff menu. "
              "The scanner still works."},
    "ui.camera_busy": {
        "id": "Kamera tidak dapat dipakai; mungkin sedang dipakai aplikasi lain (Zoom, Teams, WhatsApp). "
              "Tutup aplikasi itu, kiosk akan mencoba lagi sendiri. Pemindai tetap bisa dipakai.",
        "en": "The camera cannot be used; another program (Zoom, Teams, WhatsApp) may be using it. "
              "Close that program and the kiosk will try again by itself. The scanner still works."},
    "ui.camera_denied": {
        "id": "Akses ke kamera ditolak. Izinkan aplikasi memakai kamera di pengaturan privasi komputer "
              "(Windows: Pengaturan › Privasi › Kamera); kiosk akan mencoba lagi sendiri. Pemindai tetap bisa dipakai.",
        "en": "Access to the camera was refused. Allow apps to use the camera in the computer's privacy settings "
              "(Windows: Settings › Privacy › Camera); the kiosk will try again by itself. The scanner still works."},
    "ui.camera_bad_file": {"id": "Video {file} tidak dapat diputar. Gunakan berkas MP4 atau AVI yang utuh.",
                           "en": "The video {file} cannot be played. Use an intact MP4 or AVI file."},
    "ui.camera_unavailable": {"id": "Pemindaian dengan kamera tidak tersedia di kiosk ini.",
                              "en": "Camera scanning is not available on this kiosk."},
    "ui.camera_not_saved": {
        "id": "Pilihan kamera tidak tersimpan, jadi hanya berlaku sampai kiosk ditutup. {reason}",
        "en": "The camera choice was not saved, so it holds only until the kiosk is closed. {reason}"},
})
