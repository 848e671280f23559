"""The bundle's windowed ``ikrar-kiosk`` executable: the check-in kiosk from a desktop shortcut
(build.spec; from an installed wheel it is the ``ikrar-kiosk`` GUI script)."""
import sys


def main() -> int:
    from ui.commands import kiosk_main
    return kiosk_main()


if __name__ == "__main__":
    sys.exit(main())
