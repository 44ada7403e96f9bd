"""ctoready backup and restore, on the database the suite runs on (SQLite or PostgreSQL).

A backup restores into a fresh database with the same rows in every table; restore
refuses a database that has tables unless --force; bad input fails with a clear message,
exit status 1 and no traceback.
"""

import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from ctoready.assessments import services
from ctoready.assessments.models import Answer
from ctoready.instruments.services import import_file
from ctoready.lib.management.commands.backup import row_counts
from ctoready.testing.processes import database_url, run_cli

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
MINI = ROOT / "ctoready" / "instruments" / "tests" / "data" / "mini.yaml"
ITEMS = ["st-1", "st-2", "st-3", "le-1", "le-2", "le-3"]
POSTGRES = connection.vendor == "postgresql"


def run(*args: str, url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(
        *args,
        drop={"DEBUG", "DATABASE_URL"},
        DATABASE_URL=url,
        VAR_DIR=str(tmp_path),
        STATIC_MANIFEST="false",
    )


@pytest.fixture
def filled(db):
    version = import_file(path=MINI).version
    for n in range(5):
        attempt, _ = services.start_attempt(version=version, context="growth", locale="en")
        services.save_answers(attempt=attempt, values=dict.fromkeys(ITEMS, n % 5 + 1), seq=1000 + n)
    return version


@pytest.fixture
def fresh(tmp_path):
    """The name and URL of a new, empty database."""
    if not POSTGRES:
        name = str(tmp_path / "restored.sqlite3")
        yield name, database_url(name)
        return
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name, database_url(name)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def counts_in(name: str) -> dict[str, int]:
    if not POSTGRES:
        conn = sqlite3.connect(name)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            tables = [
                t
                for (t,) in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        finally:
            conn.close()
    import psycopg

    db = connection.settings_dict
    with psycopg.connect(
        dbname=name,
        host=db["HOST"] or db["OPTIONS"].get("host"),
        port=db["PORT"] or db["OPTIONS"].get("port"),
        user=db["USER"],
        password=db["PASSWORD"],
    ) as conn:
        tables = [
            t
            for (t,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        ]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_backup_restores_into_a_fresh_database_with_every_row(filled, fresh, tmp_path):
    backup = tmp_path / "ctoready.backup"
    call_command("backup", "-o", str(backup))
    expected = row_counts(connection)
    assert expected["assessments_answer"] == 5 * len(ITEMS)

    name, url = fresh
    result = run("restore", str(backup), url=url, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "restored" in result.stdout
    assert counts_in(name) == expected


def test_restore_refuses_a_database_with_tables_unless_forced(filled, fresh, tmp_path):
    backup = tmp_path / "ctoready.backup"
    call_command("backup", "-o", str(backup))
    name, url = fresh
    assert run("restore", str(backup), url=url, tmp_path=tmp_path).returncode == 0

    refused = run("restore", str(backup), url=url, tmp_path=tmp_path)
    forced = run("restore", str(backup), "--force", url=url, tmp_path=tmp_path)

    assert refused.returncode == 1
    assert "not empty" in refused.stderr and "--force" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert forced.returncode == 0, forced.stderr
    assert counts_in(name) == row_counts(connection)


def test_restore_explains_a_missing_foreign_or_damaged_file(filled, fresh, tmp_path):
    _, url = fresh
    garbage = tmp_path / "notes.txt"
    garbage.write_text("not a backup\n")
    damaged = tmp_path / "damaged.backup"
    call_command("backup", "-o", str(damaged))
    damaged.write_bytes(damaged.read_bytes()[:3000])

    missing = run("restore", str(tmp_path / "absent.backup"), url=url, tmp_path=tmp_path)
    foreign = run("restore", str(garbage), url=url, tmp_path=tmp_path)
    broken = run("restore", str(damaged), url=url, tmp_path=tmp_path)

    assert "no such file" in missing.stderr
    assert "not a backup" in foreign.stderr
    assert ("damaged" if not POSTGRES else "pg_restore failed") in broken.stderr
    for result in (missing, foreign, broken):
        assert result.returncode == 1
        assert "Traceback" not in result.stderr


def test_backup_taken_while_answers_are_written_is_consistent(filled, fresh, tmp_path):
    attempt, _ = services.start_attempt(version=filled, context="growth", locale="en")
    stop = threading.Event()

    def write() -> None:
        seq = 2000
        try:
            while not stop.is_set():
                seq += 1
                services.save_answers(
                    attempt=attempt, values={ITEMS[seq % len(ITEMS)]: seq % 5 + 1}, seq=seq
                )
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        backup = tmp_path / "busy.backup"
        call_command("backup", "-o", str(backup))
    finally:
        stop.set()
        writer.join(timeout=30)
    name, url = fresh

    result = run("restore", str(backup), url=url, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    counts = counts_in(name)  # integrity and foreign keys are checked on SQLite
    assert 5 * len(ITEMS) <= counts["assessments_answer"] <= Answer.objects.count()
