"""The figures behind the desk's charts, counted from the attendance register (a pure function).

Rules (those of :mod:`kiosk.documents.recap`): guests are witnesses, counted apart and never
absent; a person counts once; participants are everyone else on the roster.  Arrivals are
counted per minute of the kiosk's own clock (the hall's time), every minute from the first
arrival to the last, the quiet ones as zero.
"""
from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.documents.recap import unit_name
from kiosk.people.kinds import AbsenceReason, PersonKind
from kiosk.store.register import RegisterRow

#: Kinds of participant, in the order the charts show them.
PARTICIPANT_KINDS = (PersonKind.PNS, PersonKind.PPPK, PersonKind.NON_ASN)
#: Arrivals spread over more minutes than this (a laptop with a wrong clock) are not filled with zeros.
MAX_FILLED_MINUTES = 12 * 60


@dataclass(frozen=True, slots=True)
class Count:
    label: str            # a unit's name, or a PersonKind's value
    expected: int         # participants
    present: int

    @property
    def absent(self) -> int:
        return self.expected - self.present

    @property
    def share_present(self) -> float:
        return self.present / self.expected if self.expected else 0.0


@dataclass(frozen=True, slots=True)
class Statistics:
    units: tuple[Count, ...]                          # by unit name
    kinds: tuple[Count, ...]                          # PNS, PPPK, non-ASN (labels: PersonKind values)
    arrivals: tuple[tuple[_dt.datetime, int], ...]    # (minute, naive local time; arrivals in it)
    participants: int
    present: int
    guests: int                                       # guests on the roster
    guests_present: int
    reasons: tuple[tuple[AbsenceReason, int], ...]    # the absent by reason, in AbsenceReason order

    @property
    def absent(self) -> int:
        return self.participants - self.present

    @property
    def share_absent(self) -> float:
        """0.0-1.0 of the participants not (yet) checked in."""
        return self.absent / self.participants if self.participants else 0.0

    @property
    def peak(self) -> tuple[_dt.datetime, int] | None:
        """The busiest minute."""
        return max(self.arrivals, key=lambda a: a[1]) if self.arrivals else None


def statistics(rows: Sequence[RegisterRow]) -> Statistics:
    units: dict[str, list[int]] = {}
    kinds = {k: [0, 0] for k in PARTICIPANT_KINDS}
    reasons: Counter[AbsenceReason] = Counter()
    minutes: Counter[_dt.datetime] = Counter()
    guests = guests_present = 0
    for r in rows:
        if r.checked_in_at is not None:
            minutes[r.checked_in_at.replace(tzinfo=None, second=0, microsecond=0)] += 1
        if r.person.kind is PersonKind.GUEST:
            guests += 1
            guests_present += r.present
            continue
        tally = units.setdefault(unit_name(r.person.unit), [0, 0])
        tally[0] += 1
        kinds[r.person.kind][0] += 1
        if r.present:
            tally[1] += 1
            kinds[r.person.kind][1] += 1
        elif r.reason is not None:
            reasons[r.reason] += 1
    participants = sum(t[0] for t in units.values())
    present = sum(t[1] for t in units.values())
    return Statistics(
        units=tuple(Count(name, *units[name]) for name in sorted(units, key=str.casefold)),
        kinds=tuple(Count(k.value, *kinds[k]) for k in PARTICIPANT_KINDS),
        arrivals=_per_minute(minutes), participants=participants, present=present, guests=guests,
        guests_present=guests_present, reasons=tuple((reason, reasons[reason]) for reason in AbsenceReason))


def _per_minute(minutes: Counter[_dt.datetime]) -> tuple[tuple[_dt.datetime, int], ...]:
    if not minutes:
        return ()
    first, last = min(minutes), max(minutes)
    span = int((last - first).total_seconds() // 60)
    if span > MAX_FILLED_MINUTES:
        return tuple(sorted(minutes.items()))
    step = _dt.timedelta(minutes=1)
    return tuple((first + i * step, minutes.get(first + i * step, 0)) for i in range(span + 1))
