"""The candidate's side: inviting by e-mail or link, counts not names, reminders, closing."""

import re

import pytest
from django.core import mail

from ctoready.lib.tokens import hash_token
from ctoready.raters import services
from ctoready.raters.models import RaterInvite, RaterInviteKey, RaterResponse
from ctoready.raters.tests.conftest import link_invite, respond
from ctoready.testing import finished_attempt, own

LINK = re.compile(r"https?://[^\s]+/rate/i/([A-Za-z0-9_-]+)/")


def url(attempt, tail=""):
    return f"/rate/a/{attempt.public_id}/{tail}"


def email_form(emails, category="peer", manager_alone=False, name="Alice Martin"):
    data = {"e-name": name, "e-category": category, "e-emails": emails}
    if manager_alone:
        data["e-manager_alone"] = "on"
    return data


def test_the_candidate_sees_the_invitation_page_with_one_h1(alice, alice_attempt):
    response = alice.get(url(alice_attempt))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "How raters stay anonymous" in html
    assert response["Cache-Control"] == "no-store"


def test_the_report_links_to_the_invitation_page(alice, alice_attempt):
    html = alice.get(f"/a/{alice_attempt.public_id}/report/").content.decode()
    assert f'href="/rate/a/{alice_attempt.public_id}/"' in html


@pytest.mark.parametrize("who", ["bob", "visitor"])
def test_anyone_else_gets_a_404(request, who, alice_attempt):
    client = request.getfixturevalue(who)
    assert client.get(url(alice_attempt)).status_code == 404
    response = client.post(url(alice_attempt), email_form("carol@example.com"))
    assert response.status_code == 404
    assert client.post(url(alice_attempt, "close/")).status_code == 404
    assert not RaterInvite.objects.exists()
    assert mail.outbox == []


def test_an_unfinished_attempt_cannot_invite(mini, client):
    from ctoready.assessments.services import start_attempt

    attempt, _ = start_attempt(version=mini, context="growth", locale="en")
    own(client, attempt)
    assert client.get(url(attempt)).status_code == 404


def test_email_invitations_arrive_one_per_person_with_working_links(alice, alice_attempt, client):
    response = alice.post(url(alice_attempt), email_form("carol@example.com, dan@example.org"))
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        assert message.subject == "ctoready: a feedback request from “Alice Martin”"
        assert "Alice Martin sees only averages of at least 3 people" in message.body
        others = {"carol@example.com", "dan@example.org"} - set(message.to)
        assert not any(other in message.body for other in others)
        token = LINK.search(message.body).group(1)
        opened = client.get(f"/rate/i/{token}/")
        assert opened.status_code == 302
        assert token not in opened["Location"]
    assert {m.to[0] for m in mail.outbox} == {"carol@example.com", "dan@example.org"}


def test_no_raw_token_is_stored(alice_attempt):
    invite, token = link_invite(alice_attempt)
    key = RaterInviteKey.objects.get(invite=invite)
    assert key.token_hash == hash_token(token)
    assert len(token) >= 43  # 256 bits in URL-safe base64
    stored = str(list(RaterInvite.objects.values())) + str(list(RaterInviteKey.objects.values()))
    assert token not in stored


def test_a_manager_shown_alone_is_told_in_the_invitation(alice, alice_attempt):
    alice.post(url(alice_attempt), email_form("mo@example.com", "manager", manager_alone=True))
    assert "your ratings may be shown on their own" in mail.outbox[0].body
    assert RaterInvite.objects.get().manager_alone


def test_only_a_manager_can_be_shown_alone(alice, alice_attempt):
    response = alice.post(url(alice_attempt), email_form("p@example.com", "peer", True))
    assert response.status_code == 400
    assert "Only a manager" in response.content.decode()
    assert not RaterInvite.objects.exists()


@pytest.mark.parametrize(
    ("emails", "message"),
    [
        ("not-an-address", "Not valid e-mail addresses: not-an-address"),
        ("carol@example.com, bob@", "Not valid e-mail addresses: bob@"),
        ("", "This field is required"),
        ("alice@example.com", "You cannot invite yourself"),
        ("<script>@x.com", "Not valid e-mail addresses: &lt;script&gt;@x.com"),
    ],
)
def test_bad_addresses_are_refused_with_a_clear_message(alice, alice_attempt, emails, message):
    response = alice.post(url(alice_attempt), email_form(emails))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RaterInvite.objects.exists()
    assert mail.outbox == []


def test_hundreds_of_addresses_at_once_are_refused(alice, alice_attempt):
    emails = "\n".join(f"person{i}@example.com" for i in range(300))
    response = alice.post(url(alice_attempt), email_form(emails))
    assert response.status_code == 400
    assert "That is 300 addresses; invite at most 20 at a time." in response.content.decode()
    assert not RaterInvite.objects.exists()
    assert mail.outbox == []


def test_an_attempt_has_at_most_fifty_invitations(alice, alice_attempt):
    for _ in range(services.MAX_INVITES - 1):
        link_invite(alice_attempt)
    emails = "one@example.com two@example.com"
    response = alice.post(url(alice_attempt), email_form(emails))
    assert response.status_code == 400
    assert "at most 50 invitations; 1 is left" in response.content.decode()
    assert RaterInvite.objects.count() == services.MAX_INVITES - 1
    assert mail.outbox == []


def test_invitation_requests_are_rate_limited_per_client(clock, alice, alice_attempt):
    for i in range(10):
        assert alice.post(url(alice_attempt), email_form(f"p{i}@example.com")).status_code == 302
    response = alice.post(url(alice_attempt), email_form("late@example.com"))
    assert response.status_code == 429
    assert "Wait a minute" in response.content.decode()
    assert RaterInvite.objects.count() == 10


def test_the_same_address_cannot_be_invited_twice(alice, alice_attempt):
    alice.post(url(alice_attempt), email_form("carol@example.com"))
    response = alice.post(url(alice_attempt), email_form("Carol@Example.com", "other"))
    assert response.status_code == 400
    assert "Already invited: carol@example.com" in response.content.decode()
    assert RaterInvite.objects.count() == 1


def test_a_private_link_is_shown_once(alice, alice_attempt, client):
    data = {"l-name": "Alice Martin", "l-category": "direct"}
    response = alice.post(url(alice_attempt, "link/"), data)
    assert response.status_code == 200
    token = LINK.search(response.content.decode()).group(1)
    assert client.get(f"/rate/i/{token}/").status_code == 302
    assert token not in alice.get(url(alice_attempt)).content.decode()


def test_the_candidate_sees_counts_per_group_never_who_answered(alice, alice_attempt):
    alice.post(url(alice_attempt), email_form("carol@example.com dan@example.com"))
    before = alice.get(url(alice_attempt)).content.decode()
    carol = RaterInvite.objects.get(email="carol@example.com")
    services.save_ratings(invite=carol, values={"st-1": 3}, seqs={"st-1": 5})
    services.submit_response(invite=carol)
    after = alice.get(url(alice_attempt)).content.decode()

    def invitations(html):
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return html[html.index('id="invites-title"') :]

    def counts(html):
        return re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', html)

    assert invitations(before) == invitations(after)
    assert ("Peer", "0") in counts(before)
    assert ("Peer", "1") in counts(after)


def test_reminders_go_to_those_who_have_not_answered_and_name_no_one(alice, alice_attempt):
    alice.post(url(alice_attempt), email_form("carol@example.com dan@example.com erin@example.com"))
    carol = RaterInvite.objects.get(email="carol@example.com")
    services.save_ratings(invite=carol, values={"st-1": 3}, seqs={"st-1": 5})
    services.submit_response(invite=carol)
    mail.outbox.clear()
    response = alice.post(url(alice_attempt, "remind/"), follow=True)
    assert "A reminder is on its way to everyone who has not answered" in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["dan@example.com", "erin@example.com"]
    for message in mail.outbox:
        assert "carol" not in message.body
        others = {"dan@example.com", "erin@example.com"} - set(message.to)
        assert not any(other in message.body for other in others)
        assert LINK.search(message.body)
    again = alice.post(url(alice_attempt, "remind/"), follow=True)
    assert "already sent today" in again.content.decode()
    assert len(mail.outbox) == 2


def test_a_withdrawn_invitation_stops_working(alice, alice_attempt, client):
    invite, token = link_invite(alice_attempt)
    response = alice.post(url(alice_attempt, f"i/{invite.public_id}/revoke/"))
    assert response.status_code == 302
    assert client.get(f"/rate/i/{token}/").status_code == 404


def test_bob_cannot_withdraw_alices_invitation(bob, alice_attempt, bob_attempt):
    invite, _ = link_invite(alice_attempt)
    link_invite(bob_attempt)
    assert bob.post(url(alice_attempt, f"i/{invite.public_id}/revoke/")).status_code == 404
    assert bob.post(url(bob_attempt, f"i/{invite.public_id}/revoke/")).status_code == 404
    invite.refresh_from_db()
    assert invite.revoked_at is None


def test_closing_needs_three_answers(alice, alice_attempt):
    respond(alice_attempt)
    respond(alice_attempt)
    response = alice.post(url(alice_attempt, "close/"), follow=True)
    assert "once at least 3 people have answered" in response.content.decode()
    assert services.round_of(alice_attempt).is_open


def test_closing_freezes_results_and_forgets_addresses_and_drafts(alice, alice_attempt, client):
    alice.post(url(alice_attempt), email_form("carol@example.com"))
    for _ in range(3):
        respond(alice_attempt)
    _, token = link_invite(alice_attempt)
    half = RaterInvite.objects.latest("pk")
    services.save_ratings(invite=half, values={"st-1": 2}, seqs={"st-1": 5})
    response = alice.post(url(alice_attempt, "close/"))
    assert response.status_code == 302
    assert response["Location"].endswith("/report/#feedback-title")
    round_ = services.round_of(alice_attempt)
    assert round_.closed_on is not None and round_.result["responses"] == 3
    assert not RaterInvite.objects.exclude(email="").exists()
    assert not RaterInvite.objects.filter(revoked_at=None).exists()
    assert RaterResponse.objects.filter(submitted_on=None).count() == 0
    assert client.get(f"/rate/i/{token}/").status_code == 404
    page = alice.get(url(alice_attempt)).content.decode()
    assert "This feedback round closed" in page
    late = alice.post(url(alice_attempt), email_form("late@example.com"))
    assert "This feedback round is closed" in late.content.decode()


def test_a_second_attempt_has_its_own_round(mini, alice_attempt):
    respond(alice_attempt)
    other = finished_attempt(mini, {"st-1": 3})
    assert services.round_of(other) is None
