"""Measured time: when each page is first shown and left, and each part's completion time."""

from datetime import timedelta

import pytest
from django.test import Client

from ctoready.assessments import services
from ctoready.assessments.models import Answer, Attempt, PageVisit
from ctoready.instruments.services import document_for

pytestmark = pytest.mark.django_db


def page_url(attempt, number):
    return f"/a/{attempt.public_id}/p/{number}/"


def visits(attempt):
    return {v.number: v for v in PageVisit.objects.filter(attempt=attempt)}


def test_starting_records_the_first_page_as_shown(version):
    alice = Client()
    alice.post("/start/", {"context": "growth", "lang": "en"})
    attempt = Attempt.objects.get()
    shown = visits(attempt)[1]
    assert shown.shown_at is not None and shown.left_at is None
    # The person reads for 40 seconds (moved back on the stored clock), then moves on.
    PageVisit.objects.filter(pk=shown.pk).update(shown_at=shown.shown_at - timedelta(seconds=40))
    alice.post(page_url(attempt, 1), {"q-bg-years": "few", "seq": "1", "go": "next"})
    first, second = visits(attempt)[1], visits(attempt)[2]
    assert first.seconds is not None and 40 <= first.seconds < 60
    assert first.part == "core" and first.page_id == "about"
    assert second.shown_at == first.left_at and second.left_at is None


def test_showing_a_page_never_writes(started):
    alice, attempt, _ = started
    before = list(PageVisit.objects.values_list("number", "shown_at", "left_at"))
    for number in (1, 2, 3):
        assert alice.get(page_url(attempt, number)).status_code == 200
    assert list(PageVisit.objects.values_list("number", "shown_at", "left_at")) == before


def test_only_the_first_showing_and_leaving_count(started):
    alice, attempt, _ = started
    alice.post(page_url(attempt, 1), {"seq": "1", "go": "next"})
    first = visits(attempt)
    alice.post(page_url(attempt, 2), {"seq": "2", "go": "back"})
    alice.post(page_url(attempt, 1), {"seq": "3", "go": "next"})
    again = visits(attempt)
    assert again[1].shown_at == first[1].shown_at
    assert again[1].left_at == first[1].left_at
    assert again[2].shown_at == first[2].shown_at
    assert again[2].left_at is not None


def test_a_page_opened_from_the_review_has_no_shown_time(started):
    alice, attempt, _ = started
    alice.post(page_url(attempt, 1), {"seq": "1", "go": "review"})
    alice.get(page_url(attempt, 3))
    alice.post(page_url(attempt, 3), {"seq": "2", "go": "review"})
    page = visits(attempt)[3]
    assert page.shown_at is None and page.left_at is not None and page.seconds is None


def test_a_rejected_page_records_nothing(started):
    alice, attempt, _ = started
    before = PageVisit.objects.count()
    response = alice.post(page_url(attempt, 2), {"q-st-1": "9", "seq": "1", "go": "next"})
    assert response.status_code == 400
    assert PageVisit.objects.count() == before


def test_finishing_stores_the_core_completion_time(started):
    alice, attempt, _ = started
    Attempt.objects.filter(pk=attempt.pk).update(
        created_at=attempt.created_at - timedelta(minutes=9, seconds=30)
    )
    alice.post(f"/a/{attempt.public_id}/finish/")
    attempt.refresh_from_db()
    assert 570 <= attempt.core_seconds < 590
    assert attempt.deep_seconds is None


def test_another_candidate_cannot_record_visits_on_an_attempt(started, bob):
    _alice, attempt, _ = started
    before = PageVisit.objects.count()
    response = bob.post(page_url(attempt, 1), {"seq": "1", "go": "next"})
    assert response.status_code == 404
    assert PageVisit.objects.count() == before


def test_my_data_download_holds_the_page_times(started):
    alice, attempt, _ = started
    alice.post(page_url(attempt, 1), {"seq": "1", "go": "next"})
    exported = alice.get("/my-data/export.json").json()["attempts"][0]
    assert [v["page"] for v in exported["page_visits"]] == ["about", "p1"]
    assert exported["page_visits"][0]["left_at"] is not None
    assert exported["core_seconds"] is None


def test_a_page_left_and_shown_at_once_keeps_one_visit(started):
    """(No page post leads to itself; the function still records it as a leaving.)"""
    from ctoready.assessments.services import record_page_moves

    _, attempt, _ = started
    doc = document_for(attempt.version)
    record_page_moves(attempt=attempt, doc=doc, left=3, shown=3)
    visit = visits(attempt)[3]
    assert visit.shown_at is None and visit.left_at is not None
    record_page_moves(attempt=attempt, doc=doc, shown=3)
    assert visits(attempt)[3].shown_at is None  # a visit is there already: nothing changes


PAGE_2 = {"q-st-1": "4", "q-le-1": "3", "q-re-1": "5", "q-st-2": "2", "q-le-2": "na"}


def test_a_page_whose_newer_answer_was_kept_records_no_move(started):
    """The other answers are written, and the moves go with them on the condition that
    every answer stands as posted: one does not, so the page is neither left nor the next
    one shown."""
    alice, attempt, _ = started
    Answer.objects.create(attempt=attempt, item_id="st-1", value=1, seq=20)  # another tab
    response = alice.post(page_url(attempt, 2), PAGE_2 | {"seq": "10", "go": "next"})
    assert response.status_code == 302 and response["Location"] == page_url(attempt, 2)
    assert set(visits(attempt)) == {1}  # only the first page, shown on starting
    assert Answer.objects.get(attempt=attempt, item_id="le-1").seq == 10  # the rest saved
    # Posted again with a newer sequence number, it is saved and the moves recorded.
    alice.post(page_url(attempt, 2), PAGE_2 | {"seq": "30", "go": "next"})
    assert visits(attempt)[2].left_at is not None and visits(attempt)[3].shown_at is not None


def test_moves_are_recorded_when_the_same_answers_were_stored_meanwhile(started):
    """Read as not stored, then stored by a retry of the same post before this one writes:
    nothing left to write, every answer saved, so the moves are recorded on their own."""
    _, attempt, _ = started
    values = {"st-1": 4, "le-1": 3}
    services.save_answers(attempt=attempt, values=values, seq=10)  # the retry, first
    results = services.save_answers(attempt=attempt, values=values, seq=10, stored={}, moves=(2, 3))
    assert all(result.saved for result in results)
    assert visits(attempt)[2].left_at is not None and visits(attempt)[3].shown_at is not None


def test_a_closed_part_refuses_the_answers_and_records_no_move(started):
    _, attempt, _ = started
    Attempt.objects.filter(pk=attempt.pk).update(status=Attempt.Status.FINISHED)
    attempt.refresh_from_db()
    with pytest.raises(services.FlowError):
        services.save_answers(attempt=attempt, values={"st-1": 4}, seq=10, moves=(2, 3))
    assert set(visits(attempt)) == {1}
    assert not Answer.objects.filter(attempt=attempt).exists()
