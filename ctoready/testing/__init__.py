"""Helpers the test suites share: the small test instrument and finished attempts.

Only tests import this module; it lives in the package so every app's tests can reach it.
"""

from pathlib import Path
from typing import Any

from django.test import Client

from ctoready.assessments.access import SESSION_KEY
from ctoready.assessments.models import Attempt
from ctoready.assessments.services import save_answers, start_attempt
from ctoready.instruments.services import document_for
from ctoready.reports.services import finish_attempt

MINI = Path(__file__).resolve().parents[1] / "instruments" / "tests" / "data" / "mini.yaml"

# Strategy high, leadership low, resilience left unscored by "no opportunity yet".
MINI_ANSWERS: dict[str, Any] = {
    "bg-years": "few",
    "st-1": 5,
    "st-2": 5,
    "st-3": 1,
    "le-1": 1,
    "le-2": 2,
    "le-3": 5,
    "re-1": "na",
    "re-2": 3,
    "re-3": "na",
    "sjt-costs": {"best": "b", "worst": "c"},
    "pref-role": "a",
    "pref-type": "c",
    "check-revenue": "partly",
}


def finished_attempt(
    version: Any,
    answers: dict[str, Any],
    *,
    context: str | None = None,
    email: str = "",
    previous: Attempt | None = None,
    owner: Any = None,
) -> Attempt:
    """An attempt started, answered and finished through the services."""
    doc = document_for(version)
    attempt, _token = start_attempt(
        version=version,
        context=context or doc.contexts[-1].id,
        locale=doc.locale,
        email=email,
        previous=previous,
        owner=owner,
    )
    save_answers(attempt=attempt, values=answers, seq=1)
    finish_attempt(attempt=attempt)
    return attempt


def own(client: Client, *attempts: Attempt) -> Client:
    """Make ``client`` the browser that started these attempts."""
    session = client.session
    session[SESSION_KEY] = [a.pk for a in attempts]
    session.save()
    return client
