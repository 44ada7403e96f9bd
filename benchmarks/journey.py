"""Section 1: whole journeys, autosave alone and a bare Django hello-world, same server setup."""

from __future__ import annotations

import asyncio
import statistics

import load
from servers import (
    Server,
    Site,
    app_workers,
    cpu_seconds,
    memory_kib,
    serve_ctoready,
    serve_hello,
)


def drive(server: Server, journey: load.Journey, people: int, seconds: float, warmup: float):
    """Run the load; also measure the CPU time the server used in the measured window (and
    over the whole run), which, unlike throughput, does not depend on what else the
    machine is doing."""
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
            cpu=lambda: cpu_seconds(pids),
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
    """Largest resident size (and its PSS) among the server's workers, in MiB."""
    sizes = [memory_kib(pid) for pid in app_workers(server)]
    if not sizes:
        return {}
    rss, pss = max(sizes)
    return {"worker_rss_mib": rss // 1024, "worker_pss_mib": pss // 1024}


ROUNDS = 4  # windows of hello-world, autosave and pages, in turn


def journeys(site: Site, people: int, seconds: float, warmup: float) -> dict[str, object]:
    """Full journeys on one running ctoready; then ``ROUNDS`` rounds, each a window of
    hello-world, of autosave alone and of page requests alone, in turn, and hello-world's
    once more at the end (see :func:`ratios`)."""
    q = load.questionnaire()
    server = serve_ctoready(site)
    hello_server = serve_hello()
    short, settle = seconds / ROUNDS, warmup / ROUNDS
    hello: list[load.Stats] = []
    saves: list[load.Stats] = []
    pages: list[load.Stats] = []
    try:
        full = drive(server, load.Ctoready(q), people, seconds, warmup)
        show(f"ctoready journeys, {people} candidates ({site.name})", full, "journeys")
        for _ in range(ROUNDS):
            hello.append(drive(hello_server, load.hello, people, short, settle))
            saves.append(drive(server, load.CtoreadyAutosave(q), people, short, settle))
            pages.append(drive(server, load.CtoreadyPages(q), people, short, settle))
        hello.append(drive(hello_server, load.hello, people, short, settle))
        show(
            f"ctoready autosave only, {people} candidates ({site.name}), last window",
            saves[-1],
            "saves",
        )
        show(
            f"ctoready pages only, {people} candidates ({site.name}), last window",
            pages[-1],
            "requests",
        )
        show(f"bare Django hello-world, {people} clients, last window", hello[-1], "requests")
        memory = worker_memory(server)
        if memory:
            print(
                f"  largest app worker after the load: RSS {memory['worker_rss_mib']} MiB, "
                f"PSS {memory['worker_pss_mib']} MiB   (target < 150 MB)"
            )
    finally:
        hello_server.stop()
        server.stop()
    errors = sum(stats.errors for stats in [*hello, *saves, *pages])
    return {
        "journey": full.summary(),
        "autosave": [stats.summary() for stats in saves],
        "pages": [stats.summary() for stats in pages],
        "hello_windows": [stats.summary() for stats in hello],
        "round_errors": errors,
        **memory,
    }


def ratios(out: dict[str, object]) -> dict[str, list[float]]:
    """Per round: autosave's and pages' server CPU per request over hello-world's, and
    autosave's throughput over hello-world's, hello-world's figure being the mean of its
    windows just before and just after the round.

    This machine's speed drifts, within minutes, by as much as the code changes it is to
    judge (the same code measured 1.30 and 1.94 ms per page request in two runs 40 minutes
    apart): windows in turn, each compared with hello-world's on either side, and the
    median of the rounds, let neither a drift nor one odd window decide."""
    hello: list[dict[str, float]] = out["hello_windows"]  # type: ignore[assignment]
    found: dict[str, list[float]] = {"autosave": [], "pages": [], "throughput": [], "hello": []}
    for number in range(ROUNDS):
        around = hello[number], hello[number + 1]
        cpu = sum(w["server_cpu_ms_per_request"] for w in around) / 2
        rate = sum(w["per_second"] for w in around) / 2
        found["hello"].append(cpu)
        for kind in ("autosave", "pages"):
            window = out[kind][number]  # type: ignore[index]
            found[kind].append(window["server_cpu_ms_per_request"] / cpu)
        found["throughput"].append(out["autosave"][number]["per_second"] / rate)  # type: ignore[index]
    return found


def section(site: Site, people: int, seconds: float, warmup: float) -> dict[str, object]:
    print(f"\n== Journey load on {site.name} ==", flush=True)
    site.prepare()
    out = journeys(site, people, seconds, warmup)
    found = ratios(out)
    for number in range(ROUNDS):
        saves = out["autosave"][number]  # type: ignore[index]
        pages = out["pages"][number]  # type: ignore[index]
        print(
            f"  round {number + 1}: hello-world {found['hello'][number]:.2f} ms/request "
            f"(around), autosave {saves['server_cpu_ms_per_request']:.2f} ms "
            f"({found['autosave'][number]:.2f}x), pages {pages['server_cpu_ms_per_request']:.2f} "
            f"ms ({found['pages'][number]:.2f}x); autosave throughput "
            f"{found['throughput'][number]:.2f} of hello-world's"
        )
    median = {kind: statistics.median(values) for kind, values in found.items()}
    print(f"  errors in the rounds: {out['round_errors']}   (target 0)")
    print(
        f"  autosave / hello-world throughput: {median['throughput']:.2f}   (target >= 0.40; "
        f"median of {ROUNDS} rounds)"
    )
    print(
        f"  server CPU per request / hello-world's: autosave {median['autosave']:.1f}x "
        f"(target <= 2x), page GET and POST {median['pages']:.1f}x (target <= 4x); medians "
        f"of {ROUNDS} rounds"
    )
    return {
        **out,
        "hello": {"server_cpu_ms_per_request": round(median["hello"], 3)},
        "autosave_vs_hello": round(median["throughput"], 3),
        "cpu_multiple_of_hello": {k: round(median[k], 2) for k in ("autosave", "pages")},
        "rounds": {k: [round(v, 3) for v in values] for k, values in found.items()},
    }
