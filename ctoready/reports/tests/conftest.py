"""The cast: Alice owns a finished attempt (her browser session remembers it), Bob owns
another, and an anonymous visitor owns nothing."""

import random
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache

from ctoready.instruments import document as d
from ctoready.instruments.services import import_file
from ctoready.reports.norms import forget_reference_groups
from ctoready.testing import MINI_ANSWERS, finished_attempt

SHIPPED = Path(settings.INSTRUMENT_CONTENT_DIR) / "cto-readiness.yaml"


def answers_for(doc: d.Instrument, seed: int = 1) -> dict[str, Any]:
    """A plausible full set of answers to any instrument, varied by seed."""
    rng = random.Random(seed)
    answers: dict[str, Any] = {}
    levels = {scale.id: rng.choice([2, 3, 4, 5]) for scale in doc.scales}
    for item in doc.items:
        if item.type == "likert":
            base = levels[item.scale or ""]
            value = max(1, min(5, base + rng.choice([-1, 0, 0, 1])))
            answers[item.id] = 6 - value if item.reverse else value
        elif item.type == "scenario" and item.mode == "rate_each":
            answers[item.id] = {o.id: rng.randint(1, 5) for o in item.options}
        elif item.type == "scenario":
            best, worst = rng.sample([o.id for o in item.options], 2)
            answers[item.id] = {"best": best, "worst": worst}
        else:
            answers[item.id] = rng.choice(item.options).id
    return answers


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    # Rendered PDFs live in the (database) cache and reference groups in each process;
    # each test starts without them.
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if uses_db:
        marker = request.node.get_closest_marker("django_db")
        transactional = "transactional_db" in request.fixturenames or (
            marker is not None and marker.kwargs.get("transaction", False)
        )
        # Open the database first: autouse fixtures may run before the django_db mark's.
        request.getfixturevalue("transactional_db" if transactional else "db")
        cache.clear()
    forget_reference_groups()
    yield
    if uses_db:
        cache.clear()
    forget_reference_groups()


@pytest.fixture
def shipped(db):
    return import_file(path=SHIPPED).version


@pytest.fixture
def alice_attempt(mini):
    return finished_attempt(mini, MINI_ANSWERS, context="growth", email="alice@example.com")


@pytest.fixture
def bob_attempt(mini):
    return finished_attempt(mini, {**MINI_ANSWERS, "st-1": 1}, email="bob@example.com")
