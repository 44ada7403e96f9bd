"""Every scenario key says who keyed it: the authors (provisional) or a named expert panel."""

from pathlib import Path

import pytest

from ctoready.instruments import services
from ctoready.instruments.document import KeyProvenance
from ctoready.instruments.loader import check_translation, load_file
from ctoready.instruments.models import Instrument, InstrumentVersion
from ctoready.instruments.tests.conftest import MINI

CONTENT = Path(__file__).resolve().parents[1] / "content"
SHIPPED = [CONTENT / "cto-readiness.yaml", CONTENT / "cto-readiness.fr.yaml"]
BENCH = Path(__file__).resolve().parents[3] / "benchmarks" / "bench-instrument.yaml"
AUTHORS_LINE = "    key_provenance: {source: authors}\n"


def panel(experts="8", agreement="0.78", date='"2026-05-14"') -> str:
    return (
        f"    key_provenance: {{source: panel, experts: {experts}, agreement: {agreement}, "
        f"date: {date}}}\n"
    )


def problems(write_yaml, text: str) -> list[str]:
    return [str(problem) for problem in load_file(write_yaml(text)).problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, row in enumerate(text.splitlines(), 1) if needle in row)


@pytest.mark.parametrize("path", [*SHIPPED, MINI, BENCH], ids=lambda p: p.name)
def test_every_scenario_of_the_shipped_and_test_instruments_names_its_key(path):
    loaded = load_file(path)
    assert loaded.ok, loaded.problems
    scenarios = loaded.instrument.items_of("scenario")
    assert scenarios
    assert {item.key_provenance for item in scenarios} == {KeyProvenance("authors")}


def test_authors_key_loads_as_provisional():
    item = load_file(MINI).instrument.item_by_id["sjt-costs"]
    assert item.key_provenance == KeyProvenance("authors")
    assert not item.key_provenance.is_panel


def test_panel_key_loads_with_its_size_agreement_and_date(write_yaml, mini_text):
    loaded = load_file(write_yaml(mini_text.replace(AUTHORS_LINE, panel())))
    assert loaded.ok, loaded.problems
    provenance = loaded.instrument.item_by_id["sjt-costs"].key_provenance
    assert provenance == KeyProvenance("panel", 8, 0.78, "2026-05-14")
    assert provenance.is_panel


def test_missing_provenance_is_an_error_with_line_and_field(write_yaml, mini_text):
    text = mini_text.replace(AUTHORS_LINE, "")
    line = line_of(text, "id: sjt-costs")
    assert f"instrument.yaml:{line}: items[10].key_provenance: missing" in problems(
        write_yaml, text
    )


def test_a_panel_needs_at_least_six_experts(write_yaml, mini_text):
    text = mini_text.replace(AUTHORS_LINE, panel(experts="5"))
    line = line_of(text, "source: panel")
    assert (
        f"instrument.yaml:{line}: items[10].key_provenance.experts: "
        "a panel key needs at least 6 experts"
    ) in problems(write_yaml, text)


@pytest.mark.parametrize("agreement", ["1.2", "-0.1"])
def test_panel_agreement_lies_between_zero_and_one(write_yaml, mini_text, agreement):
    text = mini_text.replace(AUTHORS_LINE, panel(agreement=agreement))
    found = problems(write_yaml, text)
    assert any("key_provenance.agreement: must be between 0 and 1" in m for m in found), found


@pytest.mark.parametrize("date", ['"2026-02-30"', '"14/05/2026"', '"2026-5-1"'])
def test_panel_date_is_a_real_iso_date(write_yaml, mini_text, date):
    found = problems(write_yaml, mini_text.replace(AUTHORS_LINE, panel(date=date)))
    assert any("key_provenance.date: must be a date written YYYY-MM-DD" in m for m in found), found


def test_unquoted_date_is_refused_rather_than_converted(write_yaml, mini_text):
    found = problems(write_yaml, mini_text.replace(AUTHORS_LINE, panel(date="2026-05-14")))
    assert any("quote the value" in m for m in found), found


def test_panel_without_its_evidence_is_refused(write_yaml, mini_text):
    text = mini_text.replace(AUTHORS_LINE, "    key_provenance: {source: panel}\n")
    found = problems(write_yaml, text)
    for field in ("experts", "agreement", "date"):
        assert any(f"items[10].key_provenance.{field}: missing" in m for m in found), found


def test_unknown_source_and_stray_panel_fields_are_refused(write_yaml, mini_text):
    unknown = problems(
        write_yaml, mini_text.replace(AUTHORS_LINE, "    key_provenance: {source: ai}\n")
    )
    assert any("key_provenance.source: must be one of authors, panel" in m for m in unknown)
    stray = problems(
        write_yaml,
        mini_text.replace(AUTHORS_LINE, "    key_provenance: {source: authors, experts: 8}\n"),
    )
    assert any("key_provenance.experts: unknown key" in m for m in stray), stray


def test_provenance_is_only_for_scenarios(write_yaml, mini_text):
    text = mini_text.replace(
        "  - id: pref-role\n", "  - id: pref-role\n    key_provenance: {source: authors}\n"
    )
    assert any("items[11].key_provenance: unknown key" in m for m in problems(write_yaml, text))


def test_a_translation_keeps_the_provenance_of_the_original(write_yaml, mini_text):
    base = load_file(MINI).data
    other = load_file(write_yaml(mini_text.replace(AUTHORS_LINE, panel()))).data
    found = [str(p) for p in check_translation(base, other, "fr.yaml")]
    assert any("key_provenance" in m for m in found), found


@pytest.mark.django_db
def test_stored_version_from_before_provenance_reads_as_keyed_by_the_authors():
    content = load_file(MINI).data
    for item in content["items"]:
        item.pop("key_provenance", None)
    instrument = Instrument.objects.create(slug="mini", title="Mini")
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        version="1.0.0",
        locale="en",
        content=content,
        content_hash=services.content_hash(content),
        status=InstrumentVersion.Status.PUBLISHED,
    )
    doc = services.document_for(version)
    assert doc.item_by_id["sjt-costs"].key_provenance == KeyProvenance("authors")
    version.refresh_from_db()
    assert "key_provenance" not in str(version.content), "the stored content is not rewritten"


@pytest.mark.django_db
def test_imported_panel_provenance_survives_storage(write_yaml, mini_text):
    path = write_yaml(mini_text.replace(AUTHORS_LINE, panel()))
    version = services.import_file(path=path).version
    version = InstrumentVersion.objects.get(pk=version.pk)
    provenance = services.document_for(version).item_by_id["sjt-costs"].key_provenance
    assert provenance == KeyProvenance("panel", 8, 0.78, "2026-05-14")
    assert "key_provenance" in services.export_yaml(version)
