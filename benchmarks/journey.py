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
    """Full journeys, then autosave alone, then page requests alone, on one running ctoready;
    hello-world's windows before, between and after the last two (see :func:`bracketed`)."""
    q = load.questionnaire()
    server = serve_ctoready(site)
    hello_server = serve_hello()
    brackets: list[load.Stats] = []

    def hello() -> None:
        stats = drive(hello_server, load.hello, people, seconds / 2, warmup / 2)
        show(f"bare Django hello-world, {people} clients", stats, "requests")
        brackets.append(stats)

    try:
        full = drive(server, load.Ctoready(q), people, seconds, warmup)
        show(f"ctoready journeys, {people} candidates ({site.name})", full, "journeys")
        hello()
        saves = drive(server, load.CtoreadyAutosave(q), people, seconds, warmup)
        show(f"ctoready autosave only, {people} candidates ({site.name})", saves, "saves")
        hello()
        pages = drive(server, load.CtoreadyPages(q), people, seconds, warmup)
        show(f"ctoready pages only, {people} candidates ({site.name})", pages, "requests")
        hello()
        memory = worker_memory(server)
        if memory:
            print(
                f"  largest app worker after the load: RSS {memory['worker_rss_mib']} MiB, "
                f"PSS {memory['worker_pss_mib']} MiB   (target < 150 MB)"
            )
    finally:
        hello_server.stop()
        server.stop()
    return {
        "journey": full.summary(),
        "autosave": saves.summary(),
        "pages": pages.summary(),
        "hello_windows": [stats.summary() for stats in brackets],
        **memory,
    }


def bracketed(windows: list[dict[str, object]], before: int) -> float:
    """Hello-world's server CPU per request around a ctoready window: the mean of the
    windows just before and just after it.

    This machine's speed drifts by a third within an hour, so a baseline measured once,
    minutes away, moves a ratio as much as the code does; two windows on either side of
    the measured one, with the same load, cancel a steady drift."""
    pair = windows[before], windows[before + 1]
    return sum(w["server_cpu_ms_per_request"] for w in pair) / 2  # type: ignore[misc]


def section(site: Site, people: int, seconds: float, warmup: float) -> dict[str, object]:
    print(f"\n== Journey load on {site.name} ==", flush=True)
    site.prepare()
    out = journeys(site, people, seconds, warmup)
    windows: list[dict[str, object]] = out["hello_windows"]  # type: ignore[assignment]
    hello_cpu = {"autosave": bracketed(windows, 0), "pages": bracketed(windows, 1)}
    hello_rate = sum(w["per_second"] for w in windows[:2]) / 2  # type: ignore[misc]
    ratio = out["autosave"]["per_second"] / hello_rate if hello_rate else 0  # type: ignore[index]
    print(f"  autosave / hello-world throughput: {ratio:.2f}   (target >= 0.40)")
    cpu = hello_cpu["autosave"] / out["autosave"]["server_cpu_ms_per_request"]  # type: ignore[index]
    print(
        f"  hello-world / autosave server CPU per request: {cpu:.2f} (the same ratio, "
        "measured in CPU time, which other load on the machine does not distort)"
    )
    per_request = {
        kind: out[kind]["server_cpu_ms_per_request"] / hello_cpu[kind]  # type: ignore[index]
        for kind in ("autosave", "pages")
    }
    print(
        "  hello-world's server CPU per request in the windows around each: "
        + ", ".join(f"{w['server_cpu_ms_per_request']:.2f}" for w in windows)
        + " ms"
    )
    print(
        f"  server CPU per request / hello-world's: autosave {per_request['autosave']:.1f}x "
        f"(target <= 2x), page GET and POST {per_request['pages']:.1f}x (target <= 4x)"
    )
    return {
        **out,
        # The windows just before and after autosave's, as one figure (the bench's earlier
        # runs measured hello-world once, after the rest).
        "hello": {
            "per_second": round(hello_rate, 2),
            "server_cpu_ms_per_request": round(hello_cpu["autosave"], 3),
        },
        "hello_cpu_around": {k: round(v, 3) for k, v in hello_cpu.items()},
        "autosave_vs_hello": round(ratio, 3),
        "cpu_ratio": round(cpu, 3),
        "cpu_multiple_of_hello": {k: round(v, 2) for k, v in per_request.items()},
    }
