"""The operator audit log: one row per export or deletion of people's data."""

from typing import Any

from ctoready.lib.models import AuditEvent


def record(*, actor: Any, action: str, target: str = "", **detail: Any) -> AuditEvent:
    label = getattr(actor, "email", "") or getattr(actor, "username", "") or str(actor or "system")
    user = (
        actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None
    )
    return AuditEvent.objects.create(
        actor=user, actor_label=label, action=action, target=target, detail=detail
    )
