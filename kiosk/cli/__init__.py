"""``ikrar``, the command line: one module per command group (see :mod:`kiosk.cli.app`)."""
from kiosk.cli.app import main

__all__ = ["main"]
