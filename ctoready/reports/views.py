from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ctoready.assessments.access import get_attempt_for_request
from ctoready.reports.services import latest_report


def report(request: HttpRequest, public_id: str) -> HttpResponse:
    attempt = get_attempt_for_request(request, public_id)
    snapshot = latest_report(attempt)
    return render(request, "reports/report.html", {"attempt": attempt, "report": snapshot})
