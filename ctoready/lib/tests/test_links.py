"""Links handed out by the site: on SITE_URL when set; in development without it, on the
host and port the request came to (only hosts in ALLOWED_HOSTS), background e-mail included."""

import re

import pytest
from django.core import mail
from django.test import Client

from ctoready.testing import MINI_ANSWERS, confirmed, finished_attempt, own

pytestmark = pytest.mark.django_db

DEV_HOST = "127.0.0.1:9000"
DEV = "http://127.0.0.1:9000/"


@pytest.fixture
def alice(version):
    attempt = confirmed(finished_attempt(version, MINI_ANSWERS, email="alice@example.com"))
    return own(Client(HTTP_HOST=DEV_HOST), attempt), attempt


def urls(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<]+", text)


def test_the_resume_e_mail_links_to_the_port_the_request_came_to(settings, version):
    settings.SITE_URL = ""
    Client(HTTP_HOST=DEV_HOST).post("/start/", {"context": "growth", "email": "a@example.org"})
    (message,) = mail.outbox
    resume = [u for u in urls(message.body) if "/r/" in u]
    assert resume and resume[0].startswith(DEV + "r/")
    # The link works on that server.
    assert Client(HTTP_HOST=DEV_HOST).get(resume[0]).status_code == 302


def test_rater_invitations_and_links_use_the_request_host(settings, alice):
    settings.SITE_URL = ""
    client, attempt = alice
    form = {"e-name": "Alice", "e-category": "peer", "e-emails": "carol@example.com"}
    assert client.post(f"/rate/a/{attempt.public_id}/", form).status_code == 302
    assert next(u for u in urls(mail.outbox[0].body) if "/rate/i/" in u).startswith(DEV)
    link_form = {"l-name": "Alice", "l-category": "peer"}
    page = client.post(f"/rate/a/{attempt.public_id}/link/", link_form).content.decode()
    assert next(u for u in urls(page) if "/rate/i/" in u).startswith(DEV)


def test_share_links_use_the_request_host(settings, alice):
    settings.SITE_URL = ""
    client, attempt = alice
    page = client.post(f"/a/{attempt.public_id}/share/", {"label": "coach", "days": "30"})
    assert next(u for u in urls(page.content.decode()) if "/s/" in u).startswith(DEV + "s/")


def test_api_answers_use_the_request_host(settings, version):
    settings.SITE_URL = ""
    body = {"instrument": "mini", "context": "growth"}
    started = Client(HTTP_HOST=DEV_HOST).post(
        "/api/v1/attempts", body, content_type="application/json"
    )
    assert started.status_code == 201, started.content
    assert started.json()["resume_url"].startswith(DEV + "r/")


def test_a_host_outside_allowed_hosts_gets_no_link(settings, version):
    settings.SITE_URL = ""
    response = Client(HTTP_HOST="evil.example:9000").post(
        "/start/", {"context": "growth", "email": "a@example.org"}
    )
    assert response.status_code == 400
    assert mail.outbox == []


def test_site_url_wins_over_the_request_host(settings, version):
    settings.SITE_URL = "https://ctoready.example.org"
    Client(HTTP_HOST=DEV_HOST).post("/start/", {"context": "growth", "email": "a@example.org"})
    assert "https://ctoready.example.org/r/" in mail.outbox[0].body
    assert DEV not in mail.outbox[0].body
