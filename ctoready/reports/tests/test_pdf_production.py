"""In production (manifest storage, collected static files, DEBUG off) the PDF renders in
its fonts, and the print HTML names its stylesheet by the hashed name."""

import subprocess

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import override_settings

from ctoready.reports import pdf
from ctoready.reports.reportview import build_report_view
from ctoready.reports.services import latest_report

pytestmark = pytest.mark.django_db

MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture
def production_static(tmp_path):
    root = tmp_path / "static"
    with override_settings(STORAGES=MANIFEST, STATIC_ROOT=root, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def pdf_tool(tool, data, tmp_path, *args):
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(
        [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_production_pdf_is_set_in_its_fonts_and_its_html_keeps_the_hashed_stylesheet(
    production_static, alice_attempt, tmp_path
):
    url = static("reports/pdf.css")
    assert url != "/static/reports/pdf.css"  # the hashed name, as in production
    view = build_report_view(attempt=alice_attempt, report=latest_report(alice_attempt))
    data = pdf.render_pdf(view)
    assert url in pdf.render_html(view)
    assert "Page 1 of" in pdf_tool("pdftotext", data, tmp_path, "-layout")
    fonts = pdf_tool("pdffonts", data, tmp_path)
    assert "DejaVuSans" in fonts
    assert "Serif" not in fonts


def test_the_hashed_name_resolves_to_the_collected_file(production_static):
    path = pdf.static_path(pdf.BASE_URL + static("reports/pdf.css").lstrip("/"))
    assert path.startswith(str(production_static))


def test_the_pdf_is_tagged_for_screen_readers(alice_attempt, tmp_path):
    view = build_report_view(attempt=alice_attempt, report=latest_report(alice_attempt))
    info = pdf_tool("pdfinfo", pdf.render_pdf(view), tmp_path)
    assert "Tagged:          yes" in info
    assert "Title:           CTO readiness report" in info


def test_the_pdf_declares_pdf_ua(alice_attempt):
    """PDF/UA-1 (ISO 14289-1), which the typesetter checks as it writes: it refuses to
    write a document that breaks the rules it can check (a missing title, say)."""
    view = build_report_view(attempt=alice_attempt, report=latest_report(alice_attempt))
    assert b"<pdfuaid:part>1</pdfuaid:part>" in pdf.render_pdf(view)
