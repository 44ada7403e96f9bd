"""360 feedback: the candidate invites raters and closes the round; a rater answers with
the invitation's token. Only counts per category are ever shown, never who answered."""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.urls import reverse
from ninja import Path, Router, Schema, Status
from ninja.security import HttpBearer
from pydantic import Field

from ctoready.api.auth import FAILURE_LIMIT, SCOPE, attempt_for, bearer
from ctoready.api.errors import ApiError, errors, not_found
from ctoready.api.present import response_scale
from ctoready.api.schemas import Input, OptionId, PublicId, Rating, Seq
from ctoready.instruments.services import document_for
from ctoready.lib.ratelimit import is_limited, record_failure
from ctoready.lib.siteurl import absolute, site_url
from ctoready.lib.tokens import looks_like_token
from ctoready.raters import services
from ctoready.raters.aggregate import COMMENT_PROMPTS
from ctoready.raters.models import RaterInvite
from ctoready.raters.pages import rater_items

router = Router(tags=["raters"])
Category = Literal["manager", "peer", "direct", "other"]
_COMMON = (401, 404, 409, 422, 429)
_BODY = (400, 413, 415)


class RaterBearer(HttpBearer):
    """``Authorization: Bearer <invitation token>``, as in the rater's private link."""

    def authenticate(self, request: HttpRequest, token: str) -> RaterInvite | None:
        if is_limited(request, SCOPE, FAILURE_LIMIT):
            raise ApiError(429, "rate_limited", "Too many failed tokens; wait a minute.")
        invite = services.resolve_invite(token=token) if looks_like_token(token) else None
        if invite is None:
            record_failure(request, SCOPE)
        return invite


rater_bearer = RaterBearer()


class InviteIn(Input):
    candidate_name: str = Field(min_length=1, max_length=services.NAME_MAX)
    category: Category
    manager_alone: bool = False


class EmailInviteIn(InviteIn):
    emails: list[str] = Field(min_length=1, max_length=services.MAX_BATCH)


class InviteOut(Schema):
    id: str
    category: str
    channel: str
    email: str
    created_at: datetime
    expires_at: datetime
    active: bool


class NewLinkOut(Schema):
    invite: InviteOut
    token: str
    url: str


class RoundOut(Schema):
    open: bool
    responses: dict[str, int] = Field(description="Submitted responses per category.")
    invites: list[InviteOut]


class RaterFormOut(Schema):
    candidate_name: str
    category: str
    completed: bool
    open: bool
    questions: list[dict[str, Any]]
    comment_prompts: list[str]
    answers: dict[str, Any]
    comments: dict[str, str]


class RatingIn(Input):
    value: Rating | Literal["na"]
    seq: Seq


class CommentIn(Input):
    text: str = Field(max_length=services.COMMENT_MAX)
    seq: Seq


class RaterSavedOut(Schema):
    key: str
    saved: bool


def _invite(invite: RaterInvite) -> dict[str, Any]:
    return {
        "id": invite.public_id,
        "category": invite.category,
        "channel": invite.channel,
        "email": invite.email,
        "created_at": invite.created_at,
        "expires_at": invite.expires_at,
        "active": invite.is_active,
    }


def _link_url(request: HttpRequest, token: str) -> str:
    return absolute(reverse("raters:open", args=[token]), request)


@router.post(
    "/attempts/{attempt_id}/raters/links",
    auth=bearer,
    response={201: NewLinkOut, **errors(*_COMMON, *_BODY)},
)
def invite_link(request: HttpRequest, attempt_id: Path[PublicId], body: InviteIn) -> Status[Any]:
    """A private link to pass on to one rater; the token is shown once."""
    attempt = attempt_for(request, attempt_id)
    invite, token = services.invite_by_link(
        attempt=attempt,
        candidate_name=body.candidate_name,
        category=body.category,
        manager_alone=body.manager_alone,
    )
    url = _link_url(request, token)
    return Status(201, {"invite": _invite(invite), "token": token, "url": url})


@router.post(
    "/attempts/{attempt_id}/raters/emails",
    auth=bearer,
    response={201: list[InviteOut], **errors(*_COMMON, *_BODY)},
)
def invite_emails(
    request: HttpRequest, attempt_id: Path[PublicId], body: EmailInviteIn
) -> Status[Any]:
    """Invite people by e-mail (all or nothing); each gets their own private link."""
    attempt = attempt_for(request, attempt_id)
    for email in body.emails:
        try:
            validate_email(email)
        except DjangoValidationError as exc:
            raise ApiError(422, "invalid_email", f"Not an e-mail address: {email[:80]}") from exc
    invites = services.invite_by_email(
        attempt=attempt,
        candidate_name=body.candidate_name,
        category=body.category,
        emails=body.emails,
        manager_alone=body.manager_alone,
        base_url=site_url(request),
    )
    return Status(201, [_invite(i) for i in invites])


@router.get(
    "/attempts/{attempt_id}/raters", auth=bearer, response={200: RoundOut, **errors(*_COMMON)}
)
def rater_round(request: HttpRequest, attempt_id: Path[PublicId]) -> dict[str, Any]:
    """The invitations and how many responses each category has (never who answered)."""
    round_ = services.round_of(attempt_for(request, attempt_id))
    if round_ is None:
        return {"open": True, "responses": {}, "invites": []}
    invites = RaterInvite.objects.filter(round=round_).order_by("-created_at", "-pk")
    return {
        "open": round_.is_open,
        "responses": services.response_counts(round_),
        "invites": [_invite(i) for i in invites],
    }


@router.post(
    "/attempts/{attempt_id}/raters/close",
    auth=bearer,
    response={200: RoundOut, **errors(*_COMMON, *_BODY)},
)
def close(request: HttpRequest, attempt_id: Path[PublicId]) -> dict[str, Any]:
    """Freeze the results into the report (needs enough responses to stay anonymous)."""
    round_ = services.round_of(attempt_for(request, attempt_id))
    if round_ is None:
        raise ApiError(409, "too_few", "Nobody has been invited yet.")
    services.close_round(round_=round_)
    return rater_round(request, attempt_id)


@router.delete(
    "/attempts/{attempt_id}/raters/invites/{invite_id}",
    auth=bearer,
    response={204: None, **errors(*_COMMON)},
)
def revoke_rater(
    request: HttpRequest, attempt_id: Path[PublicId], invite_id: Path[PublicId]
) -> Status[Any]:
    """End an invitation's link (answers already sent still count)."""
    round_ = services.round_of(attempt_for(request, attempt_id))
    invite = RaterInvite.objects.filter(round=round_, public_id=invite_id).first()
    if round_ is None or invite is None:
        raise not_found("invitation")
    services.revoke_invite(invite=invite)
    return Status(204, None)


# The rater's side ---------------------------------------------------------------


def _rater(request: HttpRequest) -> RaterInvite:
    invite = getattr(request, "auth", None)
    if not isinstance(invite, RaterInvite):
        raise ApiError(401, "unauthenticated", "A rater's invitation token is required.")
    return invite


@router.get("/rater", auth=rater_bearer, response={200: RaterFormOut, **errors(401, 429)})
def rater_form(request: HttpRequest) -> dict[str, Any]:
    """The questions about the candidate (observer wording) and what is saved so far."""
    invite = _rater(request)
    doc = document_for(invite.round.attempt.version)
    answers, comments = services.draft_values(invite)
    questions = [
        {
            "id": item.id,
            "number": number,
            "text": item.full_text(doc, observer=True),
            "scale": response_scale(doc.response_scales.get(item.response_scale or "")),
        }
        for number, item in enumerate(rater_items(doc), start=1)
    ]
    return {
        "candidate_name": invite.round.candidate_name,
        "category": invite.category,
        "completed": invite.completed,
        "open": invite.round.is_open and invite.is_active,
        "questions": questions,
        "comment_prompts": list(COMMENT_PROMPTS),
        "answers": answers,
        "comments": comments,
    }


@router.put(
    "/rater/answers/{item_id}",
    auth=rater_bearer,
    response={200: RaterSavedOut, **errors(401, 409, 422, 429, *_BODY)},
)
def rate(request: HttpRequest, item_id: Path[OptionId], body: RatingIn) -> dict[str, Any]:
    """Save one rating idempotently (the higher ``seq`` wins)."""
    invite = _rater(request)
    result = services.save_ratings(
        invite=invite, values={item_id: body.value}, seqs={item_id: body.seq}
    )[0]
    return {"key": result.key, "saved": result.saved}


@router.put(
    "/rater/comments/{prompt}",
    auth=rater_bearer,
    response={200: RaterSavedOut, **errors(401, 409, 422, 429, *_BODY)},
)
def comment(
    request: HttpRequest, prompt: Path[Literal["keep", "change"]], body: CommentIn
) -> dict[str, Any]:
    """Save one free-text comment ("keep" doing, "change"), idempotently."""
    invite = _rater(request)
    result = services.save_ratings(
        invite=invite, values={}, seqs={f"c-{prompt}": body.seq}, comments={prompt: body.text}
    )[0]
    return {"key": result.key, "saved": result.saved}


class SubmittedOut(Schema):
    submitted: bool = Field(description="False when the answers had already been sent.")


@router.post(
    "/rater/submit",
    auth=rater_bearer,
    response={200: SubmittedOut, **errors(401, 409, 422, 429, *_BODY)},
)
def submit(request: HttpRequest) -> dict[str, Any]:
    """Send the answers. From then on they are counted and no longer linked to the link."""
    return {"submitted": services.submit_response(invite=_rater(request))}
