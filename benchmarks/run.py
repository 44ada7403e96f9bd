"""``make bench``: every benchmark and drill, printed beside its target (asserts nothing).

    .venv/bin/python benchmarks/run.py [--quick] [--sections journey,peer,...]
                                       [--no-postgres] [--people N] [--seconds S]

Sections: journey (SQLite, then PostgreSQL), peer (oTree), growth, micro, memory, crash,
backup. Load goes to 127.0.0.1 only, is bounded in time and stops by itself; every server
started is stopped. Figures also go to var/bench/results.json. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import drills
import growth
import journey
import micro
import peer
import servers
from servers import BENCH_VAR, ROOT, Site

ALL = ("journey", "peer", "growth", "micro", "memory", "crash", "backup")
ON_POSTGRES = ("journey", "crash", "backup")


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    memory = next(
        int(line.split()[1]) // 1024**2
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return f"{os.cpu_count()} cores ({cpu}), {memory} GiB, Python {platform.python_version()}"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short runs, smaller data")
    parser.add_argument("--sections", default=",".join(ALL), help="comma-separated subset")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--people", type=int, help="concurrent candidates (default 64)")
    parser.add_argument("--seconds", type=float, help="measured window of each load run")
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--results", default=str(BENCH_VAR / "results.json"))
    return parser.parse_args()


def run_sections(args: argparse.Namespace, sections: list[str]) -> dict[str, object]:
    people = args.people or (16 if args.quick else 64)
    seconds = args.seconds or (8.0 if args.quick else 25.0)
    warmup = 2.0 if args.quick else 5.0
    sizes = [0, 1_000, 10_000] if args.quick else [0, 10_000, 100_000]
    if args.database == "postgres":
        site = Site("postgres", os.environ["DATABASE_URL"])
    else:
        site = Site("sqlite")
    out: dict[str, object] = {}
    steps = {
        "journey": lambda: journey.section(site, people, seconds, warmup),
        "peer": lambda: peer.section(site, people, seconds, warmup),
        "growth": lambda: growth.section(Site("growth"), sizes, people, seconds * 0.8, warmup),
        "micro": lambda: micro.scripts(args.quick),
        "memory": lambda: micro.make_run_memory(Site("make-run"), 8, 5 if args.quick else 15),
        "crash": lambda: drills.crash(site, min(people, 16), 4 if args.quick else 10),
        "backup": lambda: drills.backup(site, min(people, 16), 6 if args.quick else 15),
    }
    for name in sections:
        start = time.monotonic()
        try:
            out[name] = steps[name]()
        except Exception as exc:
            print(f"  SECTION {name} FAILED: {exc!r}", flush=True)
            out[name] = {"failed": repr(exc)}
        print(
            f"  ({name}: {time.monotonic() - start:.0f} s, load average {os.getloadavg()[0]:.1f})",
            flush=True,
        )
    return out


def postgres(args: argparse.Namespace, sections: list[str]) -> dict[str, object]:
    """The same sections again on a throwaway PostgreSQL cluster (scripts/with-postgres)."""
    wanted = [s for s in sections if s in ON_POSTGRES]
    if not wanted or args.no_postgres:
        return {}
    results = BENCH_VAR / "results-postgres.json"
    results.unlink(missing_ok=True)
    command = [str(ROOT / "scripts" / "with-postgres"), sys.executable, __file__]
    command += ["--database", "postgres", "--sections", ",".join(wanted)]
    command += ["--results", str(results)] + (["--quick"] if args.quick else [])
    if args.people:
        command += ["--people", str(args.people)]
    if args.seconds:
        command += ["--seconds", str(args.seconds)]
    print("\n######## PostgreSQL (scripts/with-postgres) ########", flush=True)
    result = subprocess.run(command, cwd=ROOT, check=False)
    if result.returncode != 0 or not results.exists():
        print(f"  PostgreSQL run failed (exit {result.returncode})")
        return {"failed": f"exit {result.returncode}"}
    return json.loads(results.read_text())


def main() -> None:
    args = arguments()
    sections = [s for s in args.sections.split(",") if s]
    unknown = set(sections) - set(ALL)
    if unknown:
        sys.exit(f"unknown sections: {', '.join(sorted(unknown))} (choose from {', '.join(ALL)})")
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    if args.database == "sqlite":
        print(f"ctoready benchmarks, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
        print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f} before starting")
        print(
            f"server: ctoready serve (granian, WSGI), {servers.WORKERS} workers x "
            f"{servers.THREADS} threads; client: asyncio "
            "HTTP/1.1 keep-alive, one connection per candidate, no think time"
        )
    out = run_sections(args, sections)
    if args.database == "sqlite":
        out = {"sqlite": out, "postgres": postgres(args, sections), "machine": machine()}
        out["date"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    Path(args.results).write_text(json.dumps(out, indent=1, default=str))
    if args.database == "sqlite":
        print(f"\nfigures written to {args.results}")


if __name__ == "__main__":
    main()
