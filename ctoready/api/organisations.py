"""Organisations over JSON, for accounts (personal API tokens): the organisations a caller
runs, a cohort's sharing members and shared scores, and a member's own consent.

Everything is read through :mod:`ctoready.orgs.access`, filtered by membership and
consent in the query: another organisation's cohort is a 404 like one that does not exist.
"""

from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema, Status

from ctoready.api.auth import bearer, principal_of
from ctoready.api.errors import ApiError, errors, not_found
from ctoready.api.schemas import Input, PublicId
from ctoready.assessments.models import Attempt
from ctoready.instruments.models import InstrumentVersion
from ctoready.orgs import access, services
from ctoready.orgs.models import Cohort, Consent, Membership, Role
from ctoready.orgs.picture import cohort_picture

router = Router(tags=["organisations"], auth=bearer)
_COMMON = (401, 404, 422, 429)


class CohortOut(Schema):
    id: str
    name: str
    instrument: str
    context: str


class OrganisationOut(Schema):
    id: str
    name: str
    role: str
    development_only_accepted_at: str
    cohorts: list[CohortOut]


class OrganisationIn(Input):
    name: str = Field(..., min_length=1, max_length=100)
    accept_development_only: bool


class CohortIn(Input):
    name: str = Field(..., min_length=1, max_length=100)
    instrument: str = Field(..., min_length=1, max_length=64)
    version: str = Field(..., min_length=1, max_length=32)
    lang: str = Field("en", min_length=2, max_length=16)
    context: str = Field(..., min_length=1, max_length=64)


class InvitationsIn(Input):
    emails: list[str] = Field(..., min_length=1, max_length=20)


class InvitationsOut(Schema):
    invited: list[str]


class MemberOut(Schema):
    id: str
    member: str
    shares: Literal["scores", "full"]
    includes_360: bool
    since: str


class ScaleMeanOut(Schema):
    scale: str
    name: str
    n: int
    mean: float | None
    se: float | None
    low: float | None
    high: float | None


class IntervalOut(Schema):
    score: int
    low: int
    high: int


class MemberScoresOut(Schema):
    member: str
    readiness: IntervalOut | None
    level: str | None
    scales: dict[str, IntervalOut | None]


class ScoresOut(Schema):
    members_sharing: int
    rows_shown: bool
    averages: list[ScaleMeanOut]
    levels: dict[str, int]
    members: list[MemberScoresOut]


class ConsentIn(Input):
    shares: Literal["nothing", "scores", "full"]
    attempt_id: str | None = Field(None, min_length=1, max_length=64)
    include_360: bool = False


class ConsentOut(Schema):
    cohort: str
    shares: str
    includes_360: bool
    attempt_id: str | None


def _user(request: HttpRequest) -> Any:
    principal = principal_of(request)
    if principal.user is None:
        raise not_found("organisation")
    return principal.user


def _cohort(request: HttpRequest, org_id: str, cohort_id: str) -> Cohort:
    try:
        return access.get_cohort(_user(request), org_id, cohort_id)
    except Http404:
        raise not_found("cohort") from None


def _organisation(membership: Membership) -> dict[str, Any]:
    organisation = membership.organisation
    return {
        "id": organisation.public_id,
        "name": organisation.name,
        "role": membership.role,
        "development_only_accepted_at": organisation.development_only_accepted_at.isoformat(),
        "cohorts": [
            _cohort_out(c)
            for c in organisation.cohorts.select_related("version__instrument").order_by("pk")
        ],
    }


@router.get("/organisations", response={200: list[OrganisationOut], **errors(*_COMMON)})
def list_organisations(request: HttpRequest) -> list[dict[str, Any]]:
    """The organisations the caller owns or coaches in."""
    memberships = (
        Membership.objects.filter(user=_user(request))
        .exclude(role=Role.MEMBER)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    return [_organisation(m) for m in memberships]


@router.post("/organisations", response={201: OrganisationOut, **errors(*_COMMON, 400, 413, 415)})
def create_organisation(request: HttpRequest, body: OrganisationIn) -> Status[Any]:
    """Create an organisation, accepting that results are for development only."""
    try:
        organisation = services.create_organisation(
            owner=_user(request),
            name=body.name,
            accepted_development_only=body.accept_development_only,
        )
    except services.OrgError as error:
        raise ApiError(422, error.code, error.message) from None
    membership = Membership.objects.select_related("organisation").get(
        organisation=organisation, role=Role.OWNER
    )
    return Status(201, _organisation(membership))


def _cohort_out(cohort: Cohort) -> dict[str, Any]:
    return {
        "id": cohort.public_id,
        "name": cohort.name,
        "instrument": cohort.version.label,
        "context": cohort.context,
    }


@router.post(
    "/organisations/{org_id}/cohorts",
    response={201: CohortOut, **errors(*_COMMON, 400, 413, 415)},
)
def create_cohort(request: HttpRequest, org_id: Path[PublicId], body: CohortIn) -> Status[Any]:
    """A cohort on a published instrument version, aiming at one target context."""
    try:
        organisation = access.get_organisation(_user(request), org_id)
    except Http404:
        raise not_found("organisation") from None
    version = InstrumentVersion.objects.filter(
        instrument__slug=body.instrument,
        version=body.version,
        locale=body.lang,
        status=InstrumentVersion.Status.PUBLISHED,
    ).first()
    if version is None:
        raise not_found("instrument version")
    try:
        cohort = services.create_cohort(
            organisation=organisation, name=body.name, version=version, context=body.context
        )
    except services.OrgError as error:
        raise ApiError(422, error.code, error.message) from None
    return Status(201, _cohort_out(cohort))


@router.post(
    "/organisations/{org_id}/cohorts/{cohort_id}/invitations",
    response={202: InvitationsOut, **errors(*_COMMON, 400, 413, 415)},
)
def invite_members(
    request: HttpRequest, org_id: Path[PublicId], cohort_id: Path[PublicId], body: InvitationsIn
) -> Status[Any]:
    """E-mail each address a personal link to join (sent by the task queue)."""
    cohort = _cohort(request, org_id, cohort_id)
    try:
        invitations = services.invite_members(cohort=cohort, emails=body.emails)
    except services.OrgError as error:
        raise ApiError(422, error.code, error.message) from None
    return Status(202, {"invited": [i.email for i in invitations]})


def _member(consent: Consent) -> dict[str, Any]:
    return {
        "id": consent.public_id,
        "member": consent.user.email or consent.user.get_username(),
        "shares": consent.scope,
        "includes_360": consent.include_raters,
        "since": consent.updated_at.isoformat(),
    }


@router.get(
    "/organisations/{org_id}/cohorts/{cohort_id}/members",
    response={200: list[MemberOut], **errors(*_COMMON)},
)
def list_members(
    request: HttpRequest, org_id: Path[PublicId], cohort_id: Path[PublicId]
) -> list[dict[str, Any]]:
    """The members who share something with the cohort now (no one else is listed)."""
    cohort = _cohort(request, org_id, cohort_id)
    return [_member(c) for c in access.shared_consents(cohort)]


def _interval(value: Any) -> dict[str, int] | None:
    return {"score": value.score, "low": value.low, "high": value.high} if value else None


@router.get(
    "/organisations/{org_id}/cohorts/{cohort_id}/scores",
    response={200: ScoresOut, **errors(*_COMMON)},
)
def cohort_scores(
    request: HttpRequest, org_id: Path[PublicId], cohort_id: Path[PublicId]
) -> dict[str, Any]:
    """The cohort picture: averages per scale with their uncertainty, the readiness
    levels, and each sharing member's scores when at least three share."""
    p = cohort_picture(_cohort(request, org_id, cohort_id))
    return {
        "members_sharing": p.n,
        "rows_shown": p.show_rows,
        "averages": [
            {
                "scale": a.id,
                "name": a.name,
                "n": a.mean.n if a.mean else 0,
                "mean": a.mean.mean if a.mean else None,
                "se": a.mean.se if a.mean else None,
                "low": a.mean.low if a.mean else None,
                "high": a.mean.high if a.mean else None,
            }
            for a in p.averages
        ],
        "levels": dict(p.levels),
        "members": [
            {
                "member": m.label,
                "readiness": _interval(m.readiness),
                "level": m.level,
                "scales": {a.id: _interval(s) for a, s in zip(p.averages, m.scores, strict=True)},
            }
            for m in p.members
        ],
    }


@router.put(
    "/organisations/{org_id}/cohorts/{cohort_id}/consent",
    response={200: ConsentOut, **errors(*_COMMON, 400, 413, 415)},
)
def set_consent(
    request: HttpRequest, org_id: Path[PublicId], cohort_id: Path[PublicId], body: ConsentIn
) -> dict[str, Any]:
    """The caller's own consent in a cohort they joined: what it may see, of which
    assessment. ``nothing`` withdraws at once, everywhere."""
    user = _user(request)
    consent = (
        access.member_consents(user)
        .filter(cohort__public_id=cohort_id, cohort__organisation__public_id=org_id)
        .first()
    )
    if consent is None:
        raise not_found("cohort")
    attempt = None
    if body.attempt_id:
        attempt = Attempt.objects.filter(
            owner=user, public_id=body.attempt_id, status=Attempt.Status.FINISHED
        ).first()
        if attempt is None:
            raise not_found("attempt")
    try:
        services.set_consent(
            consent=consent, scope=body.shares, attempt=attempt, include_raters=body.include_360
        )
    except services.OrgError as error:
        raise ApiError(422, error.code, error.message) from None
    return {
        "cohort": consent.cohort.public_id,
        "shares": consent.scope,
        "includes_360": consent.include_raters,
        "attempt_id": consent.attempt.public_id if consent.attempt else None,
    }
