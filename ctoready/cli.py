"""The ``ctoready`` console command: Django's management commands under one name.

Help, and the commands that compute on files (``stats``, ``calibrate``, ``instrument
validate``, ``simulate FILE.yaml``), need no configuration at all; every other command
serves or touches the database, and in production demands ``SECRET_KEY``.
"""

import os
import sys

FILE_COMMANDS = {"stats", "calibrate"}
HELP = {"-h", "--help", "help", "--version", "version"}


def needs_secret(args: list[str]) -> bool:
    """Whether this command line serves or uses the database (and so needs a signing key)."""
    if not args or HELP & set(args[:1]) or {"-h", "--help"} & set(args):
        return False
    command, rest = args[0], args[1:]
    if command in FILE_COMMANDS:
        return False
    if command == "instrument":
        return rest[:1] != ["validate"]
    if command == "simulate":
        return any(arg.startswith("--instrument") for arg in rest)
    return True


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctoready.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        import django

        django.setup()
        if needs_secret(args):
            from ctoready.lib.env import require_secret_key

            require_secret_key()
    except (ImproperlyConfigured, ValueError) as exc:
        sys.stderr.write(f"ctoready: configuration error: {exc}\n")
        sys.exit(2)
    execute_from_command_line(["ctoready", *args])


if __name__ == "__main__":
    main()
