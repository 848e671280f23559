"""``python -m ui``: the whole ``ikrar`` command line, screens included (also the bundle's entry)."""
import sys

from ui.commands import main

sys.exit(main())
