"""Time as the database keeps it: UTC text to the millisecond, plus the kiosk's UTC offset in minutes."""
from __future__ import annotations

import datetime as _dt


def now() -> _dt.datetime:
    """Local time with its UTC offset, to the millisecond (what the database keeps)."""
    moment = _dt.datetime.now().astimezone()
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def utc_text(moment: _dt.datetime) -> str:
    return moment.astimezone(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def from_utc_text(text: str, offset_minutes: int) -> _dt.datetime:
    moment = _dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=_dt.UTC)
    return moment.astimezone(_dt.timezone(_dt.timedelta(minutes=offset_minutes)))


def offset_minutes(moment: _dt.datetime) -> int:
    offset = moment.utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0
