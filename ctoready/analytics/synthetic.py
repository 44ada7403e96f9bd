"""Synthetic attempts simulated from an instrument's own model, for development and demos.

Each simulated person has a general level g ~ N(0, 1) and, per scale, θ_s = 0.6·g + 0.8·e_s
(so scales correlate about .36). Likert answers are drawn from the graded response model
with the item's own parameters (keyed direction, then reversed back for reverse-keyed
items); each is "no opportunity yet" with probability ``NA_RATE`` where the response scale
offers it. Scenario choices follow the keyed effectiveness more closely the higher g is;
preference, background and self-check answers are uniform. Times come from the timing
model's typical duration with lognormal spread. Every attempt is marked
:class:`~ctoready.analytics.models.SyntheticAttempt`.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from django.db import transaction

from ctoready import scoring
from ctoready.analytics.models import SyntheticAttempt
from ctoready.assessments.models import Attempt
from ctoready.assessments.services import save_answers, start_attempt, start_deep_dive
from ctoready.instruments import timing
from ctoready.instruments.document import Instrument, Item
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import document_for
from ctoready.reports.services import finish_attempt, finish_deep_dive

NA_RATE = 0.05
GENERAL_LOADING = 0.6
DEFAULT_A = 1.2  # for an item without IRT parameters (the shipped instrument has them all)


@dataclass(frozen=True)
class Person:
    general: float
    theta: dict[str, float]


def _people(doc: Instrument, n: int, rng: np.random.Generator) -> list[Person]:
    general = rng.standard_normal(n)
    unique = np.sqrt(1.0 - GENERAL_LOADING**2)
    scales = {s.id: GENERAL_LOADING * general + unique * rng.standard_normal(n) for s in doc.scales}
    return [
        Person(float(general[i]), {s: float(v[i]) for s, v in scales.items()}) for i in range(n)
    ]


def _item_parameters(doc: Instrument, item: Item) -> scoring.ItemParameters:
    categories = doc.response_scales[item.response_scale or ""].max_value
    if item.irt_a is not None and item.irt_b is not None:
        return scoring.ItemParameters(a=item.irt_a, thresholds=item.irt_b, id=item.id)
    return scoring.ItemParameters(
        a=DEFAULT_A, thresholds=tuple(np.linspace(-2.0, 1.5, categories - 1)), id=item.id
    )


def _likert(doc: Instrument, item: Item, person: Person, rng: np.random.Generator) -> Any:
    scale = doc.response_scales[item.response_scale or ""]
    if scale.no_opportunity is not None and rng.random() < NA_RATE:
        return "na"
    params = _item_parameters(doc, item)
    keyed = int(scoring.simulate_responses([params], [person.theta[item.scale or ""]], rng)[0, 0])
    keyed += 1  # categories 0..K-1 to answers 1..K
    return scale.max_value + 1 - keyed if item.reverse else keyed


def _softmax_choice(weights: np.ndarray, rng: np.random.Generator) -> int:
    p = np.exp(weights - weights.max())
    return int(rng.choice(weights.size, p=p / p.sum()))


def _scenario(item: Item, person: Person, rng: np.random.Generator) -> Any:
    effectiveness = np.array([float(o.effectiveness or 3) for o in item.options])
    sharpness = max(0.0, 0.8 + 0.5 * person.general)
    if item.mode == "rate_each":
        noise = max(0.4, 1.2 - 0.3 * person.general)
        ratings = np.clip(np.rint(effectiveness + rng.normal(0, noise, effectiveness.size)), 1, 5)
        return {o.id: int(r) for o, r in zip(item.options, ratings, strict=True)}
    best = _softmax_choice(sharpness * effectiveness, rng)
    rest = [i for i in range(effectiveness.size) if i != best]
    worst = rest[_softmax_choice(-sharpness * effectiveness[rest], rng)]
    return {"best": item.options[best].id, "worst": item.options[worst].id}


def simulated_answers(doc: Instrument, person: Person, rng: np.random.Generator) -> dict[str, Any]:
    """One simulated person's answers to every item, as the flow stores them."""
    answers: dict[str, Any] = {}
    for item in doc.items:
        if item.type == "likert":
            answers[item.id] = _likert(doc, item, person, rng)
        elif item.type == "scenario":
            answers[item.id] = _scenario(item, person, rng)
        elif item.options:
            answers[item.id] = item.options[int(rng.integers(len(item.options)))].id
    return answers


def create_demo_attempts(
    *, versions: list[InstrumentVersion], attempts: int, seed: int
) -> list[Attempt]:
    """Simulate ``attempts`` finished attempts spread over ``versions`` (one per language of
    one instrument version), through the same services as the respondent flow: the core,
    then the deep-dive when the instrument has one (every simulated person takes it)."""
    if attempts < 1 or not versions:
        raise ValueError("demo needs at least one attempt and one version")
    rng = np.random.default_rng(seed)
    docs = [document_for(v) for v in versions]
    people = _people(docs[0], attempts, rng)
    typical = [
        {part: _typical_minutes(v, part, seed) for part in _parts(doc)}
        for v, doc in zip(versions, docs, strict=True)
    ]
    created = []
    for person in people:
        pick = int(rng.integers(len(versions)))
        version, doc = versions[pick], docs[pick]
        context = doc.contexts[int(rng.integers(len(doc.contexts)))].id
        answers = simulated_answers(doc, person, rng)
        core = {ref: v for ref, v in answers.items() if doc.part_of_item.get(ref, "core") == "core"}
        deep = {ref: v for ref, v in answers.items() if ref not in core}
        with transaction.atomic():
            attempt, _token = start_attempt(version=version, context=context, locale=doc.locale)
            SyntheticAttempt.objects.create(attempt=attempt, seed=seed)
            save_answers(attempt=attempt, values=core, seq=1)
            finish_attempt(attempt=attempt)
            core_seconds = typical[pick]["core"] * 60.0 * float(rng.lognormal(0.0, 0.3))
            end = attempt.finished_at
            assert end is not None  # finish_attempt sets it
            times: dict[str, Any] = {}
            if deep:
                start_deep_dive(attempt=attempt)
                save_answers(attempt=attempt, values=deep, seq=2)
                finish_deep_dive(attempt=attempt)
                deep_seconds = typical[pick]["deep"] * 60.0 * float(rng.lognormal(0.0, 0.3))
                assert attempt.deep_finished_at is not None  # finish_deep_dive sets it
                end = attempt.deep_finished_at - timedelta(seconds=deep_seconds)
                times = {
                    "deep_started_at": end,
                    "deep_seconds": round(deep_seconds),
                    "finished_at": end,
                }
            # The simulated times end now: the core, then the deep-dive right after it.
            times.update(
                created_at=end - timedelta(seconds=core_seconds), core_seconds=round(core_seconds)
            )
            Attempt.objects.filter(pk=attempt.pk).update(**times)
        created.append(attempt)
    return created


def _parts(doc: Instrument) -> tuple[str, ...]:
    return ("core", "deep") if doc.has_deep else ("core",)


def _typical_minutes(version: InstrumentVersion, part: str, seed: int) -> float:
    document = timing.part_document(version.content, part)
    return timing.estimate(document, people=200, seed=seed).typical_minutes
