"""/healthz and /readyz: cheap, no session or cookie, and /readyz fails while the
database lags behind the code."""

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from ctoready.lib import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_readyz_reports_database_migrations_and_the_task_queue(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from ctoready.assessments.tasks import send_resume_link

    send_resume_link.enqueue(attempt_id=0)
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["database"] == "ok" and body["migrations"] == "ok"
    assert body["tasks"]["ready"] == 1 and body["tasks"]["oldest_ready_seconds"] >= 0
    assert not response.cookies and response["Cache-Control"] == "no-store"


def test_readyz_is_unavailable_while_a_migration_is_pending(client, monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)
    MigrationRecorder(connection).migration_qs.filter(app="lib", name="0003_auditevent").delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "1 pending"
    # Once the database catches up, the server is ready again.
    MigrationRecorder(connection).record_applied("lib", "0003_auditevent")
    assert client.get("/readyz").status_code == 200


def test_readyz_is_cheap_once_migrations_are_known_applied(client, django_assert_max_num_queries):
    client.get("/readyz")
    with django_assert_max_num_queries(2):  # SELECT 1, and the queue
        assert client.get("/readyz").status_code == 200


def test_probes_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/").status_code == 301
