"""The JSON export of an attempt and its report: a documented, versioned schema.

See docs/report-schema.md. Bump :data:`EXPORT_SCHEMA` on any change that is not purely
additive.
"""

import json
from typing import Any

from ctoready.assessments.models import Answer, Attempt
from ctoready.instruments.services import document_for
from ctoready.raters.services import report_section
from ctoready.reports.models import Report
from ctoready.reports.provenance import export_keys

EXPORT_SCHEMA = "ctoready.report-export/1"


def _time(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_data(*, attempt: Attempt, report: Report) -> dict[str, Any]:
    """Everything stored about one finished attempt, for its owner."""
    answers = Answer.objects.filter(attempt=attempt).order_by("item_id")
    version = report.version
    return {
        "schema": EXPORT_SCHEMA,
        "attempt": {
            "id": attempt.public_id,
            "context": attempt.context,
            "locale": attempt.locale,
            "mode": attempt.mode,
            "status": attempt.status,
            "email": attempt.email,
            "created_at": _time(attempt.created_at),
            "finished_at": _time(attempt.finished_at),
            "previous": attempt.previous.public_id if attempt.previous else None,
        },
        "instrument": {
            "id": version.instrument.slug,
            "version": version.version,
            "locale": version.locale,
            "content_hash": version.content_hash,
        },
        "engine_version": report.engine_version,
        "scenario_keys": export_keys(document_for(version)),  # who keyed each scenario
        "answers": [
            {"item": a.item_id, "value": a.value, "saved_at": _time(a.saved_at)} for a in answers
        ],
        "report": {"created_at": _time(report.created_at), "snapshot": report.data},
        "raters": report_section(attempt),  # 360 aggregates, anonymised (docs/raters.md)
    }


def to_json(data: dict[str, Any]) -> str:
    """JSON whose text never contains a raw ``<``, ``>`` or ``&``, so no content an operator
    or candidate typed can act as markup if the file is ever opened as HTML."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
