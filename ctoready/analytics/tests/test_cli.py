"""The statistics commands print the documented JSON and fail clearly on bad input."""

import json

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ctoready.instruments.services import import_file
from ctoready.instruments.tests.conftest import MINI


@pytest.fixture
def responses_csv(tmp_path):
    rng = np.random.default_rng(7)
    theta = rng.standard_normal(400)
    rows = ["q1,q2,q3,q4"]
    for t in theta:
        values = [int(np.clip(round(3 + t + rng.normal(0, 0.8)), 1, 5)) for _ in range(4)]
        rows.append(",".join(map(str, values)))
    path = tmp_path / "responses.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def run(*args: str) -> dict:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def test_reliability_prints_the_documented_shape(responses_csv):
    report = run("stats", "reliability", str(responses_csv), "--scale", "all=q1,q2,q3,q4")
    scale = report["scales"]["all"]
    assert scale["n"] == 400
    assert scale["items"] == 4
    assert 0.7 < scale["alpha"] < 1
    assert scale["alpha_ci95"][0] < scale["alpha"] < scale["alpha_ci95"][1]
    assert set(scale["item_total_r"]) == {"q1", "q2", "q3", "q4"}
    assert set(scale["alpha_if_dropped"]) == {"q1", "q2", "q3", "q4"}
    assert "omega_total" in scale


def test_calibrate_prints_parameters_and_scores(responses_csv):
    report = run("calibrate", str(responses_csv), "--model", "grm", "--scores", "eap")
    assert report["model"] == "grm"
    assert set(report["items"]) == {"q1", "q2", "q3", "q4"}
    assert all(item["a"] > 0 for item in report["items"].values())
    assert len(report["scores"]) == 400


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("q1,q2\n1,abc\n2,3\n", "'abc' is not a number"),
        ("q1,q2\n1,9\n2,3\n", "q2"),
    ],
)
def test_bad_cells_name_the_column(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(CommandError, match=message) as excinfo:
        call_command(
            "stats", "reliability", str(path), "--scale", "s=q1,q2", "--min", "1", "--max", "5"
        )
    assert excinfo.value.returncode == 1


def test_unknown_column_is_a_clear_error(responses_csv):
    with pytest.raises(CommandError, match="nope"):
        call_command("stats", "reliability", str(responses_csv), "--scale", "s=q1,nope")


@pytest.mark.django_db
def test_simulate_reports_reliability_per_scale_and_time():
    import_file(path=MINI)
    report = run("simulate", "--instrument", "mini@1.0.0", "--n", "500", "--seed", "3")
    assert set(report["scales"]) == {"strategy", "leadership", "resilience"}
    assert all(0 < s["reliability"] < 1 for s in report["scales"].values())
    assert 0 < report["minutes"]["median"] < report["minutes"]["p90"]


@pytest.mark.django_db
def test_simulate_unknown_instrument_fails_clearly():
    with pytest.raises(CommandError, match="no stored instrument"):
        call_command("simulate", "--instrument", "nope", "--n", "100")
