"""Use cases of 360 feedback: invite, answer, submit, remind, close, and the report section."""

import random
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ctoready.assessments.models import Attempt
from ctoready.instruments.document import Instrument, valid_answer
from ctoready.instruments.services import document_for
from ctoready.lib.errors import DomainError
from ctoready.lib.tokens import hash_token, new_token
from ctoready.raters import aggregate
from ctoready.raters.anonymity import CATEGORIES, MIN_GROUP
from ctoready.raters.models import (
    Category,
    RaterInvite,
    RaterInviteKey,
    RaterResponse,
    RaterRound,
)

INVITE_DAYS = 30
MAX_INVITES = 50  # per attempt, however they were made
MAX_BATCH = 20  # e-mail addresses in one request
COMMENT_MAX = 2000
NAME_MAX = 80


class RaterError(DomainError):
    """A request the 360 flow refuses."""


@dataclass(frozen=True)
class SaveResult:
    key: str
    saved: bool  # False when a newer value (higher sequence number) was already stored


# Candidate side ----------------------------------------------------------------------


def plain_name(text: str) -> str:
    """A name as plain text on one line: no control or formatting characters (which
    include the bidirectional overrides that can reverse what a reader sees)."""
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
    )
    return " ".join(kept.split())


def email_confirmed(attempt: Attempt) -> bool:
    """Whether e-mail may be sent on this candidate's behalf: their address was confirmed
    by the resume link sent to it, or the attempt belongs to an account with a verified
    address."""
    if attempt.email_verified_at is not None:
        return True
    return attempt.owner_id is not None and (
        EmailAddress.objects.filter(user_id=attempt.owner_id, verified=True).exists()
    )


def round_of(attempt: Attempt) -> RaterRound | None:
    return RaterRound.objects.filter(attempt=attempt).first()


def _open_round(attempt: Attempt, candidate_name: str) -> RaterRound:
    if not attempt.is_finished:
        raise RaterError("Raters can be invited once the assessment is finished.", "not_finished")
    name = plain_name(candidate_name)
    if not name or len(name) > NAME_MAX:
        raise RaterError(
            f"Give the name your raters know you by (up to {NAME_MAX} characters).", "name"
        )
    round_, _ = RaterRound.objects.get_or_create(attempt=attempt, defaults={"candidate_name": name})
    round_ = RaterRound.objects.select_for_update().get(pk=round_.pk)
    if not round_.is_open:
        raise RaterError("This feedback round is closed; no more raters can join.", "closed")
    if round_.candidate_name != name:
        round_.candidate_name = name
        round_.save(update_fields=["candidate_name"])
    return round_


def _check_category(category: str, manager_alone: bool) -> None:
    if category not in CATEGORIES:
        raise RaterError("Choose who these raters are to you.", "category")
    if manager_alone and category != Category.MANAGER:
        raise RaterError("Only a manager can be shown on their own.", "manager_alone")


def _check_room(round_: RaterRound, adding: int) -> None:
    existing = RaterInvite.objects.filter(round=round_).count()
    if existing + adding > MAX_INVITES:
        left = max(0, MAX_INVITES - existing)
        raise RaterError(
            f"An assessment can have at most {MAX_INVITES} invitations; "
            f"{left} {'is' if left == 1 else 'are'} left.",
            "too_many",
        )


def _new_invite(round_: RaterRound, category: str, channel: str, **fields: Any) -> RaterInvite:
    return RaterInvite.objects.create(
        round=round_,
        category=category,
        channel=channel,
        expires_at=timezone.now() + timedelta(days=INVITE_DAYS),
        **fields,
    )


def new_key(*, invite: RaterInvite) -> str:
    """A fresh link for an invitation; only its hash is stored, the token is returned."""
    token = new_token()
    RaterInviteKey.objects.create(invite=invite, token_hash=hash_token(token))
    return token


def invite_by_email(
    *,
    attempt: Attempt,
    candidate_name: str,
    category: str,
    emails: list[str],
    manager_alone: bool = False,
    base_url: str = "",
) -> list[RaterInvite]:
    """Invite people by e-mail, all or nothing; a background task sends each message
    (``base_url``: the site's address for the links, when ``SITE_URL`` is not set).
    The messages go out on the candidate's behalf, so their own address must be
    confirmed first; private links (:func:`invite_by_link`) need no address."""
    from ctoready.raters.tasks import send_invitation

    if not email_confirmed(attempt):
        raise RaterError(
            "Invitations by e-mail are sent on your behalf, so they need your confirmed "
            "e-mail address: open the resume link we e-mailed you, or sign in to an account "
            "with a verified address that holds this assessment. You can still create "
            "private links and pass them on yourself.",
            "email_unconfirmed",
        )
    _check_category(category, manager_alone)
    if not emails:
        raise RaterError("Enter at least one e-mail address.", "no_emails")
    if len(emails) > MAX_BATCH:
        raise RaterError(f"Invite at most {MAX_BATCH} people at a time.", "batch")
    wanted = {e.lower() for e in emails}
    if attempt.email and attempt.email.lower() in wanted:
        raise RaterError("You cannot invite yourself.", "self")
    with transaction.atomic():
        round_ = _open_round(attempt, candidate_name)
        _check_room(round_, len(wanted))
        taken = {
            e.lower()
            for e in RaterInvite.objects.filter(round=round_, revoked_at=None)
            .exclude(email="")
            .values_list("email", flat=True)
        }
        if wanted & taken:
            raise RaterError(
                f"Already invited: {', '.join(sorted(wanted & taken))}.", "already_invited"
            )
        invites = [
            _new_invite(
                round_, category, RaterInvite.Channel.EMAIL, email=e, manager_alone=manager_alone
            )
            for e in sorted(wanted)
        ]
    # After the commit, so a worker always finds the invitation (and only the id is queued).
    for invite in invites:
        send_invitation.enqueue(invite_id=invite.pk, base_url=base_url)
    return invites


def invite_by_link(
    *, attempt: Attempt, candidate_name: str, category: str, manager_alone: bool = False
) -> tuple[RaterInvite, str]:
    """A private link for the candidate to pass on themselves; the raw token is returned
    once and never stored."""
    _check_category(category, manager_alone)
    with transaction.atomic():
        round_ = _open_round(attempt, candidate_name)
        _check_room(round_, 1)
        invite = _new_invite(
            round_, category, RaterInvite.Channel.LINK, manager_alone=manager_alone
        )
        return invite, new_key(invite=invite)


def revoke_invite(*, invite: RaterInvite) -> None:
    RaterInvite.objects.filter(pk=invite.pk, revoked_at=None).update(revoked_at=timezone.now())


def response_counts(round_: RaterRound) -> dict[str, int]:
    """Submitted responses per category: what the candidate may see before closing."""
    rows = (
        RaterResponse.objects.filter(round=round_, submitted_on__isnull=False)
        .values("category")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(CATEGORIES, 0)
    counts.update({row["category"]: row["n"] for row in rows})
    return counts


def send_reminders(*, round_: RaterRound, base_url: str = "") -> None:
    """Remind everyone invited by e-mail who has not answered; at most once a day.
    ``base_url``: the site's address for the links, when ``SITE_URL`` is not set."""
    from ctoready.raters.tasks import send_reminders as task

    today = timezone.localdate()
    if not round_.is_open:
        raise RaterError("This feedback round is closed.", "closed")
    if round_.reminded_on == today:
        raise RaterError("Reminders were already sent today. Try again tomorrow.", "reminded")
    RaterRound.objects.filter(pk=round_.pk).update(reminded_on=today)
    round_.reminded_on = today
    task.enqueue(round_id=round_.pk, base_url=base_url)


def close_round(*, round_: RaterRound) -> RaterRound:
    """Freeze the results: build the section once, end every link, forget addresses and
    unfinished drafts. Showing results only from a closed round means no later response
    can be isolated by comparing the section before and after it arrived."""
    with transaction.atomic():
        locked = RaterRound.objects.select_for_update().select_related("attempt").get(pk=round_.pk)
        if not locked.is_open:
            return locked
        submitted = list(RaterResponse.objects.filter(round=locked, submitted_on__isnull=False))
        if len(submitted) < MIN_GROUP:
            raise RaterError(
                f"Results can be shown once at least {MIN_GROUP} people have answered.",
                "too_few",
            )
        # Through the attempt's relation: the report app builds on raters, not the reverse.
        report = locked.attempt.reports.order_by("-created_at", "-pk").first()
        if report is None:
            raise RaterError("This assessment has no report yet.", "no_report")
        ratings = [
            aggregate.Rating(
                category=r.category,
                answers=r.answers,
                manager_alone=r.manager_alone,
                comments=r.comments,
            )
            for r in submitted
        ]
        locked.result = aggregate.build_section(
            document_for(report.version),
            report.snapshot.result.scales,
            ratings,
            random.SystemRandom(),
        )
        locked.closed_on = timezone.localdate()
        locked.save(update_fields=["result", "closed_on"])
        RaterInvite.objects.filter(round=locked, revoked_at=None).update(revoked_at=timezone.now())
        RaterInvite.objects.filter(round=locked).update(email="", draft=None)
        RaterResponse.objects.filter(round=locked, submitted_on__isnull=True).delete()
    return locked


def report_section(attempt: Attempt) -> dict[str, Any] | None:
    """The 360 section of a report (already anonymised), or None until a round closes."""
    round_ = RaterRound.objects.filter(attempt=attempt, closed_on__isnull=False).first()
    return round_.result if round_ else None


def blind_spots(attempt: Attempt) -> tuple[list[str], list[str]]:
    """Scale ids where self is above others beyond error, and where others are above."""
    section = report_section(attempt) or {}
    return section.get("blind_spots", []), section.get("hidden_strengths", [])


# Rater side ---------------------------------------------------------------------------


def resolve_invite(*, token: str) -> RaterInvite | None:
    """The invitation behind a raw token, whatever its state; reading never consumes it."""
    key = (
        RaterInviteKey.objects.select_related("invite", "invite__round")
        .filter(token_hash=hash_token(token))
        .first()
    )
    return key.invite if key else None


def _check_can_answer(invite: RaterInvite) -> None:
    if invite.completed:
        raise RaterError(_("You have already sent your answers. Thank you."), "completed")
    if not invite.round.is_open or not invite.is_active:
        raise RaterError(_("This invitation has ended."), "ended")


def _merge(stored: dict[str, Any], key: str, value: Any, seq: int) -> bool:
    current = stored.get(key)
    if current is None or current["s"] < seq:
        stored[key] = {"v": value, "s": seq}
        return True
    return bool(current["s"] == seq)  # the same submission again: acknowledged


def _validate(doc: Instrument, values: dict[str, Any], comments: dict[str, str]) -> None:
    for item_id, value in values.items():
        item = doc.item_by_id.get(item_id)
        if item is None or not item.is_likert:
            raise RaterError(_("That question is not part of this feedback."), "unknown_item")
        if value is None or not valid_answer(item, value, doc):
            raise RaterError(_("That is not one of the possible answers."), "bad_value")
    for prompt, text in comments.items():
        if prompt not in aggregate.COMMENT_PROMPTS:
            message = _("That comment box is not part of this feedback.")
            raise RaterError(message, "unknown_item")
        if len(text) > COMMENT_MAX:
            message = _("Keep each comment under %(max)d characters.") % {"max": COMMENT_MAX}
            raise RaterError(message, "too_long")


def save_ratings(
    *,
    invite: RaterInvite,
    values: dict[str, Any],
    seqs: dict[str, int],
    comments: dict[str, str] | None = None,
) -> list[SaveResult]:
    """Store answers and comments idempotently; an older sequence number never overwrites
    a newer one, and a retry of the same one is acknowledged without a change."""
    comments = comments or {}
    doc = document_for(invite.round.attempt.version)
    _validate(doc, values, comments)
    with transaction.atomic():
        locked = RaterInvite.objects.select_for_update().select_related("round").get(pk=invite.pk)
        _check_can_answer(locked)
        draft = locked.draft
        if draft is None:
            draft = RaterResponse.objects.create(
                round=locked.round, category=locked.category, manager_alone=locked.manager_alone
            )
            locked.draft = draft
            locked.save(update_fields=["draft"])
        results = [SaveResult(k, _merge(draft.answers, k, v, seqs[k])) for k, v in values.items()]
        results += [
            SaveResult(f"c-{k}", _merge(draft.comments, k, text.strip(), seqs[f"c-{k}"]))
            for k, text in comments.items()
        ]
        draft.save(update_fields=["answers", "comments"])
    return results


def draft_values(invite: RaterInvite) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers and comments saved so far, for showing the form again."""
    draft = invite.draft
    if draft is None:
        return {}, {}
    answers = {k: v["v"] for k, v in draft.answers.items()}
    return answers, {k: v["v"] for k, v in draft.comments.items()}


def submit_response(*, invite: RaterInvite) -> bool:
    """Count the rater's answers. Returns False when they were already submitted (a second
    submission changes nothing). Sequence numbers, which are clock readings, are dropped,
    and the invitation lets go of the response: from here on nothing links them."""
    with transaction.atomic():
        locked = RaterInvite.objects.select_for_update().select_related("round").get(pk=invite.pk)
        if locked.completed:
            return False
        _check_can_answer(locked)
        draft = locked.draft
        if draft is None or not draft.answers:
            raise RaterError(_("Answer at least one question before sending."), "no_answers")
        draft.answers = {k: v["v"] for k, v in draft.answers.items()}
        draft.comments = {k: v["v"] for k, v in draft.comments.items() if v["v"]}
        draft.submitted_on = timezone.localdate()
        draft.save(update_fields=["answers", "comments", "submitted_on"])
        locked.completed = True
        locked.draft = None
        locked.save(update_fields=["completed", "draft"])
    invite.completed, invite.draft = True, None
    return True
