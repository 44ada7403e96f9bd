"""Section 3: the journey load as stored data grows, with queries per request type."""

from __future__ import annotations

import json
import statistics

import journey
import load
from servers import Site, serve_ctoready

ROUNDS = 3  # windows on each site per size, in turn


def section(
    site: Site, sizes: list[int], people: int, seconds: float, warmup: float
) -> dict[str, object]:
    """Each size's figures are taken side by side with an empty database's: both servers
    run at once and the load goes to each in turn, ``ROUNDS`` short windows each, so the
    machine's drift from minute to minute touches both alike (measured one after the
    other, the same code has moved by 20% and more between windows here)."""
    print(f"\n== Cost as data grows ({site.name}) ==", flush=True)
    site.prepare()
    empty = Site(f"{site.name}-empty", site.database_url)
    empty.prepare()
    q = load.questionnaire()
    out: dict[str, object] = {"sizes": {}}
    stored = 0
    for size in sizes:
        if size == 0:
            continue  # the empty database is measured beside every other size
        if size > stored:
            seeded = json.loads(site.python("seed.py", str(size - stored)))
            print(f"  seeded {seeded['seeded']:,} completed attempts in {seeded['seconds']} s")
            stored = size
        figures = _side_by_side({"empty": empty, "stored": site}, q, people, seconds, warmup)
        cpu = {label: statistics.median(f["cpu"]) for label, f in figures.items()}
        rate = {label: statistics.median(f["rate"]) for label, f in figures.items()}
        errors = int(sum(sum(f["errors"]) for f in figures.values()))
        cpu_change = (cpu["stored"] / cpu["empty"] - 1) * 100
        rate_change = (rate["stored"] / rate["empty"] - 1) * 100
        print(
            f"  {size:>7,} stored: server CPU {cpu['stored']:.2f} ms/request, empty "
            f"{cpu['empty']:.2f} ({cpu_change:+.0f}%); {rate['stored']:.2f} journeys/s, "
            f"empty {rate['empty']:.2f} ({rate_change:+.0f}%); medians of {ROUNDS} windows "
            f"each, in turn; errors {errors}   (target: within 10%)",
            flush=True,
        )
        out["sizes"][str(size)] = {  # type: ignore[index]
            "server_cpu_ms_per_request": round(cpu["stored"], 3),
            "empty_server_cpu_ms_per_request": round(cpu["empty"], 3),
            "journeys_per_second": round(rate["stored"], 2),
            "empty_journeys_per_second": round(rate["empty"], 2),
            "cpu_change_pct": round(cpu_change, 1),
            "change_pct": round(rate_change, 1),
            "errors": errors,
        }
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


def _side_by_side(
    sites: dict[str, Site], q: load.Questionnaire, people: int, seconds: float, warmup: float
) -> dict[str, dict[str, list[float]]]:
    """Server CPU per request and journeys per second (counted in requests) of each site,
    window by window."""
    servers = {label: serve_ctoready(one) for label, one in sites.items()}
    figures: dict[str, dict[str, list[float]]] = {
        label: {"cpu": [], "rate": [], "errors": []} for label in sites
    }
    try:
        for _ in range(ROUNDS):
            for label, server in servers.items():
                stats = journey.drive(server, load.Ctoready(q), people, seconds / 2, warmup / 2)
                figures[label]["cpu"].append(stats.cpu_ms_per_request)
                figures[label]["rate"].append(stats.equivalent_rate)
                figures[label]["errors"].append(stats.errors)
                for sample in stats.error_samples:
                    print(f"    {label}: error: {sample}", flush=True)
    finally:
        for server in servers.values():
            server.stop()
    return figures
