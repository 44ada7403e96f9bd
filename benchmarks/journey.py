"""Section 1: whole journeys, autosave alone and a bare Django hello-world, same server setup."""

from __future__ import annotations

import asyncio

import load
from servers import (
    Server,
    Site,
    cpu_seconds,
    gunicorn_workers,
    memory_kib,
    serve_ctoready,
    serve_hello,
)


def drive(server: Server, journey: load.Journey, people: int, seconds: float, warmup: float):
    """Run the load; also measure the CPU time the server used, which, unlike throughput,
    does not depend on what else the machine is doing."""
    pids = server.tree()
    before = cpu_seconds(pids)
    stats = asyncio.run(
        load.run(
            journey,
            host="127.0.0.1",
            port=server.port,
            people=people,
            seconds=seconds,
            warmup=warmup,
        )
    )
    stats.server_cpu = cpu_seconds(pids) - before
    return stats


def show(label: str, stats: load.Stats, unit: str) -> None:
    line = f"  {label}: {stats.rate:.2f} {unit}/s, errors {stats.errors}"
    line += f"; server CPU {stats.cpu_ms_per_request:.2f} ms/request"
    if stats.per_journey:
        line += (
            f" (counted in requests: {stats.equivalent_rate:.2f} journeys/s, "
            f"{stats.per_journey} requests each)"
        )
    print(line, flush=True)
    for kind, figures in stats.summary()["requests"].items():  # type: ignore[union-attr]
        print(
            f"      {kind:<10} {figures['per_second']:>7.1f}/s  p50 {figures['p50_ms']:>7.1f} ms"
            f"  p99 {figures['p99_ms']:>7.1f} ms  {figures['mean_bytes']:>7} B"
        )
    for sample in stats.error_samples:
        print(f"      error: {sample}")


def worker_memory(server: Server) -> dict[str, int]:
    """Largest resident size (and its PSS) among gunicorn's workers, in MiB."""
    sizes = [memory_kib(pid) for pid in gunicorn_workers(server)]
    if not sizes:
        return {}
    rss, pss = max(sizes)
    return {"worker_rss_mib": rss // 1024, "worker_pss_mib": pss // 1024}


def journeys(site: Site, people: int, seconds: float, warmup: float) -> dict[str, object]:
    """Full journeys, then autosave alone, on one running ctoready."""
    q = load.questionnaire()
    server = serve_ctoready(site)
    try:
        full = drive(server, load.Ctoready(q), people, seconds, warmup)
        show(f"ctoready journeys, {people} candidates ({site.name})", full, "journeys")
        saves = drive(server, load.CtoreadyAutosave(q), people, seconds, warmup)
        show(f"ctoready autosave only, {people} candidates ({site.name})", saves, "saves")
        pages = drive(server, load.CtoreadyPages(q), people, seconds, warmup)
        show(f"ctoready pages only, {people} candidates ({site.name})", pages, "requests")
        memory = worker_memory(server)
        if memory:
            print(
                f"  largest app worker after the load: RSS {memory['worker_rss_mib']} MiB, "
                f"PSS {memory['worker_pss_mib']} MiB   (target < 150 MB)"
            )
    finally:
        server.stop()
    return {
        "journey": full.summary(),
        "autosave": saves.summary(),
        "pages": pages.summary(),
        **memory,
    }


def hello_world(people: int, seconds: float, warmup: float) -> dict[str, object]:
    server = serve_hello()
    try:
        stats = drive(server, load.hello, people, seconds, warmup)
        show(f"bare Django hello-world, {people} clients", stats, "requests")
    finally:
        server.stop()
    return stats.summary()


def section(site: Site, people: int, seconds: float, warmup: float) -> dict[str, object]:
    print(f"\n== Journey load on {site.name} ==", flush=True)
    site.prepare()
    out = journeys(site, people, seconds, warmup)
    hello = hello_world(people, seconds, warmup)
    ratio = out["autosave"]["per_second"] / hello["per_second"] if hello["per_second"] else 0  # type: ignore[index]
    print(f"  autosave / hello-world throughput: {ratio:.2f}   (target >= 0.40)")
    cpu = hello["server_cpu_ms_per_request"] / out["autosave"]["server_cpu_ms_per_request"]  # type: ignore[index]
    print(
        f"  hello-world / autosave server CPU per request: {cpu:.2f} (the same ratio, "
        "measured in CPU time, which other load on the machine does not distort)"
    )
    hello_cpu = hello["server_cpu_ms_per_request"]  # type: ignore[index]
    per_request = {
        kind: out[kind]["server_cpu_ms_per_request"] / hello_cpu  # type: ignore[index]
        for kind in ("autosave", "pages")
    }
    print(
        f"  server CPU per request / hello-world's: autosave {per_request['autosave']:.1f}x "
        f"(target <= 2x), page GET and POST {per_request['pages']:.1f}x (target <= 4x)"
    )
    return {
        **out,
        "hello": hello,
        "autosave_vs_hello": round(ratio, 3),
        "cpu_ratio": round(cpu, 3),
        "cpu_multiple_of_hello": {k: round(v, 2) for k, v in per_request.items()},
    }
