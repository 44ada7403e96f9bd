"""The report as a PDF: the print template's HTML (``reports/pdf.html``, the same
snapshot and partials as the page) typeset by Typst (:mod:`ctoready.reports.typeset`).

The same HTML with its stylesheet inlined is the standalone HTML export; the stylesheet is
read from the app's own static files, straight from disk: through the staticfiles finders,
or the collected files (with their hashed names in production); never anything else.
"""

import hashlib
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext

from ctoready.lib.siteurl import site_url
from ctoready.reports import typeset
from ctoready.reports.norms import MIN_REFERENCE
from ctoready.reports.reportview import ReportContent

PAPERS = {"a4": "A4", "letter": "letter"}
# A base URL no request ever reaches: the stylesheet's URL in the print template resolves
# against it, :func:`static_path` maps it to a static file on disk, and refuses the rest.
BASE_URL = "https://report.ctoready.invalid/"


class FetchRefusedError(ValueError):
    """A URL outside the app's static files."""


def static_path(url: str) -> str:
    """The file on disk for a static URL under :data:`BASE_URL`, or :class:`FetchRefusedError`."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        raise FetchRefusedError(f"refused {url!r}: not the app's own static files")
    static_prefix = urlsplit(settings.STATIC_URL).path
    path = unquote(parts.path)
    if not path.startswith(static_prefix) or parts.query:
        raise FetchRefusedError(f"refused {url!r}: not under {static_prefix}")
    relative = path[len(static_prefix) :]
    segments = PurePosixPath(relative).parts
    if (
        not relative
        or "\\" in relative
        or "\x00" in relative
        or ".." in segments
        or relative.startswith("/")
    ):
        raise FetchRefusedError(f"refused {url!r}: not a plain static path")
    try:
        found = finders.find(relative) or _collected(relative)
    except SuspiciousFileOperation as exc:
        raise FetchRefusedError(f"refused {url!r}: {exc}") from exc
    if not found or isinstance(found, list):
        raise FetchRefusedError(f"refused {url!r}: no such static file")
    return str(found)


def _collected(relative: str) -> str | None:
    """A file collected into ``STATIC_ROOT``: in production, ``{% static %}`` names the
    hashed copy (pdf.<hash>.css), which only the collected files hold."""
    try:
        path = Path(staticfiles_storage.path(relative))
    except NotImplementedError:
        return None
    return str(path) if path.is_file() else None


def paper_size(value: str | None) -> str:
    return PAPERS.get((value or "a4").lower(), "A4")


def render_html(view: ReportContent) -> str:
    context = {"r": view, "pdf": True, "site": site_url(), "min_reference": MIN_REFERENCE}
    return render_to_string("reports/pdf.html", context)


def cache_keys(public_id: str) -> list[str]:
    """Every cache key that can hold a rendering of this attempt's report: erasure
    deletes them all (docs/privacy.md)."""
    return [
        f"reports:pdf:{public_id}:{variant}:{paper}"
        for variant in ("owner", "shared")
        for paper in PAPERS.values()
    ]


def pdf_attachment(data: bytes, filename: str) -> HttpResponse:
    """A rendered PDF as a download: the one way the page, the share link and the API
    answer with a PDF (private like every response that sets no cache policy)."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def render_pdf(view: ReportContent, *, paper: str = "A4") -> bytes:
    """The PDF of a report, cached under the attempt (so erasure can find it) with the
    hash of the HTML it comes from: anything that changes the content renders anew.
    About a quarter of a second of CPU for a full report (benchmarks/bench_report.py)."""
    if paper not in PAPERS.values():
        raise ValueError(f"unknown paper size {paper!r}")
    html = render_html(view)
    variant = "shared" if view.shared else "owner"
    key = f"reports:pdf:{view.attempt.public_id}:{variant}:{paper}"
    digest = hashlib.sha256(html.encode()).hexdigest()
    cached: tuple[str, bytes] | None = cache.get(key)
    if cached is not None and cached[0] == digest:
        return cached[1]
    data = typeset.typeset(
        html,
        paper=paper,
        footer=gettext("CTO readiness report"),
        site=site_url(),
    )
    cache.set(key, (digest, data), 60 * 60 * 24)
    return data
