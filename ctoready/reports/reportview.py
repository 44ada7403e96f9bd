"""One :class:`ReportContent` per rendering: the page, the shared page and the PDF read it."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ctoready.assessments.models import Attempt
from ctoready.assessments.pages import DeepOffer, deep_offer
from ctoready.instruments import document as d
from ctoready.instruments.services import document_for
from ctoready.raters.section import feedback_section
from ctoready.reports import assembly as a
from ctoready.reports import charts, glance, history, norms, plans
from ctoready.reports import fitreading as fr
from ctoready.reports import readiness as rd
from ctoready.reports.models import Report


@dataclass(frozen=True)
class ScalePercentile:
    name: str
    value: norms.Percentile


@dataclass(frozen=True)
class Percentiles:
    group: norms.ReferenceGroup
    readiness: norms.Percentile | None
    scales: tuple[ScalePercentile, ...]


@dataclass(frozen=True)
class DeepDive:
    """Where the optional deep-dive stands for this report, and what it adds."""

    state: str  # "pending" (not started), "open" (started, not finished) or "done"
    offer: DeepOffer

    @property
    def pending(self) -> bool:
        return self.state != "done"


def deep_dive(attempt: Attempt, report: Report, doc: d.Instrument) -> DeepDive | None:
    """None for instruments without a deep-dive (their reports render as they always did)."""
    state = report.snapshot.deep
    offer = deep_offer(doc, report.version) if state else None
    if offer is None:
        return None
    if state == "done":
        return DeepDive("done", offer)
    return DeepDive("open" if attempt.deep_open else "pending", offer)


@dataclass(frozen=True)
class ReportContent:
    doc: d.Instrument
    attempt: Attempt
    report: Report
    finished_at: datetime | None
    instrument_version: str
    engine_version: str
    summary: a.Summary
    scales: tuple[a.ScaleRow, ...]
    radar: charts.Radar
    strengths: tuple[a.ScaleRow, ...]
    others: tuple[a.ScaleRow, ...]  # neither a strength nor a development area
    developments: tuple[a.ScaleRow, ...]
    insufficient: tuple[a.ScaleRow, ...]
    gaps: tuple[a.Gap, ...]
    judgement: a.Judgement
    role_fit: a.Fit
    type_fit: a.Fit
    self_checks: tuple[a.SelfCheck, ...]
    area_plans: tuple[plans.AreaPlan, ...]  # focus areas first, then experience gaps
    weeks: tuple[plans.PlanWeek, ...]
    path: tuple[plans.PathStage, ...]
    percentiles: Percentiles
    changes: tuple[history.ChangeRow, ...]
    previous: Report | None
    shared: bool
    readiness: rd.ReadinessReading | None = None  # the level, with its range and gates
    next_experience: tuple[str, ...] = ()  # what the next readiness level presumes, not shown yet
    role_reading: fr.FitReading | None = None  # preference and scores apart, then together
    type_reading: fr.FitReading | None = None
    next_step: glance.NextStep | None = None  # the "at a glance" block's one next step
    deep: DeepDive | None = None
    raters: dict[str, Any] | None = None  # the 360 section (ctoready.raters.section)


def _percentiles(report: Report, rows: list[a.ScaleRow], context: str) -> Percentiles:
    group = norms.reference_group(report.version)
    readiness = report.snapshot.readiness(context)
    scales = []
    for row in rows:
        if row.value is not None:
            p = norms.percentile(group, f"scale:{row.id}", row.value.score, row.se)
            if p is not None:
                scales.append(ScalePercentile(row.name, p))
    return Percentiles(
        group,
        norms.percentile(group, f"readiness:{context}", readiness.score, readiness.se)
        if readiness
        else None,
        tuple(scales),
    )


def build_report_view(*, attempt: Attempt, report: Report, shared: bool = False) -> ReportContent:
    """Assemble everything a report shows. ``shared`` leaves out what only the owner sees
    (the comparison with earlier attempts)."""
    doc = document_for(report.version)
    snapshot = report.snapshot
    result, choices = snapshot.result, snapshot.choices
    lang = attempt.locale
    rows = a.scale_rows(doc, result, lang)
    developments = [r for r in rows if r.classification == "development"]
    gaps = a.experience_gaps(doc, rows, snapshot.no_opportunity)
    context = attempt.context if snapshot.context is None else snapshot.context
    summary = a.summary(doc, result, context)
    previous = None if shared else history.previous_report(attempt)
    return ReportContent(
        doc=doc,
        attempt=attempt,
        report=report,
        finished_at=attempt.finished_at,
        instrument_version=f"{doc.title} {doc.version} ({doc.locale})",
        engine_version=report.engine_version,
        summary=summary,
        scales=tuple(rows),
        radar=charts.radar(a.radar_inputs(rows)),
        strengths=tuple(r for r in rows if r.classification == "strength"),
        developments=tuple(developments),
        others=tuple(r for r in rows if r.classification not in ("strength", "development")),
        insufficient=tuple(r for r in rows if not r.sufficient),
        gaps=tuple(gaps),
        judgement=a.judgement(doc, result, choices),
        role_fit=a.fit(doc, result.role_fit, doc.roles, lang),
        type_fit=a.fit(doc, result.type_fit, doc.cto_types, lang),
        self_checks=tuple(a.self_checks(doc, rows, choices)),
        weeks=tuple(plans.first_90_days(doc, _focus(rows, developments))),
        path=tuple(plans.path_to_cto(doc, lang, choices)),
        percentiles=_percentiles(report, rows, attempt.context),
        changes=tuple(history.change_rows(doc, previous.snapshot, snapshot)) if previous else (),
        previous=previous,
        shared=shared,
        readiness=rd.readiness_reading(doc, summary.value, choices),
        role_reading=fr.read_fit(doc, snapshot, "role"),
        type_reading=fr.read_fit(doc, snapshot, "type"),
        **_plan_parts(doc, rows, developments, gaps, choices, lang),
        deep=deep_dive(attempt, report, doc),
        raters=feedback_section(attempt, owner=not shared),
    )


def _plan_parts(
    doc: d.Instrument,
    rows: list[a.ScaleRow],
    developments: list[a.ScaleRow],
    gaps: list[a.Gap],
    choices: dict[str, Any],
    lang: str,
) -> dict[str, Any]:
    """A plan for everyone: focus areas (development, else the lowest two) and gaps, the
    experience the next level presumes, and the one next step for the opening block."""
    area_plans = tuple(_focus_plans(doc, rows, developments, gaps, lang))
    next_experience = _next_experience(doc, choices)
    return {
        "area_plans": area_plans,
        "next_experience": next_experience,
        "next_step": glance.next_step(area_plans, next_experience),
    }


def lowest_areas(rows: list[a.ScaleRow], n: int = 2) -> list[str]:
    """The ``n`` lowest scored areas that are not strengths (for a plan without any
    development area beyond error)."""
    scored = [r for r in rows if r.value is not None and r.classification != "strength"]
    return [r.id for r in sorted(scored, key=lambda r: r.value.score if r.value else 0)[:n]]


def _focus(rows: list[a.ScaleRow], developments: list[a.ScaleRow]) -> list[str]:
    return [r.id for r in developments] or lowest_areas(rows)


def _focus_plans(
    doc: d.Instrument,
    rows: list[a.ScaleRow],
    developments: list[a.ScaleRow],
    gaps: list[a.Gap],
    lang: str,
) -> list[plans.AreaPlan]:
    return plans.focus_plans(
        doc,
        [r.id for r in developments],
        lowest_areas(rows),
        [g.scale.id for g in gaps],
        lang,
    )


def _next_experience(doc: d.Instrument, choices: dict[str, Any]) -> tuple[str, ...]:
    levels = doc.readiness_levels
    above = rd.allowed_index(levels, choices) + 1
    return rd.missing_experience(levels, above, choices) if above < len(levels) else ()
