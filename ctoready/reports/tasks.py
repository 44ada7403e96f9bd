"""Background work for reports: render the PDF once, before anyone asks for it."""

from django.tasks import task
from django.utils import translation

from ctoready.reports import pdf
from ctoready.reports.models import Report
from ctoready.reports.reportview import build_report_view


@task()
def prerender_pdf(report_id: int) -> None:
    """WeasyPrint takes over a second per report; doing it here makes downloads instant.

    The rendering lands in the shared cache under the hash of its HTML, exactly where the
    download view looks for it.
    """
    report = Report.objects.select_related("attempt", "version").filter(pk=report_id).first()
    if report is None:
        return
    with translation.override(report.attempt.locale):
        view = build_report_view(attempt=report.attempt, report=report)
        for paper in pdf.PAPERS.values():
            pdf.render_pdf(view, paper=paper)
