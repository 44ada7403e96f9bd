"""Two or more versions of ctoready side by side: server CPU per request, in turns.

This machine's speed changes from minute to minute, so two versions measured one after the
other differ by more than most changes do. Here every version's server (and hello-world's)
runs at once, and short load windows go to each in turn, round after round; the figure is
each one's median server CPU per request, and its ratio to hello-world's.

    git worktree add /tmp/before HEAD~2
    .venv/bin/python benchmarks/sidebyside.py --tree /tmp/before --kind pages

This checkout is always measured; ``--tree`` adds another (repeat it for more). Each runs
its own code on its own SQLite database under var/bench/, or, with ``DATABASE_URL`` set to
a PostgreSQL server, on its own database there:

    scripts/with-postgres .venv/bin/python benchmarks/sidebyside.py --tree /tmp/before
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

import load
from journey import drive
from servers import ROOT, Server, Site, pg_url, serve_ctoready, serve_hello

KINDS = {
    "autosave": load.CtoreadyAutosave,
    "pages": load.CtoreadyPages,
    "journey": load.Ctoready,
}


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tree",
        action="append",
        default=[],
        type=Path,
        help="another checkout of ctoready to measure (repeatable)",
    )
    parser.add_argument("--kind", choices=sorted(KINDS), default="autosave")
    parser.add_argument("--people", type=int, default=16, help="concurrent candidates")
    parser.add_argument("--seconds", type=float, default=4, help="each load window")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    seen = {ROOT.resolve()}
    for tree in args.tree:
        if not (tree / "ctoready" / "settings.py").is_file():
            parser.error(f"--tree {tree}: not a checkout of ctoready (no ctoready/settings.py)")
        if tree.resolve() == ROOT.resolve():
            parser.error(f"--tree {tree}: this checkout, which is always measured")
        if tree.resolve() in seen:
            parser.error(f"--tree {tree}: given twice")
        seen.add(tree.resolve())
    database = os.environ.get("DATABASE_URL", "")
    if database and not database.startswith("postgres"):
        parser.error(
            "DATABASE_URL names no PostgreSQL server: unset it to run each version on its "
            "own SQLite database, or run under scripts/with-postgres"
        )
    if args.people < 1 or args.seconds <= 0 or args.rounds < 1:
        parser.error("--people, --seconds and --rounds must be positive")
    return args


def main() -> int:
    args = arguments()
    trees = [ROOT, *(tree.resolve() for tree in args.tree)]
    questionnaire = load.questionnaire()
    servers: dict[str, tuple[Server, load.Journey]] = {}
    failed = False
    try:
        servers["hello-world"] = (serve_hello(), load.hello)
        postgres = os.environ.get("DATABASE_URL", "")
        for number, tree in enumerate(trees):
            database = pg_url(postgres, f"side_{number}") if postgres else None
            site = Site(f"side-{number}", database, root=tree)
            site.prepare()
            servers[str(tree)] = (serve_ctoready(site), KINDS[args.kind](questionnaire))
        cpu: dict[str, list[float]] = {label: [] for label in servers}
        for _ in range(args.rounds):
            for label, (server, journey) in servers.items():
                stats = drive(server, journey, args.people, args.seconds, 1)
                cpu[label].append(stats.cpu_ms_per_request)
                for sample in stats.error_samples:
                    failed = True
                    print(f"  {label}: error: {sample}", flush=True)
    finally:
        for server, _ in servers.values():
            server.stop()
    hello = statistics.median(cpu["hello-world"])
    print(
        f"{args.kind}, {args.people} candidates, {args.rounds} rounds of {args.seconds:g} s: "
        "median server CPU per request"
    )
    for label, values in cpu.items():
        median = statistics.median(values)
        rounds = " ".join(f"{value:.2f}" for value in values)
        ratio = median / hello
        print(f"  {median:6.3f} ms  {ratio:4.2f} x hello-world  {label}  (rounds: {rounds})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
