"""A walk-in added on the spot: a guest, non-ASN staff, or an ASN whose NIP is on another list.

The kiosk's staff menu (behind the PIN) adds the person to the event's roster and checks them in
at once; ``ikrar person add`` is the same for guests and non-ASN staff on the command line.  With
a NIP the person is a PNS or PPPK (told apart by the NIP): someone already known from another
event's list is put on this one unchanged, a stranger is added with what staff typed.  Without a
NIP the person gets a badge code (:func:`kiosk.store.Store.add_person`).

Staff type on a touch keyboard or a laptop: the text is cleaned (spaces collapsed, invisible
control and bidirectional characters dropped) before it is stored.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from kiosk.i18n import KioskError, register
from kiosk.people import nip as _nip
from kiosk.people.kinds import PersonKind, kind_of_nip
from kiosk.store import MAX_NAME, Person, Store

register({
    "walkin.kind": {
        "id": "Tanpa NIP, peserta yang ditambahkan adalah tamu atau pegawai non-ASN.",
        "en": "Without a NIP, the person added is a guest or non-ASN staff.",
    },
})


@dataclass(frozen=True, slots=True)
class WalkIn:
    """What staff typed.  ``kind`` counts only without a NIP (guest or non-ASN)."""
    name: str
    kind: PersonKind = PersonKind.GUEST
    nip: str = ""
    institution: str = ""
    position: str = ""
    unit: str = ""


@dataclass(frozen=True, slots=True)
class _Row:
    """One roster row, as :meth:`kiosk.store.Store.upsert_people` reads it."""
    nip: str
    kind: PersonKind
    name: str
    bare_name: str
    position: str
    unit: str
    institution: str = ""


def clean(text: str) -> str:
    """Whitespace collapsed; control and format characters (bidirectional overrides, zero-width …) dropped."""
    kept = "".join(" " if ch.isspace() else ch for ch in text
                   if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf"))
    return " ".join(kept.split())


def add_walk_in(store: Store, walk_in: WalkIn, *, event_id: int | None = None) -> Person:
    """Put the walk-in on the event's roster (the active event's by default); return who to check in."""
    name = clean(walk_in.name)
    fields = {"institution": clean(walk_in.institution), "position": clean(walk_in.position),
              "unit": clean(walk_in.unit)}
    if not walk_in.nip.strip():
        if walk_in.kind not in (PersonKind.GUEST, PersonKind.NON_ASN):
            raise KioskError("walkin.kind")
        return store.add_person(name, kind=walk_in.kind, event_id=event_id, **fields)
    digits = _nip.parse(walk_in.nip).digits                  # a refusal says what is wrong with it
    event = event_id if event_id is not None else store.active_event().id
    listed = store.roster_person(event, digits)
    if listed is not None:                                   # on the list already: check them in
        return listed
    known = store.person(digits)
    if known is not None:                                    # on another event's list: as they are there
        store.enlist(digits, event_id=event)
        store.audit("person.enlist", event_id=event, kind=str(known.kind))
        return known
    if not name:
        raise KioskError("people.name_missing")
    if len(name) > MAX_NAME:
        raise KioskError("people.name_too_long", length=len(name), limit=MAX_NAME)
    kind = kind_of_nip(digits)
    store.upsert_people([_Row(digits, kind, name, name, fields["position"], fields["unit"], fields["institution"])],
                        event_id=event)
    store.audit("person.add", event_id=event, kind=str(kind))
    added = store.roster_person(event, digits)
    assert added is not None
    return added
