"""Operators browse instrument versions, edit drafts as YAML, and publish them."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from ctoready.instruments import services
from ctoready.instruments.models import Instrument, InstrumentVersion


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin[Instrument]):
    list_display = ["slug", "title", "created_at"]
    readonly_fields = ["slug", "created_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DraftForm(forms.ModelForm[InstrumentVersion]):
    yaml = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 40, "cols": 120, "spellcheck": "false"}),
        help_text="The whole version as YAML (docs/instrument-format.md). Validated on save.",
    )

    class Meta:
        model = InstrumentVersion
        fields = ["adaptive_enabled"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["yaml"].initial = services.export_yaml(self.instance)

    def clean_yaml(self) -> str:
        text: str = self.cleaned_data["yaml"]
        try:
            services.update_draft(version=self.instance, raw=text.encode(), dry_run=True)
        except services.InstrumentError as error:
            raise forms.ValidationError([str(p) for p in error.problems]) from None
        return text


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(admin.ModelAdmin[InstrumentVersion]):
    list_display = ["instrument", "version", "locale", "status", "adaptive_enabled", "created_at"]
    list_filter = ["status", "locale", "instrument"]
    actions = ["publish"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):  # type: ignore[no-untyped-def]
        if obj is not None and not obj.is_published:
            kwargs["form"] = DraftForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fixed = ["instrument", "version", "locale", "status", "content_hash", "published_at"]
        if obj is not None and obj.is_published:
            return [*fixed, "content", "created_at"]
        return fixed

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if obj is not None and not obj.is_published:
            return [*self.get_readonly_fields(request, obj), "adaptive_enabled", "yaml"]
        return [*self.get_readonly_fields(request, obj), "adaptive_enabled"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions arrive through `ctoready instrument import`

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if "yaml" in form.cleaned_data:
            services.update_draft(version=obj, raw=form.cleaned_data["yaml"].encode())
        services.set_adaptive(
            version=obj,
            enabled=form.cleaned_data.get("adaptive_enabled", obj.adaptive_enabled),
        )

    @admin.action(description="Publish the selected drafts (they become immutable)")
    def publish(self, request: HttpRequest, queryset: QuerySet[InstrumentVersion]) -> None:
        for version in queryset:
            services.publish_version(version=version)
        messages.success(request, f"Published {queryset.count()} version(s).")
