"""Text from the database as a screen may show it: plain, bounded, never reversed, never revealing.

Names, units and titles come from roster files and typed forms: anything may be in them.  Every
label that shows such data is plain text (:func:`plain`), so ``<h1 style="color:red">`` is shown
as those characters and ``<img src=…>`` loads nothing.  :func:`shown` makes the text safe to lay
out: bidirectional controls (an RTL override reverses a name) and other invisible characters are
dropped, an over-long text is cut with an ellipsis, and a long run without spaces gets break
opportunities (zero-width spaces) so word wrap can break it instead of widening the window.
:func:`masked_nip` hides a NIP's birth date, appointment and gender on the kiosk screen.
"""
from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy

#: More than a name or a unit ever needs (the roster refuses names over 200 characters).
SHOWN_LIMIT = 240
#: A run of this many characters without a space may be broken anywhere.
RUN = 24
_BREAK = "\u200b"


def shown(text: str | None, limit: int = SHOWN_LIMIT) -> str:
    """``text`` safe to show: invisible and bidi control characters dropped, cut at ``limit``, breakable."""
    if not text:
        return ""
    kept = [ch for ch in str(text)
            if ch in "\n\t " or unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp")]
    lines = [" ".join(line.split()) for line in "".join(kept).split("\n")]
    clean = "\n".join(line for line in lines if line)
    if len(clean) > limit:
        clean = clean[:limit - 1].rstrip() + "…"
    out, run = [], 0
    for ch in clean:
        if ch.isspace():
            run = 0
        else:
            run += 1
            if run > RUN:
                out.append(_BREAK)
                run = 1
        out.append(ch)
    return "".join(out)


def plain(label: QLabel, *, wrap: bool = True) -> QLabel:
    """Make ``label`` show plain text only, wrapping, and never ask for more width than it is given."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    label.setOpenExternalLinks(False)
    label.setWordWrap(wrap)
    policy = label.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
    label.setSizePolicy(policy)
    label.setMinimumWidth(1)
    return label


def masked_nip(nip: str, keep: int = 3) -> str:
    """``******** ****** * 009``: only the sequence digits; birth date, appointment and gender hidden."""
    digits = "".join(ch for ch in nip if ch.isdigit())
    if len(digits) != 18:
        return "•" * max(0, len(digits) - keep) + digits[-keep:] if digits else ""
    hidden = "•" * (18 - keep) + digits[-keep:]
    return f"{hidden[:8]} {hidden[8:14]} {hidden[14]} {hidden[15:]}"
