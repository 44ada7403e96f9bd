"""Answer sheets: each finished attempt's answers in one row, exactly its ``Answer`` rows."""

import json
from io import StringIO

import numpy as np
import pytest
from django.apps import apps
from django.db.models.signals import post_migrate

from ctoready.analytics.data import load_version_data
from ctoready.assessments import sheets
from ctoready.assessments.models import AnswerSheet, Attempt
from ctoready.assessments.services import answers_of, save_answers, start_deep_dive
from ctoready.instruments.loader import load_bytes
from ctoready.instruments.services import document_for, import_instrument
from ctoready.reports.services import finish_deep_dive
from ctoready.testing import MINI_ANSWERS, finished_attempt, mini_with_deep_dive

pytestmark = pytest.mark.django_db

DEEP = ("sjt-costs", "check-revenue")  # the deep-dive's questions in ``mini_with_deep_dive``
OTHER = {**MINI_ANSWERS, "st-1": 2, "le-2": "na", "sjt-costs": {"best": "c", "worst": "b"}}


@pytest.fixture
def deep_version(db):
    loaded = load_bytes(mini_with_deep_dive().encode(), "mini-deep.yaml")
    return import_instrument(loaded=loaded, name="mini-deep.yaml").version


def sheet_answers(attempt):
    return json.loads(AnswerSheet.objects.get(attempt=attempt).answers)


def test_finishing_writes_the_sheet_of_every_answer(version):
    attempt = finished_attempt(version, MINI_ANSWERS)
    sheet = AnswerSheet.objects.get(attempt=attempt)
    assert json.loads(sheet.answers) == answers_of(attempt) == MINI_ANSWERS
    assert sheet.content_hash == version.content_hash
    doc = document_for(version)
    values, not_yet = sheets.read_vectors([bytes(sheet.likert)], len(doc.likert_items))
    for j, item in enumerate(doc.likert_items):
        given = MINI_ANSWERS.get(item.id)
        assert not_yet[0, j] == (given == "na")
        assert values[0, j] == given if isinstance(given, int) else np.isnan(values[0, j])


def test_the_vector_keeps_only_numbers_and_no_opportunity(version):
    doc = document_for(version)
    first, second, third, fourth = (item.id for item in doc.likert_items[:4])
    vector = sheets.likert_vector(doc, {first: True, second: None, third: "na", fourth: 70000})
    values, not_yet = sheets.read_vectors([vector], len(doc.likert_items))
    assert np.isnan(values).all()  # a bool, nothing, "na" and a number beyond int16
    assert not_yet[0].tolist() == [j == 2 for j in range(len(doc.likert_items))]


def test_the_deep_dive_rewrites_the_sheet_and_is_read_from_rows_while_open(deep_version):
    core = {ref: v for ref, v in MINI_ANSWERS.items() if ref not in DEEP}
    attempt = finished_attempt(deep_version, core)
    assert sheet_answers(attempt) == core
    start_deep_dive(attempt=attempt)
    save_answers(attempt=attempt, values={"sjt-costs": {"best": "a", "worst": "b"}}, seq=2)
    open_dive = load_version_data([deep_version])
    assert open_dive.answers == [{**core, "sjt-costs": {"best": "a", "worst": "b"}}]
    assert sheet_answers(attempt) == core  # the sheet waits for the deep-dive's end
    save_answers(attempt=attempt, values={"check-revenue": "yes"}, seq=3)
    finish_deep_dive(attempt=Attempt.objects.get(pk=attempt.pk))
    done = {**core, "sjt-costs": {"best": "a", "worst": "b"}, "check-revenue": "yes"}
    assert sheet_answers(attempt) == done
    assert load_version_data([deep_version]).answers == [done]


def test_a_deep_dive_finished_without_writing_the_sheet_is_read_from_rows(deep_version):
    """A release without sheets (rolled back to) finishes a deep-dive without writing one:
    the core's sheet is then older than the deep-dive's end, so analytics reads the rows
    and ``migrate`` writes the sheet again."""
    from django.utils import timezone

    core = {ref: v for ref, v in MINI_ANSWERS.items() if ref not in DEEP}
    attempt = finished_attempt(deep_version, core)
    start_deep_dive(attempt=attempt)
    save_answers(attempt=attempt, values={"check-revenue": "yes"}, seq=2)
    Attempt.objects.filter(pk=attempt.pk).update(deep_finished_at=timezone.now())
    assert load_version_data([deep_version]).answers == [{**core, "check-revenue": "yes"}]
    assert sheets.write_missing() == 1
    assert sheet_answers(attempt) == {**core, "check-revenue": "yes"}
    assert sheets.write_missing() == 0


def test_reading_sheets_gives_what_reading_rows_gives(version):
    for answers in (MINI_ANSWERS, OTHER, {"st-1": 3}):
        finished_attempt(version, answers)
    from_sheets = load_version_data([version])
    AnswerSheet.objects.all().delete()
    from_rows = load_version_data([version])
    assert from_sheets.answers == from_rows.answers == [MINI_ANSWERS, OTHER, {"st-1": 3}]
    np.testing.assert_array_equal(from_sheets.values, from_rows.values)
    np.testing.assert_array_equal(from_sheets.no_opportunity, from_rows.no_opportunity)
    assert from_sheets.attempt_ids == from_rows.attempt_ids


def test_a_sheet_for_other_content_is_not_read(version):
    """A sheet written for another content of the version (or tampered with) is ignored."""
    attempt = finished_attempt(version, MINI_ANSWERS)
    doc = document_for(version)
    AnswerSheet.objects.filter(attempt=attempt).update(
        content_hash="0" * 64,
        answers=json.dumps({"st-1": 1}),
        likert=sheets.likert_vector(doc, {"st-1": 1}),
    )
    data = load_version_data([version])
    assert data.answers == [MINI_ANSWERS]
    assert data.values[0, [i.id for i in data.items].index("st-1")] == 5


def test_attempts_of_both_kinds_keep_their_order(version):
    """Some attempts from sheets, some from rows: each answer stays with its attempt."""
    made = [finished_attempt(version, a) for a in (MINI_ANSWERS, OTHER, MINI_ANSWERS, OTHER)]
    AnswerSheet.objects.filter(attempt__in=made[1::2]).delete()
    data = load_version_data([version])
    assert data.attempt_ids == [a.pk for a in made]
    assert data.answers == [MINI_ANSWERS, OTHER, MINI_ANSWERS, OTHER]
    column = [i.id for i in data.items].index("st-1")
    assert data.values[:, column].tolist() == [5, 2, 5, 2]


def test_a_deep_dive_started_while_reading_changes_nothing_read(deep_version, monkeypatch):
    """An attempt read from its sheet whose deep-dive starts before the rows of the others
    are read: each answer still goes to its own attempt, and the read succeeds."""
    from ctoready.analytics import data as analytics_data

    first, second = ({k: v for k, v in a.items() if k not in DEEP} for a in (MINI_ANSWERS, OTHER))
    from_sheet = finished_attempt(deep_version, first)
    from_rows = finished_attempt(deep_version, second)
    AnswerSheet.objects.filter(attempt=from_rows).delete()
    read_rows = analytics_data._read_rows

    def meanwhile(*args, **kwargs):
        start_deep_dive(attempt=from_sheet)
        save_answers(attempt=from_sheet, values={"check-revenue": "no"}, seq=5)
        return read_rows(*args, **kwargs)

    monkeypatch.setattr(analytics_data, "_read_rows", meanwhile)
    read = load_version_data([deep_version])
    assert read.attempt_ids == [from_sheet.pk, from_rows.pk]
    assert read.answers == [first, second]


def test_migrate_writes_the_sheets_that_are_missing(version, deep_version):
    """Attempts finished before sheets existed get theirs when ``migrate`` ends, and a sheet
    written for other content is written again; an open deep-dive waits for its end, and a
    second run has nothing to do."""
    old = [finished_attempt(version, a) for a in (MINI_ANSWERS, OTHER)]
    current = finished_attempt(version, {"st-1": 4})
    other_content = finished_attempt(version, {"st-2": 3})
    AnswerSheet.objects.filter(attempt=other_content).update(content_hash="0" * 64, answers="{}")
    diving = finished_attempt(deep_version, {"st-1": 2})
    start_deep_dive(attempt=diving)
    AnswerSheet.objects.filter(attempt__in=[*old, diving]).delete()
    AnswerSheet.objects.filter(attempt=current).update(answers="{}")  # current: left alone
    config = apps.get_app_config("assessments")
    out = StringIO()
    post_migrate.send(sender=config, app_config=config, using="default", verbosity=1, stdout=out)
    assert "Wrote the answer sheets of 3 finished attempts." in out.getvalue()
    assert sheet_answers(old[0]) == MINI_ANSWERS and sheet_answers(old[1]) == OTHER
    assert sheet_answers(other_content) == {"st-2": 3}
    assert AnswerSheet.objects.get(attempt=other_content).content_hash == version.content_hash
    assert not AnswerSheet.objects.filter(attempt=diving).exists()
    assert sheet_answers(current) == {}
    assert sheets.write_missing() == 0


def test_a_sheet_goes_with_its_attempt(version):
    attempt = finished_attempt(version, MINI_ANSWERS)
    attempt.delete()
    assert not AnswerSheet.objects.exists()
