"""Use cases of reports: finishing an attempt (exactly once) and its snapshot."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ctoready import scoring
from ctoready.assessments.models import Attempt, Link
from ctoready.assessments.services import FlowError, answers_of, revoke_link, seconds_between
from ctoready.assessments.sheets import write_sheet
from ctoready.instruments.scoring_bridge import responses, scoring_model
from ctoready.instruments.services import document_for
from ctoready.reports.models import Report
from ctoready.reports.snapshot import SNAPSHOT_SCHEMA, read_snapshot


def build_snapshot(
    attempt: Attempt, answers: dict[str, Any], *, deep_done: bool = False
) -> dict[str, Any]:
    """Everything a report shows, computed once from the answers and the scoring core.

    An instrument with a deep-dive records whether its answers are in (``parts``): until
    they are, the report shows what the deep-dive would add instead of the judgement index
    and the self-check. Snapshots of instruments without one carry no ``parts`` at all.
    """
    doc = document_for(attempt.version)
    result = scoring.score_attempt(scoring_model(doc), responses(doc, answers))
    kept_types = {"background", "self_check", "scenario", "preference"}
    parts = {"parts": {"deep": "done" if deep_done else "pending"}} if doc.has_deep else {}
    order = {"option_order": attempt.option_order} if attempt.option_order else {}
    return {
        **parts,
        **order,
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
        answers = answers_of(locked)
        report = _store(locked, build_snapshot(locked, answers))
        write_sheet(locked, answers)
        locked.status = Attempt.Status.FINISHED
        locked.finished_at = timezone.now()
        locked.core_seconds = seconds_between(locked.created_at, locked.finished_at)
        locked.save(update_fields=["status", "finished_at", "core_seconds"])
    attempt.status, attempt.finished_at = locked.status, locked.finished_at
    attempt.core_seconds = locked.core_seconds
    return report


def finish_deep_dive(*, attempt: Attempt) -> Report:
    """Close the deep-dive and store a new snapshot with its answers (the core's report
    stays stored). Finishing twice returns the first deep-dive report."""
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.deep_finished_at is not None:
            return Report.objects.filter(attempt=locked).latest()
        if not locked.deep_open:
            raise FlowError("The deep-dive has not been started.", "not_started")
        answers = answers_of(locked)
        report = _store(locked, build_snapshot(locked, answers, deep_done=True))
        locked.deep_finished_at = timezone.now()
        write_sheet(locked, answers, written_at=locked.deep_finished_at)
        started = locked.deep_started_at or locked.deep_finished_at  # set: deep_open says so
        locked.deep_seconds = seconds_between(started, locked.deep_finished_at)
        locked.save(update_fields=["deep_finished_at", "deep_seconds"])
    attempt.deep_finished_at, attempt.deep_seconds = locked.deep_finished_at, locked.deep_seconds
    return report


def _store(attempt: Attempt, data: dict[str, Any]) -> Report:
    snapshot = read_snapshot(data)
    return Report.objects.create(
        attempt=attempt,
        version=attempt.version,
        engine_version=snapshot.result.engine_version,
        data=data,
        scores=snapshot.headline_scores(),
    )


def rescore(*, attempt: Attempt) -> Report:
    """A new snapshot from the same answers (e.g. after an engine update); old ones stay."""
    if not attempt.is_finished:
        raise FlowError("Only a finished assessment can be rescored.", "not_finished")
    done = attempt.deep_finished_at is not None
    return _store(attempt, build_snapshot(attempt, answers_of(attempt), deep_done=done))


def latest_report(attempt: Attempt) -> Report | None:
    return Report.objects.filter(attempt=attempt).order_by("-created_at", "-pk").first()


def share_links(attempt: Attempt) -> QuerySet[Link]:
    """The report's share links, newest first."""
    return Link.objects.filter(attempt=attempt, purpose=Link.Purpose.SHARE).order_by(
        "-created_at", "-pk"
    )


def revoke_share_link(*, attempt: Attempt, link_id: str) -> bool:
    """Revoke the report's share link ``link_id`` (again is harmless); False when the
    attempt has no such link."""
    link = share_links(attempt).filter(public_id=link_id).first()
    if link is None:
        return False
    revoke_link(link=link)
    return True
