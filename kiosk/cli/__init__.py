from kiosk.cli.main import *  # noqa: F401,F403
from kiosk.cli.main import _event, _open, _out  # noqa: F401
