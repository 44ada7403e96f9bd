"""``{% rater_section as feedback %}``: what the report's 360 section shows.

The report templates include ``raters/_report_section.html``, which calls this tag; the
numbers come only from the round's stored section, which was built through
:mod:`ctoready.raters.anonymity`.
"""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from ctoready.raters import services
from ctoready.raters.aggregate import AGREE, BLIND_SPOT, HIDDEN_STRENGTH
from ctoready.raters.anonymity import ALL, CATEGORIES, MANAGER, MIN_GROUP
from ctoready.raters.wording import counted_category

register = template.Library()

VERDICTS = {
    BLIND_SPOT: gettext_noop("You rate yourself higher"),
    HIDDEN_STRENGTH: gettext_noop("Others rate you higher"),
    AGREE: gettext_noop("No clear difference"),
}
CATEGORY_NAMES = {
    "manager": gettext_noop("manager"),
    "peer": gettext_noop("peers"),
    "direct": gettext_noop("direct reports"),
    "other": gettext_noop("others"),
}
# The stored section keeps English group labels (aggregate.GROUP_LABELS); these show them
# in the reader's language.
GROUP_NAMES = {
    ALL: gettext_noop("All raters"),
    "manager": gettext_noop("Manager"),
    "peer": gettext_noop("Peers"),
    "direct": gettext_noop("Direct reports"),
    "other": gettext_noop("Others"),
}
BANDS = {"low": gettext_noop("low"), "middle": gettext_noop("middle"), "high": gettext_noop("high")}


def _band(band: Any) -> Any:
    return gettext(BANDS[band]) if band in BANDS else band


def _group(g: dict[str, Any]) -> dict[str, Any]:
    label = GROUP_NAMES.get(g.get("group") or "")
    return {
        **g,
        "label": gettext(label) if label else g.get("label"),
        "band": _band(g.get("band")),
        "verdict_text": gettext(VERDICTS[g["verdict"]]) if g.get("verdict") in VERDICTS else "",
    }


def present(result: dict[str, Any], *, owner: bool, round_: Any = None) -> dict[str, Any]:
    """What the section template shows, from a stored (already anonymised) section."""
    names = {s["scale"]: s["name"] for s in result["scales"]}
    counts = result["by_category"]
    left_out = [
        (gettext(CATEGORY_NAMES[c]), counts[c])
        for c in CATEGORIES
        if 0 < counts[c] < MIN_GROUP and not (c == MANAGER and result["manager_alone"])
    ]
    return {
        "result": result,
        "owner": owner,
        "round": round_,
        "scales": [
            {
                **s,
                "self": {**s["self"], "band": _band(s["self"].get("band"))}
                if s.get("self")
                else s.get("self"),
                "groups": [_group(g) for g in s["groups"]],
            }
            for s in result["scales"]
        ],
        "answered": [(counted_category(c, counts[c]), counts[c]) for c in CATEGORIES if counts[c]],
        "left_out": left_out,
        "blind_spots": [names[s] for s in result["blind_spots"]],
        "hidden_strengths": [names[s] for s in result["hidden_strengths"]],
        "comments": result["comments"],
        "min_group": MIN_GROUP,
    }


def section_view(attempt: Any, *, owner: bool) -> dict[str, Any] | None:
    round_ = services.round_of(attempt)
    result = services.report_section(attempt)
    if result is not None:
        return present(result, owner=owner, round_=round_)
    if not owner:
        return None
    return {
        "result": None,
        "owner": True,
        "round": round_,
        "responses": sum(services.response_counts(round_).values()) if round_ else 0,
        "invite_url": reverse("raters:invite", kwargs={"public_id": attempt.public_id}),
        "min_group": MIN_GROUP,
    }


@register.simple_tag(takes_context=True)
def rater_section(context: template.Context) -> dict[str, Any] | None:
    """The 360 section for the report in ``context["r"]``; the invitation link only for
    the owner's page (not the shared page, not the PDF)."""
    view = context.get("r")
    if view is None:
        return None
    owner = not getattr(view, "shared", False) and not context.get("pdf")
    return section_view(view.attempt, owner=owner)
