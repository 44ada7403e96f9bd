"""Item statistics and reliability over every completed attempt stored, as analytics does:
read the finished attempts and their answers with ``analytics.data.load_version_data`` (what
the operator's pages, the export and the manual read), then
``ctoready.scoring.item_statistics`` per scale and over all items, listwise and then
pairwise. ``total_s`` is the read and the first (listwise) analysis, what a fresh process
spends to show the figures.

Usage (with the site's environment): python benchmarks/itemstats.py  -> JSON on stdout
"""

from __future__ import annotations

import json
import time

import django

django.setup()

from ctoready.analytics.data import load_version_data  # noqa: E402
from ctoready.instruments.models import InstrumentVersion  # noqa: E402
from ctoready.scoring import item_statistics  # noqa: E402


def main() -> None:
    version = InstrumentVersion.objects.get(instrument__slug="bench-journey")
    start = time.perf_counter()
    data = load_version_data([version])
    loaded = time.perf_counter() - start
    matrix = data.values
    scales: dict[str, list[int]] = {}
    for j, item in enumerate(data.items):
        scales.setdefault(item.scale, []).append(j)
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
                "attempts": data.n,
                "items": len(data.items),
                "scales": len(scales),
                "load_s": round(loaded, 2),
                "compute_s": computed,
                "total_s": round(loaded + computed["listwise"], 2),
                "alpha_all": round(float(overall.alpha.alpha), 3),
            }
        )
    )


if __name__ == "__main__":
    main()
