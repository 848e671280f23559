"""What the benchmark scripts share: a kiosk database with a big roster and many check-ins."""
from __future__ import annotations

from pathlib import Path

from kiosk.ceremony import pledge
from kiosk.store import Event, Store, now


def kiosk_database(path: Path, people, checkins: int) -> Event:
    """A database at ``path`` holding ``people`` and check-ins for the first ``checkins`` of them."""
    with Store(path) as store:
        rendered = pledge.render(pledge.load_template("pemilu-2024"))
        event = store.create_event("Bench", "2024-11-04", pledge=rendered)
        store.upsert_people(people)
        with store.write() as conn:
            for p in people[:checkins]:
                store.insert_checkin(conn, event_id=event.id, nip=p.nip, method="wedge", moment=now(),
                                     pledge_sha256=rendered.sha256)
    return event
