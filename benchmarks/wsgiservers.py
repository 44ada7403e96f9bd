"""WSGI servers and their settings side by side: which one serves ctoready best on this machine.

Every server below runs the same application (``ctoready.wsgi``, production settings, each
on its own SQLite database under var/bench/, or its own PostgreSQL database when
``DATABASE_URL`` names a server), all at once; short load windows go to each in turn,
round after round, so the machine's swings touch them alike. Printed per server: the
median server CPU per request, journeys (or requests) per second and the worst p99
latency of the window. A bare Django hello-world runs under granian's and gunicorn's
settings too (``hello-…``).

    .venv/bin/python benchmarks/wsgiservers.py --kind journey
    .venv/bin/python benchmarks/wsgiservers.py --kind pages --server granian-2x1
    scripts/with-postgres .venv/bin/python benchmarks/wsgiservers.py

granian is what ``ctoready serve`` runs. gunicorn, which it ran until 2026-12-04, is
installed for this comparison only, into var/bench/gunicorn-lib (``pip --target``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys

import load
from journey import drive
from servers import BENCH_VAR, HERE, PYTHON, SCRUBBED, Server, Site, pg_url, start, wait_for_http

GUNICORN = "gunicorn==27.0.1"
GUNICORN_LIB = BENCH_VAR / "gunicorn-lib"


def granian(app: str, workers: int, threads: int) -> list[str]:
    command = [PYTHON, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1"]
    command += ["--port", "{port}", "--workers", str(workers), "--blocking-threads", str(threads)]
    return [*command, "--http", "1", "--no-ws", "--access-log", app]


def gunicorn(app: str, workers: int, threads: int, kind: str = "gthread") -> list[str]:
    command = [PYTHON, "-m", "gunicorn", app, "--bind", "127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--worker-class", kind, "--access-logfile", "-"]
    return command + (["--threads", str(threads)] if kind == "gthread" else [])


APP = "ctoready.wsgi:application"
HELLO = "hello_wsgi:application"
SERVERS = {
    "granian-2x1": granian(APP, 2, 1),
    "granian-2x2": granian(APP, 2, 2),
    "granian-2x4": granian(APP, 2, 4),
    "gthread-2x4": gunicorn(APP, 2, 4),
    "gthread-2x2": gunicorn(APP, 2, 2),
    "sync-2": gunicorn(APP, 2, 1, "sync"),
    "hello-granian-2x1": granian(HELLO, 2, 1),
    "hello-granian-2x2": granian(HELLO, 2, 2),
    "hello-gthread-2x4": gunicorn(HELLO, 2, 4),
}
KINDS = {"journey": load.Ctoready, "autosave": load.CtoreadyAutosave, "pages": load.CtoreadyPages}


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", choices=sorted(KINDS), default="journey")
    parser.add_argument(
        "--server",
        action="append",
        choices=list(SERVERS),
        help="a server to measure (repeat for more; default: all)",
    )
    parser.add_argument("--people", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    database = os.environ.get("DATABASE_URL", "")
    if database and not database.startswith("postgres"):
        parser.error("DATABASE_URL names no PostgreSQL server; unset it to use SQLite")
    return args


def install_gunicorn() -> None:
    if not (GUNICORN_LIB / "gunicorn").is_dir():
        print(f"installing {GUNICORN} into {GUNICORN_LIB} ...", flush=True)
        subprocess.run(
            [PYTHON, "-m", "pip", "install", "-q", "--target", str(GUNICORN_LIB), GUNICORN],
            check=True,
        )


def serve(name: str, kind: str) -> tuple[Server, load.Journey, bool]:
    """The server ``name``, with the journey it takes and whether it is hello-world."""
    command = SERVERS[name]
    hello = name.startswith("hello-")
    path = [str(GUNICORN_LIB)] if "gunicorn" in command else []
    if hello:
        env = {k: v for k, v in os.environ.items() if k not in SCRUBBED | {"DATABASE_URL"}}
        env["PYTHONPATH"] = os.pathsep.join([str(HERE), *path])
        server = start(command, env, name)
        wait_for_http(server, "/hello/")
        return server, load.hello, True
    postgres = os.environ.get("DATABASE_URL", "")
    database = pg_url(postgres, "server_" + name.replace("-", "_")) if postgres else None
    site = Site(f"server-{name}", database)
    site.prepare()
    env = site.env()
    env["PYTHONPATH"] = os.pathsep.join([env["PYTHONPATH"], *path])
    server = start(command, env, name, cwd=site.root)
    wait_for_http(server, "/")
    return server, KINDS[kind](load.questionnaire()), False


def main() -> int:
    args = arguments()
    names = args.server or list(SERVERS)
    if any("gunicorn" in SERVERS[name] for name in names):
        install_gunicorn()
    running: dict[str, tuple[Server, load.Journey, bool]] = {}
    figures: dict[str, dict[str, list[float]]] = {}
    failed = False
    try:
        for name in names:
            running[name] = serve(name, args.kind)
            figures[name] = {"cpu": [], "rate": [], "p99": []}
        for _ in range(args.rounds):
            for name, (server, journey, hello) in running.items():
                stats = drive(server, journey, args.people, args.seconds, 1)
                per_second = (
                    stats.rate if hello or args.kind != "journey" else stats.equivalent_rate
                )
                figures[name]["cpu"].append(stats.cpu_ms_per_request)
                figures[name]["rate"].append(per_second)
                requests = stats.summary()["requests"].values()  # type: ignore[union-attr]
                figures[name]["p99"].append(max(kind["p99_ms"] for kind in requests))
                for sample in stats.error_samples:
                    failed = True
                    print(f"  {name}: error: {sample}", flush=True)
    finally:
        for server, _, _ in running.values():
            server.stop()
    print(
        f"{args.kind}, {args.people} candidates, {args.rounds} rounds of {args.seconds:g} s "
        f"({'PostgreSQL' if os.environ.get('DATABASE_URL') else 'SQLite'}); medians"
    )
    for name, found in figures.items():
        unit = "journeys/s" if args.kind == "journey" and not name.startswith("hello-") else "req/s"
        cpu = statistics.median(found["cpu"])
        rounds = " ".join(f"{value:.2f}" for value in found["cpu"])
        print(
            f"  {name:<18} {cpu:6.3f} ms CPU/request  {statistics.median(found['rate']):8.2f} "
            f"{unit}  worst p99 {statistics.median(found['p99']):5.0f} ms  (CPU rounds: {rounds})"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
