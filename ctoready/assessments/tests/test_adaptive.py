"""Adaptive mode: the scoring core chooses the Likert items and stops at the precision target."""

import pytest
from django.test import Client

from ctoready.assessments import services
from ctoready.assessments.models import Attempt
from ctoready.instruments.models import InstrumentVersion
from ctoready.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def adaptive_version(version):
    InstrumentVersion.objects.filter(pk=version.pk).update(adaptive_enabled=True)
    version.refresh_from_db()
    return version


def start(client, context="growth"):
    client.post("/start/", {"context": context})
    return Attempt.objects.latest("pk")


def test_fixed_form_when_the_operator_has_not_enabled_adaptive_mode(version, client):
    attempt = start(client)
    assert attempt.mode == Attempt.Mode.FIXED
    page = client.get(f"/a/{attempt.public_id}/p/2/").content.decode()
    for item in ("st-1", "le-1", "re-1", "st-2", "le-2"):  # the authored order
        assert f'name="q-{item}"' in page


def test_adaptive_pages_hold_one_item_per_open_scale(adaptive_version, client):
    attempt = start(client)
    assert attempt.mode == Attempt.Mode.ADAPTIVE
    page = client.get(f"/a/{attempt.public_id}/p/2/").content.decode()
    attempt.refresh_from_db()
    chosen = attempt.adaptive_state["pages"]["p1"]
    assert len(chosen) == 3  # three scales, one item each
    assert {item.split("-")[0] for item in chosen} == {"st", "le", "re"}
    for item in chosen:
        assert f'name="q-{item}"' in page
    # Coming back shows the same items.
    client.get(f"/a/{attempt.public_id}/p/2/")
    attempt.refresh_from_db()
    assert attempt.adaptive_state["pages"]["p1"] == chosen


def test_no_item_is_asked_twice_and_the_report_uses_irt(adaptive_version, client):
    attempt = start(client)
    client.get(f"/a/{attempt.public_id}/p/2/")
    attempt.refresh_from_db()
    first = attempt.adaptive_state["pages"]["p1"]
    client.post(f"/a/{attempt.public_id}/p/2/", {**{f"q-{i}": "3" for i in first}, "seq": "10"})
    client.get(f"/a/{attempt.public_id}/p/3/")
    attempt.refresh_from_db()
    second = attempt.adaptive_state["pages"]["p2"]
    assert not set(first) & set(second)
    # With three items per scale and a 0.45 target, the bank runs out before the target:
    # no item is ever asked twice, and the finished report is scored with IRT.
    client.post(f"/a/{attempt.public_id}/p/3/", {**{f"q-{i}": "4" for i in second}, "seq": "20"})
    client.post(f"/a/{attempt.public_id}/finish/")
    report = Report.objects.get(attempt=attempt)
    methods = {s["method"] for s in report.data["result"]["scales"] if s["sufficient"]}
    assert methods <= {"irt"}


def test_an_empty_adaptive_page_is_passed_by(adaptive_version, client):
    attempt = start(client)
    # A loose target: after one page every scale is precise enough.
    Attempt.objects.filter(pk=attempt.pk).update(
        adaptive_state={"pages": {"p1": ["st-1", "le-1", "re-1"], "p2": []}}
    )
    response = client.get(f"/a/{attempt.public_id}/p/3/")
    assert response.status_code == 302
    assert response["Location"] == f"/a/{attempt.public_id}/p/4/"
    back = client.get(f"/a/{attempt.public_id}/p/3/?from=next-page")
    assert back["Location"] == f"/a/{attempt.public_id}/p/2/?from=next-page"


def test_review_counts_only_the_items_shown(adaptive_version, client):
    attempt = start(client)
    review = client.get(f"/a/{attempt.public_id}/review/").content.decode()
    attempt.refresh_from_db()
    shown = sum(len(items) for items in attempt.adaptive_state["pages"].values())
    assert shown <= 9
    other = 5  # background, scenario, two preferences, self-check
    assert f"You left {shown + other} questions unanswered" in review
    assert services.answers_of(attempt) == {}


def test_attempt_keeps_its_mode_when_the_operator_changes_the_setting(adaptive_version):
    client = Client()
    attempt = start(client)
    InstrumentVersion.objects.update(adaptive_enabled=False)
    attempt.refresh_from_db()
    assert attempt.mode == Attempt.Mode.ADAPTIVE


def test_each_scale_stops_at_its_precision_target(tmp_path, client):
    from ctoready.instruments.services import import_file
    from ctoready.testing import MINI

    loose = MINI.read_text().replace("se_target: 0.45", "se_target: 0.9")
    path = tmp_path / "loose.yaml"
    path.write_text(loose)
    version = import_file(path=path).version
    InstrumentVersion.objects.filter(pk=version.pk).update(adaptive_enabled=True)
    attempt = start(client)
    client.get(f"/a/{attempt.public_id}/p/2/")
    attempt.refresh_from_db()
    first = attempt.adaptive_state["pages"]["p1"]
    client.post(f"/a/{attempt.public_id}/p/2/", {**{f"q-{i}": "3" for i in first}, "seq": "10"})
    # One answer per scale brings every posterior SD under 0.9: no more Likert items.
    response = client.get(f"/a/{attempt.public_id}/p/3/")
    assert response["Location"] == f"/a/{attempt.public_id}/p/4/"
    attempt.refresh_from_db()
    assert attempt.adaptive_state["pages"]["p2"] == []
