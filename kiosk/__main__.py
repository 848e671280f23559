"""``python -m kiosk``: the core's commands alone (no screens; ``python -m ui`` has them all)."""
import sys

from kiosk.cli import main

sys.exit(main())
