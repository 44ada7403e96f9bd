"""Personal data held by the flow: attempts, answers, private links, the account."""

from typing import Any

from django.db.models import QuerySet

from ctoready.assessments.models import Answer, Attempt, Link, PageVisit

PERSONAL_MODELS = {
    "assessments.attempt",
    "assessments.answer",
    "assessments.answersheet",  # a copy of the answers: exported as them, erased with them
    "assessments.link",
    "assessments.pagevisit",
    "auth.user",
    "account.emailaddress",
    "account.emailconfirmation",
}


def export(attempts: QuerySet[Attempt], user: Any) -> dict[str, Any]:
    rows = []
    for attempt in attempts.select_related("version__instrument").order_by("created_at"):
        rows.append(
            {
                "id": attempt.public_id,
                "instrument": attempt.version.label,
                "locale": attempt.locale,
                "context": attempt.context,
                "mode": attempt.mode,
                "status": attempt.status,
                "email": attempt.email,
                "created_at": attempt.created_at.isoformat(),
                "expires_at": attempt.expires_at.isoformat(),
                "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
                "core_seconds": attempt.core_seconds,
                "deep_seconds": attempt.deep_seconds,
                "page_visits": [
                    {
                        "page": v.page_id,
                        "part": v.part,
                        "shown_at": v.shown_at.isoformat() if v.shown_at else None,
                        "left_at": v.left_at.isoformat() if v.left_at else None,
                    }
                    for v in PageVisit.objects.filter(attempt=attempt).order_by("number")
                ],
                "answers": [
                    {"item": a.item_id, "value": a.value, "saved_at": a.saved_at.isoformat()}
                    for a in Answer.objects.filter(attempt=attempt).order_by("item_id")
                ],
                "links": [
                    {
                        "purpose": link.purpose,
                        "label": link.label,
                        "created_at": link.created_at.isoformat(),
                        "expires_at": link.expires_at.isoformat(),
                        "revoked": link.revoked_at is not None,
                    }
                    for link in Link.objects.filter(attempt=attempt).order_by("created_at")
                ],
            }
        )
    data: dict[str, Any] = {"attempts": rows}
    if user is not None and user.is_authenticated:
        data["account"] = {"email": user.email, "joined_at": user.date_joined.isoformat()}
    return data


def erase(attempts: QuerySet[Attempt], user: Any) -> None:
    Attempt.objects.filter(pk__in=list(attempts.values_list("pk", flat=True))).delete()
    if user is not None and user.is_authenticated and not user.is_staff:
        Attempt.objects.filter(owner=user).delete()
        user.delete()
