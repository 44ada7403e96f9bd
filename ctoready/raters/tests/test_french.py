"""A French attempt's raters read their pages, e-mails and error pages in French."""

import pytest
from django.core import mail

from ctoready.assessments.models import Attempt
from ctoready.raters.tests.conftest import link_invite, rater
from ctoready.raters.tests.test_invite import LINK, email_form, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_attempt(alice_attempt):
    Attempt.objects.filter(pk=alice_attempt.pk).update(locale="fr")
    alice_attempt.refresh_from_db()
    return alice_attempt


def test_a_rater_of_a_french_attempt_reads_french_pages(french_attempt):
    invite, token = link_invite(french_attempt, category="direct")
    client = rater(token)
    first = client.get(f"/rate/r/{invite.public_id}/p/1/").content.decode()
    assert '<html lang="fr">' in first
    assert "Comment Alice Martin travaille" in first
    assert "en tant que collaborateur direct" in first
    assert "Vos réponses sont anonymes." in first
    assert "Je n’ai pas eu l’occasion de l’observer" in first
    assert "How Alice Martin works" not in first


def test_a_french_rater_sees_french_errors(french_attempt):
    invite, token = link_invite(french_attempt)
    client = rater(token)
    missing = client.get(f"/rate/r/{invite.public_id}/p/99/")
    assert missing.status_code == 404
    assert "Page introuvable" in missing.content.decode()
    refused = client.post(
        f"/rate/r/{invite.public_id}/save/", {"q-st-1": "9", "s-st-1": "5"}
    ).json()
    assert refused["error"]["message"] == "Ce n’est pas l’une des réponses possibles."


def test_the_invitation_email_of_a_french_attempt_is_in_french(alice, french_attempt, client):
    response = alice.post(url(french_attempt), email_form("carol@example.com"))
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "ctoready : une demande d’avis de « Alice Martin »"
    assert message.body.startswith("Bonjour,")
    assert "en tant que pair." in message.body
    assert "Alice Martin ne voit que des moyennes d’au moins 3 personnes" in message.body
    assert client.get(f"/rate/i/{LINK.search(message.body).group(1)}/").status_code == 302


def test_an_english_attempt_still_writes_english(alice, alice_attempt):
    alice.post(url(alice_attempt), email_form("carol@example.com"))
    assert mail.outbox[0].body.startswith("Hello,")
    assert "as their peer." in mail.outbox[0].body
