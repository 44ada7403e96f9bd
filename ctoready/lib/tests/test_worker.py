"""`ctoready worker` runs queued tasks from the database queue (here: a resume e-mail)."""

import pytest
from django.core import mail
from django.core.management import call_command

from ctoready.assessments.services import start_attempt
from ctoready.assessments.tasks import send_resume_link
from ctoready.instruments.services import import_file
from ctoready.lib.testing import MINI

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_sends_a_queued_e_mail_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    version = import_file(path=MINI).version
    attempt, _ = start_attempt(
        version=version, context="growth", locale="en", email="alice@example.org"
    )
    send_resume_link.enqueue(attempt_id=attempt.pk, base_url="http://127.0.0.1:9000")
    assert mail.outbox == []
    call_command("worker", batch=True, verbosity=0)
    call_command("worker", batch=True, verbosity=0)  # nothing left to run twice
    (message,) = mail.outbox
    assert message.to == ["alice@example.org"]
    assert "http://127.0.0.1:9000/r/" in message.body
