"""Reading answers out of posted forms; each field is named after its item."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.http import QueryDict

from ctoready.instruments.document import Instrument, Item

MAX_SEQ = 2**62


def field_name(item: Item, part: str = "") -> str:
    return f"q-{item.id}-{part}" if part else f"q-{item.id}"


def parse_item(item: Item, data: Mapping[str, str]) -> tuple[bool, Any]:
    """(present, value) for one item from posted data; absent fields leave answers alone."""
    if item.type == "scenario":
        best = data.get(field_name(item, "best")) or None
        worst = data.get(field_name(item, "worst")) or None
        if best is None and worst is None:
            return False, None
        return True, {key: value for key, value in (("best", best), ("worst", worst)) if value}
    raw = data.get(field_name(item))
    if raw is None or raw == "":
        return False, None
    if item.type == "likert":
        if raw == "na":
            return True, "na"
        try:
            return True, int(raw)
        except ValueError:
            return True, raw  # refused by validation with a clear message
    return True, raw


def parse_seq(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if 0 < value < MAX_SEQ else None


def parse_page(
    doc: Instrument, item_ids: tuple[str, ...], data: QueryDict
) -> tuple[dict[str, Any], dict[str, int]]:
    """Values and per-item sequence numbers posted for a page."""
    values: dict[str, Any] = {}
    seqs: dict[str, int] = {}
    page_seq = parse_seq(data.get("seq"))
    for ref in item_ids:
        item = doc.item_by_id[ref]
        present, value = parse_item(item, data)
        seq = parse_seq(data.get(f"s-{item.id}")) or page_seq
        if present and seq is not None:
            values[item.id], seqs[item.id] = value, seq
    return values, seqs


def item_of_field(field: str) -> str:
    """The item a question's form field answers (``q-<item>``, ``q-<item>-best``…)."""
    return field[2:].removesuffix("-best").removesuffix("-worst")


def parse_any(doc: Instrument, data: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, int]]:
    """Autosave: whatever items' fields were posted, wherever they are in the instrument."""
    ids = {item_of_field(key) for key in data if key.startswith("q-")}
    values: dict[str, Any] = {}
    seqs: dict[str, int] = {}
    page_seq = parse_seq(data.get("seq"))
    for item_id in ids:
        item = doc.item_by_id.get(item_id)
        if item is None:
            values[item_id], seqs[item_id] = None, page_seq or 0  # refused as unknown
            continue
        present, value = parse_item(item, data)
        seq = parse_seq(data.get(f"s-{item.id}")) or page_seq
        if present and seq is not None:
            values[item.id], seqs[item.id] = value, seq
    return values, seqs


class StartForm(forms.Form):
    context = forms.ChoiceField(label="The role you are aiming for", widget=forms.RadioSelect)
    email = forms.EmailField(
        required=False,
        label="E-mail (optional)",
        help_text="We send your private resume link and, at the end, your report link.",
    )
    lang = forms.ChoiceField(choices=[("en", "English"), ("fr", "Français")], required=False)

    def __init__(self, *args: Any, contexts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["context"]
        if isinstance(field, forms.ChoiceField):
            field.choices = contexts
