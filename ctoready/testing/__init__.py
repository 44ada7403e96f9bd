"""Helpers the test suites share: the small test instrument and finished attempts.

Only tests import this module; it lives in the package so every app's tests can reach it.
"""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.test import Client
from django.utils import timezone

from ctoready.assessments.access import SESSION_KEY
from ctoready.assessments.models import Attempt
from ctoready.assessments.services import save_answers, start_attempt, start_deep_dive
from ctoready.instruments.services import document_for
from ctoready.reports.models import Report
from ctoready.reports.services import finish_attempt, finish_deep_dive

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
    """An attempt started, answered and finished through the services (with its deep-dive
    when ``answers`` include deep-dive questions)."""
    doc = document_for(version)
    attempt, _token = start_attempt(
        version=version,
        context=context or doc.contexts[-1].id,
        locale=doc.locale,
        email=email,
        previous=previous,
        owner=owner,
    )
    parts = doc.part_of_item
    core = {ref: value for ref, value in answers.items() if parts.get(ref, "core") == "core"}
    deep = {ref: value for ref, value in answers.items() if ref not in core}
    save_answers(attempt=attempt, values=core, seq=1)
    finish_attempt(attempt=attempt)
    if deep:  # answers to the deep-dive: taken after the core, as a person would
        start_deep_dive(attempt=attempt)
        save_answers(attempt=attempt, values=deep, seq=2)
        finish_deep_dive(attempt=attempt)
    return attempt


def store_scored(
    version: Any, rows: Iterable[tuple[str, dict[str, float]]], *, engine_version: str = "1.0.0"
) -> list[Attempt]:
    """Finished attempts stored in bulk, one per ``(context, headline scores)`` row, each
    with a report that holds only those scores: what reference groups and norms count,
    fast enough for a hundred thousand. The reports have no result, so they do not render."""
    now = timezone.now()
    rows = list(rows)
    finished = {"status": Attempt.Status.FINISHED, "expires_at": now, "finished_at": now}
    attempts = Attempt.objects.bulk_create(
        Attempt(version=version, context=context, locale="en", **finished) for context, _ in rows
    )
    Report.objects.bulk_create(
        Report(
            attempt=a, version=version, engine_version=engine_version, data={"schema": 1}, scores=s
        )
        for a, (_, s) in zip(attempts, rows, strict=True)
    )
    return attempts


def confirmed(attempt: Attempt) -> Attempt:
    """The attempt's e-mail address as confirmed by its e-mailed resume link."""
    Attempt.objects.filter(pk=attempt.pk).update(email_verified_at=timezone.now())
    attempt.refresh_from_db()
    return attempt


def own(client: Client, *attempts: Attempt) -> Client:
    """Make ``client`` the browser that started these attempts."""
    session = client.session
    session[SESSION_KEY] = [a.pk for a in attempts]
    session.save()
    return client


def mini_with_deep_dive() -> str:
    """The mini instrument (version 1.1.0) with its scenario and self-check moved into an
    optional deep-dive after the core."""
    text = MINI.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.1.0")
    pages = (
        "  - {id: s1, title: A scenario, items: [sjt-costs]}\n"
        "  - {id: prefs, title: What energises you, items: [pref-role, pref-type, check-revenue]}\n"
    )
    deep = (
        "  - {id: prefs, title: What energises you, items: [pref-role, pref-type]}\n"
        "  - {id: s1, part: deep, title: A scenario, items: [sjt-costs]}\n"
        "  - {id: check, part: deep, title: A last look, items: [check-revenue]}\n"
    )
    if pages not in text:
        raise ValueError("the mini instrument's pages changed; update mini_with_deep_dive")
    return text.replace(pages, deep)
