"""The analytics cast: an operator, a candidate, a rater-like visitor and the mini instrument."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


@pytest.fixture
def operator(db):
    return get_user_model().objects.create_user(
        "olivia", "olivia@example.org", "operator-passphrase-42", is_staff=True
    )


@pytest.fixture
def candidate(db):
    return get_user_model().objects.create_user("carol", "carol@example.org", "candidate-pass-42")


def demo(attempts: int, seed: int = 1, instrument: str = "mini") -> str:
    out = StringIO()
    call_command(
        "demo",
        "--attempts",
        str(attempts),
        "--seed",
        str(seed),
        "--instrument",
        instrument,
        stdout=out,
    )
    return out.getvalue()


def bulk_real_attempts(version, n: int, seed: int = 1) -> None:
    """``n`` finished attempts answered like the demo's simulated people but not marked
    synthetic, written in bulk (test data for calibration, which reads only answers)."""
    import numpy as np
    from django.utils import timezone

    from ctoready.analytics.synthetic import _people, simulated_answers
    from ctoready.assessments.models import Answer, Attempt
    from ctoready.instruments.services import document_for

    doc = document_for(version)
    rng = np.random.default_rng(seed)
    now = timezone.now()
    attempts = Attempt.objects.bulk_create(
        Attempt(
            version=version,
            context=doc.contexts[0].id,
            locale=doc.locale,
            status=Attempt.Status.FINISHED,
            expires_at=now,
            finished_at=now,
            core_seconds=600,
        )
        for _ in range(n)
    )
    Answer.objects.bulk_create(
        Answer(attempt=attempt, item_id=item, value=value, seq=1)
        for attempt, person in zip(attempts, _people(doc, n, rng), strict=True)
        for item, value in simulated_answers(doc, person, rng).items()
    )


def export_responses(operator: Any, out: Path, *extra: str) -> None:
    """``ctoready export responses`` of mini 1.0.0 into ``out``, as ``operator``."""
    call_command(
        "export",
        "responses",
        "--instrument",
        "mini@1.0.0",
        "--operator",
        operator.email,
        "-o",
        str(out),
        *extra,
        stderr=StringIO(),
    )
