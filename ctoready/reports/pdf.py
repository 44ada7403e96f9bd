"""The report as a PDF, rendered by WeasyPrint from the same snapshot and templates.

The renderer may read only the app's own static files, straight from disk through the
staticfiles finders: never the network, never any other file.
"""

import contextlib
import gc
import hashlib
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string

from ctoready.lib.siteurl import site_url
from ctoready.reports.norms import MIN_REFERENCE
from ctoready.reports.reportview import ReportView

PAPERS = {"a4": "A4", "letter": "letter"}
# A base URL no request ever reaches: relative URLs resolve against it, the fetcher maps
# it to static files on disk, and anything else is refused.
BASE_URL = "https://report.ctoready.invalid/"


class FetchRefusedError(ValueError):
    """The PDF renderer asked for something outside the app's static files."""


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
        found = finders.find(relative)
    except SuspiciousFileOperation as exc:
        raise FetchRefusedError(f"refused {url!r}: {exc}") from exc
    if not found or isinstance(found, list):
        raise FetchRefusedError(f"refused {url!r}: no such static file")
    return str(found)


def __getattr__(name: str) -> Any:
    # WeasyPrint (about 25 MB) loads only in the processes that render PDFs.
    if name == "StaticOnlyFetcher":
        from ctoready.reports.pdf_engine import StaticOnlyFetcher

        return StaticOnlyFetcher
    raise AttributeError(name)


def paper_size(value: str | None) -> str:
    return PAPERS.get((value or "a4").lower(), "A4")


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """WeasyPrint builds hundreds of thousands of short-lived objects; pausing the cyclic
    collector for one render cuts its time by about a third (measured in
    benchmarks/bench_report.py). Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_html(view: ReportView) -> str:
    context = {"r": view, "pdf": True, "site": site_url(), "min_reference": MIN_REFERENCE}
    return render_to_string("reports/pdf.html", context)


def render_pdf(view: ReportView, *, paper: str = "A4") -> bytes:
    """The PDF of a report. The snapshot never changes, so the bytes are cached by the
    hash of the HTML they come from: anything that changes the content changes the key."""
    if paper not in PAPERS.values():
        raise ValueError(f"unknown paper size {paper!r}")
    html = render_html(view)
    key = "reports:pdf:" + hashlib.sha256(f"{paper}\n{html}".encode()).hexdigest()
    cached: bytes | None = cache.get(key)
    if cached is not None:
        return cached
    import weasyprint

    from ctoready.reports.pdf_engine import StaticOnlyFetcher

    fetcher = StaticOnlyFetcher()
    with _gc_paused():
        document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
        page = weasyprint.CSS(string=f"@page {{ size: {paper}; }}", url_fetcher=fetcher)
        data: bytes = document.write_pdf(stylesheets=[page])
    cache.set(key, data, 60 * 60 * 24)
    return data
