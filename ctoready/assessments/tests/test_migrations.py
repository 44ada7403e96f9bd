"""Squashed migrations: a database from either released state reaches today's schema.

One release added assessments 0002 to 0004 and analytics 0001 to 0004 together; each set is
now one squashed migration that ``replaces`` them. A database from the release before has
none of them applied, one from that release has all of them: both must migrate."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from ctoready.assessments import services
from ctoready.assessments.models import Link
from ctoready.instruments.services import import_file
from ctoready.instruments.tests.conftest import MINI

pytestmark = pytest.mark.django_db(transaction=True)

SQUASHED = {
    ("assessments", "0002_squashed_0004_public_ids"): [
        "0002_measured_time",
        "0003_scenario_option_order",
        "0004_link_public_id_attempt_email_verified_at",
    ],
    ("analytics", "0001_squashed_0004_keying"): [
        "0001_initial",
        "0002_calibration",
        "0003_norm",
        "0004_keying",
    ],
}


def pending() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def test_a_database_from_the_release_before_migrates_and_its_links_get_public_ids():
    version = import_file(path=MINI).version
    attempt, _token = services.start_attempt(version=version, context="growth", locale="en")
    link = Link.objects.get(attempt=attempt)
    executor = MigrationExecutor(connection)
    executor.migrate([("assessments", "0001_initial"), ("analytics", None)])
    assert "assessments.0002_squashed_0004_public_ids" in pending()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert pending() == []
    refreshed = Link.objects.get(pk=link.pk)
    assert refreshed.public_id and refreshed.public_id != link.public_id  # a new random one
    assert refreshed.token_hash == link.token_hash


def test_a_database_that_applied_the_replaced_migrations_is_up_to_date():
    recorder = MigrationRecorder(connection)

    def record(squashed_applied: bool) -> None:
        for (app, squashed), replaced in SQUASHED.items():
            (recorder.record_applied if squashed_applied else recorder.record_unapplied)(
                app, squashed
            )
            for name in replaced:
                (recorder.record_unapplied if squashed_applied else recorder.record_applied)(
                    app, name
                )

    record(squashed_applied=False)
    try:
        assert pending() == []
    finally:
        record(squashed_applied=True)  # as a fresh test database has it
