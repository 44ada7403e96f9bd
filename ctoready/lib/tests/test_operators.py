"""Operators: signing in is rate-limited and rotates the session, idle sessions end, and
exports and deletions are written to the audit log."""

import time
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from ctoready.assessments import services
from ctoready.assessments.models import Attempt
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import import_file
from ctoready.instruments.tests.conftest import MINI
from ctoready.lib.middleware import SESSION_KEY
from ctoready.lib.models import AuditEvent
from ctoready.reports.services import finish_attempt

pytestmark = pytest.mark.django_db

PASSWORD = "operator-passphrase-42"


@pytest.fixture
def operator():
    return get_user_model().objects.create_superuser("olivia", "olivia@example.org", PASSWORD)


def sign_in(client, email="olivia@example.org", password=PASSWORD):
    return client.post("/account/login/", {"login": email, "password": password})


def test_operator_login_goes_through_the_rate_limited_sign_in(client):
    response = client.get("/operator/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_failed_sign_ins_are_rate_limited(operator, client):
    pages = [sign_in(client, password="wrong").content.decode() for _ in range(6)]
    assert "Too many failed login attempts" in pages[-1]
    # The right password is refused too while the account is limited.
    response = sign_in(client)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/operator/").status_code == 302


def test_signing_in_rotates_the_session(operator, client):
    client.get("/account/login/")
    client.session["marker"] = 1
    before = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    sign_in(client)
    assert client.cookies["sessionid"].value != before
    assert client.get("/operator/").status_code == 200


def test_idle_operator_sessions_end_after_thirty_minutes(operator, client):
    sign_in(client)
    session = client.session
    session[SESSION_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/operator/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert client.get("/operator/").status_code == 302  # signed out for good


def test_candidates_are_not_operators(client):
    user = get_user_model().objects.create_user("cand", "cand@example.org", PASSWORD)
    client.force_login(user)
    assert client.get("/operator/").status_code == 302


def test_deleting_an_attempt_in_the_admin_is_audited(operator, version, client):
    attempt, _ = services.start_attempt(version=version, context="growth", locale="en")
    client.force_login(operator)
    url = f"/operator/assessments/attempt/{attempt.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Attempt.objects.filter(pk=attempt.pk).exists()
    event = AuditEvent.objects.get()
    assert (event.action, event.target, event.actor) == (
        "delete_attempt",
        attempt.public_id,
        operator,
    )


def test_exporting_responses_is_audited_and_pseudonymous(operator, version, tmp_path):
    attempt, _ = services.start_attempt(
        version=version, context="growth", locale="en", email="a@b.c"
    )
    services.save_answers(attempt=attempt, values={"st-1": 4, "le-1": "na"}, seq=5)
    finish_attempt(attempt=attempt)
    out = tmp_path / "responses.csv"
    call_command(
        "export",
        "responses",
        "--instrument",
        "mini",
        "--operator",
        operator.email,
        "-o",
        str(out),
        stderr=StringIO(),
    )
    text = out.read_text()
    header, row = text.splitlines()[:2]
    assert header.startswith("row,context,locale,st-1,")
    assert row.startswith("1,growth,en,4,")
    assert attempt.public_id not in text and "a@b.c" not in text
    assert AuditEvent.objects.get().action == "export_responses"


def test_export_needs_an_operator(version):
    with pytest.raises(CommandError, match="staff account"):
        call_command(
            "export", "responses", "--instrument", "mini", "--operator", "nobody@example.org"
        )


def test_published_versions_are_read_only_and_drafts_editable(operator, version, client, tmp_path):
    client.force_login(operator)
    page = client.get(
        f"/operator/instruments/instrumentversion/{version.pk}/change/"
    ).content.decode()
    assert 'name="yaml"' not in page
    draft_file = tmp_path / "draft.yaml"
    draft_file.write_text(MINI.read_text().replace("version: 1.0.0", "version: 1.1.0"))
    draft = import_file(path=draft_file, publish=False).version
    url = f"/operator/instruments/instrumentversion/{draft.pk}/change/"
    form = client.get(url).content.decode()
    assert 'name="yaml"' in form
    edited = draft_file.read_text().replace("Mini readiness check", "Mini check")
    assert client.post(url, {"yaml": edited, "adaptive_enabled": ""}).status_code == 302
    draft.refresh_from_db()
    assert draft.content["title"] == "Mini check"
    bad = client.post(
        url, {"yaml": edited.replace("scale: strategy,", "scale: nope,"), "adaptive_enabled": ""}
    )
    assert bad.status_code == 200
    assert "unknown scale" in bad.content.decode()
    assert InstrumentVersion.objects.get(pk=draft.pk).content["title"] == "Mini check"


def test_no_open_redirect_after_sign_in(operator, client):
    response = client.post(
        "/account/login/?next=https://evil.example/",
        {"login": "olivia@example.org", "password": PASSWORD},
    )
    assert "evil.example" not in response.get("Location", "")
