"""The PDF: same content as the page, A4 or Letter, page numbers, a vector chart; and the
standalone HTML, whose stylesheet is read from nothing but the app's own static files."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ctoready.reports import pdf
from ctoready.testing import MINI_ANSWERS, finished_attempt, own


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def page_size(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "size.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return next(line for line in info.stdout.splitlines() if line.startswith("Page size"))


def get_pdf(client, attempt, paper="a4"):
    return client.get(reverse("reports:pdf", args=[attempt.public_id]) + f"?paper={paper}")


def test_owner_downloads_pdf_with_report_content(alice, alice_attempt, tmp_path):
    response = get_pdf(alice, alice_attempt)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    text = pdf_text(response.content, tmp_path)
    for expected in [
        "CTO readiness report",
        "Your readiness in brief",
        "50 out of 100",
        "Technology strategy",
        "Experience still to gain",
        "Tag spend by team and review monthly.",
        "Your first 90 days as CTO",
        "What these scores can and cannot tell you",
        "Page 1 of",
    ]:
        assert expected in text, expected


def test_paper_sizes(alice, alice_attempt, tmp_path):
    a4 = page_size(get_pdf(alice, alice_attempt, "a4").content, tmp_path)
    letter = page_size(get_pdf(alice, alice_attempt, "letter").content, tmp_path)
    assert "595.276 x 841.89 pts (A4)" in a4
    assert "612 x 792 pts (letter)" in letter


def test_unknown_paper_falls_back_to_a4():
    assert pdf.paper_size("tabloid") == "A4"
    assert pdf.paper_size(None) == "A4"
    assert pdf.paper_size("LETTER") == "letter"


def test_chart_is_vector_not_an_image(alice, alice_attempt, tmp_path):
    data = get_pdf(alice, alice_attempt).content
    path = tmp_path / "chart.pdf"
    path.write_bytes(data)
    images = subprocess.run(
        ["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert len(images) == 2  # the header lines only: no raster image in the document
    # The axis labels of the chart are real text in the PDF.
    assert "Team leadership" in pdf_text(data, tmp_path)


def test_another_persons_pdf_is_404(bob, alice_attempt):
    assert get_pdf(bob, alice_attempt).status_code == 404


def test_static_path_finds_own_static_files_on_disk():
    path = pdf.static_path(pdf.BASE_URL + "static/reports/pdf.css")
    assert "@page" in Path(path).read_text()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/static/reports/pdf.css",
        "https://example.com/static/reports/pdf.css",
        "file:///etc/passwd",
        f"file://{settings.BASE_DIR}/ctoready/reports/static/reports/pdf.css",
        "data:text/css,body{}",
        pdf.BASE_URL + "static/../../../../etc/passwd",
        pdf.BASE_URL + "static/%2e%2e/%2e%2e/settings.py",
        pdf.BASE_URL + "static/reports/..%2f..%2fviews.py",
        pdf.BASE_URL + "static//etc/passwd",
        pdf.BASE_URL + "static/reports/nope.css",
        pdf.BASE_URL + "a/some-id/report/",
        pdf.BASE_URL + "static/reports/pdf.css?x=1",
        "http://127.0.0.1:8000/static/reports/pdf.css",
    ],
)
def test_static_path_refuses_everything_else(url):
    with pytest.raises(pdf.FetchRefusedError):
        pdf.static_path(url)


def test_render_never_touches_the_network(alice_attempt, monkeypatch):
    import socket

    from ctoready.reports.reportview import build_report_view
    from ctoready.reports.services import latest_report

    def refuse(*args, **kwargs):
        raise AssertionError("the PDF renderer opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    view = build_report_view(attempt=alice_attempt, report=latest_report(alice_attempt))
    assert pdf.render_pdf(view).startswith(b"%PDF")


@pytest.mark.parametrize("with_previous", [False, True])
def test_contents_fill_two_columns_top_to_bottom(mini, tmp_path, with_previous):
    previous = finished_attempt(mini, MINI_ANSWERS) if with_previous else None
    attempt = finished_attempt(mini, {**MINI_ANSWERS, "st-1": 1}, previous=previous)
    client = own(Client(), *[a for a in (previous, attempt) if a])
    text = pdf_text(get_pdf(client, attempt).content, tmp_path)
    rows = [
        [int(n) for n in re.findall(r"(\d+)\. [^()]+\(p\. \d+\)", line)]
        for line in text.split("Contents", 1)[1].split("At a glance\n", 1)[0].splitlines()
        if "(p. " in line
    ]
    entries = sum(len(row) for row in rows)
    half = -(-entries // 2)
    assert entries >= 9 + with_previous  # "Change since last time" only with a previous one
    assert rows == [[n, n + half] if n + half <= entries else [n] for n in range(1, half + 1)]
