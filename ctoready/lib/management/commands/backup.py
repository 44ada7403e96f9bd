"""ctoready backup — a consistent copy of the database, safe to take while serving.

SQLite: the online backup API, in one step, so the copy is one snapshot while readers and
the writer carry on; the copy is itself a SQLite file. PostgreSQL: ``pg_dump -Fc`` (one
snapshot) with the connection from DATABASE_URL. ``ctoready restore FILE`` reads either.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class Command(BaseCommand):
    help = "Write a consistent backup of the database (SQLite or PostgreSQL) to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", help="file to write (default: VAR_DIR/backups/ctoready-<time>)"
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        db = connections[options["database"]].settings_dict
        kind = database_kind(db)
        output = Path(options["output"] or default_path(kind))
        if output.is_dir():
            raise CommandError(f"{output} is a directory; give a file name")
        output.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed at the end: a failed backup never leaves a
        # file that looks complete.
        partial = output.with_name(output.name + ".partial")
        try:
            if kind == "sqlite":
                backup_sqlite(Path(db["NAME"]), partial)
            else:
                run_pg("pg_dump", ["-Fc", "--no-owner", "--no-privileges", "-f", str(partial)], db)
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"backup written to {output} ({output.stat().st_size:,} bytes, {kind})")


def database_kind(db: dict[str, Any]) -> str:
    engine = db["ENGINE"]
    if engine.endswith("sqlite3"):
        if str(db["NAME"]) in {"", ":memory:"} or "mode=memory" in str(db["NAME"]):
            raise CommandError("an in-memory SQLite database cannot be backed up or restored")
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise CommandError(f"backup and restore support SQLite and PostgreSQL, not {engine}")


def default_path(kind: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    extension = "sqlite3" if kind == "sqlite" else "pgdump"
    return Path(settings.VAR_DIR) / "backups" / f"ctoready-{stamp}.{extension}"


def backup_sqlite(source: Path, target: Path) -> None:
    if not source.is_file():
        raise CommandError(f"no SQLite database at {source}")
    target.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # all pages in one step: a single consistent snapshot
        # One self-contained file (no -wal beside it), readable from read-only media.
        dst.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        raise CommandError(f"backup of {source} failed: {exc}") from exc
    finally:
        dst.close()
        src.close()


def pg_binary(name: str) -> str:
    """``name`` from PATH, else from the newest PostgreSQL installed under /usr/lib."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if not candidates:
        raise CommandError(f"{name} not found: install the PostgreSQL client (postgresql-client)")
    return candidates[-1]


LIBPQ_OPTIONS = {
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


def pg_environment(db: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for Django's connection settings (no password on a command line).

    dj-database-url puts a socket directory given as ``?host=`` into OPTIONS, so OPTIONS
    count too; the top-level HOST, PORT, USER, PASSWORD and NAME win when set.
    """
    env = dict(os.environ)
    options = db.get("OPTIONS") or {}
    values = {var: options.get(key) for key, var in LIBPQ_OPTIONS.items()}
    values.update(
        {
            "PGHOST": db.get("HOST") or values["PGHOST"],
            "PGPORT": db.get("PORT") or values["PGPORT"],
            "PGUSER": db.get("USER") or options.get("user"),
            "PGPASSWORD": db.get("PASSWORD") or options.get("password"),
            "PGDATABASE": db.get("NAME"),
        }
    )
    env.update({var: str(value) for var, value in values.items() if value})
    return env


def run_pg(program: str, arguments: list[str], db: dict[str, Any]) -> None:
    command = [pg_binary(program), *arguments]
    result = subprocess.run(  # noqa: S603 - fixed program, arguments built here
        command, env=pg_environment(db), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = result.stderr.strip() or f"exit status {result.returncode}"
        raise CommandError(f"{program} failed: {detail}")


def sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [name for (name,) in rows]


def row_counts(connection: Any) -> dict[str, int]:
    """Rows per table through a Django connection (SQLite or PostgreSQL)."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts
