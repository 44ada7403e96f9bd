"""The technical manual: computed from live data, simulated figures labelled, synthetic
attempts only on an operator's request, and its alpha equal to the CLI's on the export."""

import pytest
from django.test import Client

from ctoready.analytics.data import load_version_data
from ctoready.analytics.tests.clistats import cli_reliability
from ctoready.analytics.tests.conftest import demo, export_responses

pytestmark = pytest.mark.django_db

URL = "/manual/mini/1.0.0/"


def alphas(response) -> dict[str, float | None]:
    return {s.id: s.alpha for s in response.context["scales"]}


def test_manual_lists_published_versions_for_everyone(version):
    page = Client().get("/manual/").content.decode()
    assert URL in page


def test_with_few_attempts_reliability_is_simulated_and_says_so(version):
    demo(20)
    page = Client().get(URL)
    assert page.status_code == 200
    assert page.context["source"] == "simulated"
    assert "Simulated: only 0 people have finished this version" in page.content.decode()


def test_synthetic_attempts_enter_only_when_an_operator_asks(version, operator):
    demo(110, seed=3)
    assert Client().get(URL + "?synthetic=1").context["source"] == "simulated"
    olivia = Client()
    olivia.force_login(operator)
    response = olivia.get(URL + "?synthetic=1")
    assert response.context["source"] == "synthetic"
    assert "This manual includes 110 synthetic attempts" in response.content.decode()


def test_manual_alpha_equals_stats_reliability_on_the_exported_csv(version, operator, tmp_path):
    demo(150, seed=11)
    olivia = Client()
    olivia.force_login(operator)
    shown = alphas(olivia.get(URL + "?synthetic=1"))
    path = tmp_path / "responses.csv"
    export_responses(operator, path, "--include-synthetic")
    data = load_version_data([version], include_synthetic=True)
    for scale in data.doc.scales:
        items = [i for i in data.items if i.scale == scale.id]
        expected = cli_reliability(path, scale.id, items)["alpha"]
        assert shown[scale.id] == pytest.approx(expected, abs=1e-9)


def test_changing_the_data_changes_the_manual(version, operator):
    olivia = Client()
    olivia.force_login(operator)
    demo(120, seed=1)
    before = olivia.get(URL + "?synthetic=1")
    demo(60, seed=2)
    after = olivia.get(URL + "?synthetic=1")
    assert before.context["data"].n == 120 and after.context["data"].n == 180
    assert alphas(before) != alphas(after)
    assert "from 180 finished attempts" in after.content.decode()


def test_manual_pdf_is_a_pdf(version):
    response = Client().get("/manual/mini/1.0.0.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_unpublished_or_unknown_versions_are_404(version):
    version.status = "draft"
    version.save()
    assert Client().get(URL).status_code == 404
    assert Client().get("/manual/nope/1.0.0/").status_code == 404
