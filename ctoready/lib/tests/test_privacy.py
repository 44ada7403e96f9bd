"""A candidate downloads and erases their data; retention deletes what is no longer kept."""

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.utils import timezone

from ctoready.assessments import services
from ctoready.assessments.models import Answer, AnswerSheet, Attempt, Link
from ctoready.assessments.services import apply_retention
from ctoready.privacy import personal_models
from ctoready.reports.models import Report
from ctoready.reports.services import finish_attempt

pytestmark = pytest.mark.django_db

PERSON_MODELS = {"assessments.attempt", "auth.user"}
# Models that refer to a person but are not a candidate's data, and why.
EXEMPT = {
    # The operators' own record of exports and deletions; the actor is an operator, set to
    # null if that account is deleted, and the record itself must survive erasures.
    "lib.auditevent",
    # Django's admin history: operators' actions on operator accounts.
    "admin.logentry",
    # The marker of an attempt simulated by `ctoready demo`: no person stands behind it,
    # and it goes with its attempt (on delete cascade).
    "analytics.syntheticattempt",
}


@pytest.fixture
def alice(version):
    client = Client()
    client.post("/start/", {"context": "growth", "email": "alice@example.org"})
    attempt = Attempt.objects.latest("pk")
    client.post(f"/a/{attempt.public_id}/save/", {"q-st-1": "4", "s-st-1": "5"})
    client.post(f"/a/{attempt.public_id}/finish/")
    return client, attempt


def test_every_model_that_refers_to_a_person_is_exported_and_erased():
    covered = personal_models()
    missing = []
    for model in apps.get_models():
        label = model._meta.label_lower
        refers = label in PERSON_MODELS or any(
            isinstance(field, models.ForeignKey | models.OneToOneField)
            and field.related_model._meta.label_lower in PERSON_MODELS | covered
            for field in model._meta.get_fields()
            if field.concrete
        )
        if refers and label not in covered | EXEMPT and not label.startswith("django_tasks"):
            missing.append(label)
    assert missing == [], "add these to an app's privacy.PERSONAL_MODELS with export and erase"


def test_download_holds_attempts_answers_and_reports_but_no_token(alice):
    client, attempt = alice
    token_hashes = list(Link.objects.values_list("token_hash", flat=True))
    response = client.get("/my-data/export.json")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["schema"] == "ctoready.personal-data/1"
    assert data["attempts"][0]["id"] == attempt.public_id
    assert data["attempts"][0]["answers"] == [
        {"item": "st-1", "value": 4, "saved_at": data["attempts"][0]["answers"][0]["saved_at"]}
    ]
    assert data["reports"][0]["attempt"] == attempt.public_id
    assert all(h not in response.content.decode() for h in token_hashes)


def test_another_browser_downloads_nothing_of_alices(alice):
    data = json.loads(Client().get("/my-data/export.json").content)
    assert data["attempts"] == []
    assert data["reports"] == []


def test_erasure_needs_confirmation_then_removes_everything(alice):
    client, attempt = alice
    client.post("/my-data/erase/", {})
    assert Attempt.objects.filter(pk=attempt.pk).exists()
    assert AnswerSheet.objects.filter(attempt=attempt).exists()
    client.post("/my-data/erase/", {"confirm": "yes"})
    assert not Attempt.objects.filter(pk=attempt.pk).exists()
    assert Answer.objects.count() == Report.objects.count() == Link.objects.count() == 0
    assert not AnswerSheet.objects.exists()
    assert client.get(f"/a/{attempt.public_id}/report/").status_code == 404


def test_erasure_by_someone_else_touches_nothing(alice):
    _, attempt = alice
    Client().post("/my-data/erase/", {"confirm": "yes"})
    assert Attempt.objects.filter(pk=attempt.pk).exists()


def test_erasing_an_account_deletes_it_with_its_attempts(version):
    user = get_user_model().objects.create_user("carol", "carol@example.org", "long-passphrase-9")
    client = Client()
    client.force_login(user)
    client.post("/start/", {"context": "growth"})
    client.post("/my-data/erase/", {"confirm": "yes"})
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert Attempt.objects.count() == 0


def test_retention_deletes_expired_unfinished_attempts_and_links(version):
    old, _ = services.start_attempt(version=version, context="growth", locale="en")
    fresh, _ = services.start_attempt(version=version, context="growth", locale="en")
    done, _ = services.start_attempt(version=version, context="growth", locale="en")
    finish_attempt(attempt=done)
    Attempt.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    Link.objects.filter(attempt=done).update(expires_at=timezone.now() - timedelta(days=1))
    counts = apply_retention()
    assert counts["unfinished_attempts"] == 1
    assert set(Attempt.objects.values_list("pk", flat=True)) == {fresh.pk, done.pk}
    assert not Link.objects.filter(attempt=done).exists()
    assert Link.objects.filter(attempt=fresh).exists()


def test_finished_attempts_are_kept_unless_the_operator_sets_a_period(version, settings):
    done, _ = services.start_attempt(version=version, context="growth", locale="en")
    finish_attempt(attempt=done)
    Attempt.objects.filter(pk=done.pk).update(finished_at=timezone.now() - timedelta(days=400))
    assert apply_retention()["finished_attempts"] == 0
    settings.RETENTION_FINISHED_DAYS = 365
    assert apply_retention()["finished_attempts"] == 1
    assert Report.objects.count() == 0


def test_the_data_page_says_what_this_browser_reaches(alice):
    client, _ = alice
    page = client.get("/my-data/").content.decode()
    assert "This browser reaches 1 assessment." in page
    assert "Download my data" in page
