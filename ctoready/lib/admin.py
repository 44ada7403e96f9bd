from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ctoready.lib.models import AuditEvent

admin.site.site_header = "ctoready operator"
admin.site.site_title = "ctoready operator"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["at", "actor_label", "action", "target"]
    list_filter = ["action"]
    readonly_fields = ["at", "actor", "actor_label", "action", "target", "detail"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
