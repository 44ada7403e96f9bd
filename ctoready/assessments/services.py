"""Use cases of taking the assessment: start, save answers, resume, finish, expire, and
retention."""

import functools
import json
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ctoready.assessments.models import Answer, Attempt, Link
from ctoready.instruments.document import Instrument, valid_answer
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import document_for
from ctoready.lib.errors import DomainError
from ctoready.lib.ratelimit import purge_old_counters
from ctoready.lib.rows import Read, Select, direct, direct_many
from ctoready.lib.tokens import hash_token, new_token


class FlowError(DomainError):
    """A request the flow refuses; ``item_id`` names the question it is about, if one."""

    def __init__(self, message: str, code: str = "invalid", item_id: str | None = None) -> None:
        super().__init__(message, code)
        self.item_id = item_id


@dataclass(frozen=True)
class SaveResult:
    item_id: str
    saved: bool  # False when a newer answer (higher sequence number) was already stored


def now_seq() -> int:
    """The server clock in milliseconds: the sequence number of a page as rendered."""
    return time.time_ns() // 1_000_000


def start_attempt(
    *,
    version: InstrumentVersion,
    context: str,
    locale: str,
    email: str = "",
    owner: Any = None,
    previous: Attempt | None = None,
) -> tuple[Attempt, str]:
    """Create an attempt and its resume link; returns the attempt and the raw token."""
    doc = document_for(version)
    if context not in doc.context_by_id:
        raise FlowError(_("Choose the role you are aiming for."), "unknown_context")
    adaptive = version.adaptive_enabled and all(i.irt_a is not None for i in doc.likert_items)
    with transaction.atomic():
        attempt = Attempt.objects.create(
            version=version,
            context=context,
            locale=locale,
            email=email,
            owner=owner if getattr(owner, "is_authenticated", False) else None,
            previous=previous,
            # A retake with the same address keeps it confirmed.
            email_verified_at=(
                previous.email_verified_at
                if previous and email and previous.email == email
                else None
            ),
            mode=Attempt.Mode.ADAPTIVE if adaptive else Attempt.Mode.FIXED,
            expires_at=Attempt.default_expiry(),
            option_order=shuffled_options(doc),
        )
        token = create_link(attempt=attempt, purpose=Link.Purpose.RESUME)
    return attempt, token


def shuffled_options(doc: Instrument) -> dict[str, list[str]]:
    """A fresh order of every scenario's options, so that no position carries the key."""
    rng = random.SystemRandom()
    return {
        item.id: rng.sample([option.id for option in item.options], len(item.options))
        for item in doc.items_of("scenario")
    }


def create_link(*, attempt: Attempt, purpose: str, days: int | None = None, label: str = "") -> str:
    token = new_token()
    Link.objects.create(
        attempt=attempt,
        purpose=purpose,
        token_hash=hash_token(token),
        label=label,
        expires_at=timezone.now() + timedelta(days=days or settings.ATTEMPT_EXPIRY_DAYS),
    )
    return token


def resolve_link(*, token: str, purpose: str) -> Link | None:
    """The active link for a raw token, or None. Reading a link never consumes it."""
    link = (
        Link.objects.select_related("attempt")
        .filter(token_hash=hash_token(token), purpose=purpose)
        .first()
    )
    if link is None or not link.is_active:
        return None
    now = timezone.now()
    # Bookkeeping at most once a minute: API calls authenticate with links on every request.
    if link.last_used_at is None or now - link.last_used_at > timedelta(minutes=1):
        Link.objects.filter(pk=link.pk).update(last_used_at=now)
    return link


def confirm_email(*, link: Link) -> None:
    """Opening the resume link sent to the attempt's address shows the address is the
    candidate's own."""
    attempt = link.attempt
    if link.label == Link.EMAILED and attempt.email and attempt.email_verified_at is None:
        attempt.email_verified_at = timezone.now()
        attempt.save(update_fields=["email_verified_at"])


def revoke_link(*, link: Link) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


def _check_open(attempt: Attempt) -> None:
    if attempt.status == Attempt.Status.FINISHED:
        message = _("This assessment is finished; its answers can no longer change.")
        raise FlowError(message, "finished")
    if not attempt.is_open:
        raise FlowError(_("This assessment has expired."), "expired")


def same_option_twice(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and value.get("best") is not None
        and (value.get("best") == value.get("worst"))
    )


def open_part(attempt: Attempt) -> str | None:
    """The part whose answers can change now: the core until it is finished, then the
    deep-dive once started and until it is finished; None when nothing can change."""
    if attempt.is_open:
        return "core"
    return "deep" if attempt.deep_open else None


def _check_part(attempt: Attempt, doc: Instrument, item_ids: list[str]) -> None:
    part = open_part(attempt)
    if part is None:
        _check_open(attempt)
    if any(doc.part_of_item.get(ref, "core") != part for ref in item_ids):
        if part == "core":
            message = _("That question belongs to the deep-dive, which opens after the core.")
            raise FlowError(message, "wrong_part")
        _check_open(attempt)  # the core of a finished attempt: its answers are fixed


def start_deep_dive(*, attempt: Attempt) -> int:
    """Open the optional deep-dive of a finished attempt; returns its first page number.

    Starting twice keeps the first start (the deep-dive's completion time runs from it).
    """
    doc = document_for(attempt.version)
    numbers = doc.page_numbers("deep")
    if not numbers:
        raise FlowError(_("This assessment has no deep-dive."), "no_deep_dive")
    if attempt.status != Attempt.Status.FINISHED:
        raise FlowError(_("Finish the core first: the deep-dive follows it."), "not_finished")
    if attempt.deep_finished_at is not None:
        raise FlowError(_("You have already taken the deep-dive."), "finished")
    if attempt.deep_started_at is None:
        now = timezone.now()
        Attempt.objects.filter(pk=attempt.pk, deep_started_at__isnull=True).update(
            deep_started_at=now
        )
        attempt.deep_started_at = Attempt.objects.values_list("deep_started_at", flat=True).get(
            pk=attempt.pk
        )
        record_page_moves(attempt=attempt, doc=doc, shown=numbers[0])
    return numbers[0]


def save_answer(*, attempt: Attempt, item_id: str, value: Any, seq: int) -> SaveResult:
    """Store one answer idempotently; an older sequence number never overwrites a newer one."""
    return save_answers(attempt=attempt, values={item_id: value}, seq=seq)[0]


def save_answers(
    *,
    attempt: Attempt,
    values: dict[str, Any],
    seq: int | dict[str, int],
    stored: dict[str, int] | None = None,
    moves: tuple[int, int | None] | None = None,
) -> list[SaveResult]:
    """Store several answers, all or nothing, each kept only if its sequence number is newer.

    ``stored``: the stored sequence numbers of these answers, when the caller has read them
    already in this request (:func:`seqs_read`); those not in it are not stored.

    ``moves``: (page left, page shown) to record (:func:`record_page_moves`) if every answer
    is saved, as a page's post records them; with the answers' write, in the same round
    trip on PostgreSQL."""
    doc = document_for(attempt.version)
    for item_id, value in values.items():
        item = doc.item_by_id.get(item_id)
        if item is None:
            raise FlowError(_("That question is not part of this assessment."), "unknown_item")
        if same_option_twice(value):
            message = _("Choose a different option as least effective than as most effective.")
            raise FlowError(message, "bad_value", item_id)
        if not valid_answer(item, value, doc):
            message = _("That is not a possible answer to “%(question)s”.")
            raise FlowError(message % {"question": item.text[:60]}, "bad_value", item_id)
    seqs = {item_id: seq[item_id] if isinstance(seq, dict) else seq for item_id in values}
    if stored is None:
        stored = _stored_seqs(attempt, list(values))
    written: set[str] = set()
    pending = [(ref, values[ref], seqs[ref]) for ref in values if stored.get(ref, -1) < seqs[ref]]
    if not pending:
        # Nothing to write (a page post after autosave, a retry): no write transaction,
        # which on SQLite would wait for the database's one writer.
        _check_part(attempt, doc, list(values))
    else:
        # One statement writes them, only while their part is open (as an autosave is
        # written), so an answer never lands after finishing; when it writes nothing, the
        # attempt's state says whether the part is closed (refused, as before) or newer
        # answers were stored. The moves follow, recorded only if every answer then
        # stands as posted.
        after = _moves_if_saved(attempt, doc, moves, seqs) if moves else []
        written = _upsert(attempt.pk, pending, part=_part_of(doc, list(values)), after=after)
        if not written:
            fresh = _PART_STATE.one([attempt.pk])
            if fresh is None:
                raise FlowError(_("This assessment no longer exists."), "gone")
            _check_part(fresh, doc, list(values))
        if missed := [ref for ref, _, _ in pending if ref not in written]:
            # ``stored`` was a moment old: the same or a newer answer arrived meanwhile
            # (a retry, another tab). The statement kept the newer; read what it kept.
            stored.update(_stored_seqs(attempt, missed))
    results = [SaveResult(ref, ref in written or stored.get(ref) == seqs[ref]) for ref in values]
    # The moves went along with a write of every answer, so its condition held; otherwise
    # they are recorded now if all is saved (recording them twice changes nothing).
    taken_along = bool(pending) and len(written) == len(pending)
    if moves and not taken_along and all(result.saved for result in results):
        record_page_moves(attempt=attempt, doc=doc, left=moves[0], shown=moves[1])
    return results


# What decides whether a part is open: read when a save wrote nothing, to say why.
_PART_STATE = Select(
    Attempt,
    where="t0.id = %s",
    only=("id", "status", "expires_at", "deep_started_at", "deep_finished_at"),
)


def _stored_seqs(attempt: Attempt, item_ids: list[str]) -> dict[str, int]:
    """The stored sequence numbers of these answers (those stored)."""
    if not item_ids:
        return {}
    if len(item_ids) > MAX_LISTED:
        wanted = set(item_ids)
        return {ref: seq for ref, seq in _SEQS.values([attempt.pk]) if ref in wanted}
    return dict(_seqs_of(len(item_ids)).values([attempt.pk, *item_ids]))


# A page's post asks for its few answers by name: a quarter of the time it took to read
# every answer of the attempt and pick them (60 answers stored); one statement per count
# of answers asked for, up to a page's worth. Larger batches (the API) read them all.
MAX_LISTED = 32
_SEQS_LISTED: dict[tuple[int, str], Select[Answer]] = {}
# Answers of an attempt named by its public id, read in one round trip with the attempt.
_OF_PUBLIC_ID = f"t0.attempt_id = (SELECT id FROM {Attempt._meta.db_table} WHERE public_id = %s)"  # noqa: S608


def _seqs_of(count: int, by: str = "t0.attempt_id = %s") -> Select[Answer]:
    select = _SEQS_LISTED.get((count, by))
    if select is None:
        marks = ", ".join(["%s"] * count)
        where = f"{by} AND t0.item_id IN ({marks})"
        select = _SEQS_LISTED[count, by] = Select(Answer, where=where, only=("item_id", "seq"))
    return select


def seqs_read(public_id: str, item_ids: list[str]) -> Read:
    """The stored sequence numbers of these answers (at most ``MAX_LISTED``) of the
    attempt with this public id, for ``rows.together``: what ``save_answers`` reads first,
    read with the attempt itself."""
    if not 1 <= len(item_ids) <= MAX_LISTED:
        raise ValueError(f"from 1 to {MAX_LISTED} answers, not {len(item_ids)}")
    return _seqs_of(len(item_ids), _OF_PUBLIC_ID).read([public_id, *item_ids])


def answers_read(public_id: str) -> Read:
    """The answers (item, value) of the attempt with this public id, for
    ``rows.together``: :func:`answers_of`, read with the attempt itself."""
    return _ANSWERS_OF_PUBLIC_ID.read([public_id])


# Every answer is written by one statement: insert, or update only when the stored
# sequence number is older, so two writers racing on the same answer (two tabs, two
# servers) leave the newer whatever the order; it returns the answers it wrote.
_UPSERT_TAIL = (
    " ON CONFLICT (attempt_id, item_id) DO UPDATE SET value = excluded.value,"
    " seq = excluded.seq, saved_at = excluded.saved_at"
    " WHERE assessments_answer.seq < excluded.seq RETURNING item_id"
)
_INSERT = "INSERT INTO assessments_answer (attempt_id, item_id, value, seq, saved_at) "
# open_part() as a condition on the attempt row "a" (the core: its expiry is a parameter).
_OPEN = {
    "core": "a.status = 'in_progress' AND a.expires_at > %s",
    "deep": (
        "a.status = 'finished' AND a.deep_started_at IS NOT NULL AND a.deep_finished_at IS NULL"
    ),
}


def _open_check(vendor: str, part: str) -> str:
    """The attempt row, if ``part`` is open, for an answer's write to depend on.

    On PostgreSQL the row is locked FOR KEY SHARE: a finish in progress holds it FOR
    UPDATE, so the write waits for the finish to commit, then finds the part closed and
    writes nothing. Without the lock it would read the row as it was before the finish,
    and an answer acknowledged as saved would be missing from the report. SQLite lets one
    transaction write at a time, so a finish and a write cannot overlap there."""
    lock = " FOR KEY SHARE OF a" if vendor == "postgresql" else ""
    return f"SELECT 1 FROM assessments_attempt a WHERE a.id = %s AND {_OPEN[part]}{lock}"  # noqa: S608


def _json_param(vendor: str) -> str:
    return "CAST(%s AS jsonb)" if vendor == "postgresql" else "%s"


def _part_of(doc: Instrument, item_ids: list[str]) -> str:
    """The part these items belong to ("mixed" when they span two: never written)."""
    parts = {doc.part_of_item.get(ref, "core") for ref in item_ids}
    return parts.pop() if len(parts) == 1 else "mixed"


def _upsert(
    attempt_pk: int,
    rows: list[tuple[str, Any, int]],
    *,
    part: str,
    after: list[tuple[str, list[Any]]] | None = None,
) -> set[str]:
    """Write ``(item id, value, seq)`` rows of one attempt if ``part`` is open now, in one
    statement; the item ids written. The statements ``after`` run next, in the same
    round trip on PostgreSQL (``rows.direct_many``)."""
    if not rows or part not in _OPEN:
        return set()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    row = f"(%s, %s, {_json_param(connection.vendor)}, %s, %s)"
    sql = (
        _INSERT  # noqa: S608 (constants only)
        + "SELECT * FROM (VALUES "
        + ", ".join([row] * len(rows))
        + f") AS v WHERE EXISTS ({_open_check(connection.vendor, part)})"
        + _UPSERT_TAIL
    )
    params = [p for ref, value, seq in rows for p in (attempt_pk, ref, _json(value), seq, now)]
    params += [attempt_pk, *([now] if part == "core" else [])]
    found = direct_many([(sql, params), *(after or [])])
    return {ref for (ref,) in found[0]}


def save_if_open(
    *, attempt_pk: int, item_id: str, value: Any, seq: int, part: str
) -> tuple[str, int | None] | None:
    """One answer, validated by the caller, in one statement that also checks that its part
    is open: (code, n), the code "saved" (now, or already: a retry) or "stale" (a newer
    answer is stored); None when the part is closed or the attempt is gone (then nothing
    was written). ``n`` is the number of questions the attempt has answered once the
    answer is written, counted by the same statement in the core; None where nothing
    counted it (the deep-dive counts only its own questions, and a write that did not
    happen counts nothing). The autosave hot path (``autosave.py``) writes through this, on the
    driver's connection (``rows.direct``); a database error raises as ever."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    open_args = [now] if part == "core" else []
    save, stored = _save_if_open_sql(connection.vendor, part)
    params = [attempt_pk, item_id, _json(value), seq, now, attempt_pk, *open_args]
    if part == "core":
        params += [attempt_pk, item_id]
    written = direct(save, params)
    if written:
        return "saved", written[0][1] if part == "core" else None
    # Nothing written: the same or a newer answer is stored, or the part is closed.
    found = direct(stored, [attempt_pk, item_id, *open_args])
    if not found:
        return None
    (stored_seq,) = found[0]
    code = "saved" if stored_seq == seq else "stale" if stored_seq > seq else None
    return None if code is None else (code, None)


# The core's answered questions once an answer is written, in the upsert's RETURNING: the
# others' answers as the statement found them (PostgreSQL's subquery sees the rows as
# they were before it, SQLite's as they are after; without this item both agree) and
# this one's as written. While the core is open every stored answer is a core answer.
_ANSWERED_AFTER = (
    ", (SELECT count(*) FROM assessments_answer c WHERE c.attempt_id = %s"
    " AND c.item_id <> %s AND c.value IS NOT NULL)"
    " + CASE WHEN assessments_answer.value IS NULL THEN 0 ELSE 1 END"
)


@functools.cache
def _save_if_open_sql(vendor: str, part: str) -> tuple[str, str]:
    """save_if_open's upsert and its look at the stored answer, written once."""
    source = (
        f"SELECT %s, %s, {_json_param(vendor)}, %s, %s WHERE EXISTS ({_open_check(vendor, part)})"
    )
    stored = (
        "SELECT n.seq FROM assessments_answer n JOIN assessments_attempt a "  # noqa: S608
        f"ON a.id = n.attempt_id WHERE n.attempt_id = %s AND n.item_id = %s AND {_OPEN[part]}"
    )
    counted = _ANSWERED_AFTER if part == "core" else ""
    return _INSERT + source + _UPSERT_TAIL + counted, stored


def _json(value: Any) -> str | None:
    """An answer as the JSON column stores it (SQL NULL for None, as the model does)."""
    return None if value is None else json.dumps(value)


# Read on every page request and post: written once, not compiled by the ORM each time
# (lib/rows.py).
_ANSWERS = Select(Answer, where="t0.attempt_id = %s", only=("item_id", "value"))
_SEQS = Select(Answer, where="t0.attempt_id = %s", only=("item_id", "seq"))
_ANSWERS_OF_PUBLIC_ID = Select(Answer, where=_OF_PUBLIC_ID, only=("item_id", "value"))


def answers_of(attempt: Attempt) -> dict[str, Any]:
    return dict(_ANSWERS.values([attempt.pk]))


def answered_ids(answers: dict[str, Any]) -> set[str]:
    return {item_id for item_id, value in answers.items() if value is not None}


def page_status(
    items_per_page: list[tuple[str, ...]], answers: dict[str, Any]
) -> list[tuple[int, int, int]]:
    """Per page: (page number, questions answered, questions on the page)."""
    done = answered_ids(answers)
    return [
        (number, sum(1 for ref in items if ref in done), len(items))
        for number, items in enumerate(items_per_page, start=1)
    ]


def extend_expiry(*, attempt: Attempt) -> None:
    """Coming back keeps an unfinished attempt alive for another full period."""
    if attempt.status == Attempt.Status.IN_PROGRESS:
        attempt.expires_at = Attempt.default_expiry()
        attempt.save(update_fields=["expires_at"])


def claim_attempt(*, attempt: Attempt, user: Any) -> None:
    """Keep an attempt taken anonymously in this browser under the signed-in account."""
    if attempt.owner_id is not None and attempt.owner_id != user.pk:
        raise FlowError(_("This assessment already belongs to another account."), "owned")
    if attempt.owner_id is None:
        attempt.owner = user
        attempt.save(update_fields=["owner"])


def apply_retention() -> dict[str, int]:
    """Delete what the retention periods (docs/privacy.md) no longer keep: unfinished
    attempts past their expiry date, expired private links, failure counters, and (when
    RETENTION_FINISHED_DAYS is set) finished attempts older than that. Run hourly by
    ``ctoready maintenance``."""
    now = timezone.now()
    unfinished = Attempt.objects.filter(
        Q(status=Attempt.Status.EXPIRED) | Q(status=Attempt.Status.IN_PROGRESS, expires_at__lte=now)
    )
    counts = {"unfinished_attempts": unfinished.delete()[1].get("assessments.Attempt", 0)}
    counts["links"] = Link.objects.filter(expires_at__lte=now).delete()[0]
    counts["finished_attempts"] = 0
    if settings.RETENTION_FINISHED_DAYS > 0:
        cutoff = now - timedelta(days=settings.RETENTION_FINISHED_DAYS)
        # Old finished attempts are erased as their owner would erase them: every app's
        # rows and every cached rendering (docs/privacy.md). The orchestration sits above
        # the apps, so it is imported here, at the one place retention needs it.
        from ctoready.privacy import erase_personal_data

        old = Attempt.objects.filter(status=Attempt.Status.FINISHED, finished_at__lt=cutoff)
        counts["finished_attempts"] = old.count()
        erase_personal_data(attempts=old)
    counts["counters"] = purge_old_counters()
    return counts


def record_page_moves(
    *, attempt: Attempt, doc: Instrument, left: int | None = None, shown: int | None = None
) -> None:
    """Note, on the server clock, that page ``left`` was submitted and page ``shown`` is next.

    Called by the POST that moves the person (starting, or submitting a page: for a fixed
    form through :func:`save_answers`' ``moves``), so that showing a page (a GET) never
    writes. Only the first showing and the first leaving of a
    page are kept: going back and forth, retries and second tabs change nothing.
    """
    rows = _visit_rows(attempt, doc, left, shown)
    if rows:
        direct(_VISITS[len(rows)], [value for row in rows for value in row])


def _visit_rows(
    attempt: Attempt, doc: Instrument, left: int | None, shown: int | None
) -> list[list[Any]]:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = []
    if left is not None and 1 <= left <= len(doc.pages):
        rows.append(_visit_row(attempt, doc, left, shown_at=None, left_at=now))
    if shown is not None and 1 <= shown <= len(doc.pages) and shown != left:
        # (A page left and shown at once has its visit already: showing it changes nothing.)
        rows.append(_visit_row(attempt, doc, shown, shown_at=now, left_at=None))
    return rows


def _moves_if_saved(
    attempt: Attempt, doc: Instrument, moves: tuple[int, int | None], seqs: dict[str, int]
) -> list[tuple[str, list[Any]]]:
    """Statements recording the page moves only if every one of these answers is stored
    with its sequence number (each answer saved): one per visit, so that no row of
    values needs a type worked out from others."""
    pairs = " OR ".join(["(item_id = %s AND seq = %s)"] * len(seqs))
    sql = (
        f"INSERT INTO assessments_pagevisit {_VISIT_COLUMNS} SELECT %s, %s, %s, %s, %s, %s"  # noqa: S608 (constants only)
        f" WHERE (SELECT count(*) FROM assessments_answer WHERE attempt_id = %s AND ({pairs}))"
        f" = %s{_VISIT_CONFLICT}"
    )
    condition = [attempt.pk, *(v for pair in seqs.items() for v in pair), len(seqs)]
    return [(sql, row + condition) for row in _visit_rows(attempt, doc, *moves)]


# Both moves in one statement, written by hand (two to three ORM statements, compiled on
# every page post, before). A page left gets its first leaving, on the visit its showing
# recorded or on a new one; a page shown gets a visit only if it has none (its row has no
# leaving, so the update's condition leaves a stored visit alone).
_VISIT_COLUMNS = "(attempt_id, page_id, number, part, shown_at, left_at)"
_VISIT_CONFLICT = (
    " ON CONFLICT (attempt_id, page_id) DO UPDATE SET left_at = excluded.left_at"
    " WHERE assessments_pagevisit.left_at IS NULL AND excluded.left_at IS NOT NULL"
)
_VISITS = {
    count: (
        f"INSERT INTO assessments_pagevisit {_VISIT_COLUMNS} VALUES "  # noqa: S608 (constants only)
        + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * count)
        + _VISIT_CONFLICT
    )
    for count in (1, 2)
}


def _visit_row(
    attempt: Attempt, doc: Instrument, number: int, *, shown_at: Any, left_at: Any
) -> list[Any]:
    page = doc.pages[number - 1]
    return [attempt.pk, page.id, number, getattr(page, "part", "core"), shown_at, left_at]


def seconds_between(start: datetime, end: datetime) -> int:
    """Whole seconds from ``start`` to ``end`` (never negative): a part's completion time."""
    return max(0, round((end - start).total_seconds()))
