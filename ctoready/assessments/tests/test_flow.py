"""Taking the assessment: pages, saving, resuming, reviewing and finishing."""

import pytest
from django.core import mail
from django.test import Client

from ctoready.assessments import services
from ctoready.assessments.models import Answer, Attempt, Link
from ctoready.lib.tokens import hash_token
from ctoready.reports.models import Report

pytestmark = pytest.mark.django_db


def page_url(attempt, number):
    return f"/a/{attempt.public_id}/p/{number}/"


def test_landing_page_explains_the_assessment_and_offers_contexts(version, client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Start the assessment" in html
    assert "not a hiring test" in html
    assert 'value="growth"' in html and 'value="seed"' in html


def test_start_needs_a_context(version, client):
    response = client.post("/start/", {"lang": "en"})
    assert response.status_code == 400
    assert "Choose the role you are aiming for" in response.content.decode()
    assert Attempt.objects.count() == 0


def test_start_with_email_sends_a_working_resume_link(version, client):
    client.post("/start/", {"context": "growth", "email": "alice@example.org"})
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    url = next(word for word in body.split() if "/r/" in word)
    other_browser = Client()
    response = other_browser.get(url.split("8000", 1)[-1])
    assert response.status_code == 302
    attempt = Attempt.objects.get()
    assert other_browser.get(f"/a/{attempt.public_id}/").status_code == 302


def test_first_page_shows_the_resume_link_once(started):
    alice, attempt, token = started
    first = alice.get(page_url(attempt, 1)).content.decode()
    assert f"/r/{token}/" in first
    again = alice.get(page_url(attempt, 1)).content.decode()
    assert f"/r/{token}/" not in again


def test_page_post_saves_answers_and_moves_on(started):
    alice, attempt, _ = started
    response = alice.post(
        page_url(attempt, 2), {"q-st-1": "4", "q-le-1": "na", "seq": "1000", "go": "next"}
    )
    assert response.status_code == 302
    assert response["Location"] == page_url(attempt, 3)
    assert services.answers_of(attempt) == {"st-1": 4, "le-1": "na"}


def test_skipping_gets_a_gentle_reminder(started):
    alice, attempt, _ = started
    response = alice.post(
        page_url(attempt, 2), {"q-st-1": "4", "seq": "1000", "go": "next"}, follow=True
    )
    assert "You left 4 questions unanswered" in response.content.decode()


def test_back_goes_to_the_previous_page(started):
    alice, attempt, _ = started
    response = alice.post(page_url(attempt, 2), {"seq": "1000", "go": "back"})
    assert response["Location"].split("?")[0] == page_url(attempt, 1)


def test_autosave_is_idempotent_and_older_sequence_loses(started):
    alice, attempt, _ = started
    url = f"/a/{attempt.public_id}/save/"
    assert alice.post(url, {"q-st-1": "5", "s-st-1": "2000"}).json()["status"] == "saved"
    # A retry of the same answer is acknowledged again, without a second write.
    assert alice.post(url, {"q-st-1": "5", "s-st-1": "2000"}).json()["status"] == "saved"
    assert alice.post(url, {"q-st-1": "1", "s-st-1": "1500"}).json()["status"] == "stale"
    assert Answer.objects.get(attempt=attempt, item_id="st-1").value == 5
    assert alice.post(url, {"q-st-1": "2", "s-st-1": "2500"}).json()["status"] == "saved"
    assert Answer.objects.get(attempt=attempt, item_id="st-1").value == 2


def test_posting_a_page_after_autosaving_it_moves_on(started):
    alice, attempt, _ = started
    alice.post(f"/a/{attempt.public_id}/save/", {"q-st-1": "5", "s-st-1": "3000"})
    response = alice.post(page_url(attempt, 2), {"q-st-1": "5", "s-st-1": "3000", "seq": "2000"})
    assert response["Location"] == page_url(attempt, 3)


def test_a_stale_tab_never_overwrites_a_newer_answer(started):
    alice, attempt, _ = started
    old_tab_seq = services.now_seq()
    alice.post(f"/a/{attempt.public_id}/save/", {"q-st-1": "5", "s-st-1": str(old_tab_seq + 10)})
    response = alice.post(
        page_url(attempt, 2),
        {"q-st-1": "1", "q-le-1": "3", "seq": str(old_tab_seq), "go": "next"},
        follow=True,
    )
    assert "changed more recently in another tab" in response.content.decode()
    assert services.answers_of(attempt)["st-1"] == 5


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"q-st-1": "9", "s-st-1": "10"}, "bad_value"),
        ({"q-st-1": "abc", "s-st-1": "10"}, "bad_value"),
        ({"q-nope": "1", "s-nope": "10"}, "unknown_item"),
        ({"q-sjt-costs-best": "a", "q-sjt-costs-worst": "a", "s-sjt-costs": "10"}, "bad_value"),
        ({"q-pref-role": "z", "s-pref-role": "10"}, "bad_value"),
        ({"seq": "10"}, "invalid"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(started, data, code):
    alice, attempt, _ = started
    response = alice.post(f"/a/{attempt.public_id}/save/", data)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert Answer.objects.count() == 0


def test_a_bad_value_on_a_page_stores_none_of_the_page(started):
    alice, attempt, _ = started
    response = alice.post(page_url(attempt, 2), {"q-st-1": "4", "q-le-1": "7", "seq": "1000"})
    assert response.status_code == 400
    assert "not a possible answer" in response.content.decode()
    assert Answer.objects.count() == 0


def test_another_candidate_and_a_visitor_get_404(started, bob):
    _, attempt, _ = started
    visitor = Client()
    for who in (bob, visitor):
        assert who.get(page_url(attempt, 1)).status_code == 404
        assert (
            who.post(f"/a/{attempt.public_id}/save/", {"q-st-1": "4", "s-st-1": "5"}).status_code
            == 404
        )
        assert who.post(f"/a/{attempt.public_id}/finish/").status_code == 404
        assert who.get(f"/a/{attempt.public_id}/report/").status_code == 404
    assert Answer.objects.filter(attempt=attempt).count() == 0


def test_resume_link_restores_answers_in_a_new_browser(started):
    alice, attempt, token = started
    alice.post(page_url(attempt, 1), {"q-bg-years": "few", "seq": "1000"})
    new_browser = Client()
    response = new_browser.get(f"/r/{token}/")
    assert response.status_code == 302
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert token not in response["Location"]
    where = new_browser.get(response["Location"])
    assert where["Location"] == page_url(attempt, 2)  # where Alice left off
    assert 'value="few" checked' in new_browser.get(page_url(attempt, 1)).content.decode()
    # A GET never consumes the link.
    assert Client().get(f"/r/{token}/").status_code == 302


def test_revoked_and_expired_resume_links_are_refused(started):
    _, _attempt, token = started
    link = Link.objects.get(token_hash=hash_token(token))
    services.revoke_link(link=link)
    assert Client().get(f"/r/{token}/").status_code == 404
    link.revoked_at = None
    link.expires_at = link.created_at
    link.save()
    assert Client().get(f"/r/{token}/").status_code == 404


def test_guessed_tokens_are_rate_limited_per_client(clock, version):
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(20):
        assert guesser.get("/r/" + "x" * 43 + "/").status_code == 404
    assert guesser.get("/r/" + "x" * 43 + "/").status_code == 429
    assert Client(REMOTE_ADDR="198.51.100.4").get("/r/" + "y" * 43 + "/").status_code == 404


def test_database_holds_no_raw_token(started):
    _, _attempt, token = started
    assert not Link.objects.filter(token_hash=token).exists()
    assert Link.objects.filter(token_hash=hash_token(token)).exists()


def test_review_lists_unanswered_and_finishing_happens_once(started):
    alice, attempt, _ = started
    alice.post(page_url(attempt, 2), {"q-st-1": "4", "q-le-1": "3", "q-re-1": "5", "seq": "1000"})
    review = alice.get(f"/a/{attempt.public_id}/review/").content.decode()
    assert "You left 11 questions unanswered" in review
    first = alice.post(f"/a/{attempt.public_id}/finish/")
    second = alice.post(f"/a/{attempt.public_id}/finish/")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/a/{attempt.public_id}/report/"
    assert Report.objects.filter(attempt=attempt).count() == 1
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.FINISHED


def test_answers_to_a_finished_attempt_are_refused(started):
    alice, attempt, _ = started
    alice.post(f"/a/{attempt.public_id}/finish/")
    response = alice.post(f"/a/{attempt.public_id}/save/", {"q-st-1": "4", "s-st-1": "99999999"})
    assert response.status_code == 409
    assert Answer.objects.count() == 0
    assert alice.get(page_url(attempt, 2))["Location"] == f"/a/{attempt.public_id}/report/"


def test_an_attempt_past_its_expiry_date_takes_no_more_answers(started):
    alice, attempt, _ = started
    Attempt.objects.filter(pk=attempt.pk).update(expires_at=attempt.created_at)
    assert alice.get(page_url(attempt, 1)).status_code == 410
    response = alice.post(f"/a/{attempt.public_id}/save/", {"q-st-1": "4", "s-st-1": "5"})
    assert response.status_code == 409


def test_missing_csrf_token_is_refused(started):
    _, attempt, _ = started
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = started[0].cookies
    response = strict.post(f"/a/{attempt.public_id}/save/", {"q-st-1": "4", "s-st-1": "5"})
    assert response.status_code == 403
    assert Answer.objects.count() == 0


def test_htmx_autosave_returns_a_small_status(started):
    alice, attempt, _ = started
    response = alice.post(
        f"/a/{attempt.public_id}/save/", {"q-st-1": "4", "s-st-1": "5"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saved" in html
    assert 'id="progress-bar" hx-swap-oob="true" max="14" value="1"' in html
    assert '<span id="answered-count" hx-swap-oob="true">1</span>' in html
    assert len(response.content) < 400


def test_every_page_has_one_h1_and_stays_small(started):
    alice, attempt, _ = started
    for number in range(1, 6):
        html = alice.get(page_url(attempt, number)).content
        assert html.count(b"<h1") == 1
        assert len(html) < 50_000


def test_maintenance_deletes_expired_unfinished_attempts(started):
    from io import StringIO

    from django.core.management import call_command

    _, attempt, _ = started
    Attempt.objects.filter(pk=attempt.pk).update(expires_at=attempt.created_at)
    out = StringIO()
    call_command("maintenance", stdout=out)
    assert "unfinished_attempts: 1 deleted" in out.getvalue()
    assert not Attempt.objects.filter(pk=attempt.pk).exists()
    assert not Link.objects.filter(attempt_id=attempt.pk).exists()


def test_saving_costs_a_few_queries_whatever_the_page(started, django_assert_max_num_queries):
    """Regression guard: every lookup on the autosave path is one indexed query."""
    alice, attempt, _ = started
    url = f"/a/{attempt.public_id}/save/"
    with django_assert_max_num_queries(10):  # 6 queries and 4 savepoint statements
        alice.post(url, {"q-st-1": "4", "s-st-1": "2000"}, HTTP_HX_REQUEST="true")
    page = {"q-st-1": "4", "s-st-1": "2000", "q-le-1": "3", "q-re-1": "2", "q-st-2": "5"}
    with django_assert_max_num_queries(20):
        alice.post(page_url(attempt, 2), {**page, "seq": "2100"})


def test_public_ids_never_start_with_a_dash_so_commands_take_them():
    """One id in 64 began with "-", which `ctoready report ID` read as an option."""
    from ctoready.assessments.models import new_public_id

    ids = [new_public_id() for _ in range(5000)]  # ~78 would start with "-" by chance
    assert not [i for i in ids if i.startswith("-")]
    assert len(set(ids)) == len(ids) and all(len(i) == 22 for i in ids)


@pytest.mark.parametrize(("meanwhile", "saved"), [(3000, False), (2000, True)])
def test_an_answer_stored_between_reading_and_writing_is_kept_when_newer(
    started, monkeypatch, meanwhile, saved
):
    """Another tab (or a retry) stores the same question between the read of the stored
    sequence numbers and the write: the statement itself keeps the newer answer."""
    _, attempt, _ = started
    services.save_answer(attempt=attempt, item_id="st-1", value=5, seq=meanwhile)
    real, calls = services._stored_seqs, []

    def first_read_misses_it(a, ids):  # as if it came a moment after the read
        calls.append(ids)
        return {} if len(calls) == 1 else real(a, ids)

    monkeypatch.setattr(services, "_stored_seqs", first_read_misses_it)
    result = services.save_answer(attempt=attempt, item_id="st-1", value=2, seq=2000)
    assert result.saved is saved
    assert len(calls) == 2  # the second read is of what the statement kept
    stored = Answer.objects.values_list("value", "seq").get(attempt=attempt, item_id="st-1")
    assert stored == (5, meanwhile)


def test_the_sentence_under_the_bar_names_the_count_autosave_replaces(started):
    alice, attempt, _ = started
    alice.post(f"/a/{attempt.public_id}/save/", {"q-st-1": "4", "s-st-1": "5"})
    html = alice.get(page_url(attempt, 2)).content.decode()
    assert '<span id="answered-count">1</span> of 14 answered' in html


@pytest.mark.parametrize("closed", ["finished", "expired"])
def test_a_page_of_answers_to_a_closed_attempt_is_refused_whole(started, closed):
    """The statement that writes a page's answers checks, in itself, that the part is open:
    nothing is written, and the refusal says why."""
    _, attempt, _ = started
    services.save_answer(attempt=attempt, item_id="st-1", value=2, seq=1)
    if closed == "finished":
        Attempt.objects.filter(pk=attempt.pk).update(status=Attempt.Status.FINISHED)
    else:
        Attempt.objects.filter(pk=attempt.pk).update(expires_at=attempt.created_at)
    with pytest.raises(services.FlowError) as refused:
        services.save_answers(attempt=attempt, values={"st-1": 5, "st-2": 4}, seq=2)
    assert refused.value.code == closed
    assert dict(Answer.objects.values_list("item_id", "value")) == {"st-1": 2}


@pytest.mark.parametrize("listed", [True, False], ids=["by-name", "all-read"])
def test_the_stored_sequence_numbers_are_read_alike_for_a_page_or_a_large_batch(
    started, monkeypatch, listed
):
    """A page's few answers are asked for by name; a batch larger than MAX_LISTED (the
    API) reads every answer of the attempt: both keep the newer answer and say so."""
    _, attempt, _ = started
    if not listed:
        monkeypatch.setattr(services, "MAX_LISTED", 1)
    services.save_answers(attempt=attempt, values={"st-1": 2, "st-2": 3, "le-1": 4}, seq=5)
    results = services.save_answers(attempt=attempt, values={"st-1": 5, "st-2": 5}, seq=4)
    assert [(r.item_id, r.saved) for r in results] == [("st-1", False), ("st-2", False)]
    results = services.save_answers(attempt=attempt, values={"st-1": 5, "re-1": 1}, seq=6)
    assert all(r.saved for r in results)
    stored = dict(Answer.objects.values_list("item_id", "value"))
    assert stored == {"st-1": 5, "st-2": 3, "le-1": 4, "re-1": 1}
    assert services._stored_seqs(attempt, ["st-1", "st-2", "nothing"]) == {"st-1": 6, "st-2": 5}
