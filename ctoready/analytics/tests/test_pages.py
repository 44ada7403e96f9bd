"""Operator analytics: operators only, synthetic data labelled, small cells suppressed, and
figures equal to what the CLI computes from the export."""

import pytest
from django.test import Client

from ctoready.analytics.data import load_version_data
from ctoready.analytics.figures import scale_rows
from ctoready.analytics.tests.clistats import cli_reliability
from ctoready.analytics.tests.conftest import demo
from ctoready.lib.models import AuditEvent
from ctoready.raters.tests.conftest import link_invite, rater
from ctoready.testing import MINI_ANSWERS, finished_attempt, own

pytestmark = pytest.mark.django_db

PAGES = [
    "/operator/analytics/",
    "/operator/analytics/mini/1.0.0/",
]


@pytest.fixture
def olivia(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client


@pytest.mark.parametrize("url", PAGES)
def test_every_analytics_page_refuses_a_candidate_a_rater_and_a_visitor(version, candidate, url):
    attempt = finished_attempt(version, MINI_ANSWERS)
    signed_in = Client()
    signed_in.force_login(candidate)
    _, token = link_invite(attempt)
    for client in (signed_in, own(Client(), attempt), rater(token), Client()):
        assert client.get(url).status_code == 404


def test_exports_refuse_everyone_but_operators(version, candidate):
    signed_in = Client()
    signed_in.force_login(candidate)
    for client in (signed_in, Client()):
        assert client.post("/operator/analytics/mini/1.0.0/responses.csv").status_code == 404
    assert not AuditEvent.objects.exists()


def test_unknown_version_is_a_404_for_operators_too(olivia, version):
    assert olivia.get("/operator/analytics/mini/9.9.9/").status_code == 404


def test_version_page_leaves_synthetic_out_and_says_so_when_included(olivia, version):
    demo(30, seed=2)
    page = olivia.get("/operator/analytics/mini/1.0.0/").content.decode()
    assert "30 synthetic attempts are left out" in page
    assert "Figures from 0 finished attempts" in page
    page = olivia.get("/operator/analytics/mini/1.0.0/?synthetic=1").content.decode()
    assert "This page includes 30 synthetic attempts" in page
    assert page.count("<h1>") == 1 and page.count("<svg") >= 3


def test_figures_from_fewer_than_ten_people_are_suppressed(olivia, version):
    demo(8, seed=2)
    response = olivia.get("/operator/analytics/mini/1.0.0/?synthetic=1")
    scales = response.context["scales"]
    assert all(s.alpha is None and s.problem for s in scales)
    assert all(i.mean is None for s in scales for i in s.items)
    assert all(step.count in (None, 0) for step in response.context["funnel"])
    assert response.context["funnel"][0].count is None
    assert "Insufficient data" in response.content.decode()


def test_page_alpha_equals_the_cli_on_the_exported_csv(olivia, operator, version, tmp_path):
    demo(120, seed=5)
    response = olivia.post("/operator/analytics/mini/1.0.0/responses.csv", {"synthetic": "1"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    path = tmp_path / "responses.csv"
    path.write_bytes(response.content)
    data = load_version_data([version], include_synthetic=True)
    shown = {
        s.id: s for s in olivia.get("/operator/analytics/mini/1.0.0/?synthetic=1").context["scales"]
    }
    for scale in data.doc.scales:
        items = [i for i in data.items if i.scale == scale.id]
        cli = cli_reliability(path, scale.id, items)
        assert shown[scale.id].alpha == pytest.approx(cli["alpha"], abs=1e-9)
        assert shown[scale.id].omega == pytest.approx(cli["omega_total"], abs=1e-9)
        assert shown[scale.id].n == cli["n"]
    assert scale_rows(data)[0].alpha == shown[data.doc.scales[0].id].alpha
    assert AuditEvent.objects.get(action="export_responses").detail["synthetic"] == 120


def test_funnel_counts_pages_shown_and_times_are_the_measured_ones(olivia, version):
    from ctoready.analytics.flow import completion_times, funnel
    from ctoready.assessments.services import record_page_moves, start_attempt
    from ctoready.instruments.services import document_for

    doc = document_for(version)
    for n in range(24):
        attempt, _ = start_attempt(version=version, context="growth", locale="en")
        record_page_moves(attempt=attempt, doc=doc, shown=1)
        if n < 12:
            record_page_moves(attempt=attempt, doc=doc, left=1, shown=2)
    steps = funnel([version], include_synthetic=False)
    assert [s.count for s in steps[:3]] == [24, 24, 12] and steps[2].lost == 12
    demo(15, seed=6)
    data = load_version_data([version], include_synthetic=True)
    times = completion_times(data)
    assert times.n == 15
    assert times.median == pytest.approx(sorted(s / 60 for s in data.core_seconds)[7])


def test_funnel_counts_a_page_reached_by_its_answers_or_a_later_pages(version):
    """Attempts taken through the API record no page visits: the furthest page answered
    counts as reached, with every page before it; an answer of null reaches nothing."""
    from ctoready.analytics.flow import funnel
    from ctoready.assessments.models import Answer
    from ctoready.assessments.services import save_answers, start_attempt
    from ctoready.instruments.services import document_for

    doc = document_for(version)
    first, third = doc.pages[0].items[0], doc.pages[2].items[0]
    for n in range(30):
        attempt, _ = start_attempt(version=version, context="growth", locale="en")
        if n < 20:
            save_answers(attempt=attempt, values={first: MINI_ANSWERS[first]}, seq=1)
        if n < 10:
            save_answers(attempt=attempt, values={third: MINI_ANSWERS[third]}, seq=2)
        elif n >= 20:
            Answer.objects.create(attempt=attempt, item_id=third, value=None, seq=1)
    steps = funnel([version], include_synthetic=False)
    assert [s.count for s in steps[:5]] == [30, 20, 10, 10, 0]


def test_choice_rates_are_the_shares_of_people_choosing_each_option(version):
    from ctoready.analytics.figures import choice_rates

    demo(60, seed=7)
    data = load_version_data([version], include_synthetic=True)
    for rates in choice_rates(data):
        chosen = [a[rates.id] for a in data.answers if isinstance(a.get(rates.id), dict)]
        assert rates.n == len(chosen) > 0
        for option in rates.options:
            best = sum(c["best"] == option.id for c in chosen)
            worst = sum(c["worst"] == option.id for c in chosen)
            assert option.best == (best / rates.n if best >= 10 else None)
            assert option.worst == (worst / rates.n if worst >= 10 else None)


def test_analytics_and_the_manual_speak_french(olivia, version):
    demo(12, seed=3)
    page = olivia.get("/operator/analytics/mini/1.0.0/?synthetic=1", HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert "Fidélité des échelles" in html and "12 passations synthétiques" in html
    manual = Client().get("/manual/mini/1.0.0/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Limites connues" in manual
