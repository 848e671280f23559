"""The kiosk's SQLite database."""
from kiosk.store.database import *  # noqa: F401,F403  (temporary during the move)
from kiosk.store.database import _like_escape  # noqa: F401
