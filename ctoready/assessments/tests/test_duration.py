"""The advertised length comes from the timing model, then from measured attempts."""

import json
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from ctoready.assessments import duration
from ctoready.assessments.models import Attempt
from ctoready.instruments import timing
from ctoready.instruments.services import import_shipped

pytestmark = pytest.mark.django_db

CONTENT = Path(settings.INSTRUMENT_CONTENT_DIR)
README = Path(settings.BASE_DIR) / "README.md"


@pytest.fixture(autouse=True)
def _no_cached_durations():
    duration.forget_durations()
    yield
    duration.forget_durations()


@pytest.fixture
def shipped(db):
    return {r.version.locale: r.version for r in import_shipped()}


def simulated_core(name: str) -> timing.TimingEstimate:
    doc = yaml.safe_load((CONTENT / name).read_text(encoding="utf-8"))
    return timing.estimate(timing.part_document(doc, "core"))


def meets_target() -> bool:
    estimates = [simulated_core(n) for n in ("cto-readiness.yaml", "cto-readiness.fr.yaml")]
    return all(e.median_minutes <= 10 and e.p90_minutes <= 12 for e in estimates)


def finish_measured(version, minutes: list[float]) -> None:
    Attempt.objects.bulk_create(
        Attempt(
            version=version,
            context="growth",
            locale=version.locale,
            status=Attempt.Status.FINISHED,
            expires_at=Attempt.default_expiry(),
            core_seconds=round(m * 60),
        )
        for m in minutes
    )


def test_landing_page_says_about_ten_minutes_only_when_the_simulation_holds(shipped):
    estimate = simulated_core("cto-readiness.yaml")
    expected = 10 if meets_target() else round(estimate.median_minutes)
    html = Client().get("/").content.decode()
    assert f"in about {expected} minutes" in html
    assert f"a typical reader takes {estimate.median_minutes:.1f} minutes" in html
    assert "Simulated with our timing model" in html


def test_landing_page_states_the_measured_median_after_fifty_finished_attempts(shipped):
    finish_measured(shipped["en"], [7.0] * 24 + [8.0] * 25)
    assert "Simulated with our timing model" in Client().get("/").content.decode()
    duration.forget_durations()
    finish_measured(shipped["en"], [12.0])
    html = Client().get("/").content.decode()
    assert "in about 8 minutes" in html
    assert "the median time to finish the core is 8.0 minutes, over 50 finished" in html


def test_unfinished_and_other_language_attempts_are_not_measured(shipped):
    finish_measured(shipped["fr"], [3.0] * 60)
    Attempt.objects.filter(version=shipped["fr"]).update(version=shipped["en"], status="expired")
    assert duration.part_duration(shipped["en"]).source == "simulated"


def test_api_and_terminal_client_read_the_same_figure(shipped, client):
    listed = client.get("/api/v1/instruments").json()
    english = next(i for i in listed if i["locale"] == "en")
    assert english["estimated_minutes"] == duration.part_duration(shipped["en"]).minutes


def test_readme_promises_ten_minutes_only_when_the_simulation_holds():
    readme = README.read_text(encoding="utf-8")
    assert ("about ten minutes" in readme) == meets_target()


def test_simulate_prints_model_and_measured_side_by_side(shipped):
    rng = np.random.default_rng(1)
    finish_measured(shipped["fr"], list(rng.uniform(6, 14, 50)))
    out = StringIO()
    call_command("simulate", "--instrument", "cto-readiness", "--n", "2000", stdout=out)
    report = json.loads(out.getvalue())
    english, french = report["languages"]["en"], report["languages"]["fr"]
    assert english["core"]["measured"] is None
    assert french["core"]["measured"]["attempts"] == 50
    assert 6 <= french["core"]["measured"]["median"] <= 14
    assert french["core"]["model"]["median"] > english["core"]["model"]["median"]
    assert set(english) == {"core", "deep"}
    assert english["core"]["meets_target"] == (
        english["core"]["model"]["median"] <= 10 and english["core"]["model"]["p90"] <= 12
    )
