"""No rendering says experienced CTOs keyed a scenario unless a panel did: the page, the PDF,
the JSON export and the terminal all name the key's real provenance."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from rich.console import Console

from ctoready.api import present, renderings
from ctoready.instruments.services import import_file
from ctoready.reports.tests.test_pdf import pdf_text
from ctoready.terminal.session import Session
from ctoready.testing import MINI, MINI_ANSWERS, finished_attempt, own

PANEL = "keyed by 8 practising CTOs; agreement 0.78"
EXPERT_CLAIM = re.compile(r"experienced\s+CTO|practising\s+CTOs?;", re.IGNORECASE)


def terminal_text(attempt, report) -> str:
    console = Console(record=True, width=200)
    Session(console, None, None)._show_summary(present.report_summary(attempt, report))  # type: ignore[arg-type]
    return console.export_text()


def every_rendering(client, attempt, tmp_path) -> dict[str, str]:
    report = renderings.report_of(attempt)
    page = client.get(reverse("reports:report", args=[attempt.public_id]))
    assert page.status_code == 200
    return {
        "page": re.sub(r"\s+", " ", page.content.decode()),
        "pdf": re.sub(r"\s+", " ", pdf_text(renderings.as_pdf(attempt, report), tmp_path)),
        "json": renderings.as_json(attempt, report),
        "terminal": re.sub(r"\s+", " ", terminal_text(attempt, report)),
    }


@pytest.fixture
def panel_version(db, write_yaml):
    text = MINI.read_text(encoding="utf-8").replace(
        "    key_provenance: {source: authors}\n",
        '    key_provenance: {source: panel, experts: 8, agreement: 0.78, date: "2026-05-14"}\n',
    )
    return import_file(path=write_yaml(text.replace("id: mini\n", "id: mini-panel\n"))).version


@pytest.fixture
def write_yaml(tmp_path):
    def write(text: str):
        path = tmp_path / "panel.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_authors_key_is_called_provisional_everywhere_and_never_experts(
    alice, alice_attempt, tmp_path
):
    for name, text in every_rendering(alice, alice_attempt, tmp_path).items():
        assert not EXPERT_CLAIM.search(text), f"{name} claims an expert key"
        assert "provisional key" in text, f"{name} does not say the key is provisional"


def test_panel_key_names_its_size_and_agreement_everywhere(panel_version, tmp_path):
    from django.test import Client

    attempt = finished_attempt(panel_version, MINI_ANSWERS)
    found = every_rendering(own(Client(), attempt), attempt, tmp_path)
    for name in ("page", "pdf", "json"):
        assert PANEL in found[name], name
        assert "our provisional key" not in found[name], name
    assert "panels of practising CTOs" in found["terminal"]


def test_json_export_lists_each_scenarios_key_provenance(panel_version, alice_attempt):
    import json

    authors = json.loads(renderings.as_json(alice_attempt, renderings.report_of(alice_attempt)))
    assert authors["scenario_keys"] == [
        {"scenario": "sjt-costs", "source": "authors", "key": "our provisional key"}
    ]
    attempt = finished_attempt(panel_version, MINI_ANSWERS)
    panel = json.loads(renderings.as_json(attempt, renderings.report_of(attempt)))
    assert panel["scenario_keys"] == [
        {
            "scenario": "sjt-costs",
            "source": "panel",
            "key": PANEL,
            "experts": 8,
            "agreement": 0.78,
            "date": "2026-05-14",
        }
    ]


def test_version_stored_before_provenance_renders_as_the_authors_key(db, tmp_path):
    """A 1.0.0 version stored before scenario keys named their provenance still renders,
    everywhere, and says truthfully that the key is the authors'."""
    from django.test import Client

    from ctoready.instruments.loader import load_file
    from ctoready.instruments.models import Instrument, InstrumentVersion
    from ctoready.instruments.services import content_hash

    content = load_file(MINI).data
    for item in content["items"]:
        item.pop("key_provenance", None)
    version = InstrumentVersion.objects.create(
        instrument=Instrument.objects.create(slug="mini", title="Mini"),
        version="1.0.0",
        locale="en",
        content=content,
        content_hash=content_hash(content),
        status=InstrumentVersion.Status.PUBLISHED,
    )
    attempt = finished_attempt(version, MINI_ANSWERS)
    for name, text in every_rendering(own(Client(), attempt), attempt, tmp_path).items():
        assert not EXPERT_CLAIM.search(text), name
        assert "provisional key" in text, name


def test_french_report_calls_the_authors_key_provisional_and_never_experts(db, visitor):
    from django.conf import settings

    from ctoready.reports.tests.test_french import SHIPPED_FR, report_page

    import_file(path=Path(settings.INSTRUMENT_CONTENT_DIR) / "cto-readiness.yaml")
    page = report_page(visitor, import_file(path=SHIPPED_FR).version)
    assert "notre clé provisoire" in page
    assert not re.search(r"CTO\s+expérimentés|CTO en exercice ;", page)
    assert "Sommaire" in page and "En bref" in page
    assert "Ce qui vous motive, d’après vous" in page
