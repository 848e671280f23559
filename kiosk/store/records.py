"""Rows that cross from the store to the check-in desk, the CLI and the screens (frozen, plain)."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    uuid: str
    title: str
    date: str
    venue: str
    pledge_id: int
    active: bool


@dataclass(frozen=True, slots=True)
class Person:
    nip: str
    name: str
    position: str
    unit: str


@dataclass(frozen=True, slots=True)
class Checkin:
    uuid: str
    event_id: int
    nip: str
    device_id: str
    method: str
    checked_in_at: _dt.datetime      # aware, in the offset the kiosk had at the time
    pledge_sha256: str
    signature_sha256: str | None
    row_hash: str


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    nip: str
    name: str
    unit: str
    checked_in_at: _dt.datetime
    method: str
    signed: bool


@dataclass(frozen=True, slots=True)
class ScanActivity:
    last_scan: _dt.datetime | None
    unknown: int          # valid NIPs not on the roster: people who need the desk
    invalid: int          # unreadable badges
    duplicate: int


@dataclass(frozen=True, slots=True)
class ImportCounts:
    added: int
    updated: int
    unchanged: int
