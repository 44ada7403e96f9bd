"""Section 4: the other benchmark scripts (scoring, report), and memory after load."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import journey
import load
from servers import HERE, PYTHON, ROOT, SCRUBBED, Site, memory_kib, serve_ctoready

SCRIPTS = ("bench_scoring.py", "bench_report.py")
QUICK = {"--stored": ["--stored", "2000"], "--repeat": ["--repeat", "10"], "--quick": ["--quick"]}


def scripts(quick: bool) -> dict[str, object]:
    print("\n== Micro figures (benchmarks/bench_scoring.py, bench_report.py) ==", flush=True)
    out: dict[str, object] = {}
    for name in SCRIPTS:
        path = HERE / name
        if not path.exists():
            print(f"  {name}: not present")
            out[name] = "not present"
            continue
        text = path.read_text()
        args = []
        if quick:
            args = [word for flag, words in QUICK.items() if flag in text for word in words]
        # Their own environment: each script sets up its own database and settings.
        env = {k: v for k, v in os.environ.items() if k not in {*SCRUBBED, "DATABASE_URL"}}
        result = subprocess.run(
            [PYTHON, str(path), *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        print(f"  {name} {' '.join(args)} (exit {result.returncode}):")
        lines = result.stdout.splitlines()
        if result.returncode:
            lines += result.stderr.splitlines()[-12:]
        for line in lines:
            print(f"    {line}")
        out[name] = {"exit": result.returncode, "output": result.stdout[-4000:]}
    return out


def make_run_memory(site: Site, people: int, seconds: float) -> dict[str, object]:
    """``make run``'s processes (DEBUG=true ``ctoready serve``: granian, its workers and
    the task worker) after a short journey load, summed."""
    print("\n== Memory of `make run` after load ==", flush=True)
    site.prepare()
    server = serve_ctoready(site, dev=True)
    try:
        stats = journey.drive(server, load.Ctoready(load.questionnaire()), people, seconds, 2)
        rows = []
        for pid in server.tree():
            rss, pss = memory_kib(pid)
            if rss:
                rows.append((pid, rss, pss, _name(pid)))
    finally:
        server.stop()
    for pid, rss, pss, name in rows:
        print(f"    pid {pid:>7}  RSS {rss / 1024:6.1f} MiB  PSS {pss / 1024:6.1f} MiB  {name}")
    rss_total = sum(r[1] for r in rows) / 1024
    pss_total = sum(r[2] for r in rows) / 1024
    print(
        f"  make run tree ({len(rows)} processes, {stats.requests} requests served): "
        f"RSS sum {rss_total:.0f} MiB, PSS sum {pss_total:.0f} MiB   (target < 400 MB)"
    )
    return {
        "processes": len(rows),
        "rss_sum_mib": round(rss_total),
        "pss_sum_mib": round(pss_total),
    }


def _name(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    words = [w.decode() for w in raw if w]
    return " ".join(Path(words[0]).name if i == 0 else w for i, w in enumerate(words[:6]))
