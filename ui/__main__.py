"""``python -m ui``: the whole ``ikrar`` command line, screens included (also the bundle's entry).

In the Linux bundle ``ikrar-kiosk`` and ``ikrar-desk`` are links to ``ikrar`` (build.spec: only Windows
needs separate windowed executables), so the name it was started by picks the screen."""
import sys
from pathlib import Path


def _entry() -> int:
    name = Path(sys.argv[0]).name.removesuffix(".exe") if sys.argv else ""
    if name == "ikrar-kiosk":
        from ui.entry_kiosk import main as kiosk
        return kiosk()
    if name == "ikrar-desk":
        from ui.entry_desk import main as desk
        return desk()
    from ui.commands import main
    return main()


sys.exit(_entry())
