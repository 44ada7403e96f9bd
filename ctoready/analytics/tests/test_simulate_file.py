"""simulate checks and simulates an instrument file, with no database."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ctoready.instruments.tests.conftest import MINI


def test_simulate_a_file_reports_reliability_and_time_without_a_database():
    out = StringIO()
    call_command("simulate", str(MINI), "--n", "300", "--seed", "4", stdout=out)
    report = json.loads(out.getvalue())
    assert report["instrument"] == "mini@1.0.0"
    assert set(report["scales"]) == {"strategy", "leadership", "resilience"}
    assert 0 < report["minutes"]["median"] < report["minutes"]["p90"]


def test_simulate_refuses_an_invalid_file_naming_its_problems(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nversion: nope\n")
    err = StringIO()
    with pytest.raises(CommandError, match="is not a valid instrument file"):
        call_command("simulate", str(bad), "--n", "50", stderr=err)
    assert "bad.yaml" in err.getvalue()


@pytest.mark.parametrize("args", [[], ["FILE.yaml", "--instrument", "mini"]])
def test_simulate_needs_exactly_one_instrument(args):
    with pytest.raises(CommandError, match=r"name an instrument FILE\.yaml or --instrument ID"):
        call_command("simulate", *args, "--n", "50")


def test_simulate_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError) as excinfo:
        call_command("simulate", str(tmp_path / "none.yaml"), "--n", "50")
    assert "none.yaml" in str(excinfo.value)
