"""The wide export: one column per item, a metadata companion, formula-safe, audited."""

import csv
import io

import pytest

from ctoready.analytics.tests.conftest import demo, export_responses
from ctoready.assessments.services import save_answers, start_attempt
from ctoready.lib.models import AuditEvent
from ctoready.reports.services import finish_attempt
from ctoready.testing import MINI_ANSWERS, finished_attempt

pytestmark = pytest.mark.django_db


def export(operator, tmp_path, *extra: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    out, items = tmp_path / "responses.csv", tmp_path / "items.csv"
    export_responses(operator, out, "--items", str(items), *extra)
    read = lambda path: list(csv.DictReader(io.StringIO(path.read_text())))  # noqa: E731
    return read(out), read(items)


def test_export_has_one_column_per_item_and_a_metadata_row_for_each(version, operator, tmp_path):
    finished_attempt(version, MINI_ANSWERS)
    rows, items = export(operator, tmp_path)
    (row,) = rows
    assert row["st-1"] == "5" and row["re-1"] == "" and row["sjt-costs.best"] == "b"
    assert row["synthetic"] == "false"
    meta = {m["column"]: m for m in items}
    assert set(meta) == set(rows[0]) - {"row", "context", "locale", "synthetic"}
    assert meta["st-3"]["reverse"] == "true" and meta["st-3"]["scale"] == "strategy"
    assert (meta["st-1"]["min"], meta["st-1"]["max"]) == ("1", "5")
    assert meta["sjt-costs.worst"]["options"] == "a b c d"


def test_synthetic_attempts_are_exported_only_on_request_and_audited(version, operator, tmp_path):
    demo(4)
    finished_attempt(version, MINI_ANSWERS)
    rows, _ = export(operator, tmp_path)
    assert len(rows) == 1
    rows, _ = export(operator, tmp_path, "--include-synthetic")
    assert [r["synthetic"] for r in rows].count("true") == 4
    event = AuditEvent.objects.filter(action="export_responses").latest("pk")
    assert event.detail == {"rows": 5, "synthetic": 4}


def test_text_cells_cannot_become_formulas(version, operator, tmp_path):
    attempt, _ = start_attempt(version=version, context="growth", locale="en")
    save_answers(attempt=attempt, values={"st-1": 4}, seq=1)
    finish_attempt(attempt=attempt)
    type(attempt).objects.filter(pk=attempt.pk).update(context="=HYPERLINK(1)")
    rows, _ = export(operator, tmp_path)
    assert rows[0]["context"] == "'=HYPERLINK(1)"
