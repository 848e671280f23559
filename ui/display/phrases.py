"""What the hall reads aloud, and where the leader pauses ("read after me").

A unit is split into phrases (:func:`split_phrases`) at commas, semicolons,
"serta", "dan" and a few prepositions, never inside a list such as "sebelum,
selama, maupun sesudah" or a name such as "Pemilihan Umum dan Pemilihan Serentak".
The text itself is never changed: the wording is the agency's.  Pure text, no Qt.
"""
from __future__ import annotations

import functools
import re

from kiosk.ceremony.pledge import Unit


def body_text(unit: Unit) -> str:
    """The words of a unit as read aloud: a point without its "1. " number (the ordinal says it)."""
    if unit.kind == "point" and unit.number is not None:
        prefix = f"{unit.number}. "
        if unit.text.startswith(prefix):
            return unit.text[len(prefix):]
    return unit.text



def is_phrased(unit: Unit) -> bool:
    """Units the hall repeats after the leader (not the title)."""
    return unit.kind in ("opening", "point", "closing")


# --- phrases --------------------------------------------------------------------------------------

TARGET_WORDS, MIN_WORDS, MAX_WORDS = 6, 3, 12
_CONNECTORS = frozenset(["di", "dalam", "kepada", "untuk", "demi", "dengan", "sebagai", "baik", "tidak", "yang",
                         "pada", "dari", "bagi", "agar", "oleh"])
_CONJUNCTIONS = frozenset(("dan", "serta", "atau", "maupun"))


def _break_cost(w: list[str], bare: list[str], i: int) -> float | None:
    """Cost of starting a phrase at word ``i`` (None: never here)."""
    prev, word, n = w[i - 1], bare[i], len(w)
    if word in ("maupun", "atau"):
        return None                                   # "baik … maupun …", "A atau B"
    if prev[-1] in ";:":
        return 0.0
    if prev[-1] == ",":
        # a list is read in one breath: "sebelum, selama, maupun sesudah"; "jujur, adil dan damai"
        if w[i][-1] == "," or (i + 1 < n and bare[i + 1] in _CONJUNCTIONS):
            return None
        return 0.5
    if bare[i - 1] in _CONNECTORS or bare[i - 1] in _CONJUNCTIONS:
        return None                                   # never leave "di", "dan" … at a phrase's end
    if word == "serta":
        return 1.0
    if word == "dan":
        if prev[:1].isupper() and i + 1 < n and w[i + 1][:1].isupper():
            return None                               # inside a name: "Pemilihan Umum dan Pemilihan Serentak"
        return 4.0                                    # "tugas dan fungsi", "intimidasi dan ancaman": last resort
    if word == "baik":
        return 1.0
    if word in _CONNECTORS:
        return 1.5
    return None


@functools.lru_cache(maxsize=256)
def split_phrases(text: str) -> tuple[tuple[int, int], ...]:
    """Split the text into phrases for "read after me": ``(start, end)`` character spans.

    The text itself is untouched (the wording is the agency's).  Phrases are chosen by
    dynamic programming over the allowed break points: each phrase costs its distance
    from about six words (at least three, rarely more than twelve) plus the cost of the
    break that starts it, so punctuation is preferred, then "serta", a preposition, and
    "dan" only when nothing else is left.
    """
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    n = len(spans)
    if n == 0:
        return ()
    w = [text[a:b] for a, b in spans]
    bare = [re.sub(r"\W+$", "", x).lower() for x in w]
    cost = [0.0] + [_break_cost(w, bare, i) for i in range(1, n)]

    def phrase_cost(k: int) -> float:
        return 0.3 * (k - TARGET_WORDS) ** 2 + (20.0 * (k - MAX_WORDS) if k > MAX_WORDS else 0.0)

    inf = float("inf")
    best, back = [0.0] + [inf] * n, [0] * (n + 1)
    for j in range(1, n + 1):
        for i in range(j):
            if best[i] == inf or cost[i] is None or (j - i < MIN_WORDS and n >= MIN_WORDS):
                continue
            c = best[i] + phrase_cost(j - i) + cost[i]
            if c < best[j]:
                best[j], back[j] = c, i
    if best[n] == inf:                                # nowhere to break: one phrase
        return ((spans[0][0], spans[-1][1]),)
    out, j = [], n
    while j > 0:
        i = back[j]
        out.append((spans[i][0], spans[j - 1][1]))
        j = i
    return tuple(reversed(out))


def unit_phrases(unit: Unit) -> tuple[tuple[int, int], ...]:
    """Phrase spans in :func:`body_text` of the unit; empty when the unit is not read phrase by phrase."""
    if not is_phrased(unit):
        return ()
    spans = split_phrases(body_text(unit))
    return spans if len(spans) > 1 else ()
