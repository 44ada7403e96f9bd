"""Operator analytics: per instrument version, item and scale statistics, fairness, the
funnel and times, and the wide exports. Operators only (404 for everyone else)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ctoready.analytics import exports, pages
from ctoready.analytics.access import operator_only, versions_or_404
from ctoready.analytics.calibration import (
    MAX_SE_A,
    CalibrationRefusedError,
    publish_calibration,
    withheld_reason,
)
from ctoready.analytics.data import load_version_data
from ctoready.analytics.models import Calibration
from ctoready.assessments.models import Attempt
from ctoready.lib import audit


@require_safe
@operator_only
def index(request: HttpRequest) -> HttpResponse:
    rows = (
        Attempt.objects.filter(status=Attempt.Status.FINISHED)
        .values("version__instrument__slug", "version__version")
        .annotate(
            real=Count("pk", filter=Q(synthetic__isnull=True)), synthetic_count=Count("synthetic")
        )
        .order_by("version__instrument__slug", "version__version")
    )
    calibrations = Calibration.objects.all()[:20]
    context = {"rows": list(rows), "calibrations": calibrations}
    return render(request, "analytics/index.html", context)


def _include_synthetic(request: HttpRequest) -> bool:
    return request.GET.get("synthetic") == "1" or request.POST.get("synthetic") == "1"


@require_safe
@operator_only
def version(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    versions = versions_or_404(slug, number)
    context = pages.version_context(versions, include_synthetic=_include_synthetic(request))
    return render(request, "analytics/version.html", context)


@require_POST
@operator_only
def export(request: HttpRequest, slug: str, number: str, what: str) -> HttpResponse:
    versions = versions_or_404(slug, number)
    data = load_version_data(versions, include_synthetic=_include_synthetic(request))
    text = exports.responses_csv(data) if what == "responses" else exports.metadata_csv(data)
    audit.record(
        actor=request.user,
        action="export_responses" if what == "responses" else "export_items",
        target=data.label,
        rows=data.n,
        synthetic=data.n_synthetic,
    )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = f"{slug}-{number}-{what}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@operator_only
def calibration(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Calibration, pk=pk)
    rows = sorted(
        (
            (item, {**r, "pairs": list(zip(r["b"], r["se_b"], strict=True))})
            for item, r in found.results.items()
        ),
        key=lambda pair: (pair[1]["scale"], pair[0]),
    )
    context = {
        "calibration": found,
        "rows": rows,
        "reason": withheld_reason(found) if found.withheld else "",
        "max_se_a": MAX_SE_A,
    }
    return render(request, "analytics/calibration.html", context)


@require_POST
@operator_only
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Calibration, pk=pk, published_at__isnull=True)
    try:
        publish_calibration(calibration=found, operator=request.user)
    except CalibrationRefusedError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Published %(label)s.") % {"label": f"{found.instrument_slug}@{found.draft_version}"},
        )
    return redirect("analytics:calibration", pk=found.pk)
