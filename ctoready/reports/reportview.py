"""One :class:`ReportContent` per rendering: the page, the shared page and the PDF read it."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ctoready.assessments.models import Attempt
from ctoready.instruments import document as d
from ctoready.instruments.services import document_for
from ctoready.raters.section import feedback_section
from ctoready.reports import assembly as a
from ctoready.reports import charts, history, norms, plans
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
    area_plans: tuple[plans.AreaPlan, ...]
    weeks: tuple[plans.PlanWeek, ...]
    path: tuple[plans.PathStage, ...]
    percentiles: Percentiles
    changes: tuple[history.ChangeRow, ...]
    previous: Report | None
    shared: bool
    raters: dict[str, Any] | None  # the 360 section (ctoready.raters.section)


def _percentiles(report: Report, rows: list[a.ScaleRow], context: str) -> Percentiles:
    group = norms.reference_group(report.version)
    result = report.data["result"]
    readiness = next((r for r in result["readiness"] if r["context"] == context), None)
    scales = []
    for row in rows:
        if row.value is not None:
            p = norms.percentile(group, f"scale:{row.id}", row.value.score, row.se)
            if p is not None:
                scales.append(ScalePercentile(row.name, p))
    return Percentiles(
        group,
        norms.percentile(group, f"readiness:{context}", readiness["score"], readiness["se"])
        if readiness
        else None,
        tuple(scales),
    )


def build_report_view(*, attempt: Attempt, report: Report, shared: bool = False) -> ReportContent:
    """Assemble everything a report shows. ``shared`` leaves out what only the owner sees
    (the comparison with earlier attempts)."""
    doc = document_for(report.version)
    snapshot = report.data
    result = snapshot["result"]
    choices = snapshot.get("choices", {})
    lang = attempt.locale
    rows = a.scale_rows(doc, result, lang)
    developments = [r for r in rows if r.classification == "development"]
    previous = None if shared else history.previous_report(attempt)
    return ReportContent(
        doc=doc,
        attempt=attempt,
        report=report,
        finished_at=attempt.finished_at,
        instrument_version=f"{doc.title} {doc.version} ({doc.locale})",
        engine_version=report.engine_version,
        summary=a.summary(doc, result, snapshot.get("context", attempt.context)),
        scales=tuple(rows),
        radar=charts.radar(a.radar_inputs(rows)),
        strengths=tuple(r for r in rows if r.classification == "strength"),
        developments=tuple(developments),
        others=tuple(r for r in rows if r.classification not in ("strength", "development")),
        insufficient=tuple(r for r in rows if not r.sufficient),
        gaps=tuple(a.experience_gaps(doc, rows, snapshot.get("no_opportunity", []))),
        judgement=a.judgement(doc, result, choices),
        role_fit=a.fit(doc, result["role_fit"], doc.roles, lang),
        type_fit=a.fit(doc, result["type_fit"], doc.cto_types, lang),
        self_checks=tuple(a.self_checks(doc, rows, choices)),
        area_plans=tuple(plans.area_plans(doc, [r.id for r in developments], lang)),
        weeks=tuple(plans.first_90_days(doc, [r.id for r in developments])),
        path=tuple(plans.path_to_cto(doc, lang)),
        percentiles=_percentiles(report, rows, attempt.context),
        changes=tuple(history.change_rows(doc, previous.data, snapshot)) if previous else (),
        previous=previous,
        shared=shared,
        raters=feedback_section(attempt, owner=not shared),
    )
