"""The public technical manual (HTML and PDF) of each published instrument version."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from ctoready.analytics.access import is_operator
from ctoready.analytics.manual import manual_context
from ctoready.analytics.versions import versions_for
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import published_versions
from ctoready.lib.siteurl import site_url
from ctoready.reports.typeset import typeset


def _published(slug: str, number: str) -> list[InstrumentVersion]:
    versions = [v for v in versions_for(f"{slug}@{number}") if v.is_published]
    if not versions:
        raise Http404("No such published version")
    return versions


def _synthetic(request: HttpRequest) -> bool:
    """Synthetic attempts enter the manual only when an operator asks for them."""
    return request.GET.get("synthetic") == "1" and is_operator(request.user)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    labels = sorted(
        {(v.instrument.slug, v.version, v.semver) for v in published_versions()},
        key=lambda row: (row[0], row[2]),
        reverse=True,
    )
    return render(request, "analytics/manual_index.html", {"labels": labels})


@require_safe
def version(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    context = manual_context(_published(slug, number), include_synthetic=_synthetic(request))
    return render(request, "analytics/manual.html", context)


@require_safe
def version_pdf(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    context = manual_context(_published(slug, number), include_synthetic=_synthetic(request))
    html = render_to_string("analytics/manual_pdf.html", context, request=request)
    data = typeset(
        html,
        footer=gettext("Technical manual of %(label)s") % {"label": context["version"].label},
        site=site_url(request),
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{number}-manual.pdf"'
    return response
