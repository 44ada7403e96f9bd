"""Section 3: the journey load as stored data grows, with queries per request type."""

from __future__ import annotations

import json

import journey
import load
from servers import Site, serve_ctoready


def section(
    site: Site, sizes: list[int], people: int, seconds: float, warmup: float
) -> dict[str, object]:
    print(f"\n== Cost as data grows ({site.name}) ==", flush=True)
    site.prepare()
    q = load.questionnaire()
    out: dict[str, object] = {"sizes": {}}
    stored = 0
    base_rate = 0.0
    for size in sizes:
        if size > stored:
            seeded = json.loads(site.python("seed.py", str(size - stored)))
            print(f"  seeded {seeded['seeded']:,} completed attempts in {seeded['seconds']} s")
            stored = size
        server = serve_ctoready(site)
        try:
            stats = journey.drive(server, load.Ctoready(q), people, seconds, warmup)
        finally:
            server.stop()
        rate = stats.equivalent_rate
        base_rate = base_rate or rate
        change = (rate / base_rate - 1) * 100 if base_rate else 0.0
        print(
            f"  {size:>7,} stored: {rate:.2f} journeys/s ({change:+.0f}% vs empty; "
            f"server CPU {stats.cpu_ms_per_request:.2f} ms/request), "
            f"autosave p50 {stats.percentile_ms('autosave', 0.5):.1f} ms "
            f"p99 {stats.percentile_ms('autosave', 0.99):.1f} ms, errors {stats.errors}"
            "   (target: within 10%)",
            flush=True,
        )
        out["sizes"][str(size)] = {**stats.summary(), "change_pct": round(change, 1)}  # type: ignore[index]
    kinds = json.loads(site.python("queries.py"))
    print(f"  queries per request type with {stored:,} stored (in-process test client):")
    for kind, figures in kinds.items():
        print(
            f"    {kind:<38} {figures['queries']:>3} queries, {figures['ms']:>8.1f} ms, "
            f"slowest {figures['slowest_ms']:.2f} ms: {figures['slowest_sql'][:70]}"
        )
        for scan in figures["scans"]:
            print(f"      FULL SCAN {scan[:150]}")
    out["queries"] = kinds
    items = json.loads(site.python("itemstats.py"))
    print(
        f"  item statistics over {items['attempts']:,} stored attempts x {items['items']} items "
        f"({items['scales']} scales + all): read as analytics reads {items['load_s']} s, "
        f"compute {items['compute_s']['listwise']} s listwise (first), "
        f"{items['compute_s']['pairwise']} s pairwise; read and first compute "
        f"{items['total_s']} s   (target < 3 s)"
    )
    out["item_statistics"] = items
    return out
