"""Item and scale figures of one version, computed from :class:`VersionData` by the scoring core.

Every figure that rests on fewer than ``MIN_CELL`` people is suppressed (``None``), so no
small group can be picked out. The same functions feed the operator pages and the manual,
and compute exactly what ``ctoready stats reliability`` computes from the exported CSV
(listwise deletion, reverse-keyed items recoded ``min + max - x``).
"""

from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from ctoready import scoring
from ctoready.analytics.data import VersionData

MIN_CELL = 10  # our rule: no figure from fewer than ten people
MIN_DIF_GROUP = 200  # our rule: DIF only with 200 or more per language


@dataclass(frozen=True)
class ItemRow:
    id: str
    reverse: bool
    n: int  # people who gave a 1..K answer
    mean: float | None  # keyed direction
    sd: float | None
    no_opportunity_rate: float | None
    item_rest_r: float | None
    alpha_if_dropped: float | None


@dataclass(frozen=True)
class ScaleRow:
    id: str
    name: str
    n: int  # complete cases (listwise), as `ctoready stats reliability`
    k: int
    alpha: float | None
    ci_low: float | None
    ci_high: float | None
    omega: float | None
    items: list[ItemRow]
    problem: str = ""


def _item_rows(
    data: VersionData, scale: str, stats: scoring.ItemStatistics | None
) -> list[ItemRow]:
    keyed, rows = data.keyed(), []
    for position, j in enumerate(data.columns(scale)):
        column = keyed[:, j]
        seen = column[~np.isnan(column)]
        enough = seen.size >= MIN_CELL
        rows.append(
            ItemRow(
                id=data.items[j].id,
                reverse=data.items[j].reverse,
                n=int(seen.size),
                mean=float(seen.mean()) if enough else None,
                sd=float(seen.std(ddof=1)) if enough else None,
                no_opportunity_rate=(
                    float(data.no_opportunity[:, j].mean()) if data.n >= MIN_CELL else None
                ),
                item_rest_r=float(stats.item_total_r[position]) if stats else None,
                alpha_if_dropped=float(stats.alpha_if_dropped[position]) if stats else None,
            )
        )
    return rows


def scale_statistics(data: VersionData, scale: str) -> tuple[scoring.ItemStatistics | None, str]:
    """Item analysis of one scale (listwise), or None with the reason it cannot be given."""
    columns = data.columns(scale)
    block = data.keyed()[:, columns]
    complete = int((~np.isnan(block).any(axis=1)).sum())
    if complete < MIN_CELL:
        return None, _("fewer than 10 people answered every item")
    try:
        return scoring.item_statistics(block, "listwise", [data.items[j].id for j in columns]), ""
    except scoring.ScoringError as error:
        return None, str(error)


def scale_rows(data: VersionData) -> list[ScaleRow]:
    rows = []
    for scale in data.doc.scales:
        stats, problem = scale_statistics(data, scale.id)
        rows.append(
            ScaleRow(
                id=scale.id,
                name=scale.name,
                n=stats.n if stats else 0,
                k=len(data.columns(scale.id)),
                alpha=stats.alpha.alpha if stats else None,
                ci_low=stats.alpha.ci_low if stats else None,
                ci_high=stats.alpha.ci_high if stats else None,
                omega=stats.omega.omega_total if stats else None,
                items=_item_rows(data, scale.id, stats),
                problem=problem,
            )
        )
    return rows


def scale_scores(data: VersionData, min_answered: int = 3) -> dict[str, np.ndarray]:
    """Each person's mean keyed answer per scale (NaN with fewer than ``min_answered``)."""
    keyed, out = data.keyed(), {}
    for scale in data.doc.scales:
        block = keyed[:, data.columns(scale.id)]
        answered = (~np.isnan(block)).sum(axis=1)
        with np.errstate(invalid="ignore"):
            means = np.nansum(block, axis=1) / np.maximum(answered, 1)
        out[scale.id] = np.where(answered >= min_answered, means, np.nan)
    return out


@dataclass(frozen=True)
class Correlation:
    r: float | None
    n: int


def scale_correlations(data: VersionData) -> list[tuple[str, list[Correlation]]]:
    """Pearson r between scale scores, pairwise complete; suppressed under ten people."""
    scores = scale_scores(data)
    names = list(scores)
    matrix = []
    for a in names:
        row = []
        for b in names:
            both = ~np.isnan(scores[a]) & ~np.isnan(scores[b])
            n = int(both.sum())
            x, y = scores[a][both], scores[b][both]
            usable = n >= MIN_CELL and x.std() > 0 and y.std() > 0
            row.append(Correlation(float(np.corrcoef(x, y)[0, 1]) if usable else None, n))
        matrix.append((a, row))
    return matrix


@dataclass(frozen=True)
class OptionRate:
    id: str
    text: str
    effectiveness: int | None
    best: float | None  # share of respondents; None when fewer than ten chose it
    worst: float | None


@dataclass(frozen=True)
class ScenarioRates:
    id: str
    title: str
    n: int
    options: list[OptionRate]


def _share(count: int, n: int) -> float | None:
    return count / n if count >= MIN_CELL and n >= MIN_CELL else None


def choice_rates(data: VersionData) -> list[ScenarioRates]:
    """How often each option of a best/worst scenario was chosen as best and as worst."""
    out = []
    for item in data.doc.items_of("scenario"):
        if item.mode == "rate_each":
            continue
        answers = [v for a in data.answers if isinstance(v := a.get(item.id), dict)]
        n = len(answers)
        best = Counter(a.get("best") for a in answers)
        worst = Counter(a.get("worst") for a in answers)
        options = [
            OptionRate(
                id=option.id,
                text=option.text,
                effectiveness=option.effectiveness,
                best=_share(best[option.id], n),
                worst=_share(worst[option.id], n),
            )
            for option in item.options
        ]
        out.append(ScenarioRates(item.id, item.title or item.id, n, options))
    return out


@dataclass(frozen=True)
class DifRow:
    id: str
    scale: str
    result: scoring.PolytomousDIF | None
    problem: str = ""


@dataclass(frozen=True)
class DifSummary:
    focal: str
    reference: str
    n_focal: int
    n_reference: int
    rows: list[DifRow]

    @property
    def sufficient(self) -> bool:
        return min(self.n_focal, self.n_reference) >= MIN_DIF_GROUP


def dif_by_language(data: VersionData, focal: str = "fr", reference: str = "en") -> DifSummary:
    """Each Likert item, French against English, matched on the scale's keyed total over
    people who answered every item of the scale (:func:`scoring.polytomous_dif`)."""
    locales = np.asarray(data.locales)
    n_focal, n_reference = int((locales == focal).sum()), int((locales == reference).sum())
    summary = DifSummary(focal, reference, n_focal, n_reference, [])
    if not summary.sufficient:
        return summary
    keyed, keep = data.keyed(), np.isin(locales, [focal, reference])
    for scale in data.doc.scales:
        block = keyed[:, data.columns(scale.id)]
        total = block.sum(axis=1)  # NaN unless every item of the scale was answered
        for position, j in enumerate(data.columns(scale.id)):
            try:
                result = scoring.polytomous_dif(
                    block[keep, position], total[keep], locales[keep] == focal
                )
                summary.rows.append(DifRow(data.items[j].id, scale.id, result))
            except scoring.ScoringError as error:
                summary.rows.append(DifRow(data.items[j].id, scale.id, None, str(error)))
    return summary
