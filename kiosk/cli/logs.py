"""``ikrar logs``: where the log file is (to attach to a report to the IT officer)."""
from __future__ import annotations

import argparse

from kiosk import logs
from kiosk.cli.common import Commands, output
from kiosk.i18n import register, t

register({
    "cli.logs_where": {"id": "Berkas log: {path}", "en": "Log file: {path}"},
    "cli.logs_none": {"id": "(belum ada isinya: log ditulis saat jendela kiosk, konsol atau meja panitia berjalan "
                            "dan saat terjadi kesalahan tak terduga)",
                      "en": "(nothing written yet: the log is written while the kiosk, console or desk window runs "
                            "and when an unexpected error happens)"},
    "cli.logs_file": {"id": "  {path} ({size} bita)", "en": "  {path} ({size} bytes)"},
    "cli.logs_note": {"id": "Log tidak memuat nama, NIP, NIK atau tanda tangan; boleh dikirim ke petugas TI.",
                      "en": "The log holds no names, NIPs, NIKs or signatures; it may be sent to your IT officer."},
})


def add_commands(commands: Commands) -> None:
    commands.command("logs", cmd_logs, "where the log file is (no names, NIPs or signatures in it)")


def cmd_logs(args: argparse.Namespace) -> int:
    files = logs.log_files()
    data = {"ok": True, "file": str(logs.log_path()), "folder": str(logs.log_dir()),
            "exists": logs.log_path().is_file(), "max_bytes": logs.MAX_BYTES, "backups": logs.BACKUPS,
            "files": [{"file": str(p), "bytes": p.stat().st_size} for p in files]}
    lines = [t("cli.logs_where", path=logs.log_path())]
    if files:
        lines += [t("cli.logs_file", path=p, size=f"{p.stat().st_size:,}".replace(",", ".")) for p in files]
    else:
        lines.append(t("cli.logs_none"))
    lines.append(t("cli.logs_note"))
    output(args, data, lines)
    return 0
