"""The bundle's windowed ``ikrar-desk`` executable: the organiser's desk from a desktop shortcut
(build.spec).  It runs ``ui.commands.desk_main`` where there is one, else ``ikrar desk`` itself."""
import sys


def main() -> int:
    from ui import commands
    desk_main = getattr(commands, "desk_main", None)
    if desk_main is not None:
        return desk_main()
    return commands.main(["desk", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
