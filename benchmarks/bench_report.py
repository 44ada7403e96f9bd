"""Report benchmark: server time of the report page, its PDF and its JSON export, beside the
design targets (report page < 50 ms, a PDF's first render < 300 ms of CPU). Prints figures;
asserts nothing.

Runs in-process through Django's test client (all middleware, a real SQLite database in a
temporary folder), with the shipped instrument and a typical finished attempt that has a
previous attempt to compare with. ``--stored N`` first stores N finished attempts, so the
reference group (percentiles) is built from that many snapshots.

Run: .venv/bin/python benchmarks/bench_report.py [--stored 100000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from stopwatch import timed

ROOT = Path(__file__).resolve().parent.parent


def setup_django(var_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["VAR_DIR"] = var_dir
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijkl")
    os.environ.setdefault("HTTPS", "false")
    os.environ.setdefault("STATIC_MANIFEST", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctoready.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def store_finished(version, n: int) -> float:  # type: ignore[no-untyped-def]
    """Bulk-store n finished attempts with plausible headline scores; returns seconds."""
    import random

    from django.db import transaction

    from ctoready.instruments.services import document_for
    from ctoready.testing import store_scored

    doc = document_for(version)
    rng = random.Random(1)
    start = time.perf_counter()
    batch = 5000
    for offset in range(0, n, batch):
        rows = [
            (
                rng.choice(doc.contexts).id,
                {
                    **{f"scale:{s.id}": rng.gauss(60, 15) for s in doc.scales},
                    **{f"readiness:{c.id}": rng.gauss(58, 12) for c in doc.contexts},
                    "judgement": rng.gauss(65, 12),
                },
            )
            for _ in range(min(batch, n - offset))
        ]
        with transaction.atomic():
            store_scored(version, rows)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        run(args.stored, args.repeat)


def run(stored: int, repeat: int) -> None:
    from django.test import Client
    from django.urls import reverse

    from ctoready.instruments.services import document_for, import_file
    from ctoready.reports import norms
    from ctoready.reports.tests.conftest import SHIPPED, answers_for
    from ctoready.testing import finished_attempt, own

    version = import_file(path=SHIPPED).version
    doc = document_for(version)
    seconds = store_finished(version, stored) if stored else 0.0
    before = finished_attempt(version, answers_for(doc, seed=2), context="seed")
    answers = answers_for(doc, seed=3)
    for item in doc.likert_items[:3]:
        answers[item.id] = "na"
    attempt = finished_attempt(version, answers, context="seed", previous=before)
    client = own(Client(HTTP_HOST="127.0.0.1"), before, attempt)
    page = reverse("reports:report", args=[attempt.public_id])
    pdf = reverse("reports:pdf", args=[attempt.public_id])
    export = reverse("reports:export", args=[attempt.public_id])

    def get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")

    norms.forget_reference_groups()
    start = time.perf_counter()
    group = norms.reference_group(version)
    reference_ms = (time.perf_counter() - start) * 1000

    rows = [
        ("report page (HTML)", timed(lambda: get(page), repeat), 50.0),
        ("PDF, repeat download (cached)", timed(lambda: get(pdf), repeat), 300.0),
        ("JSON export", timed(lambda: get(export), repeat), None),
    ]
    print(f"ctoready report benchmark · Python {platform.python_version()} · {platform.machine()}")
    print(f"stored finished attempts: {stored:,} (stored in {seconds:.1f} s)")
    print(
        f"reference group: n={group.n:,}, built in {reference_ms:.0f} ms "
        "(once per instrument version and day, then cached)"
    )
    print(f"{'measure':34} {'median':>9} {'p95':>9} {'target':>9}")
    for name, (median, p95), target in rows:
        goal = f"< {target:.0f} ms" if target else "–"
        print(f"{name:34} {median:7.1f}ms {p95:7.1f}ms {goal:>9}")
    print_first_renders(lambda paper: get(f"{pdf}?paper={paper}"), max(5, repeat // 3))
    print_render_memory(attempt)


def print_first_renders(download: Callable[[str], None], repeat: int) -> None:
    """CPU and wall time of a PDF's first render, per paper size: the download of a report
    whose PDF is not cached yet, all of it in this process (the task worker renders none)."""
    from django.core.cache import cache

    from ctoready.reports import pdf

    header = f"{'CPU median':>11} {'CPU p95':>9} {'wall median':>12} {'target':>12}"
    print(f"{'PDF, first render':18} {header}")
    for paper in pdf.PAPERS:
        cpu, wall = [], []
        for n in range(repeat + 1):  # the first one warms up
            cache.clear()  # drops the PDF bytes; the reference group stays in memory
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            download(paper)
            if n:
                cpu.append((time.process_time() - start_cpu) * 1000)
                wall.append((time.perf_counter() - start_wall) * 1000)
        cpu.sort()
        print(
            f"{paper:18} {statistics.median(cpu):9.1f}ms {cpu[int(0.95 * (len(cpu) - 1))]:7.1f}ms "
            f"{statistics.median(wall):10.1f}ms {'< 300 ms CPU':>12}"
        )


def resident_mib() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def print_render_memory(attempt, renders: int = 20) -> None:  # type: ignore[no-untyped-def]
    """Resident memory of this process as it renders distinct reports: Typst caches what
    it computed, so the figure that matters is the memory after many different ones."""
    from ctoready.reports import pdf, typeset
    from ctoready.reports.reportview import build_report_view
    from ctoready.reports.services import latest_report

    html = pdf.render_html(build_report_view(attempt=attempt, report=latest_report(attempt)))
    marker = "</h1>"
    before = resident_mib()
    for n in range(renders):  # each one different, as different reports are
        typeset.typeset(html.replace(marker, f" {n}{marker}", 1))
    print(
        f"PDF renderer memory: {before:.0f} MiB resident before, {resident_mib():.0f} MiB "
        f"after {renders} distinct renders"
    )


if __name__ == "__main__":
    main()
