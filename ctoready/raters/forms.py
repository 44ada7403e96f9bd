"""Forms of the 360 flow: inviting raters, and reading a rater's posted answers."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import QueryDict

from ctoready.assessments.forms import parse_seq
from ctoready.raters.aggregate import COMMENT_PROMPTS
from ctoready.raters.models import Category
from ctoready.raters.services import MAX_BATCH, NAME_MAX

_SEPARATORS = re.compile(r"[\s,;]+")


class LinkInviteForm(forms.Form):
    name = forms.CharField(
        label="Your name, as your raters know you",
        max_length=NAME_MAX,
        help_text="Shown to raters so they know whom they are rating.",
    )
    category = forms.ChoiceField(
        label="Who are they to you?", choices=Category.choices, widget=forms.RadioSelect
    )
    manager_alone = forms.BooleanField(
        required=False,
        label="Show my manager's ratings on their own",
        help_text=(
            "Only for a manager. Otherwise a group is shown only when at least three people "
            "from it answer. Your manager is told about this choice before answering."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("manager_alone") and data.get("category") != Category.MANAGER:
            self.add_error("manager_alone", "Only a manager's ratings can be shown on their own.")
        return data


class EmailInviteForm(LinkInviteForm):
    emails = forms.CharField(
        label="E-mail addresses",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        help_text=f"One or more, separated by commas or new lines; up to {MAX_BATCH} at a time.",
    )

    def clean_emails(self) -> list[str]:
        raw = [e for e in _SEPARATORS.split(self.cleaned_data["emails"]) if e]
        if not raw:
            raise ValidationError("Enter at least one e-mail address.")
        if len(raw) > MAX_BATCH:
            raise ValidationError(
                f"That is {len(raw)} addresses; invite at most {MAX_BATCH} at a time."
            )
        invalid = []
        for email in raw:
            try:
                validate_email(email)
            except ValidationError:
                invalid.append(email)
        if invalid:
            raise ValidationError(f"Not valid e-mail addresses: {', '.join(invalid[:5])}.")
        return raw


def comment_name(prompt: str) -> str:
    return f"c-{prompt}"


def parse_ratings(data: QueryDict) -> tuple[dict[str, Any], dict[str, str], dict[str, int]]:
    """Posted answers (``q-<item>``), comments (``c-<prompt>``) and their sequence numbers
    (``s-<field>``, else the page's ``seq``). Unknown items are kept, to be refused."""
    values: dict[str, Any] = {}
    comments: dict[str, str] = {}
    seqs: dict[str, int] = {}
    page_seq = parse_seq(data.get("seq"))
    for key in data:
        if key.startswith("q-"):
            raw, item_id = data.get(key, ""), key[2:]
            seq = parse_seq(data.get(f"s-{item_id}")) or page_seq
            if raw == "" or seq is None:
                continue
            values[item_id] = "na" if raw == "na" else _int_or_raw(raw)
            seqs[item_id] = seq
        elif key.startswith("c-") and key[2:] in COMMENT_PROMPTS:
            seq = parse_seq(data.get(f"s-{key}")) or page_seq
            if seq is not None:
                comments[key[2:]] = data.get(key, "")
                seqs[key] = seq
    return values, comments, seqs


def _int_or_raw(raw: str) -> Any:
    try:
        return int(raw)
    except ValueError:
        return raw  # refused by validation with a clear message
