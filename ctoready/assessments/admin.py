"""Operators find attempts to answer privacy requests; deletions are written to the audit log."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from ctoready.assessments.models import Attempt
from ctoready.lib import audit


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin[Attempt]):
    list_display = ["public_id", "version", "status", "context", "locale", "created_at"]
    list_filter = ["status", "locale", "context"]
    search_fields = ["public_id", "email", "owner__email"]
    readonly_fields = [f.name for f in Attempt._meta.fields]
    fields = tuple(readonly_fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Attempt) -> None:
        audit.record(
            actor=request.user, action="delete_attempt", target=obj.public_id, request=request
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Attempt]) -> None:
        ids = list(queryset.values_list("public_id", flat=True))
        audit.record(
            actor=request.user,
            action="delete_attempts",
            target=f"{len(ids)} attempts",
            ids=ids,
            request=request,
        )
        super().delete_queryset(request, queryset)
