"""The one reader of stored snapshots: real ones read back whole, older shapes get the
documented defaults, and a damaged one is refused with the key at fault named."""

import json

import pytest

from ctoready.instruments.services import document_for
from ctoready.lib.errors import DomainError
from ctoready.reports.models import Report
from ctoready.reports.services import latest_report
from ctoready.reports.snapshot import SnapshotError, read_snapshot
from ctoready.reports.tests.conftest import answers_for
from ctoready.reports.tests.test_report_page import url
from ctoready.scoring import AttemptResult
from ctoready.testing import finished_attempt, own


def stored(attempt) -> dict:
    """The snapshot as the database gives it back (JSON types only)."""
    return json.loads(json.dumps(latest_report(attempt).data))


@pytest.mark.django_db
def test_a_built_snapshot_reads_back_whole(alice_attempt):
    data = stored(alice_attempt)
    snapshot = read_snapshot(data)
    assert snapshot.result == AttemptResult.from_dict(data["result"])
    assert snapshot.result.to_dict() == data["result"]
    assert snapshot.instrument == {"id": "mini", "version": "1.0.0", "locale": "en"}
    assert snapshot.context == "growth" == alice_attempt.context
    assert snapshot.choices == data["choices"] and snapshot.choices["pref-role"] == "a"
    assert snapshot.no_opportunity == ("re-1", "re-3")
    assert (snapshot.answered, snapshot.questions) == (data["answered"], data["questions"])
    assert snapshot.option_order == alice_attempt.option_order == data["option_order"]
    assert snapshot.deep is None  # mini has no deep-dive


@pytest.mark.django_db
def test_a_deep_dive_snapshot_says_where_the_deep_dive_stands(shipped):
    attempt = finished_attempt(shipped, answers_for(document_for(shipped)))
    reports = list(Report.objects.filter(attempt=attempt).order_by("created_at", "pk"))
    assert [r.snapshot.deep for r in reports] == ["pending", "done"]
    assert [r.data["parts"]["deep"] for r in reports] == ["pending", "done"]


@pytest.mark.django_db
def test_the_headline_scores_stored_beside_a_snapshot_come_from_it(alice_attempt):
    report = latest_report(alice_attempt)
    assert report.scores == report.snapshot.headline_scores()
    assert "scale:resilience" not in report.scores  # no opportunity: no score to compare
    assert report.scores["scale:strategy"] == report.snapshot.result.scale("strategy").score


@pytest.mark.django_db
def test_an_older_snapshot_without_the_optional_keys_reads_with_the_defaults(alice_attempt):
    data = stored(alice_attempt)
    for key in ("instrument", "context", "mode", "choices", "no_opportunity", "answered"):
        del data[key]
    del data["questions"]
    snapshot = read_snapshot(data)
    assert snapshot.choices == {} and snapshot.no_opportunity == ()
    assert snapshot.instrument is snapshot.context is snapshot.mode is None
    assert snapshot.answered is snapshot.questions is snapshot.deep is None


@pytest.mark.django_db
def test_a_report_without_the_optional_keys_still_renders(client, alice_attempt):
    report = latest_report(alice_attempt)
    report.data = {"schema": 1, "result": report.data["result"]}
    report.save(update_fields=["data"])
    response = own(client, alice_attempt).get(url(alice_attempt))
    assert response.status_code == 200
    assert "Growth" in response.content.decode()  # the attempt's own context


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda d: d["result"]["scales"][0].pop("se"), "result.scales[0].se: missing"),
        (lambda d: d["result"]["judgement"].update(index="high"), "result.judgement.index"),
        (lambda d: d.pop("result"), "result: missing"),
        (lambda d: d.update(schema=2), "schema 2 is not 1"),
        (lambda d: d.pop("schema"), "schema None is not 1"),
        (lambda d: d.update(parts={"deep": "later"}), "parts: expected deep"),
        (lambda d: d.update(choices=["a"]), "choices: expected dict"),
        (lambda d: d.update(no_opportunity=[1]), "no_opportunity: expected a list of item ids"),
        (lambda d: d.update(instrument="mini"), "instrument: expected its id"),
    ],
)
@pytest.mark.django_db
def test_a_damaged_snapshot_is_refused_naming_the_key(alice_attempt, damage, named):
    data = stored(alice_attempt)
    damage(data)
    with pytest.raises(SnapshotError) as raised:
        read_snapshot(data)
    assert named in raised.value.message
    assert isinstance(raised.value, DomainError) and raised.value.code == "bad_snapshot"


def test_something_that_is_not_a_snapshot_is_refused():
    with pytest.raises(SnapshotError, match="expected an object, found list"):
        read_snapshot([])
