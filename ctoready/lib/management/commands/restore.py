"""ctoready restore FILE — load a backup made by ``ctoready backup`` into the configured
database. It refuses a database that already has tables unless ``--force`` is given.

SQLite: the backup is checked (``PRAGMA integrity_check``) and copied in with the online
backup API, then the result is checked again. PostgreSQL: ``pg_restore`` in one
transaction, so a failed restore leaves the database as it was.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from ctoready.lib.management.commands.backup import (
    PGDUMP_MAGIC,
    SQLITE_MAGIC,
    database_kind,
    row_counts,
    run_pg,
    sqlite_tables,
)


class Command(BaseCommand):
    help = "Restore a backup made by `ctoready backup` into the configured (empty) database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a backup written by `ctoready backup`")
        parser.add_argument(
            "--force", action="store_true", help="replace the contents of a non-empty database"
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        connection = connections[options["database"]]
        db = connection.settings_dict
        kind = database_kind(db)
        found = backup_kind(path)
        if found != kind:
            raise CommandError(f"{path} is a {found} backup, but the database is {kind}")
        if kind == "sqlite":
            check_sqlite_backup(path)  # before the target is touched
        tables = len(connection.introspection.table_names())
        if tables and not options["force"]:
            raise CommandError(
                f"the database {db['NAME']} is not empty ({tables} tables); restore into a new, "
                "empty database, or give --force to replace its contents"
            )
        connection.close()
        if kind == "sqlite":
            restore_sqlite(path, Path(db["NAME"]))
        else:
            arguments = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
            if tables:
                arguments += ["--clean", "--if-exists"]
            run_pg("pg_restore", [*arguments, "-d", str(db["NAME"]), str(path)], db)
        counts = row_counts(connection)
        self.stdout.write(
            f"restored {path} into {db['NAME']}: {len(counts)} tables, "
            f"{sum(counts.values()):,} rows"
        )


def backup_kind(path: Path) -> str:
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise CommandError(f"no such file: {path}") from None
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise CommandError(f"{path} is not a backup made by `ctoready backup`")


def integrity(conn: sqlite3.Connection) -> str:
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    return "; ".join(str(row[0]) for row in rows[:5])


def check_sqlite_backup(source: Path) -> None:
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            status = integrity(src) if sqlite_tables(src) else "no tables"
        finally:
            src.close()
    except sqlite3.DatabaseError as exc:
        status = str(exc)
    if status != "ok":
        raise CommandError(f"{source} is damaged ({status}); nothing was restored")


def restore_sqlite(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
        status = integrity(dst)
    except sqlite3.Error as exc:
        raise CommandError(f"restore into {target} failed: {exc}") from exc
    finally:
        dst.close()
        src.close()
    if status != "ok":
        raise CommandError(f"the restored database fails its integrity check: {status}")
