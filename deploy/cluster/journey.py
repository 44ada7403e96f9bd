"""A candidate's journey through the cluster, and what it leaves in the database."""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from browser import Browser, Response

# The benchmark instrument's questionnaire, read the way the load benchmarks read it.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from load import Question, Questionnaire


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
