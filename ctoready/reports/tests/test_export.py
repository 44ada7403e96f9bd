"""The JSON export: versioned schema, answers, snapshot and both versions; owner only."""

import json

from django.urls import reverse

from ctoready.reports.export import EXPORT_SCHEMA
from ctoready.scoring import ENGINE_VERSION


def export(client, attempt):
    return client.get(reverse("reports:export", args=[attempt.public_id]))


def test_export_holds_attempt_answers_snapshot_and_versions(alice, alice_attempt):
    response = export(alice, alice_attempt)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["schema"] == EXPORT_SCHEMA == "ctoready.report-export/1"
    assert data["attempt"]["id"] == alice_attempt.public_id
    assert data["attempt"]["email"] == "alice@example.com"
    assert data["attempt"]["context"] == "growth"
    assert data["instrument"] == {
        "id": "mini",
        "version": "1.0.0",
        "locale": "en",
        "content_hash": alice_attempt.version.content_hash,
    }
    assert data["engine_version"] == ENGINE_VERSION
    answers = {a["item"]: a["value"] for a in data["answers"]}
    assert answers["st-1"] == 5 and answers["re-1"] == "na"
    assert answers["sjt-costs"] == {"best": "b", "worst": "c"}
    snapshot = data["report"]["snapshot"]
    assert snapshot["no_opportunity"] == ["re-1", "re-3"]
    assert {s["scale"] for s in snapshot["result"]["scales"]} == {
        "strategy",
        "leadership",
        "resilience",
    }


def test_export_is_owner_only(bob, visitor, alice_attempt):
    assert export(bob, alice_attempt).status_code == 404
    assert export(visitor, alice_attempt).status_code == 404
