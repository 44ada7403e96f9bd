"""Item statistics and reliability over every completed attempt stored, as analytics would:
read the Likert answers of finished attempts, build the attempts x items matrix, then
``ctoready.scoring.item_statistics`` per scale and over all items.

Usage (with the site's environment): python benchmarks/itemstats.py  -> JSON on stdout
"""

from __future__ import annotations

import json
import time

import django

django.setup()

import numpy as np  # noqa: E402
from django.db import connection  # noqa: E402

from ctoready.assessments.models import Answer, Attempt  # noqa: E402
from ctoready.instruments.models import InstrumentVersion  # noqa: E402
from ctoready.instruments.services import document_for  # noqa: E402
from ctoready.scoring import item_statistics  # noqa: E402


def main() -> None:
    version = InstrumentVersion.objects.get(instrument__slug="bench-journey")
    doc = document_for(version)
    likert = [item.id for item in doc.likert_items]
    column = {item: n for n, item in enumerate(likert)}
    start = time.perf_counter()
    answers, attempts = Answer._meta.db_table, Attempt._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.attempt_id, a.item_id, a.value FROM {answers} a "  # noqa: S608
            f"JOIN {attempts} t ON t.id = a.attempt_id "
            "WHERE t.version_id = %s AND t.status = 'finished' ORDER BY a.attempt_id",
            [version.pk],
        )
        rows = cursor.fetchall()
    ids = {attempt_id for attempt_id, _, _ in rows}
    index = {attempt_id: n for n, attempt_id in enumerate(sorted(ids))}
    matrix = np.full((len(index), len(likert)), np.nan)
    for attempt_id, item_id, value in rows:
        col = column.get(item_id)
        if col is not None:
            value = json.loads(value) if isinstance(value, str) else value
            if isinstance(value, int):
                matrix[index[attempt_id], col] = value
    loaded = time.perf_counter() - start
    scales: dict[str, list[int]] = {}
    for item in doc.likert_items:
        scales.setdefault(item.scale or "", []).append(column[item.id])
    computed = {}
    for missing in ("listwise", "pairwise"):
        start = time.perf_counter()
        for columns in scales.values():
            item_statistics(matrix[:, columns], missing)
        overall = item_statistics(matrix, missing)
        computed[missing] = round(time.perf_counter() - start, 2)
    print(
        json.dumps(
            {
                "attempts": len(index),
                "items": len(likert),
                "scales": len(scales),
                "load_s": round(loaded, 2),
                "compute_s": computed,
                "alpha_all": round(float(overall.alpha.alpha), 3),
            }
        )
    )


if __name__ == "__main__":
    main()
