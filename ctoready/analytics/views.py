"""Operator analytics: per instrument version, item and scale statistics, fairness, the
funnel and times, and the wide exports. Operators only (404 for everyone else)."""

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from ctoready.analytics import exports, pages
from ctoready.analytics.access import operator_only, versions_or_404
from ctoready.analytics.data import load_version_data
from ctoready.assessments.models import Attempt
from ctoready.lib import audit


@require_GET
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
    return render(request, "analytics/index.html", {"rows": list(rows)})


def _include_synthetic(request: HttpRequest) -> bool:
    return request.GET.get("synthetic") == "1" or request.POST.get("synthetic") == "1"


@require_GET
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
