"""Store N completed attempts of the benchmark instrument quickly, without HTTP.

Each has its resume link, every answer, its answer sheet and a report snapshot, as a
journey leaves them. Snapshots are scored for a few hundred random answer sets and reused
(scoring 100,000 would take minutes and measure nothing new). Attempts and links go in
with bulk_create; reports, answers (56 per attempt) and sheets, already encoded, with
executemany on SQLite and COPY on PostgreSQL.

Usage (with the site's environment): python benchmarks/seed.py COUNT
"""

from __future__ import annotations

import json
import random
import secrets
import sys
import time
from datetime import UTC, datetime, timedelta

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from ctoready.assessments.models import Answer, AnswerSheet, Attempt, Link  # noqa: E402
from ctoready.assessments.sheets import likert_vector  # noqa: E402
from ctoready.instruments.models import InstrumentVersion  # noqa: E402
from ctoready.instruments.services import document_for  # noqa: E402
from ctoready.lib.tokens import hash_token  # noqa: E402
from ctoready.reports.models import Report, headline_scores  # noqa: E402
from ctoready.reports.services import build_snapshot  # noqa: E402

BATCH = 5000
DISTINCT_SNAPSHOTS = 200


def random_answers(doc, rng: random.Random) -> dict[str, object]:  # type: ignore[no-untyped-def]
    answers: dict[str, object] = {}
    # One trait per person, so answers hang together and item statistics look real.
    theta = rng.gauss(0, 1)
    for item in doc.items:
        if item.type == "scenario":
            best, worst = rng.sample([o.id for o in item.options], 2)
            answers[item.id] = {"best": best, "worst": worst}
        else:
            value = max(1, min(5, round(3 + 0.9 * theta + rng.gauss(0, 0.8))))
            answers[item.id] = 6 - value if item.reverse else value
    return answers


def seed(count: int) -> None:
    version = InstrumentVersion.objects.get(instrument__slug="bench-journey")
    doc = document_for(version)
    rng = random.Random(count)
    contexts = [c.id for c in doc.contexts]
    engine = ""
    pool = []
    for _ in range(DISTINCT_SNAPSHOTS):
        answers = random_answers(doc, rng)
        probe = Attempt(version=version, context=rng.choice(contexts), mode="fixed")
        snapshot = build_snapshot(probe, answers)
        engine = snapshot["result"]["engine_version"]
        # Encoded once: encoding 10 kB of JSON per row would dominate the seeding time.
        pool.append(
            (
                probe.context,
                {item: json.dumps(value) for item, value in answers.items()},
                json.dumps(snapshot),
                json.dumps(headline_scores(snapshot)),
                (likert_vector(doc, answers), json.dumps(answers, separators=(",", ":"))),
            )
        )
    now = timezone.now()
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        with transaction.atomic():
            picks = [rng.choice(pool) for _ in range(size)]
            stamps = [now - timedelta(minutes=rng.randint(60, 60 * 24 * 300)) for _ in picks]
            attempts = Attempt.objects.bulk_create(
                Attempt(
                    version=version,
                    context=context,
                    locale="en",
                    status=Attempt.Status.FINISHED,
                    created_at=stamp - timedelta(minutes=12),
                    expires_at=stamp + timedelta(days=30),
                    finished_at=stamp,
                )
                for (context, *_), stamp in zip(picks, stamps, strict=True)
            )
            Link.objects.bulk_create(
                Link(
                    attempt=attempt,
                    purpose=Link.Purpose.RESUME,
                    token_hash=hash_token(secrets.token_urlsafe(32)),
                    expires_at=attempt.expires_at,
                )
                for attempt in attempts
            )
            insert(
                Report,
                ["attempt_id", "version_id", "engine_version", "data", "scores", "created_at"],
                [
                    (attempt.pk, version.pk, engine, data, scores, stored(attempt.finished_at))
                    for attempt, (_, _, data, scores, _) in zip(attempts, picks, strict=True)
                ],
            )
            rows = [
                (attempt.pk, item_id, value, 1000, stamp)
                for attempt, (_, answers, *_) in zip(attempts, picks, strict=True)
                for stamp in [stored(attempt.finished_at)]
                for item_id, value in answers.items()
            ]
            insert(Answer, ["attempt_id", "item_id", "value", "seq", "saved_at"], rows)
            insert(
                AnswerSheet,
                ["attempt_id", "content_hash", "likert", "answers", "written_at"],
                [
                    (attempt.pk, version.content_hash, likert, text, stored(attempt.finished_at))
                    for attempt, (*_, (likert, text)) in zip(attempts, picks, strict=True)
                ],
            )
        done += size


def insert(model, columns: list[str], rows: list[tuple[object, ...]]) -> None:  # type: ignore[no-untyped-def]
    """Rows as they are (JSON encoded, datetimes through ``stored``): COPY on PostgreSQL,
    executemany on SQLite."""
    table, names = model._meta.db_table, ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                rows,
            )


def stored(value: datetime) -> object:
    """A datetime as Django stores it: naive UTC text in SQLite, as is in PostgreSQL."""
    if connection.vendor == "postgresql":
        return value
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def main() -> None:
    count = int(sys.argv[1])
    start = time.perf_counter()
    seed(count)
    elapsed = time.perf_counter() - start
    total = Attempt.objects.filter(status=Attempt.Status.FINISHED).count()
    print(json.dumps({"seeded": count, "seconds": round(elapsed, 1), "finished_total": total}))


if __name__ == "__main__":
    main()
