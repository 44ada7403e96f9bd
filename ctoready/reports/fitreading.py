"""Role and CTO-type fit, read from its two sources apart: what the candidate said energises
them (preference answers) and what their scale scores suggest (each profile's distinguishing
scales), then the two together, with agreement or conflict named.

The combined fit's 0-100 number is shown only when its lead over the runner-up exceeds the
error of that lead; otherwise the report gives the order and a plain confidence phrase.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, ngettext

from ctoready import scoring
from ctoready.instruments import document as d
from ctoready.reports.snapshot import Snapshot

SENIOR_YEARS = ("5-to-10", "over-10")  # bg-leadership-years options of a senior leader


@dataclass(frozen=True)
class FitReading:
    preference: str  # "You chose VP of Engineering activities in 2 of 3 questions."
    preference_lean: str | None  # profile name, when one was chosen most
    scores: str
    scores_lean: str | None  # profile name, when ahead beyond error on scores alone
    combined: str  # agreement or conflict, named
    confidence: str  # plain phrase for the combined order
    show_numbers: bool  # the combined lead exceeds its error
    note: str | None = None  # e.g. fractional work follows senior roles


def _names(profiles: tuple[d.Profile, ...]) -> dict[str, str]:
    return {p.id: p.name for p in profiles}


def preference_counts(
    doc: d.Instrument, dimension: str, choices: Mapping[str, Any]
) -> tuple[dict[str, int], int]:
    """Times each profile was chosen, and how many preference questions were answered."""
    counts: dict[str, int] = {}
    answered = 0
    for item in doc.items_of("preference"):
        if item.dimension != dimension:
            continue
        chosen = next((o for o in item.options if o.id == choices.get(item.id)), None)
        if chosen is not None and chosen.points_to:
            answered += 1
            counts[chosen.points_to] = counts.get(chosen.points_to, 0) + 1
    return counts, answered


def _preference(
    counts: dict[str, int], answered: int, names: dict[str, str]
) -> tuple[str, str | None]:
    if not answered:
        return gettext("You did not answer the questions about what energises you."), None
    best = max(counts.values())
    leaders = [k for k, v in counts.items() if v == best]
    if len(leaders) > 1:
        return gettext("Your choices were split evenly; none leads."), None
    name = names.get(leaders[0], leaders[0])
    text = ngettext(
        "You chose %(name)s activities in %(count)s of %(total)s question.",
        "You chose %(name)s activities in %(count)s of %(total)s questions.",
        answered,
    )
    return text % {"name": name, "count": best, "total": answered}, name


def _estimates(result: scoring.AttemptResult) -> dict[str, scoring.ScaleEstimate]:
    return {
        s.scale: scoring.ScaleEstimate(s.score, s.se)
        for s in result.scales
        if s.sufficient and s.score is not None and s.se is not None
    }


def _scores(
    profiles: tuple[d.Profile, ...], result: scoring.AttemptResult, names: dict[str, str]
) -> tuple[str, str | None]:
    """Scores alone: each profile's weighted mean of its own scales (no preference part)."""
    specs = [scoring.ProfileSpec(id=p.id, weights=dict(p.weights)) for p in profiles]
    fit = scoring.fit_profiles("scores", specs, _estimates(result), {}, preference_weight=0.0)
    if fit.top is None:
        return gettext("There are not enough scored areas to read your scores this way."), None
    name = names.get(fit.top, fit.top)
    if fit.clearly_ahead:
        return gettext(
            "Your scores lean %(name)s: the areas that set it apart are higher in your answers "
            "than those of the others, by more than the measurement error."
        ) % {"name": name}, name
    return gettext(
        "Your scores put %(name)s first, but not by more than the measurement error: they do "
        "not clearly favour one."
    ) % {"name": name}, None


def _combined(scores_lean: str | None, preference_lean: str | None) -> str:
    if scores_lean and preference_lean and scores_lean == preference_lean:
        return gettext("Your scores and your preferences agree: both lean %(name)s.") % {
            "name": scores_lean
        }
    if scores_lean and preference_lean:
        return gettext(
            "Your scores lean %(scores)s, your preferences lean %(preferences)s. Weigh which "
            "matters more to you now: the work you already do well, or the work you want more of."
        ) % {"scores": scores_lean, "preferences": preference_lean}
    if scores_lean:
        return gettext("Only your scores lean clearly: towards %(name)s.") % {"name": scores_lean}
    if preference_lean:
        return gettext(
            "Only your preferences lean clearly: towards %(name)s; your scores do not decide it."
        ) % {"name": preference_lean}
    return gettext("Neither your scores nor your preferences lean clearly one way.")


def _confidence(fit: scoring.FitResult, names: dict[str, str]) -> str:
    top, margin, se = fit.top, fit.margin, fit.margin_se
    if top is None:
        return gettext("There are not enough answers to put them in order.")
    name = names.get(top, top)
    if fit.clearly_ahead:
        return gettext("Taking both together, %(name)s is clearly first.") % {"name": name}
    if margin is not None and se and margin > se:
        return gettext(
            "Taking both together, %(name)s comes first, but only as a tendency: the lead is "
            "within measurement error."
        ) % {"name": name}
    return gettext(
        "Taking both together, the first places are too close to call; the order below is "
        "only a guess."
    )


def _fractional_note(
    leans: tuple[str | None, ...], fit: scoring.FitResult, choices: Mapping[str, Any]
) -> str | None:
    if "fractional" not in leans and fit.top != "fractional":
        return None
    senior = choices.get("bg-leadership-years") in SENIOR_YEARS and choices.get(
        "bg-managed-managers"
    ) in ("managed", "hired-and-managed")
    if senior:
        return None
    return gettext(
        "Fractional CTO work usually follows earlier senior roles: companies hire a fractional "
        "CTO to borrow experience they do not have. Your background answers do not yet show "
        "five or more years leading people and leading other managers, so treat fractional "
        "work as a later step on your path rather than a first CTO role."
    )


def read_fit(doc: d.Instrument, snapshot: Snapshot, dimension: str) -> FitReading:
    """``dimension`` is "role" or "type" (the snapshot's ``role_fit`` / ``type_fit``)."""
    choices = snapshot.choices
    profiles = doc.roles if dimension == "role" else doc.cto_types
    names = _names(profiles)
    counts, answered = preference_counts(
        doc, "role" if dimension == "role" else "cto_type", choices
    )
    preference, preference_lean = _preference(counts, answered, names)
    scores, scores_lean = _scores(profiles, snapshot.result, names)
    fit = snapshot.fit(dimension)
    ids = {v: k for k, v in names.items()}
    leans = tuple(ids.get(n or "") for n in (scores_lean, preference_lean))
    return FitReading(
        preference=preference,
        preference_lean=preference_lean,
        scores=scores,
        scores_lean=scores_lean,
        combined=_combined(scores_lean, preference_lean),
        confidence=_confidence(fit, names),
        show_numbers=fit.clearly_ahead,
        note=_fractional_note(leans, fit, choices) if dimension == "type" else None,
    )
