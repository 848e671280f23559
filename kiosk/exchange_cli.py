"""Command-line commands for moving data between kiosks: clone, export, verify, merge, sync (issue 5)."""
from __future__ import annotations


def add_commands(sub, command) -> None:
    """Register this module's sub-commands on the ``ikrar`` parser."""
