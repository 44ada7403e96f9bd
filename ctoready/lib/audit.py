"""The operator audit log: one row per export or deletion of people's data."""

from typing import Any

from django.http import HttpRequest

from ctoready.lib.clientaddr import client_address
from ctoready.lib.models import AuditEvent


def record(
    *, actor: Any, action: str, target: str = "", request: HttpRequest | None = None, **detail: Any
) -> AuditEvent:
    """One audit row; with ``request``, the operator's real address (behind the proxy too)."""
    if request is not None:
        detail["address"] = client_address(request)
    label = getattr(actor, "email", "") or getattr(actor, "username", "") or str(actor or "system")
    user = (
        actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None
    )
    return AuditEvent.objects.create(
        actor=user, actor_label=label, action=action, target=target, detail=detail
    )
