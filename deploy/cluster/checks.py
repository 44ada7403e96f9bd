"""What `make cluster-test` checks, through nginx, against the running cluster.

1. Static files come from nginx itself, compressed, with far-future caching.
2. A journey whose requests alternate between the app servers completes, and the report is
   the same whichever server renders it (and what the journey wrote to PostgreSQL).
3. One app server killed with SIGKILL mid-journey: nginx moves on, nothing acknowledged is lost.
4. With two task workers, each e-mail (resume link, rater invitation) is written once.
5. Failed token guesses are counted per real client, across both app servers.
"""

from __future__ import annotations

import collections
import email
import email.policy
import hashlib
import itertools
import os
import re
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from browser import Browser, Response
from journey import CheckFailedError, Journey, expect, lost_answers
from load import Questionnaire, questionnaire  # benchmarks/, on the path through journey

if TYPE_CHECKING:
    from cluster import Cluster


def servers_of(history: list[Response]) -> list[str]:
    return [response.upstream for response in history]


def _normalised(html: str) -> str:
    """A page with its per-request values (CSP nonce, CSRF token) blanked."""
    return re.sub(
        r'(nonce="|name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*', r"\1", html
    )


class Footprint:
    """What PostgreSQL keeps after a journey: transactions that wrote (the next transaction
    id moves only for those; reads take none), WAL bytes, rows and bytes per table."""

    def __init__(self) -> None:
        self.before = self.snapshot()

    @staticmethod
    def snapshot() -> dict[str, Any]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint,"
                " pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint"
            )
            xid, wal = cursor.fetchone()
            cursor.execute("SELECT relname, pg_total_relation_size(relid) FROM pg_stat_user_tables")
            tables = dict(cursor.fetchall())
            rows = {}
            for table in tables:
                cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
                rows[table] = cursor.fetchone()[0]
        return {"xid": xid, "wal": wal, "bytes": tables, "rows": rows}

    def report(self, label: str) -> None:
        after, before = self.snapshot(), self.before
        rows = {t: n - before["rows"].get(t, 0) for t, n in after["rows"].items()}
        grown = {t: n - before["bytes"].get(t, 0) for t, n in after["bytes"].items()}
        top = sorted((t for t in rows if rows[t]), key=lambda t: -rows[t])
        print(
            f"  kept for {label}: {after['xid'] - before['xid']} write transactions, "
            f"{sum(rows.values())} new rows, "
            f"{(after['wal'] - before['wal']) / 1024:.0f} KiB of WAL, tables and indexes "
            f"+{sum(grown.values()) / 1024:.0f} KiB"
        )
        print(
            "    new rows (and bytes grown): "
            + ", ".join(f"{t} {rows[t]} (+{grown[t] // 1024} KiB)" for t in top)
        )


def check_alternation(cluster: Cluster, q: Questionnaire) -> Journey:
    # A first journey fills the empty tables' first pages and builds the reference group,
    # so the second one is measured as every later journey costs.
    warm_up = Journey(Browser(cluster.nginx_port), q, seed=0)
    warm_up.start()
    warm_up.run()
    wait_for_tasks()
    b = Browser(cluster.nginx_port)
    footprint = Footprint()
    journey = Journey(b, q, seed=1)
    journey.start()
    report = journey.run()
    wait_for_tasks()  # whatever the journey left queued (no PDF: that renders on download)
    footprint.report(f"one journey ({len(b.history)} requests, then its queued tasks)")
    served = servers_of(b.history)
    switches = sum(1 for a, c in itertools.pairwise(served) if a != c)
    counts = collections.Counter(served)
    if len(counts) != 2 or switches < len(served) // 2:
        raise CheckFailedError(f"requests did not alternate: {dict(counts)}, {switches} switches")
    print(
        f"  journey: {len(served)} requests completed, served by "
        + " and ".join(f"{s} ×{n}" for s, n in sorted(counts.items()))
        + f"; the server changed on {switches} of {len(served) - 1} consecutive requests"
    )
    renderings: dict[str, dict[str, str]] = {"json": {}, "html": {}}
    for _ in range(2):  # two requests in a row land on the two servers
        got = expect(b.get(report.replace("/report/", "/report.json")), 200, "report.json")
        renderings["json"][got.upstream] = hashlib.sha256(got.body).hexdigest()
    for _ in range(2):
        page = expect(b.get(report), 200, "report page").text()
        renderings["html"][b.history[-1].upstream] = hashlib.sha256(
            _normalised(page).encode()
        ).hexdigest()
    for kind, by_server in renderings.items():
        if len(by_server) != 2 or len(set(by_server.values())) != 1:
            raise CheckFailedError(f"report {kind} differs between servers: {by_server}")
    print(
        "  report: JSON byte-identical from both servers (sha256 "
        + renderings["json"][next(iter(renderings["json"]))][:12]
        + "…); HTML identical apart from the per-request CSP nonce and CSRF token"
    )
    return journey


def check_static(cluster: Cluster) -> None:
    """Hashed static files come from nginx itself, compressed, cached for a year."""
    b = Browser(cluster.nginx_port)
    home = expect(b.get("/"), 200, "home").text()
    hashed = re.search(r'/static/[^"]+\.[0-9a-f]{12}\.css', home)
    if hashed is None:
        raise CheckFailedError("the home page links no hashed stylesheet")
    got = expect(b.get(hashed.group(0), headers={"Accept-Encoding": "gzip"}), 200, "static")
    cache, encoding = got.headers.get("Cache-Control", ""), got.headers.get("Content-Encoding")
    print(
        f"  {hashed.group(0)}: Content-Encoding {encoding}, Cache-Control {cache!r}, "
        f"{len(got.body)} bytes, no app server involved ({got.upstream or 'none'})"
    )
    if encoding != "gzip" or "immutable" not in cache or got.tried:
        raise CheckFailedError("static files are not served compressed and cached by nginx")


def check_failover(cluster: Cluster, q: Questionnaire) -> None:
    try:
        _failover(cluster, q)
    finally:
        rejoin(cluster)  # the checks after this one need both app servers


def _failover(cluster: Cluster, q: Questionnaire) -> None:
    b = Browser(cluster.nginx_port)
    journey = Journey(b, q, seed=2)
    journey.start()
    victim = cluster.processes["app1"]
    victim_addr = f"127.0.0.1:{cluster.app_ports[0]}"
    kill_at = len(q.pages) // 2
    mark: list[int] = []

    def kill(number: int) -> None:
        if number == kill_at:
            victim.signal_group(signal.SIGKILL)  # the supervisor, granian and its workers
            victim.popen.wait(timeout=10)
            # Until the last of them is gone its socket still accepts, then resets: a
            # request sent in that instant is lost in flight (nginx answers 502 and does
            # not resend a POST; the page's own POST carries the answer again).
            victim.wait_gone()
            mark.append(len(b.history))

    journey.run(before_page=kill)
    after = b.history[mark[0] :]
    answered_by = collections.Counter(r.upstream for r in after)
    retried = sum(1 for r in after if len(r.tried) > 1)
    errors = [r.status for r in b.history if r.status >= 500]
    if errors or victim_addr in answered_by:
        raise CheckFailedError(f"after the kill: errors {errors[:5]}, answered by {answered_by}")
    lost = lost_answers(journey)
    print(
        f"  failover: app1 ({victim_addr}) killed with SIGKILL before page {kill_at}; "
        f"{len(after)} requests after it, all answered by {', '.join(answered_by)} "
        f"({retried} of them first tried the dead server, then moved on); 0 errors in "
        f"{len(b.history)} requests"
    )
    print(
        f"  nothing lost: {len(journey.acknowledged)} answers acknowledged, "
        f"{len(journey.acknowledged) - len(lost)} found in PostgreSQL"
    )
    if lost:
        raise CheckFailedError(f"acknowledged answers missing: {lost}")


def read_mail(folder: Path) -> list[email.message.EmailMessage]:
    """Every message Django's file-based backend wrote (several per file, dash-separated)."""
    messages = []
    for path in sorted(folder.glob("*.log")) if folder.exists() else []:
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return messages


def wait_for_tasks(timeout: float = 120) -> dict[str, int]:
    """Until no task is waiting or running; returns tasks run per worker."""
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + timeout
    while DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists():
        if time.monotonic() > deadline:
            raise CheckFailedError(f"tasks still queued after {timeout:.0f} s")
        time.sleep(0.5)
    failed = list(DBTaskResult.objects.filter(status="FAILED").values_list("task_path", flat=True))
    if failed:
        raise CheckFailedError(f"tasks failed: {failed}")
    per_worker: collections.Counter[str] = collections.Counter()
    for ids in DBTaskResult.objects.values_list("worker_ids", flat=True):
        per_worker.update(ids)
    return dict(sorted(per_worker.items()))


def check_email_once(cluster: Cluster, q: Questionnaire) -> None:
    """Resume links for twelve candidates, each from its own client address (starting is
    limited per client), then rater invitations from one who confirmed their address by
    opening the resume link (e-mail invitations need a confirmed sender)."""
    expected: dict[str, str] = {}
    journeys = []
    for n in range(12):
        browser = Browser(cluster.nginx_port, source=f"127.0.0.{20 + n}")
        journey = Journey(browser, q, seed=100 + n)
        address = f"candidate{n}@example.org"
        journey.start(email_address=address)
        journeys.append(journey)
        expected[address] = "resume link"
    wait_for_tasks()
    sender = journeys[0]
    link = next(
        match.group(0)
        for m in read_mail(cluster.mail)
        if "candidate0@example.org" in str(m["To"])
        for match in [re.search(r"/r/[A-Za-z0-9_-]+/", m.get_content())]
        if match
    )
    expect(sender.b.get(link), 302, "open the resume link (confirms the address)")
    sender.run()
    raters = [f"rater{n}@example.org" for n in range(8)]
    form = {"e-name": "Alice", "e-category": "peer", "e-emails": ", ".join(raters)}
    form["csrfmiddlewaretoken"] = sender.csrf
    expect(sender.b.post(f"/rate/a/{sender.public_id}/", form), 302, "invite raters")
    expected.update(dict.fromkeys(raters, "rater invitation"))
    per_worker = wait_for_tasks()
    written = collections.Counter(
        address.strip() for m in read_mail(cluster.mail) for address in str(m["To"]).split(",")
    )
    wrong = {a: written.get(a, 0) for a in expected if written.get(a, 0) != 1}
    extra = set(written) - set(expected)
    kinds = collections.Counter(expected.values())
    print(
        f"  e-mail: {len(expected)} expected ({kinds['resume link']} resume links, "
        f"{kinds['rater invitation']} rater invitations), {sum(written.values())} written, "
        f"each address exactly once; tasks run per worker {per_worker}"
    )
    if wrong or extra:
        raise CheckFailedError(f"not exactly once: {wrong}, unexpected: {sorted(extra)}")
    if len(per_worker) < 2:
        print("  (this time one worker claimed every task; both were polling the queue)")


def check_rate_limit(cluster: Cluster) -> None:
    from ctoready.assessments.views import TOKEN_FAILURES_PER_MINUTE as TOKEN_LIMIT

    guess = "/r/" + "x" * 43 + "/"
    guesser = Browser(cluster.nginx_port, source="127.0.0.2")
    neighbour = Browser(cluster.nginx_port, source="127.0.0.3")
    failures, limited = [], None
    for _ in range(2 * TOKEN_LIMIT + 2):
        response = guesser.get(guess)
        if response.status == 429:
            limited = response
            break
        expect(response, 404, "a wrong token")
        failures.append(response.upstream)
    if limited is None:
        raise CheckFailedError(f"{len(failures)} failed guesses and still not limited")
    spoofed = guesser.get(guess, headers={"X-Forwarded-For": "198.51.100.7"})
    other = neighbour.get(guess)
    on = collections.Counter(failures)
    print(
        f"  rate limit: client 127.0.0.2 refused (429) after {len(failures)} failed guesses, "
        + " and ".join(f"{n} on {s}" for s, n in sorted(on.items()))
        + f"; limited on {limited.upstream} too; with a spoofed X-Forwarded-For still "
        f"{spoofed.status}; client 127.0.0.3 meanwhile gets {other.status}"
    )
    # Counted per server, the limit would take twice the guesses; shared, the limit (or a
    # few more when a fixed window rolls over during the check).
    if len(on) != 2 or len(failures) >= 2 * TOKEN_LIMIT:
        raise CheckFailedError("failures were not counted across both app servers")
    if spoofed.status != 429 or other.status != 404:
        raise CheckFailedError("the limit followed a spoofed header or hit another client")


def rejoin(cluster: Cluster) -> None:
    """Restart the killed app server and wait until nginx sends it requests again."""
    if not cluster.processes["app1"].alive():
        cluster.start_app(0)
    cluster.wait_ready(cluster.app_ports[0])
    probe = Browser(cluster.nginx_port)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if len({probe.get("/healthz").upstream for _ in range(4)}) == 2:
            print("  app1 restarted and back in rotation")
            return
        time.sleep(1)
    raise CheckFailedError("the restarted app server did not rejoin")


def run_all(cluster: Cluster) -> bool:
    os.environ.update(cluster.env())
    import django

    django.setup()
    q = questionnaire()
    journeys: list[Journey] = []
    steps: list[tuple[str, Callable[[], object]]] = [
        ("static files from nginx: compressed, cached for a year", lambda: check_static(cluster)),
        (
            "a journey alternating between app servers; the same report from each",
            lambda: journeys.append(check_alternation(cluster, q)),
        ),
        ("SIGKILL of one app server mid-journey", lambda: check_failover(cluster, q)),
        (
            "exactly-once e-mail with two task workers",
            lambda: check_email_once(cluster, q),
        ),
        (
            "failed token guesses counted per real client across app servers",
            lambda: check_rate_limit(cluster),
        ),
    ]
    failed = 0
    for number, (title, step) in enumerate(steps, start=1):
        print(f"[{number}/{len(steps)}] {title}", flush=True)
        started = time.monotonic()
        try:
            step()
        except Exception as exc:  # every check runs and reports, whatever the one before did
            failed += 1
            print(f"  FAILED: {type(exc).__name__}: {exc}\n{cluster.logs()}")
        else:
            print(f"  ok ({time.monotonic() - started:.1f} s)", flush=True)
    print(f"cluster-test: {len(steps) - failed} of {len(steps)} checks passed")
    return failed == 0
