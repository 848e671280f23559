"""A desk-like writer beside the kiosk: one long-lived connection, as the organiser's desk window holds, checking
people in by hand with their signature, adding walk-ins and recording absences, as fast as it can.

    python tests/harness/desk_writer.py --db kiosk.db --people 3000 --start 2000 --count 500 --stop-file F

Prints one line per operation: ``done NIP``, ``walkin CODE``, ``absence NIP``, ``refused CODE MESSAGE`` (a
KioskError: its message is what a clerk would read) or ``crash TRACEBACK`` (anything else), then ``bye N``.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent)]

from signature_samples import realistic_signature  # noqa: E402

from kiosk import demo  # noqa: E402
from kiosk.attendance.checkin import Desk  # noqa: E402
from kiosk.i18n import KioskError  # noqa: E402
from kiosk.people.kinds import AbsenceReason, PersonKind  # noqa: E402
from kiosk.store import Store  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--people", type=int, required=True)
    ap.add_argument("--start", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--stop-file", required=True)
    args = ap.parse_args()
    mine = list(demo.people(args.people))[args.start:args.start + args.count]
    n = 0

    def say(*parts: object) -> None:
        print(*parts, flush=True)

    with Store(args.db) as store:
        desk = Desk(store)
        for i, person in enumerate(mine):
            if os.path.exists(args.stop_file):
                break
            try:
                if i % 4 == 3:                                   # absent: someone calls in sick
                    store.set_absence(person.nip, AbsenceReason.SAKIT, "telepon", event_id=desk.event.id)
                    say("absence", person.nip)
                else:
                    r = desk.check_in(person.nip, method="manual", signature=realistic_signature(i))
                    say("done" if r.status == "recorded" else "refused", person.nip, r.status, r.message)
                if i % 7 == 6:                                   # a walk-in without a NIP
                    walk_in = store.add_person(f"Tenaga Kontrak {i}", kind=PersonKind.NON_ASN, unit="Sekretariat",
                                               event_id=desk.event.id)
                    say("walkin", walk_in.nip)
            except KioskError as exc:
                say("refused", exc.code, str(exc))
            except Exception:
                say("crash", traceback.format_exc().replace("\n", " | "))
            n += 1
            time.sleep(0.01)
    say("bye", n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
