"""Percentiles only against a named, dated reference group of at least 300."""

import re

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ctoready.assessments.models import Attempt
from ctoready.reports import norms
from ctoready.reports.models import Report
from ctoready.testing import store_scored


def add_finished(version, n: int, *, rescored: int = 0) -> None:
    """``n`` finished attempts with spread-out stored scores (bulk, for speed)."""
    attempts = store_scored(
        version,
        (
            (
                "growth",
                {
                    "scale:strategy": (i * 37) % 100,
                    "scale:leadership": (i * 53) % 100,
                    "readiness:growth": (i * 71) % 100,
                },
            )
            for i in range(n)
        ),
    )
    # A rescored attempt has two snapshots but counts once.
    Report.objects.bulk_create(
        Report(attempt=a, version=version, engine_version="1.0.1", data={}, scores={})
        for a in attempts[:rescored]
    )


def page(client, attempt) -> str:
    html = client.get(reverse("reports:report", args=[attempt.public_id])).content.decode()
    return re.sub(r"\s+", " ", html)


def test_below_300_no_percentiles_with_reason(mini, alice, alice_attempt):
    add_finished(mini, 298, rescored=5)  # 299 with Alice's own
    text = page(alice, alice_attempt)
    assert "No percentiles are shown: only 299 people have finished this version" in text
    assert "th percentile" not in text


def test_at_300_percentiles_with_named_dated_group(mini, alice, alice_attempt):
    add_finished(mini, 299)
    text = page(alice, alice_attempt)
    today = timezone.localdate()
    assert (
        "Reference group: everyone who finished Mini readiness check 1.0.0 (en) up to "
        f"{today.day} {today:%B %Y} (300 people)" in text
    )
    assert re.search(r"Your readiness is at the <strong>\d+th percentile</strong>", text)
    assert '<th scope="row">Technology strategy</th>' in text.split("Compared with others")[1]


def test_unfinished_attempts_are_not_in_the_group(mini, alice_attempt):
    add_finished(mini, 10)
    Attempt.objects.filter(pk__in=Attempt.objects.order_by("-pk").values("pk")[:4]).update(
        status=Attempt.Status.EXPIRED
    )
    assert norms.reference_group(mini).n == 7


def test_fast_percentile_equals_the_scoring_engines():
    import numpy as np

    from ctoready import scoring

    rng = np.random.default_rng(4)
    ref = np.sort(np.round(rng.normal(60, 15, 1000), 1))  # ties included
    for score, se in [(60.0, 5.0), (12.3, 0.0), (99.0, 12.0), (float(ref[10]), 3.0)]:
        expected = scoring.percentile_rank(score, ref, sem=se, min_n=300)
        got = norms.percentile_of_sorted(score, se, ref)
        assert got == pytest.approx((expected.percentile, expected.ci95_low, expected.ci95_high))


def test_reference_group_is_one_query_and_cached(mini, alice_attempt):
    add_finished(mini, 50)
    with CaptureQueriesContext(connection) as queries:
        group = norms.reference_group(mini)
        again = norms.reference_group(mini)
    assert group.n == again.n == 51
    # One indexed query over the reports; the rest is the shared cache's own bookkeeping.
    assert sum('"reports_report"' in q["sql"] for q in queries.captured_queries) == 1


def test_percentile_needs_300_values_of_that_score(mini, alice_attempt):
    add_finished(mini, 299)
    group = norms.reference_group(mini)
    assert norms.percentile(group, "scale:strategy", 50.0, 5.0) is not None
    assert norms.percentile(group, "scale:resilience", 50.0, 5.0) is None  # never scored
    assert norms.percentile(group, "scale:strategy", None, None) is None


def test_a_reference_group_built_by_one_process_is_read_by_the_others(
    mini, django_assert_max_num_queries
):
    from ctoready.reports.norms import forget_reference_groups, reference_group

    first = reference_group(mini)
    forget_reference_groups()  # as if another worker process asked
    with django_assert_max_num_queries(1):  # one cache read, no scan of the reports
        again = reference_group(mini)
    assert again.n == first.n
    assert again.values.keys() == first.values.keys()
    for key, values in first.values.items():
        assert np.array_equal(values, again.values[key])
