"""Use cases of reports: finishing an attempt (exactly once) and its snapshot."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ctoready import scoring
from ctoready.assessments.models import Attempt
from ctoready.assessments.services import FlowError, answers_of, seconds_between
from ctoready.instruments.scoring_bridge import responses, scoring_model
from ctoready.instruments.services import document_for
from ctoready.reports.models import Report, headline_scores

SNAPSHOT_SCHEMA = 1


def build_snapshot(attempt: Attempt, answers: dict[str, Any]) -> dict[str, Any]:
    """Everything a report shows, computed once from the answers and the scoring core."""
    doc = document_for(attempt.version)
    result = scoring.score_attempt(scoring_model(doc), responses(doc, answers))
    kept_types = {"background", "self_check", "scenario", "preference"}
    return {
        "schema": SNAPSHOT_SCHEMA,
        "instrument": {"id": doc.id, "version": doc.version, "locale": doc.locale},
        "context": attempt.context,
        "mode": attempt.mode,
        "result": result.to_dict(),
        "choices": {
            item.id: answers[item.id]
            for item in doc.items
            if item.type in kept_types and answers.get(item.id) is not None
        },
        "no_opportunity": sorted(
            item.id for item in doc.likert_items if answers.get(item.id) == "na"
        ),
        "answered": sum(1 for value in answers.values() if value is not None),
        "questions": len(doc.items),
    }


def finish_attempt(*, attempt: Attempt) -> Report:
    """Score and close an attempt. Finishing twice returns the first report."""
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.status == Attempt.Status.FINISHED:
            return Report.objects.filter(attempt=locked).latest()
        if not locked.is_open:
            raise FlowError("This assessment has expired.", "expired")
        snapshot = build_snapshot(locked, answers_of(locked))
        report = Report.objects.create(
            attempt=locked,
            version=locked.version,
            engine_version=snapshot["result"]["engine_version"],
            data=snapshot,
            scores=headline_scores(snapshot),
        )
        locked.status = Attempt.Status.FINISHED
        locked.finished_at = timezone.now()
        locked.core_seconds = seconds_between(locked.created_at, locked.finished_at)
        locked.save(update_fields=["status", "finished_at", "core_seconds"])
        if settings.PDF_PRERENDER:
            from ctoready.reports.tasks import prerender_pdf

            transaction.on_commit(lambda: prerender_pdf.enqueue(report_id=report.pk))
    attempt.status, attempt.finished_at = locked.status, locked.finished_at
    attempt.core_seconds = locked.core_seconds
    return report


def rescore(*, attempt: Attempt) -> Report:
    """A new snapshot from the same answers (e.g. after an engine update); old ones stay."""
    if not attempt.is_finished:
        raise FlowError("Only a finished assessment can be rescored.", "not_finished")
    snapshot = build_snapshot(attempt, answers_of(attempt))
    return Report.objects.create(
        attempt=attempt,
        version=attempt.version,
        engine_version=snapshot["result"]["engine_version"],
        data=snapshot,
        scores=headline_scores(snapshot),
    )


def latest_report(attempt: Attempt) -> Report | None:
    return Report.objects.filter(attempt=attempt).order_by("-created_at", "-pk").first()
