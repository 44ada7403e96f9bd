"""What `make cluster-test` checks, through nginx, against the running cluster.

1. A journey whose requests alternate between the app servers completes, and the report is
   the same whichever server renders it.
2. One app server killed with SIGKILL mid-journey: nginx moves on, nothing acknowledged is lost.
3. With two task workers, each e-mail (resume link, rater invitation) is written once.
4. Failed token guesses are counted per real client, across both app servers.
And first: static files come from nginx, compressed, with far-future caching.
"""

from __future__ import annotations

import collections
import email
import email.policy
import hashlib
import os
import random
import re
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from browser import Browser, Response

if TYPE_CHECKING:
    from cluster import Cluster

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import itertools

from load import Question, Questionnaire, questionnaire

TOKEN_LIMIT = 20  # failed token look-ups per client per minute (assessments.views)


class CheckFailedError(Exception):
    pass


def expect(response: Response, status: int, what: str, contains: str | None = None) -> Response:
    if response.status != status or (contains and contains not in response.text()):
        raise CheckFailedError(
            f"{what}: HTTP {response.status} via {response.upstream or '?'}, expected {status}"
            + (f" with {contains!r}" if contains else "")
            + f": {response.body[:300]!r}"
        )
    return response


class Journey:
    """A candidate on the benchmark instrument, as a browser with JavaScript: each choice
    autosaved, each page then posted; what the server acknowledged is remembered."""

    def __init__(self, browser: Browser, q: Questionnaire, seed: int) -> None:
        self.b, self.q, self.rng = browser, q, random.Random(seed)
        self.public_id = self.csrf = ""
        self.acknowledged: dict[str, tuple[int, dict[str, str]]] = {}
        self._seq = 0

    def seq(self) -> int:
        self._seq = max(time.time_ns() // 1_000_000, self._seq + 1)
        return self._seq

    def start(self, email_address: str = "") -> None:
        expect(self.b.get("/"), 200, "home", "csrfmiddlewaretoken")
        self.csrf = self.b.cookies["csrftoken"]
        form = {"context": self.rng.choice(self.q.contexts), "lang": "en"}
        form.update(csrfmiddlewaretoken=self.csrf, email=email_address)
        started = expect(self.b.post("/start/", form), 302, "start")
        self.public_id = started.location.split("/")[2]

    def answer(self, question: Question) -> dict[str, str]:
        if question.type == "scenario":
            best, worst = self.rng.sample(question.options, 2)
            return {f"q-{question.id}-best": best, f"q-{question.id}-worst": worst}
        return {f"q-{question.id}": self.rng.choice(question.options)}

    def run(self, before_page: Callable[[int], None] | None = None) -> str:
        """Every page, review, finish; returns the report's path."""
        base = f"/a/{self.public_id}"
        save = {"X-CSRFToken": self.csrf, "HX-Request": "true"}
        for number, page in enumerate(self.q.pages, start=1):
            if before_page:
                before_page(number)
            url = f"{base}/p/{number}/"
            expect(self.b.get(url), 200, f"page {number}", f"q-{page[0].id}")
            form = {"csrfmiddlewaretoken": self.csrf, "go": "next", "seq": str(self.seq())}
            for question in page:
                fields = self.answer(question)
                seq = self.seq()
                fields[f"s-{question.id}"] = str(seq)
                expect(self.b.post(f"{base}/save/", fields, save), 200, "autosave", "Saved")
                self.acknowledged[question.id] = (seq, fields)
                form.update(fields)
            expect(self.b.post(url, form), 302, f"page {number} POST")
        expect(self.b.get(f"{base}/review/"), 200, "review")
        finished = self.b.post(f"{base}/finish/", {"csrfmiddlewaretoken": self.csrf})
        report = expect(finished, 302, "finish").location
        expect(self.b.get(report), 200, "report", "<h1")
        return report


def _stored_matches(question_id: str, value: Any, fields: dict[str, str]) -> bool:
    if f"q-{question_id}" in fields:
        return str(value) == fields[f"q-{question_id}"]
    wanted = {"best": fields[f"q-{question_id}-best"], "worst": fields[f"q-{question_id}-worst"]}
    return isinstance(value, dict) and {k: value.get(k) for k in wanted} == wanted


def lost_answers(journey: Journey) -> list[str]:
    """Acknowledged answers not in the database (a newer sequence number may replace one)."""
    from ctoready.assessments.models import Answer

    stored = {
        a.item_id: a
        for a in Answer.objects.filter(attempt__public_id=journey.public_id).only(
            "item_id", "value", "seq"
        )
    }
    lost = []
    for item, (seq, fields) in journey.acknowledged.items():
        row = stored.get(item)
        if (
            row is None
            or row.seq < seq
            or (row.seq == seq and not _stored_matches(item, row.value, fields))
        ):
            lost.append(item)
    return lost


def servers_of(history: list[Response]) -> list[str]:
    return [response.upstream for response in history]


def _normalised(html: str) -> str:
    """A page with its per-request values (CSP nonce, CSRF token) blanked."""
    return re.sub(
        r'(nonce="|name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*', r"\1", html
    )


def check_alternation(cluster: Cluster, q: Questionnaire) -> Journey:
    b = Browser(cluster.nginx_port)
    journey = Journey(b, q, seed=1)
    journey.start()
    report = journey.run()
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
    b = Browser(cluster.nginx_port)
    journey = Journey(b, q, seed=2)
    journey.start()
    victim = cluster.processes["app1"]
    victim_addr = f"127.0.0.1:{cluster.app_ports[0]}"
    kill_at = len(q.pages) // 2
    mark: list[int] = []

    def kill(number: int) -> None:
        if number == kill_at:
            victim.signal_group(signal.SIGKILL)  # the supervisor, gunicorn and its workers
            victim.popen.wait(timeout=10)
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


def check_email_once(cluster: Cluster, q: Questionnaire, candidate: Journey) -> None:
    expected: dict[str, str] = {}
    for n in range(12):
        journey = Journey(Browser(cluster.nginx_port), q, seed=100 + n)
        address = f"candidate{n}@example.org"
        journey.start(email_address=address)
        expected[address] = "resume link"
    raters = [f"rater{n}@example.org" for n in range(8)]
    form = {"e-name": "Alice", "e-category": "peer", "e-emails": ", ".join(raters)}
    form["csrfmiddlewaretoken"] = candidate.csrf
    expect(candidate.b.post(f"/rate/a/{candidate.public_id}/", form), 302, "invite raters")
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
    # Counted per server, the limit would take 2 × 20 guesses; shared, 20 (or a few more
    # when a fixed window rolls over during the check).
    if len(on) != 2 or len(failures) >= 2 * TOKEN_LIMIT:
        raise CheckFailedError("failures were not counted across both app servers")
    if spoofed.status != 429 or other.status != 404:
        raise CheckFailedError("the limit followed a spoofed header or hit another client")


def rejoin(cluster: Cluster) -> None:
    """Restart the killed app server and wait until nginx sends it requests again."""
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
        (
            "SIGKILL of one app server mid-journey",
            lambda: (check_failover(cluster, q), rejoin(cluster)),
        ),
        (
            "exactly-once e-mail with two task workers",
            lambda: check_email_once(cluster, q, journeys[0]),
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
