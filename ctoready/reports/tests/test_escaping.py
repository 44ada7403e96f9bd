"""Text typed by a candidate or authored by an operator is data, never markup, in the
page, the PDF and the JSON."""

import json
import subprocess

import pytest
from django.urls import reverse

from ctoready.instruments.services import import_file
from ctoready.testing import MINI, MINI_ANSWERS, finished_attempt, own

HOSTILE = "<script>alert(1)</script>{{ secret }}{% debug %}"
# Typst markup and code, which the PDF's typesetter must show as text.
TYPST = '#read("/etc/passwd") #panic("x") $x^2$ *b* _i_ [a] = h <l> @l \\ // c'


@pytest.fixture
def hostile_attempt(db, tmp_path):
    text = MINI.read_text(encoding="utf-8")
    text = text.replace("id: mini", "id: hostile").replace(
        "name: Technology strategy", f"name: 'Strategy {HOSTILE} {TYPST}'"
    )
    text = text.replace("{low: You rarely set direction.", f"{{low: '{HOSTILE}'")
    text = text.replace("high: You set direction.}", f"high: 'High {HOSTILE}'}}")
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    version = import_file(path=path).version
    return finished_attempt(version, MINI_ANSWERS, context="growth", email="a<b>@example.com")


def test_page_escapes_operator_and_candidate_text(hostile_attempt, client):
    own(client, hostile_attempt)
    html = client.get(reverse("reports:report", args=[hostile_attempt.public_id])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ secret }}{% debug %}" in html
    assert "a&lt;b&gt;@example.com" in html


def test_pdf_shows_hostile_text_literally(hostile_attempt, client, tmp_path):
    own(client, hostile_attempt)
    data = client.get(reverse("reports:pdf", args=[hostile_attempt.public_id])).content
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Strategy <script>alert(1)</script>{{ secret }}{% debug %}" in " ".join(text.split())
    assert "a<b>@example.com" in text
    assert TYPST in " ".join(text.split())


def test_json_never_contains_raw_angle_brackets(hostile_attempt, client):
    own(client, hostile_attempt)
    raw = client.get(reverse("reports:export", args=[hostile_attempt.public_id])).content
    assert b"<" not in raw and b">" not in raw
    data = json.loads(raw)
    assert data["attempt"]["email"] == "a<b>@example.com"
