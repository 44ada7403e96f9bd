"""Closed-loop load: N simulated people, each doing one thing after another, no think time.

A run has a warm-up, then a measured window; only what completes inside the window
counts towards throughput and latency, but every error counts, warm-up included. Each
person's loop stops at the end of the window, so a run always ends by itself.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import re
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from httpclient import Browser, HTTPError, Response

HERE = Path(__file__).resolve().parent
INSTRUMENT = HERE / "bench-instrument.yaml"
MAX_ERROR_SAMPLES = 5


class UnexpectedResponseError(Exception):
    """A response other than the one a person's browser expects."""


@dataclass(frozen=True)
class Question:
    id: str
    type: str  # likert | scenario
    options: tuple[str, ...]


@dataclass(frozen=True)
class Questionnaire:
    pages: tuple[tuple[Question, ...], ...]
    contexts: tuple[str, ...]
    scales: dict[str, list[tuple[str, bool]]]  # scale -> [(item, reverse)]

    @property
    def questions(self) -> list[Question]:
        return [q for page in self.pages for q in page]


def questionnaire(path: Path = INSTRUMENT) -> Questionnaire:
    data = yaml.safe_load(path.read_text())
    items = {item["id"]: item for item in data["items"]}
    points = {
        name: tuple(str(p["value"]) for p in scale["points"])
        for name, scale in data["response_scales"].items()
    }
    pages = []
    for page in data["pages"]:
        questions = []
        for ref in page["items"]:
            item = items[ref]
            if item["type"] == "likert":
                options = points[item["response_scale"]]
            else:
                options = tuple(o["id"] for o in item["options"])
            questions.append(Question(ref, item["type"], options))
        pages.append(tuple(questions))
    scales: dict[str, list[tuple[str, bool]]] = {}
    for item in data["items"]:
        if item["type"] == "likert":
            scales.setdefault(item["scale"], []).append((item["id"], item.get("reverse", False)))
    return Questionnaire(tuple(pages), tuple(c["id"] for c in data["contexts"]), scales)


@dataclass
class Stats:
    """What a run measured; latencies in seconds, per request kind."""

    window: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    sizes: dict[str, list[int]] = field(default_factory=dict)
    completed: int = 0  # journeys (or single operations) completed in the window
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    measuring: bool = False
    closed: bool = False  # the measured window is over: long journeys stop early
    per_journey: int = 0  # requests one whole journey makes
    requests: int = 0  # every request answered, warm-up included
    server_cpu: float = 0.0  # CPU seconds the server's processes used during the run
    # CPU seconds they used in the measured window, when the run could read it (``cpu``)
    window_cpu: float | None = None

    @property
    def equivalent_rate(self) -> float:
        """Journeys per second counted in requests: every request done in the window over
        the requests one journey makes. Unlike completed journeys it has no edge effect
        when one journey lasts about as long as the window (oTree under load)."""
        if not (self.window and self.per_journey):
            return self.rate
        done = sum(len(v) for v in self.latencies.values())
        return done / self.per_journey / self.window

    @property
    def cpu_ms_per_journey(self) -> float:
        return self.cpu_ms_per_request * self.per_journey

    @property
    def cpu_ms_per_request(self) -> float:
        """Server CPU per request answered in the measured window: what a load's setup in
        the warm-up (landing page, starting attempts) costs does not count. Without the
        window's CPU, over the whole run and every request."""
        if self.window_cpu is None:
            return 1000 * self.server_cpu / self.requests if self.requests else float("nan")
        done = sum(len(v) for v in self.latencies.values())
        return 1000 * self.window_cpu / done if done else float("nan")

    def record(self, kind: str, response: Response) -> None:
        self.requests += 1
        if self.measuring:
            self.latencies.setdefault(kind, []).append(response.seconds)
            self.sizes.setdefault(kind, []).append(len(response.body))

    def error(self, message: str) -> None:
        self.errors += 1
        if len(self.error_samples) < MAX_ERROR_SAMPLES:
            self.error_samples.append(message[:300])

    @property
    def rate(self) -> float:
        return self.completed / self.window if self.window else 0.0

    def rate_of(self, kind: str) -> float:
        return len(self.latencies.get(kind, [])) / self.window if self.window else 0.0

    def percentile_ms(self, kind: str, q: float) -> float:
        values = sorted(self.latencies.get(kind, []))
        if not values:
            return float("nan")
        return 1000 * values[min(len(values) - 1, int(q * len(values)))]

    def summary(self) -> dict[str, object]:
        return {
            "window_s": round(self.window, 2),
            "completed": self.completed,
            "per_second": round(self.rate, 2),
            "journey_equivalents_per_second": round(self.equivalent_rate, 2),
            "errors": self.errors,
            "server_cpu_ms_per_request": round(self.cpu_ms_per_request, 3),
            "error_samples": self.error_samples,
            "requests": {
                kind: {
                    "count": len(values),
                    "per_second": round(self.rate_of(kind), 1),
                    "p50_ms": round(self.percentile_ms(kind, 0.50), 1),
                    "p99_ms": round(self.percentile_ms(kind, 0.99), 1),
                    "mean_bytes": round(statistics.fmean(self.sizes[kind])),
                }
                for kind, values in sorted(self.latencies.items())
            },
        }


Journey = Callable[[Browser, Stats, random.Random], Awaitable[None]]


REDIRECT = (301, 302, 303, 307)


def expect(
    response: Response, status: int | tuple[int, ...], what: str, contains: str | None = None
) -> Response:
    if response.status not in (status if isinstance(status, tuple) else (status,)):
        raise UnexpectedResponseError(
            f"{what}: HTTP {response.status}, expected {status}: {response.body[:200]!r}"
        )
    if contains is not None and contains not in response.text():
        raise UnexpectedResponseError(f"{what}: response lacks {contains!r}")
    return response


async def run(
    journey: Journey,
    *,
    host: str,
    port: int,
    people: int,
    seconds: float,
    warmup: float,
    seed: int = 2026,
    cpu: Callable[[], float] | None = None,
) -> Stats:
    """Run ``journey`` in a loop for each of ``people``; measure during ``seconds``.

    A journey records its requests and counts its own completions while
    ``stats.measuring`` is set. ``cpu`` reads the CPU seconds the server has used so far:
    read as the window opens and closes, it gives ``stats.window_cpu``.
    """
    stats = Stats(per_journey=getattr(journey, "requests_per_journey", 0))
    loop = asyncio.get_running_loop()
    start = loop.time()
    closes = start + warmup + seconds

    async def person(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        browser = Browser(host, port)
        try:
            while loop.time() < closes:
                try:
                    await journey(browser, stats, rng)
                except (HTTPError, UnexpectedResponseError) as exc:
                    stats.error(str(exc))
                    await browser.close()
                    browser = Browser(host, port)
                    continue
        finally:
            await browser.close()

    async def window() -> None:
        await asyncio.sleep(warmup)
        opened = cpu() if cpu else 0.0
        stats.measuring = True
        await asyncio.sleep(seconds)
        stats.measuring = False
        if cpu:
            stats.window_cpu = cpu() - opened
        stats.closed = True

    tasks = [asyncio.create_task(person(n)) for n in range(people)]
    clock = asyncio.create_task(window())
    await clock
    stats.window = seconds
    # Let journeys in flight end, but never for long: a stuck server must not hang the run.
    done, pending = await asyncio.wait(tasks, timeout=60)
    for task in pending:
        task.cancel()
        stats.error("a journey was still running 60 s after the window closed")
    for task in done:
        if task.exception() is not None:
            stats.error(f"client crashed: {task.exception()!r}")
    return stats


# ctoready ------------------------------------------------------------------------------

_PUBLIC_ID = re.compile(r"^/a/([^/]+)/p/1/$")


class Ctoready:
    """A person taking the benchmark instrument in ctoready, as a browser with JavaScript
    does: every choice is autosaved at once, each page is then posted with all its answers."""

    def __init__(self, q: Questionnaire, *, autosave: bool = True) -> None:
        self.q, self.autosave = q, autosave
        self._seq = 0
        # home, start, a GET and a POST per page, one autosave per question, review,
        # finish, report
        autosaves = len(q.questions) if autosave else 0
        self.requests_per_journey = 2 + 2 * len(q.pages) + autosaves + 3

    def seq(self) -> int:
        self._seq = max(time.time_ns() // 1_000_000, self._seq + 1)
        return self._seq

    async def begin(self, browser: Browser, stats: Stats, rng: random.Random) -> tuple[str, str]:
        """Open the landing page and start an attempt: (public id, CSRF token)."""
        browser.cookies.clear()
        stats.record("home", expect(await browser.get("/"), 200, "home", "csrfmiddlewaretoken"))
        csrf = browser.cookies.get("csrftoken", "")
        if not csrf:
            raise UnexpectedResponseError("home: no csrftoken cookie")
        context = rng.choice(self.q.contexts)
        form = {"context": context, "lang": "en", "csrfmiddlewaretoken": csrf}
        response = expect(await browser.post("/start/", form), 302, "start")
        stats.record("start", response)
        match = _PUBLIC_ID.match(response.location)
        if match is None:
            raise UnexpectedResponseError(f"start: redirected to {response.location!r}")
        return match.group(1), csrf

    def answer(self, question: Question, rng: random.Random) -> dict[str, str]:
        if question.type == "scenario":
            best, worst = rng.sample(question.options, 2)
            return {f"q-{question.id}-best": best, f"q-{question.id}-worst": worst}
        return {f"q-{question.id}": rng.choice(question.options)}

    async def save(
        self,
        browser: Browser,
        stats: Stats,
        public_id: str,
        csrf: str,
        fields: dict[str, str],
        key: str = "",
    ) -> Response:
        # As htmx sends it: the CSRF token from the page and, on pages that carry one, the
        # attempt's autosave key.
        headers = {"X-CSRFToken": csrf, "HX-Request": "true"}
        if key:
            headers["X-Autosave-Key"] = key
        response = await browser.post(f"/a/{public_id}/save/", fields, headers=headers)
        expect(response, 200, "autosave", "Saved")
        stats.record("autosave", response)
        return response

    async def __call__(self, browser: Browser, stats: Stats, rng: random.Random) -> None:
        public_id, csrf = await self.begin(browser, stats, rng)
        base = f"/a/{public_id}"
        for number, page in enumerate(self.q.pages, start=1):
            if stats.closed:
                return  # the window is over: the journey is abandoned, not failed
            url = f"{base}/p/{number}/"
            got = await browser.get(url)
            stats.record("page GET", expect(got, 200, f"page {number}", f"q-{page[0].id}"))
            key = autosave_key(got)
            form = {"csrfmiddlewaretoken": csrf, "go": "next", "seq": str(self.seq())}
            for question in page:
                fields = self.answer(question, rng)
                fields[f"s-{question.id}"] = str(self.seq())
                if self.autosave:
                    await self.save(browser, stats, public_id, csrf, fields, key)
                form.update(fields)
            posted = expect(await browser.post(url, form), 302, f"page {number} POST")
            stats.record("page POST", posted)
        review = expect(await browser.get(f"{base}/review/"), 200, "review")
        stats.record("review", review)
        finished = await browser.post(f"{base}/finish/", {"csrfmiddlewaretoken": csrf})
        stats.record("finish", expect(finished, 302, "finish"))
        report = await browser.get(finished.location)
        stats.record("report", expect(report, 200, "report", "<h1"))
        if stats.measuring:
            stats.completed += 1


_AUTOSAVE_KEY = re.compile(r'"X-Autosave-Key": "([^"]+)"')


def autosave_key(page: Response) -> str:
    """The autosave key a page gives htmx (empty for a server that gives none)."""
    found = _AUTOSAVE_KEY.search(page.text())
    return found.group(1) if found else ""


class CtoreadyAutosave(Ctoready):
    """One attempt per person (in the warm-up), then autosaves only, round the questionnaire
    until the window closes."""

    def __init__(self, q: Questionnaire) -> None:
        super().__init__(q)
        self.requests_per_journey = 0  # counted per save, not per journey

    async def __call__(self, browser: Browser, stats: Stats, rng: random.Random) -> None:
        public_id, csrf = await self.begin(browser, stats, rng)
        first = expect(await browser.get(f"/a/{public_id}/p/1/"), 200, "page 1")
        stats.record("page GET", first)
        key = autosave_key(first)
        for question in itertools.cycle(self.q.questions):
            if stats.closed:
                return
            fields = self.answer(question, rng)
            fields[f"s-{question.id}"] = str(self.seq())
            await self.save(browser, stats, public_id, csrf, fields, key)
            if stats.measuring:
                stats.completed += 1


class CtoreadyPages(Ctoready):
    """One attempt per person (in the warm-up), then its pages only (a GET and a POST with
    every answer), round the questionnaire until the window closes: the cost of a page
    request alone."""

    def __init__(self, q: Questionnaire) -> None:
        super().__init__(q, autosave=False)
        self.requests_per_journey = 0  # counted per request, not per journey

    async def __call__(self, browser: Browser, stats: Stats, rng: random.Random) -> None:
        public_id, csrf = await self.begin(browser, stats, rng)
        while not stats.closed:
            for number, page in enumerate(self.q.pages, start=1):
                if stats.closed:
                    return
                url = f"/a/{public_id}/p/{number}/"
                got = await browser.get(url)
                stats.record("page GET", expect(got, 200, f"page {number}", f"q-{page[0].id}"))
                form = {"csrfmiddlewaretoken": csrf, "go": "next", "seq": str(self.seq())}
                for question in page:
                    form.update(self.answer(question, rng))
                posted = expect(await browser.post(url, form), 302, f"page {number} POST")
                stats.record("page POST", posted)
                if stats.measuring:
                    stats.completed += 2


async def hello(browser: Browser, stats: Stats, rng: random.Random) -> None:
    """The bare Django baseline: one request, counted as one operation."""
    for _ in range(50):
        if stats.closed:
            return
        response = expect(await browser.get("/hello/"), 200, "hello", "Hello")
        stats.record("hello", response)
        if stats.measuring:
            stats.completed += 1


# oTree ---------------------------------------------------------------------------------


class Otree:
    """A person taking the same questionnaire in oTree: a start link, one form per page."""

    def __init__(self, q: Questionnaire, participant_codes: list[str]) -> None:
        self.q, self.codes = q, list(reversed(participant_codes))
        self.requests_per_journey = 1 + 2 * len(q.pages) + 1  # start, pages, results

    async def __call__(self, browser: Browser, stats: Stats, rng: random.Random) -> None:
        if not self.codes:
            raise UnexpectedResponseError("oTree: no participant left in the session")
        browser.cookies.clear()
        response = await browser.get(f"/InitializeParticipant/{self.codes.pop()}")
        stats.record("start", expect(response, REDIRECT, "oTree start"))
        url = response.location
        for number, page in enumerate(self.q.pages, start=1):
            if stats.closed:
                return  # the window is over: the journey is abandoned, not failed
            got = await browser.get(url)
            field = page[0].id.replace("-", "_")
            stats.record("page GET", expect(got, 200, f"oTree page {number}", field))
            form: dict[str, str] = {}
            for question in page:
                name = question.id.replace("-", "_")
                if question.type == "scenario":
                    best, worst = rng.sample(question.options, 2)
                    form[f"{name}_best"], form[f"{name}_worst"] = best, worst
                else:
                    form[name] = rng.choice(question.options)
            posted = expect(await browser.post(url, form), REDIRECT, f"oTree page {number} POST")
            stats.record("page POST", posted)
            url = posted.location
        report = await browser.get(url)
        stats.record("report", expect(report, 200, "oTree results", "Results"))
        if stats.measuring:
            stats.completed += 1
