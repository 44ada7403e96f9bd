"""Share links for a finished report: create (the token is shown once), list, revoke."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Path, Router, Status

from ctoready.api import present
from ctoready.api.attempts import finished_report
from ctoready.api.auth import attempt_for, bearer
from ctoready.api.errors import errors, not_found
from ctoready.api.schemas import NewShareOut, PublicId, ShareIn, ShareOut
from ctoready.assessments.models import Link
from ctoready.assessments.services import create_link
from ctoready.lib.siteurl import absolute
from ctoready.lib.tokens import hash_token
from ctoready.reports.services import revoke_share_link, share_links

router = Router(tags=["share links"], auth=bearer)
_COMMON = (401, 404, 409, 422, 429)


@router.post(
    "/attempts/{attempt_id}/shares",
    response={201: NewShareOut, **errors(*_COMMON, 400, 413, 415)},
)
def create_share(request: HttpRequest, attempt_id: Path[PublicId], body: ShareIn) -> Status[Any]:
    """A read-only link to the report for whoever holds it, until it expires or is revoked."""
    attempt = attempt_for(request, attempt_id)
    finished_report(attempt)
    label = body.label.strip()
    token = create_link(attempt=attempt, purpose=Link.Purpose.SHARE, days=body.days, label=label)
    link = Link.objects.get(token_hash=hash_token(token))
    url = absolute(reverse("reports:shared", args=[token]), request)
    return Status(201, {**present.share(link), "token": token, "url": url})


@router.get("/attempts/{attempt_id}/shares", response={200: list[ShareOut], **errors(*_COMMON)})
def list_shares(request: HttpRequest, attempt_id: Path[PublicId]) -> list[dict[str, Any]]:
    """Every share link of this report, newest first (tokens are never shown again)."""
    attempt = attempt_for(request, attempt_id)
    return [present.share(link) for link in share_links(attempt)]


@router.delete("/attempts/{attempt_id}/shares/{link_id}", response={204: None, **errors(*_COMMON)})
def revoke_share(
    request: HttpRequest, attempt_id: Path[PublicId], link_id: Path[PublicId]
) -> Status[Any]:
    """Revoke a share link; revoking again is harmless."""
    attempt = attempt_for(request, attempt_id)
    if not revoke_share_link(attempt=attempt, link_id=link_id):
        raise not_found("share link")
    return Status(204, None)
