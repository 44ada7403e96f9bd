"""Re-assessment: change since the previous attempt, and the trend across attempts."""

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from ctoready import scoring
from ctoready.assessments.models import Attempt
from ctoready.instruments import document as d
from ctoready.reports import charts
from ctoready.reports.models import Report
from ctoready.reports.snapshot import Snapshot

DIRECTION = {
    "increase": gettext_noop("Higher, beyond measurement error"),
    "decrease": gettext_noop("Lower, beyond measurement error"),
    "no_clear_change": gettext_noop("No clear change"),
}


@dataclass(frozen=True)
class ChangeRow:
    name: str
    before: int | None
    after: int | None
    change: int | None
    direction: str
    beyond_error: bool


def change_rows(doc: d.Instrument, before: Snapshot, after: Snapshot) -> list[ChangeRow]:
    """Each scale of ``after`` against ``before`` (two snapshots), by reliable change."""
    old, new = before.scored_scales(), after.scored_scales()
    rows = []
    for scale in doc.scales:
        b, a = old.get(scale.id), new.get(scale.id)
        if b is None or a is None or (b[1] == 0 and a[1] == 0):
            rows.append(
                ChangeRow(
                    scale.name,
                    round(b[0]) if b else None,
                    round(a[0]) if a else None,
                    None,
                    gettext("Not enough answers on both occasions to compare"),
                    False,
                )
            )
            continue
        (x1, se1), (x2, se2) = b, a
        change = scoring.change_beyond_error(x1, se1, x2, se2)
        rows.append(
            ChangeRow(
                scale.name,
                round(x1),
                round(x2),
                round(change.change),
                gettext(DIRECTION[change.direction]),
                change.beyond_error,
            )
        )
    return rows


def previous_report(attempt: Attempt) -> Report | None:
    if attempt.previous_id is None:
        return None
    return (
        Report.objects.filter(
            attempt_id=attempt.previous_id, attempt__status=Attempt.Status.FINISHED
        )
        .select_related("attempt")
        .order_by("-created_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class TrendRow:
    name: str
    scores: tuple[int | None, ...]
    line: charts.Sparkline
    trend: str


@dataclass(frozen=True)
class History:
    attempts: tuple[tuple[Attempt, Report], ...]
    trends: tuple[TrendRow, ...]


def history(doc: d.Instrument, attempts: list[Attempt]) -> History:
    """Finished attempts, oldest first, each with its newest report, and a trend per scale."""
    latest: dict[int, Report] = {}
    for report in Report.objects.filter(attempt__in=attempts).order_by(
        "attempt_id", "-created_at", "-pk"
    ):
        latest.setdefault(report.attempt_id, report)
    pairs = tuple((a, latest[a.pk]) for a in attempts if a.pk in latest)
    snapshots = [r.snapshot.scored_scales() for _, r in pairs]
    trends = []
    for scale in doc.scales:
        values = [s.get(scale.id) for s in snapshots]
        known = [v for v in values if v is not None]
        trend = gettext("Only one score so far")
        if len(known) >= 2 and (known[0][1] > 0 or known[-1][1] > 0):
            change = scoring.change_beyond_error(
                known[0][0], known[0][1], known[-1][0], known[-1][1]
            )
            trend = gettext("%(verdict)s (%(change)s since the first)") % {
                "verdict": gettext(DIRECTION[change.direction]),
                "change": f"{round(change.change):+d}",
            }
        scores = tuple(round(v[0]) if v else None for v in values)
        trends.append(
            TrendRow(
                scale.name, scores, charts.sparkline([v[0] if v else None for v in values]), trend
            )
        )
    return History(pairs, tuple(trends))
