"""Ikrar Kiosk core: everything but the screens. Imports no Qt."""

__version__ = "0.1.0"
