"""The ``ctoready`` console command: Django's management commands under one name."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctoready.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        import django

        django.setup()
    except (ImproperlyConfigured, ValueError) as exc:
        sys.stderr.write(f"ctoready: configuration error: {exc}\n")
        sys.exit(2)
    execute_from_command_line(["ctoready", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
