"""The rater's side: the link, autosave and resume, sending once, and what is stored."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ctoready.raters import services
from ctoready.raters.models import RaterInvite, RaterResponse
from ctoready.raters.tests.conftest import RATER_ANSWERS, link_invite, rater


def page(invite, number=1):
    return f"/rate/r/{invite.public_id}/p/{number}/"


def save(invite):
    return f"/rate/r/{invite.public_id}/save/"


@pytest.fixture
def invited(alice_attempt):
    """Carol's peer invitation, her browser after opening it, and her token."""
    invite, token = link_invite(alice_attempt)
    return invite, rater(token), token


def draft(invite):
    invite.refresh_from_db()
    return services.draft_values(invite)[0]


def test_the_link_moves_into_the_session_and_leaves_the_url(alice_attempt):
    invite, token = link_invite(alice_attempt)
    client = Client()
    response = client.get(f"/rate/i/{token}/")
    assert response.status_code == 302
    assert response["Location"] == f"/rate/r/{invite.public_id}/"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store"
    first = client.get(response["Location"])
    assert first["Location"] == page(invite)
    html = client.get(page(invite)).content.decode()
    assert token not in html
    assert html.count("<h1") == 1


def test_opening_the_link_never_uses_it_up(alice_attempt):
    invite, token = link_invite(alice_attempt)
    for _ in range(3):
        assert Client().get(f"/rate/i/{token}/").status_code == 302
    invite.refresh_from_db()
    assert not invite.completed and invite.draft is None


def test_the_page_shows_the_observer_wording_and_only_likert_items(invited):
    invite, client, _ = invited
    html = client.get(page(invite)).content.decode()
    assert "How often did this person write a technology plan?" in html
    assert "How often did you" not in html
    assert "Cloud costs" not in html and "energise" not in html
    assert "I have not had the chance to see this" in html
    assert "Your answers are anonymous." in html


def test_a_manager_shown_alone_is_told_on_the_page(alice_attempt):
    invite, token = link_invite(alice_attempt, "manager", manager_alone=True)
    html = rater(token).get(page(invite)).content.decode()
    assert "your ratings may be shown on their own" in html
    plain, token = link_invite(alice_attempt, "manager")
    assert "shown on their own" not in rater(token).get(page(plain)).content.decode()


def test_autosave_keeps_the_newest_answer_and_acknowledges_retries(invited):
    invite, client, _ = invited
    response = client.post(save(invite), {"q-st-1": "4", "s-st-1": "200"})
    assert response.json() == {"status": "saved", "message": "Saved"}
    assert client.post(save(invite), {"q-st-1": "4", "s-st-1": "200"}).json()["status"] == "saved"
    stale = client.post(save(invite), {"q-st-1": "1", "s-st-1": "100"})
    assert stale.json()["status"] == "stale"
    assert draft(invite) == {"st-1": 4}
    client.post(save(invite), {"q-st-1": "na", "s-st-1": "300"})
    assert draft(invite) == {"st-1": "na"}


def test_a_page_posted_from_a_stale_tab_keeps_the_newer_answer_and_says_so(invited):
    invite, client, _ = invited
    client.post(save(invite), {"q-st-1": "4", "s-st-1": "200"})
    data = {"q-st-1": "1", "q-le-1": "3", "seq": "100", "go": "next"}
    response = client.post(page(invite), data, follow=True)
    assert response.redirect_chain == [(page(invite), 302)]
    assert "changed more recently in another tab" in response.content.decode()
    assert draft(invite) == {"st-1": 4, "le-1": 3}


def test_autosave_with_htmx_answers_with_a_status_line(invited):
    invite, client, _ = invited
    response = client.post(save(invite), {"q-le-1": "5", "s-le-1": "9"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert '<span class="saved">Saved</span>' in response.content.decode()


def test_comments_autosave_too(invited):
    invite, client, _ = invited
    client.post(save(invite), {"c-keep": "Writes clearly.", "s-c-keep": "50"})
    invite.refresh_from_db()
    assert services.draft_values(invite)[1] == {"keep": "Writes clearly."}


@pytest.mark.parametrize(
    "data",
    [
        {"q-sjt-costs-best": "b", "seq": "5"},
        {"q-pref-role": "a", "seq": "5"},
        {"q-nope": "1", "seq": "5"},
        {"q-st-1": "9", "seq": "5"},
        {"q-st-1": "often", "seq": "5"},
        {"c-keep": "x" * 2001, "seq": "5"},
        {},
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(invited, data):
    invite, client, _ = invited
    response = client.post(save(invite), data)
    assert response.status_code == 400
    assert "error" in response.json()
    assert not RaterResponse.objects.exclude(answers={}).exists()


def test_without_javascript_a_page_posts_and_resumes_in_another_browser(invited):
    invite, client, token = invited
    data = {f"q-{k}": str(v) for k, v in RATER_ANSWERS.items()} | {"seq": "77", "go": "next"}
    response = client.post(page(invite), data)
    assert response.status_code == 302 and response["Location"] == page(invite, 2)
    assert draft(invite) == RATER_ANSWERS
    later = rater(token)
    assert later.get(f"/rate/r/{invite.public_id}/")["Location"] == page(invite, 2)
    html = later.get(page(invite)).content.decode()
    assert 'name="q-st-1" value="1" checked' in html


def test_sending_counts_once_and_a_second_send_changes_nothing(invited):
    invite, client, token = invited
    client.post(page(invite), {"q-st-1": "3", "seq": "5", "go": "next"})
    last = page(invite, 2)
    data = {"c-keep": "Writes clearly.", "c-change": "", "seq": "6", "go": "send"}
    response = client.post(last, data)
    assert response["Location"] == f"/rate/r/{invite.public_id}/done/"
    again = client.post(last, data)
    assert again.status_code == 302 and again["Location"].endswith("/done/")
    assert RaterResponse.objects.count() == 1
    assert client.post(save(invite), {"q-st-1": "5", "seq": "9"}).status_code == 409
    assert "Thank you" in client.get(f"/rate/r/{invite.public_id}/done/").content.decode()
    assert rater(token).get(f"/rate/r/{invite.public_id}/")["Location"].endswith("/done/")
    assert services.submit_response(invite=invite) is False


def test_sending_nothing_is_refused(invited):
    invite, client, _ = invited
    response = client.post(page(invite, 2), {"seq": "6", "go": "send"})
    assert response.status_code == 400
    assert "Answer at least one question" in response.content.decode()
    invite.refresh_from_db()
    assert not invite.completed


def test_a_sent_response_keeps_no_link_to_the_invitation_and_no_clock(invited):
    invite, client, _ = invited
    client.post(save(invite), {"q-st-1": "4", "s-st-1": "1700000000123"})
    client.post(save(invite), {"c-keep": "Calm.", "s-c-keep": "1700000000999"})
    client.post(page(invite, 2), {"seq": "1700000001000", "go": "send"})
    response = RaterResponse.objects.get()
    invite.refresh_from_db()
    assert invite.completed and invite.draft is None
    assert response.answers == {"st-1": 4}
    assert response.comments == {"keep": "Calm."}
    assert response.submitted_on == timezone.localdate()
    assert "1700000" not in str(response.answers) + str(response.comments)
    fields = {f.name for f in RaterResponse._meta.get_fields() if f.concrete}
    assert fields == {
        "id",
        "round",
        "category",
        "manager_alone",
        "answers",
        "comments",
        "submitted_on",
    }
    assert not RaterInvite.objects.filter(draft=response).exists()


def test_an_expired_link_is_a_404_and_an_open_page_ends(invited, client):
    invite, carol, token = invited
    RaterInvite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(1))
    assert client.get(f"/rate/i/{token}/").status_code == 404
    response = carol.get(page(invite))
    assert response.status_code == 410
    assert "This invitation has ended" in response.content.decode()
    assert carol.post(save(invite), {"q-st-1": "4", "seq": "5"}).status_code == 409
    assert not RaterResponse.objects.exists()


def test_a_withdrawn_link_ends_midway(invited):
    invite, carol, token = invited
    carol.post(save(invite), {"q-st-1": "4", "seq": "5"})
    services.revoke_invite(invite=invite)
    assert carol.post(page(invite), {"q-st-1": "2", "seq": "6", "go": "next"}).status_code == 410
    assert carol.post(page(invite, 2), {"seq": "7", "go": "send"}).status_code == 410
    assert draft(invite) == {"st-1": 4}
    assert Client().get(f"/rate/i/{token}/").status_code == 404


def test_token_guessing_is_rate_limited_with_404s(clock, alice_attempt):
    _, token = link_invite(alice_attempt)
    guesser = Client()
    for guess in ["x" * 43, "short", "A" * 43, "%00", "a/../b"]:
        assert guesser.get(f"/rate/i/{guess}/").status_code == 404
    # The last two never reach the token check (no address holds them): 17 more failures.
    for i in range(17):
        assert guesser.get(f"/rate/i/{'b' * 40}{i:03d}/").status_code == 404
    limited = guesser.get(f"/rate/i/{token}/")
    assert limited.status_code == 429
    assert limited["Referrer-Policy"] == "no-referrer"
    assert Client(REMOTE_ADDR="10.0.0.2").get(f"/rate/i/{token}/").status_code == 302


def test_the_candidates_own_browser_cannot_rate(alice, alice_attempt):
    _, token = link_invite(alice_attempt)
    response = alice.get(f"/rate/i/{token}/")
    assert response.status_code == 403
    assert "This is your own invitation" in response.content.decode()


def test_rater_pages_need_the_invitation_in_the_session(invited, alice_attempt, alice):
    invite, _, _ = invited
    other, token = link_invite(alice_attempt)
    dan = rater(token)
    for client in (Client(), dan, alice):
        assert client.get(page(invite)).status_code == 404
        assert client.post(save(invite), {"q-st-1": "4", "seq": "5"}).status_code == 404
    assert dan.get(page(other)).status_code == 200


def test_a_page_out_of_range_is_a_404(invited):
    invite, client, _ = invited
    assert client.get(page(invite, 3)).status_code == 404
    assert client.get(page(invite, 0)).status_code == 404
