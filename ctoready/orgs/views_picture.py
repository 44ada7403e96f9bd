"""What a cohort's owners and coaches see of its members: only what each one shares now.

Every view re-reads the consents in its query, so a withdrawal takes effect on the next
request; every response is ``no-store``, so no browser or proxy keeps a copy.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ctoready.assessments.models import Attempt
from ctoready.instruments.services import document_for
from ctoready.lib.audit import record
from ctoready.lib.csvsafe import write_csv
from ctoready.lib.http import private
from ctoready.orgs import access
from ctoready.orgs.models import Consent, Scope
from ctoready.orgs.picture import MIN_ROWS, cohort_picture, member_view
from ctoready.reports import history
from ctoready.reports.norms import MIN_REFERENCE
from ctoready.reports.services import latest_report

HISTORY_MAX = 20


@login_required
@require_safe
def picture(request: HttpRequest, org_id: str, cohort_id: str) -> HttpResponse:
    cohort = access.get_cohort(request.user, org_id, cohort_id)
    context = {"p": cohort_picture(cohort), "min_rows": MIN_ROWS, "averages_only": False}
    return private(render(request, "orgs/picture.html", context))


@login_required
@require_safe
def averages(request: HttpRequest, org_id: str, cohort_id: str) -> HttpResponse:
    cohort = access.get_cohort(request.user, org_id, cohort_id)
    context = {"p": cohort_picture(cohort, rows=False), "min_rows": MIN_ROWS, "averages_only": True}
    return private(render(request, "orgs/picture.html", context))


def export_rows(cohort: Any) -> tuple[list[str], list[list[Any]]]:
    """The shared scores of a cohort, one row per sharing member (also used by the API)."""
    scales = document_for(cohort.version).scales
    header = ["member", "finished_at", "context", "readiness", "readiness_low", "readiness_high"]
    header.append("readiness_level")
    for scale in scales:
        header += [scale.name, f"{scale.name} (low)", f"{scale.name} (high)"]
    rows = []
    for consent in access.shared_consents(cohort):
        view = member_view(consent)
        if view is None:
            continue
        by_id = {row.id: row.value for row in view.scales}
        ready = view.summary.value
        row: list[Any] = [
            consent.user.email or consent.user.get_username(),
            view.finished_at.date().isoformat() if view.finished_at else "",
            consent.attempt.context if consent.attempt else "",
            ready.score if ready else None,
            ready.low if ready else None,
            ready.high if ready else None,
            view.summary.level.label if view.summary.level else "",
        ]
        for scale in scales:
            value = by_id.get(scale.id)
            row += [value.score, value.low, value.high] if value else [None, None, None]
        rows.append(row)
    return header, rows


@login_required
@require_safe
def export(request: HttpRequest, org_id: str, cohort_id: str) -> HttpResponse:
    cohort = access.get_cohort(request.user, org_id, cohort_id)
    header, rows = export_rows(cohort)
    record(
        actor=request.user,
        action="orgs.export_scores",
        target=f"cohort {cohort.public_id}",
        organisation=cohort.organisation.public_id,
        members=len(rows),
    )
    response = HttpResponse(write_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cohort-{cohort.public_id}.csv"'
    return private(response)


def earlier_attempts(consent: Consent) -> list[Attempt]:
    """The linked assessment and the re-assessments it follows, oldest first."""
    chain: list[Attempt] = []
    attempt = consent.attempt
    while attempt is not None and len(chain) < HISTORY_MAX:
        if attempt.owner_id == consent.user_id and attempt.is_finished:
            chain.append(attempt)
        attempt = (
            Attempt.objects.select_related("version").filter(pk=attempt.previous_id).first()
            if attempt.previous_id
            else None
        )
    return chain[::-1]


@login_required
@require_safe
def member_report(
    request: HttpRequest, org_id: str, cohort_id: str, consent_id: str
) -> HttpResponse:
    consent = access.get_shared_consent(request.user, org_id, cohort_id, consent_id)
    view = member_view(consent)
    if view is None:
        raise Http404("No report")
    chain = earlier_attempts(consent)
    # Only an earlier assessment of the same member counts, never one they did not own.
    previous = latest_report(chain[-2]) if len(chain) > 1 else None
    context = {
        "r": view,
        "consent": consent,
        "cohort": consent.cohort,
        "full": consent.scope == Scope.FULL,
        "hide_raters": not consent.include_raters,
        "changes": history.change_rows(view.doc, previous.snapshot, view.report.snapshot)
        if previous
        else (),
        "history": history.history(view.doc, chain) if len(chain) > 1 else None,
        "site": "",
        "min_reference": MIN_REFERENCE,
    }
    return private(render(request, "orgs/member_report.html", context))
