"""`ctoready simulate` says how many items adaptive mode saves at the full form's precision."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from ctoready.analytics.adaptive_savings import adaptive_savings
from ctoready.instruments.services import document_for

pytestmark = pytest.mark.django_db


def test_simulate_reports_items_saved_by_adaptive_mode(version):
    out = StringIO()
    call_command("simulate", "--instrument", "mini@1.0.0", "--n", "100", "--seed", "3", stdout=out)
    adaptive = json.loads(out.getvalue())["adaptive"]
    assert adaptive["items_full"] == 9
    assert 0 <= adaptive["items_saved"] <= 9
    assert adaptive["items_adaptive_mean"] + adaptive["items_saved"] == pytest.approx(9)


def test_a_short_scale_needs_nearly_every_item_for_the_full_precision(version):
    # With three items per scale the full form's precision needs nearly every item.
    savings = adaptive_savings(document_for(version), people=60, seed=4)
    assert savings["saved_percent"] < 50
    assert set(savings["se_target"]) == {"strategy", "leadership", "resilience"}
