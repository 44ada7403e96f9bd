"""A finished report as JSON, PDF or standalone HTML: thin calls into ``reports``."""

import re
from pathlib import Path

from ctoready.assessments.models import Attempt
from ctoready.lib.siteurl import site_url
from ctoready.reports import export, pdf
from ctoready.reports.models import Report
from ctoready.reports.reportview import build_report_view
from ctoready.reports.services import latest_report

FORMATS = ("json", "pdf", "html")
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)">')


class NotFinishedError(Exception):
    pass


def report_of(attempt: Attempt) -> Report:
    report = latest_report(attempt) if attempt.is_finished else None
    if report is None:
        raise NotFinishedError(attempt.public_id)
    return report


def as_json(attempt: Attempt, report: Report) -> str:
    return export.to_json(export.export_data(attempt=attempt, report=report))


def as_pdf(attempt: Attempt, report: Report, paper: str = "A4") -> bytes:
    return pdf.render_pdf(build_report_view(attempt=attempt, report=report), paper=paper)


def as_html(attempt: Attempt, report: Report) -> str:
    """The print layout as one self-contained file: its stylesheets inlined."""
    from django.template.loader import render_to_string

    from ctoready.reports.norms import MIN_REFERENCE

    view = build_report_view(attempt=attempt, report=report)
    html = render_to_string(
        "reports/pdf.html",
        {"r": view, "pdf": True, "site": site_url(), "min_reference": MIN_REFERENCE},
    )

    def inline(match: re.Match[str]) -> str:
        try:
            css = Path(pdf.static_path(pdf.BASE_URL + match.group(1).lstrip("/"))).read_text()
        except (pdf.FetchRefusedError, OSError):
            return match.group(0)
        return f"<style>\n{css}\n</style>"

    return _STYLESHEET.sub(inline, html)


def render(attempt: Attempt, fmt: str, paper: str = "A4") -> bytes:
    report = report_of(attempt)
    if fmt == "json":
        return as_json(attempt, report).encode()
    if fmt == "pdf":
        return as_pdf(attempt, report, paper)
    if fmt == "html":
        return as_html(attempt, report).encode()
    raise ValueError(f"unknown format {fmt!r}")
