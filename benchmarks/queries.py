"""Queries per request type, the slowest of each, and every full table scan on the way.

One journey through Django's test client, in-process, against the site's database (run
after seeding, so plans are those of a big database). Each query is explained with
``EXPLAIN QUERY PLAN`` (SQLite) or ``EXPLAIN`` (PostgreSQL); a ``SCAN`` of a table (SQLite)
or a ``Seq Scan`` (PostgreSQL) is flagged with the table's row count.

Usage (with the site's environment): python benchmarks/queries.py  -> JSON on stdout
"""

from __future__ import annotations

import json
import re
import time

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import DatabaseError, connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from load import questionnaire  # noqa: E402

from ctoready.testing import wsgi  # noqa: E402

SKIP = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|INSERT)", re.I)
SQLITE_SCAN = re.compile(r"\bSCAN (\w+)\b(?! USING (COVERING )?INDEX)")
PG_SCAN = re.compile(r"Seq Scan on (\w+)")
SMALL = 1000  # rows: below this a scan is the planner's sensible choice, not a problem


def plan_scans(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            lines = [row[-1] for row in cursor.fetchall()]
            return [m.group(1) for line in lines for m in [SQLITE_SCAN.search(line)] if m]
        cursor.execute("EXPLAIN " + sql)
        lines = [row[0] for row in cursor.fetchall()]
        return [m.group(1) for line in lines for m in [PG_SCAN.search(line)] if m]


_rows: dict[str, int] = {}


def rows_in(table: str) -> int:
    if table not in _rows:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
            _rows[table] = cursor.fetchone()[0]
    return _rows[table]


class Recorder:
    def __init__(self) -> None:
        self.kinds: dict[str, dict[str, object]] = {}

    def __call__(self, kind: str, send):  # type: ignore[no-untyped-def]
        timings: list[tuple[float, str]] = []

        def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timings.append((time.perf_counter() - start, sql))

        # CaptureQueriesContext counts; the wrapper times each query to the microsecond.
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timed):
            start = time.perf_counter()
            response = send()
            elapsed = time.perf_counter() - start
        queries = captured.captured_queries
        slowest_s, slowest_sql = max(timings, default=(0.0, ""))
        scans = set()
        for query in queries:
            if SKIP.match(query["sql"]):
                continue
            try:
                found = plan_scans(query["sql"])
            except DatabaseError as exc:  # a query whose logged text does not re-run
                scans.add(f"(not explained: {exc}) {query['sql'][:100]}")
                continue
            scans.update(
                f"{t} ({rows_in(t):,} rows{', small' if rows_in(t) < SMALL else ''}): "
                f"{query['sql'][:160]}"
                for t in found
            )
        self.kinds[kind] = {
            "status": response.status_code,
            "queries": len(queries),
            "ms": round(1000 * elapsed, 1),
            "slowest_ms": round(1000 * slowest_s, 2),
            "slowest_sql": " ".join(slowest_sql.split())[:200],
            "scans": sorted(scans),
        }
        return response


def autosave_key(html: str) -> str:
    """The key a page gives htmx for its autosaves, as a browser sends it."""
    found = re.search(r'"X-Autosave-Key": "([^"]+)"', html)
    return found.group(1) if found else ""


def journey() -> dict[str, dict[str, object]]:
    q = questionnaire()
    record = Recorder()
    client = Client()
    record("home", lambda: client.get("/"))
    csrf = client.cookies["csrftoken"].value
    started = record(
        "start",
        lambda: client.post("/start/", {"context": q.contexts[0], "csrfmiddlewaretoken": csrf}),
    )
    base = started["Location"].rsplit("/p/", 1)[0]
    for number, page in enumerate(q.pages, start=1):
        url = f"{base}/p/{number}/"
        kind = "scenario" if page[0].type == "scenario" else "likert"
        got = record(f"page GET ({kind})", lambda url=url: client.get(url))
        key = autosave_key(got.content.decode())
        form = {"csrfmiddlewaretoken": csrf, "go": "next", "seq": "1000"}
        for question in page:
            if question.type == "scenario":
                fields = {f"q-{question.id}-best": "a", f"q-{question.id}-worst": "b"}
            else:
                fields = {f"q-{question.id}": "3"}
            fields[f"s-{question.id}"] = str(2000 + number)
            # Through the site's WSGI application, whose fast path answers it in front of
            # Django's handler (the test client calls the handler itself).
            headers = {"X-CSRFToken": csrf, "HX-Request": "true", "X-Autosave-Key": key}
            record(
                "autosave",
                lambda f=fields, headers=headers: wsgi.post(
                    f"{base}/save/", f, headers=headers, client=client, real_connections=True
                ),
            )
            form.update(fields)
        record(f"page POST ({kind})", lambda url=url, form=form: client.post(url, form))
    record("review", lambda: client.get(f"{base}/review/"))
    record("finish", lambda: client.post(f"{base}/finish/", {"csrfmiddlewaretoken": csrf}))
    cache.clear()
    record("report (cold: reference group built)", lambda: client.get(f"{base}/report/"))
    record("report", lambda: client.get(f"{base}/report/"))
    return record.kinds


if __name__ == "__main__":
    print(json.dumps(journey()))
