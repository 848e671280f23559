from kiosk.exchange.format import *  # noqa: F401,F403
