"""What a report shows, assembled from one snapshot and its instrument version.

The page, the PDF and the tests read the same :class:`ReportContent`; nothing here reads
answers from the database (the snapshot holds everything, as DESIGN.md requires).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, ngettext

from ctoready.guides import guide_url
from ctoready.instruments import document as d
from ctoready.reports import charts, provenance
from ctoready.scoring import AttemptResult, FitReason, FitResult


@dataclass(frozen=True)
class Interval:
    score: int
    low: int
    high: int


def interval(score: float | None, low: float | None, high: float | None) -> Interval | None:
    if score is None or low is None or high is None:
        return None
    return Interval(round(score), round(low), round(high))


@dataclass(frozen=True)
class ScaleRow:
    id: str
    name: str
    description: str
    value: Interval | None
    se: float | None
    classification: str
    band: str | None
    narrative: str | None
    n_items: int
    n_answered: int
    n_no_opportunity: int
    guide: str | None

    @property
    def sufficient(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Gap:
    scale: ScaleRow
    items: int
    text: str


@dataclass(frozen=True)
class Summary:
    context_name: str
    context_rationale: str | None
    value: Interval | None
    level: d.ReadinessLevel | None
    scales_missing: tuple[str, ...]


@dataclass(frozen=True)
class ScenarioFeedback:
    """One scenario as the report gives it back: their choices beside the key."""

    title: str
    text: str
    question: str | None
    mode: str
    score: int | None
    best: d.Option | None  # their picks (best_worst)
    worst: d.Option | None
    expert_best: d.Option | None
    expert_worst: d.Option | None
    ratings: tuple[tuple[d.Option, int | None], ...]  # rate_each: (option, their rating)
    key: str = ""  # who keyed it: "our provisional key" or "keyed by N practising CTOs; …"


@dataclass(frozen=True)
class Judgement:
    value: Interval | None
    n_answered: int
    n_scenarios: int
    scenarios: tuple[ScenarioFeedback, ...]
    key_summary: str = ""  # whose key the choices are compared with, for the whole section


@dataclass(frozen=True)
class FitRow:
    id: str
    name: str
    summary: str | None
    value: Interval | None
    reasons: tuple[str, ...]
    guide: str | None


@dataclass(frozen=True)
class Fit:
    rows: tuple[FitRow, ...]
    top: FitRow | None
    clearly_ahead: bool


@dataclass(frozen=True)
class SelfCheck:
    question: str
    answer: str | None
    scales: tuple[ScaleRow, ...]
    reflection: str


def scale_rows(doc: d.Instrument, result: AttemptResult, lang: str) -> list[ScaleRow]:
    by_id = {s.scale: s for s in result.scales}
    rows = []
    for scale in doc.scales:
        s = by_id.get(scale.id)
        if s is None:
            continue
        score = s.score
        band = scale.band(score) if score is not None else None
        rows.append(
            ScaleRow(
                id=scale.id,
                name=scale.name,
                description=scale.description,
                value=interval(score, s.ci95_low, s.ci95_high),
                se=s.se,
                classification=s.classification,
                band=band,
                narrative=scale.bands.get(band) if band else None,
                n_items=s.n_items,
                n_answered=s.n_answered,
                n_no_opportunity=s.n_no_opportunity,
                guide=guide_url(scale.guide, lang) if scale.guide else None,
            )
        )
    return rows


def experience_gaps(
    doc: d.Instrument, rows: list[ScaleRow], no_opportunity: Iterable[str]
) -> list[Gap]:
    counts: dict[str, int] = {}
    for item_id in no_opportunity:
        item = doc.item_by_id.get(item_id)
        if item is not None and item.scale:
            counts[item.scale] = counts.get(item.scale, 0) + 1
    gaps = []
    for row in rows:
        if row.id in counts:
            text = doc.scale_by_id[row.id].experience_gap or gettext(
                "You have not yet had the chance to do some of what this area covers. "
                "Look for a small, real opportunity to practise it."
            )
            gaps.append(Gap(row, counts[row.id], text))
    return gaps


def summary(doc: d.Instrument, result: AttemptResult, context: str) -> Summary:
    profile = doc.context_by_id.get(context)
    readiness = next((r for r in result.readiness if r.context == context), None)
    value = None
    level = None
    missing: tuple[str, ...] = ()
    if readiness is not None:
        if readiness.sufficient:
            value = interval(readiness.score, readiness.ci95_low, readiness.ci95_high)
        if value is not None and readiness.score is not None:
            level = doc.readiness_level(readiness.score)
        missing = tuple(
            doc.scale_by_id[s].name for s in readiness.scales_missing if s in doc.scale_by_id
        )
    return Summary(
        context_name=profile.name if profile else context,
        context_rationale=profile.rationale if profile else None,
        value=value,
        level=level,
        scales_missing=missing,
    )


def _option(item: d.Item, option_id: Any) -> d.Option | None:
    return next((o for o in item.options if o.id == option_id), None)


def _scenario(item: d.Item, choice: Any, score: float | None) -> ScenarioFeedback:
    rated = [o for o in item.options if o.effectiveness is not None]
    best = worst = None
    ratings: tuple[tuple[d.Option, int | None], ...] = ()
    if item.mode == "rate_each":
        given = choice if isinstance(choice, dict) else {}
        ratings = tuple((o, given.get(o.id)) for o in item.options)
    elif isinstance(choice, dict):
        best, worst = _option(item, choice.get("best")), _option(item, choice.get("worst"))
    return ScenarioFeedback(
        title=item.title or item.text,
        text=item.text,
        question=item.question,
        mode=item.mode or "best_worst",
        score=round(score) if score is not None else None,
        best=best,
        worst=worst,
        expert_best=max(rated, key=lambda o: o.effectiveness or 0) if rated else None,
        expert_worst=min(rated, key=lambda o: o.effectiveness or 0) if rated else None,
        ratings=ratings,
        key=provenance.key_phrase(item.key_provenance),
    )


def judgement(doc: d.Instrument, result: AttemptResult, choices: dict[str, Any]) -> Judgement:
    j = result.judgement
    scores = {s.id: s.score for s in j.scenarios}
    scenarios = tuple(
        _scenario(item, choices.get(item.id), scores.get(item.id))
        for item in doc.items_of("scenario")
    )
    value = interval(j.index, j.ci95_low, j.ci95_high) if j.sufficient else None
    summary = provenance.keys_summary(doc.items_of("scenario"))
    return Judgement(value, j.n_answered, j.n_scenarios, scenarios, summary)


def _reason(doc: d.Instrument, reason: FitReason) -> str:
    points = round(reason.contribution)
    if reason.kind == "preference":
        if points == 0:
            return gettext("What energises you neither raised nor lowered this fit.")
        if points > 0:
            return ngettext(
                "What energises you raised this fit by %(points)s point.",
                "What energises you raised this fit by %(points)s points.",
                abs(points),
            ) % {"points": abs(points)}
        return ngettext(
            "What energises you lowered this fit by %(points)s point.",
            "What energises you lowered this fit by %(points)s points.",
            abs(points),
        ) % {"points": abs(points)}
    scale = doc.scale_by_id.get(reason.id)
    name = scale.name if scale else reason.id
    values = {"name": name, "score": round(reason.value), "points": abs(points)}
    if points == 0:
        return gettext("%(name)s (your score %(score)s) made little difference.") % values
    if points > 0:
        return (
            ngettext(
                "%(name)s (your score %(score)s) added %(points)s point.",
                "%(name)s (your score %(score)s) added %(points)s points.",
                abs(points),
            )
            % values
        )
    return (
        ngettext(
            "%(name)s (your score %(score)s) took away %(points)s point.",
            "%(name)s (your score %(score)s) took away %(points)s points.",
            abs(points),
        )
        % values
    )


def fit(
    doc: d.Instrument, fit_result: FitResult, profiles: tuple[d.Profile, ...], lang: str
) -> Fit:
    by_id = {p.id: p for p in profiles}
    fits = {f.id: f for f in fit_result.profiles}
    rows = []
    for profile_id in fit_result.ranking:
        f, p = fits.get(profile_id), by_id.get(profile_id)
        if f is None or p is None:
            continue
        reasons = sorted(f.reasons, key=lambda r: -abs(r.contribution))
        rows.append(
            FitRow(
                id=p.id,
                name=p.name,
                summary=p.summary,
                value=interval(f.score, f.ci95_low, f.ci95_high),
                reasons=tuple(_reason(doc, r) for r in reasons[:4]),
                guide=guide_url(p.guide, lang) if p.guide else None,
            )
        )
    top = next((r for r in rows if r.id == fit_result.top), None)
    return Fit(tuple(rows), top, fit_result.clearly_ahead and top is not None)


def self_checks(
    doc: d.Instrument, rows: list[ScaleRow], choices: dict[str, Any]
) -> list[SelfCheck]:
    by_id = {r.id: r for r in rows}
    checks = []
    for item in doc.items_of("self_check"):
        chosen = _option(item, choices.get(item.id))
        scales = tuple(by_id[s] for s in item.scales if s in by_id)
        checks.append(
            SelfCheck(
                item.text, chosen.text if chosen else None, scales, _reflect(item, chosen, scales)
            )
        )
    return checks


def _reflect(item: d.Item, chosen: d.Option | None, scales: tuple[ScaleRow, ...]) -> str:
    """Options run from most to least confident (first to last), as the format asks."""
    if chosen is None:
        return gettext("You skipped this question.")
    scored = [s for s in scales if s.value is not None]
    if not scored:
        return gettext("There are not enough answers on the related areas to compare with.")
    bands = {s.band for s in scored}
    position = [o.id for o in item.options].index(chosen.id)
    confident, doubtful = position == 0, position == len(item.options) - 1
    if confident and "low" in bands:
        return gettext(
            "You feel confident here, but your answers on a related area are lower: "
            "worth a reality check with people who see your work."
        )
    if doubtful and bands == {"high"}:
        return gettext(
            "You are unsure, yet your answers on the related areas are high: "
            "you may be underselling yourself."
        )
    if doubtful and "low" in bands:
        return gettext(
            "Your answers on the related areas agree: this is a good place to start developing."
        )
    return gettext(
        "Your answers on the related areas are broadly in line with how you see yourself."
    )


def radar_inputs(rows: list[ScaleRow]) -> list[charts.RadarInput]:
    return [
        charts.RadarInput(
            r.name,
            r.value.score if r.value else None,
            r.value.low if r.value else None,
            r.value.high if r.value else None,
        )
        for r in rows
    ]
