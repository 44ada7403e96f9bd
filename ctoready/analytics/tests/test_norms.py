"""Norms: frozen, named, dated reference groups of real attempts, named in reports."""

from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ctoready.analytics.models import Norm
from ctoready.analytics.tests.conftest import demo
from ctoready.reports import norms
from ctoready.testing import MINI_ANSWERS, finished_attempt, own, store_scored

pytestmark = pytest.mark.django_db


def finished_with_scores(version, n: int, context: str = "growth", seed: int = 1) -> None:
    """``n`` real finished attempts with report snapshots carrying headline scores."""
    rng = np.random.default_rng(seed)
    store_scored(
        version, ((context, {"scale:strategy": float(rng.uniform(0, 100))}) for _ in range(n))
    )


def build(*extra: str) -> str:
    out = StringIO()
    call_command("norms", "build", "--instrument", "mini@1.0.0", *extra, stdout=out)
    return out.getvalue()


def test_a_norm_needs_300_real_finished_attempts(version):
    finished_with_scores(version, 299)
    demo(5)  # synthetic attempts never count
    with pytest.raises(CommandError, match="299 real finished attempts"):
        build()
    assert not Norm.objects.exists()


def test_a_built_norm_is_frozen_named_and_numbered(version):
    finished_with_scores(version, 300)
    assert "built norm mini-1-0-0 v1: n=300" in build()
    finished_with_scores(version, 20, seed=2)
    build()
    first, second = Norm.objects.order_by("number")
    assert (first.n, second.n) == (300, 320) and second.number == 2
    assert first.values["scale:strategy"] == sorted(first.values["scale:strategy"])
    assert "synthetic attempts excluded" in first.population


def test_a_context_norm_counts_only_that_context(version):
    finished_with_scores(version, 300, context="growth")
    finished_with_scores(version, 50, context="seed")
    with pytest.raises(
        CommandError, match=r"50 real finished attempts of mini@1\.0\.0 aiming at seed"
    ):
        build("--context", "seed")
    build("--context", "growth", "--name", "Growth CTOs 2026")
    assert Norm.objects.get().name == "growth-ctos-2026"


def test_reports_name_the_frozen_norm_and_ignore_later_attempts(version, client):
    finished_with_scores(version, 300)
    build("--name", "pilot")
    attempt = finished_attempt(version, MINI_ANSWERS)
    norms.forget_reference_groups()
    group = norms.reference_group(version)
    assert (group.name, group.n) == ("pilot v1", 300)
    page = own(client, attempt).get(f"/a/{attempt.public_id}/report/").content.decode()
    assert "the norm “pilot v1”" in page and "(300 people)" in page


def test_the_manual_lists_norms_with_their_precision(version, client):
    finished_with_scores(version, 400)
    build("--name", "pilot")
    page = client.get("/manual/mini/1.0.0/").content.decode()
    assert "pilot v1" in page and "± 4.9" in page  # 1.96 · √(50 · 50 / 400) = 4.9
