"""Pledge templates, rendering into display units, and the hash a signature binds to.

A template (``kiosk/resources/pledges/*.json``) has a title, an opening, the four points
and a closing, with ``{placeholders}`` for the election and the agency.  The rendered
text is split into units — title, opening, each point, closing — which the projector
shows one at a time.  The SHA-256 of the exact rendered text is what a signature
points to, so any change of wording makes a new version.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field

from kiosk.i18n import KioskError, register
from kiosk.resources import resource_path

register({
    "pledge.unknown_template": {
        "id": "Templat ikrar '{key}' tidak ada. Pilih salah satu: {choices}.",
        "en": "There is no pledge template '{key}'. Choose one of: {choices}.",
    },
    "pledge.unknown_placeholder": {
        "id": "Isian '{name}' tidak dikenal templat ini. Isian yang ada: {choices}.",
        "en": "This template has no placeholder '{name}'. Its placeholders: {choices}.",
    },
    "pledge.empty_value": {
        "id": "Isian '{name}' tidak boleh kosong.",
        "en": "The placeholder '{name}' cannot be empty.",
    },
})

DEFAULT_TEMPLATE = "pemilu-2024"
ORDINALS = {
    "id": ("Pertama", "Kedua", "Ketiga", "Keempat", "Kelima", "Keenam", "Ketujuh", "Kedelapan", "Kesembilan",
           "Kesepuluh"),
    "en": ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth"),
}


@dataclass(frozen=True, slots=True)
class Template:
    key: str
    name: str
    title: str
    opening: str
    points: tuple[str, ...]
    closing: str
    placeholders: dict[str, dict[str, str]] = field(default_factory=dict)

    def defaults(self) -> dict[str, str]:
        return {k: v.get("default", "") for k, v in self.placeholders.items()}


@dataclass(frozen=True, slots=True)
class Unit:
    kind: str            # "title", "opening", "point", "closing"
    text: str            # as shown and hashed; points carry their number, "1. …"
    number: int | None = None

    def ordinal(self, lang: str = "id") -> str | None:
        if self.number is None:
            return None
        names = ORDINALS[lang]
        return names[self.number - 1] if self.number <= len(names) else str(self.number)


@dataclass(frozen=True, slots=True)
class Pledge:
    key: str
    title: str
    units: tuple[Unit, ...]
    params: dict[str, str]

    @property
    def text(self) -> str:
        return "\n\n".join(u.text for u in self.units)

    @property
    def sha256(self) -> str:
        return text_sha256(self.text)

    def to_json(self) -> dict:
        return {"key": self.key, "title": self.title, "params": dict(self.params),
                "units": [{"kind": u.kind, "number": u.number, "text": u.text} for u in self.units]}

    @classmethod
    def from_json(cls, obj: dict) -> Pledge:
        units = tuple(Unit(u["kind"], u["text"], u.get("number")) for u in obj["units"])
        return cls(obj["key"], obj["title"], units, dict(obj.get("params", {})))


def canonical_text(text: str) -> str:
    """NFC, LF line ends, no trailing spaces: the same words always hash the same."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def text_sha256(text: str) -> str:
    return hashlib.sha256(canonical_text(text).encode("utf-8")).hexdigest()


def template_keys() -> list[str]:
    return sorted(p.stem for p in resource_path("pledges").glob("*.json"))


def load_template(key: str) -> Template:
    path = resource_path("pledges", f"{key}.json")
    if not path.is_file():
        raise KioskError("pledge.unknown_template", key=key, choices=", ".join(template_keys()))
    raw = json.loads(path.read_text(encoding="utf-8"))
    return Template(key=raw["key"], name=raw["name"], title=raw["title"], opening=raw["opening"],
                    points=tuple(raw["points"]), closing=raw["closing"],
                    placeholders=raw.get("placeholders", {}))


def render(template: Template, params: dict[str, str] | None = None,
           points: list[str] | None = None) -> Pledge:
    """Fill the placeholders (defaults for those not given) and split into units.

    ``points`` replaces the template's points (an organiser's edited wording).
    """
    values = template.defaults()
    for name, value in (params or {}).items():
        if name not in values:
            raise KioskError("pledge.unknown_placeholder", name=name, choices=", ".join(sorted(values)))
        if not str(value).strip():
            raise KioskError("pledge.empty_value", name=name)
        values[name] = " ".join(str(value).split())
    fill = lambda text: text.format_map(values)  # noqa: E731
    units = [Unit("title", canonical_text(fill(template.title))),
             Unit("opening", canonical_text(fill(template.opening)))]
    for n, point in enumerate(points if points is not None else template.points, start=1):
        units.append(Unit("point", f"{n}. {canonical_text(fill(point))}", n))
    units.append(Unit("closing", canonical_text(fill(template.closing))))
    return Pledge(template.key, units[0].text, tuple(units), values)

