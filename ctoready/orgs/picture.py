"""The cohort picture, assembled once per request from the reports members share.

Each member's report is read through the same :func:`build_report_view` the report pages
use, from the newest snapshot of the assessment the member linked.
"""

from dataclasses import dataclass

from ctoready.instruments.services import document_for
from ctoready.orgs import heatmap as hm
from ctoready.orgs.access import shared_consents
from ctoready.orgs.models import Cohort, Consent
from ctoready.orgs.stats import CohortMean, cohort_mean
from ctoready.reports.assembly import Interval
from ctoready.reports.reportview import ReportView, build_report_view
from ctoready.reports.services import latest_report

MIN_ROWS = 3  # individual rows show only when at least this many members share scores
LABEL_CHARS = 26


@dataclass(frozen=True)
class MemberScores:
    consent: Consent
    label: str
    readiness: Interval | None
    level: str | None
    scores: tuple[Interval | None, ...]  # one per cohort scale, in order
    ses: tuple[float | None, ...]
    view: ReportView


@dataclass(frozen=True)
class ScaleAverage:
    id: str
    name: str
    mean: CohortMean | None


@dataclass(frozen=True)
class Picture:
    cohort: Cohort
    scale_names: tuple[str, ...]
    n: int  # members who share scores now
    members: tuple[MemberScores, ...]  # empty when rows are hidden
    averages: tuple[ScaleAverage, ...]
    readiness: CohortMean | None
    levels: tuple[tuple[str, int], ...]  # (level label, members), in the instrument's order
    unscored: int  # members whose readiness had too few answers
    show_rows: bool
    heatmap: hm.Heatmap | None
    level_bars: hm.Bars


def member_view(consent: Consent) -> ReportView | None:
    attempt = consent.attempt
    report = latest_report(attempt) if attempt is not None else None
    if attempt is None or report is None:
        return None
    return build_report_view(attempt=attempt, report=report, shared=True)


def _member(consent: Consent, scale_ids: list[str]) -> MemberScores | None:
    view = member_view(consent)
    if view is None:
        return None
    by_id = {row.id: row for row in view.scales}
    return MemberScores(
        consent=consent,
        label=consent.user.email or consent.user.get_username(),
        readiness=view.summary.value,
        level=view.summary.level.label if view.summary.level else None,
        scores=tuple(by_id[s].value if s in by_id else None for s in scale_ids),
        ses=tuple(by_id[s].se if s in by_id and by_id[s].value else None for s in scale_ids),
        view=view,
    )


def _mean(members: list[MemberScores], index: int) -> CohortMean | None:
    pairs = [
        (score.score, m.ses[index] or 0.0)
        for m in members
        if (score := m.scores[index]) is not None
    ]
    return cohort_mean([p[0] for p in pairs], [p[1] for p in pairs])


def _readiness_mean(members: list[MemberScores]) -> CohortMean | None:
    # The snapshot's interval is score ± 1.96 se, so the se is read back from its width.
    known = [m.readiness for m in members if m.readiness is not None]
    return cohort_mean([r.score for r in known], [(r.high - r.low) / (2 * 1.96) for r in known])


def cohort_picture(cohort: Cohort, *, rows: bool = True) -> Picture:
    doc = document_for(cohort.version)
    scale_ids = [s.id for s in doc.scales]
    names = tuple(s.name for s in doc.scales)
    members = [m for c in shared_consents(cohort) if (m := _member(c, scale_ids)) is not None]
    counts = {level.label: 0 for level in doc.readiness_levels}
    for m in members:
        if m.level is not None:
            counts[m.level] = counts.get(m.level, 0) + 1
    show_rows = rows and len(members) >= MIN_ROWS
    drawn = (
        hm.heatmap(
            names,
            [(m.label[:LABEL_CHARS], [s.score if s else None for s in m.scores]) for m in members],
        )
        if show_rows
        else None
    )
    return Picture(
        cohort=cohort,
        scale_names=names,
        n=len(members),
        members=tuple(members) if show_rows else (),
        averages=tuple(
            ScaleAverage(sid, name, _mean(members, i))
            for i, (sid, name) in enumerate(zip(scale_ids, names, strict=True))
        ),
        readiness=_readiness_mean(members),
        levels=tuple(counts.items()),
        unscored=sum(1 for m in members if m.level is None),
        show_rows=show_rows,
        heatmap=drawn,
        level_bars=hm.bars(list(counts.items())),
    )
