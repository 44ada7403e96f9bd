"""The development plan: 70/20/10 actions, a personal first 90 days and the path to CTO."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext, gettext_noop

from ctoready.guides import guide_url
from ctoready.instruments import document as d

# The 70/20/10 model: learning from experience, from others, from study.
KINDS = (
    ("experience", gettext_noop("Experience (70%): learn by doing")),
    ("exposure", gettext_noop("Exposure (20%): learn from others")),
    ("education", gettext_noop("Education (10%): learn by study")),
)


@dataclass(frozen=True)
class ActionView:
    text: str
    guide: str | None


@dataclass(frozen=True)
class ActionGroup:
    kind: str
    title: str
    actions: tuple[ActionView, ...]


@dataclass(frozen=True)
class AreaPlan:
    scale_id: str
    name: str
    groups: tuple[ActionGroup, ...]
    guide: str | None
    reason: str = "development"  # development | lowest (not beyond error) | gap (no opportunity)


@dataclass(frozen=True)
class WeekItem:
    text: str
    scale: str | None  # the development area it comes from; None for the common plan


@dataclass(frozen=True)
class WeekView:
    week: int
    phase: str
    title: str
    items: tuple[WeekItem, ...]

    @property
    def personal(self) -> int:
        return sum(1 for item in self.items if item.scale)


@dataclass(frozen=True)
class StageView:
    title: str
    text: str
    milestones: tuple[str, ...]
    guide: str | None
    reached: bool = False  # the background answers show this stage reached


PHASE_NAMES = {
    "listen": gettext_noop("Listen and learn"),
    "quick-wins": gettext_noop("Quick wins"),
    "execute": gettext_noop("Execute"),
}


def _link(ref: str | None, lang: str) -> str | None:
    return guide_url(ref, lang) if ref else None


def area_plans(doc: d.Instrument, scale_ids: list[str], lang: str) -> list[AreaPlan]:
    plans = []
    for scale_id in scale_ids:
        scale = doc.scale_by_id[scale_id]
        groups = tuple(
            ActionGroup(
                kind,
                gettext(title),
                tuple(
                    ActionView(a.text, _link(a.guide, lang))
                    for a in scale.actions
                    if a.kind == kind
                ),
            )
            for kind, title in KINDS
        )
        plans.append(
            AreaPlan(
                scale.id,
                scale.name,
                tuple(g for g in groups if g.actions),
                _link(scale.guide, lang),
            )
        )
    return plans


def first_90_days(doc: d.Instrument, scale_ids: list[str]) -> list[WeekView]:
    """The instrument's weeks, each with the development areas' insertions for that week."""
    extra: dict[int, list[WeekItem]] = {}
    for scale_id in scale_ids:
        scale = doc.scale_by_id[scale_id]
        for insertion in scale.first_90_days:
            extra.setdefault(insertion.week, []).append(WeekItem(insertion.text, scale.name))
    return [
        WeekView(
            week.week,
            gettext(PHASE_NAMES[week.phase]) if week.phase in PHASE_NAMES else week.phase,
            week.title,
            tuple(WeekItem(a, None) for a in week.actions) + tuple(extra.get(week.week, ())),
        )
        for week in doc.first_90_days
    ]


def path_to_cto(
    doc: d.Instrument, lang: str, choices: Mapping[str, Any] | None = None
) -> list[StageView]:
    """The stages, marking as reached the furthest one a background answer shows (any of its
    ``reached_when`` conditions) and every stage before it."""
    shown = [
        i
        for i, stage in enumerate(doc.path_to_cto)
        if any(c.met(choices or {}) for c in stage.reached_when)
    ]
    furthest = max(shown, default=-1)
    return [
        StageView(
            stage.title, stage.text, stage.milestones, _link(stage.guide, lang), i <= furthest
        )
        for i, stage in enumerate(doc.path_to_cto)
    ]


def focus_plans(
    doc: d.Instrument,
    developments: list[str],
    lowest: list[str],
    gaps: list[str],
    lang: str,
) -> list[AreaPlan]:
    """Actions for everyone: the development areas, or (with none beyond error) the lowest
    areas, labelled as such; then each experience gap not already covered."""
    main = developments or lowest
    reason = "development" if developments else "lowest"
    plans = [replace(p, reason=reason) for p in area_plans(doc, main, lang)]
    extra = [g for g in gaps if g not in main]
    return plans + [replace(p, reason="gap") for p in area_plans(doc, extra, lang)]
