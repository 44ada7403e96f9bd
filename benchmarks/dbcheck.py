"""Database checks for the drills, run with the site's environment.

python benchmarks/dbcheck.py counts      -> {"integrity": ..., "counts": {table: rows}}
python benchmarks/dbcheck.py acks FILE   -> acknowledged answers versus those stored
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import django

django.setup()

from django.db import connection  # noqa: E402

from ctoready.assessments.models import Answer  # noqa: E402
from ctoready.lib.management.commands.backup import row_counts  # noqa: E402


def counts() -> dict[str, object]:
    integrity = "n/a (PostgreSQL)"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            integrity = "; ".join(str(row[0]) for row in cursor.fetchall()[:5])
    return {"integrity": integrity, "counts": row_counts(connection)}


def acks(path: Path) -> dict[str, object]:
    """Each acknowledged (attempt, item, seq, value): stored with that seq and value, or a
    newer seq (a later save that landed without its acknowledgement reaching the client)."""
    acknowledged = json.loads(path.read_text())
    stored = {
        (public_id, item): (seq, value)
        for public_id, item, seq, value in Answer.objects.filter(
            attempt__public_id__in={a[0] for a in acknowledged}
        ).values_list("attempt__public_id", "item_id", "seq", "value")
    }
    missing = []
    for public_id, item, seq, value in acknowledged:
        kept_seq, kept_value = stored.get((public_id, item), (0, None))
        if not (kept_seq > seq or (kept_seq == seq and kept_value == value)):
            missing.append([public_id, item, seq, value, kept_seq, kept_value])
    return {
        "acknowledged": len(acknowledged),
        "found": len(acknowledged) - len(missing),
        "missing": missing[:10],
    }


if __name__ == "__main__":
    if sys.argv[1] == "counts":
        print(json.dumps(counts()))
    else:
        print(json.dumps(acks(Path(sys.argv[2]))))
