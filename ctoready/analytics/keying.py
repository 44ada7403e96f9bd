"""Expert keying rounds: invite experts by private link, collect 1–7 ratings of every
scenario option, measure agreement, and publish a version keyed by the panel.

Our rule (docs/scoring.md): a scenario takes the panel's key when at least
``MIN_EXPERTS`` experts rated it, the best option's mean exceeds the next by
``MIN_LEAD``, its SD is at most ``MAX_BEST_SD``, and rwg(j) is at least ``MIN_RWG_J`` and
above the 95th percentile of rwg(j) for random ratings by a panel of that size. Other
scenarios keep the authors' key, and say so.
"""

import copy
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
import yaml
from django.db import transaction
from django.utils import timezone

from ctoready import scoring
from ctoready.analytics.models import KeyingExpert, KeyingRating, KeyingRound
from ctoready.analytics.versions import versions_for
from ctoready.instruments.document import Instrument, Item
from ctoready.instruments.loader import load_bytes
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import InstrumentError, document_for, import_instrument
from ctoready.lib import audit
from ctoready.lib.tokens import hash_token, new_token

POINTS = 7
MIN_EXPERTS = 6
MIN_LEAD = 0.5
MAX_BEST_SD = 1.5
MIN_RWG_J = 0.70
NULL_SEED = 20260601
INVITE_DAYS = 30


class KeyingError(Exception):
    """A keying action the rules refuse; the message is safe to show."""


def open_round(*, version: InstrumentVersion) -> KeyingRound:
    return KeyingRound.objects.create(
        instrument_slug=version.instrument.slug, instrument_version=version.version
    )


def invite_expert(*, round: KeyingRound, label: str = "") -> tuple[KeyingExpert, str]:
    """A private link for one expert; the raw token exists only in the returned URL part."""
    if round.published_at is not None:
        raise KeyingError("This round is published; it takes no more experts.")
    token = new_token()
    expert = KeyingExpert.objects.create(
        round=round,
        label=label[:100],
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=INVITE_DAYS),
    )
    return expert, token


def resolve_expert(token: str) -> KeyingExpert | None:
    expert = (
        KeyingExpert.objects.select_related("round").filter(token_hash=hash_token(token)).first()
    )
    if expert is None or not expert.is_active or expert.round.published_at is not None:
        return None
    return expert


def round_document(round: KeyingRound) -> Instrument:
    versions = versions_for(round.label)
    if not versions:
        raise KeyingError("The round's instrument version no longer exists.")
    return document_for(versions[0])


def submit_ratings(
    *, expert: KeyingExpert, ratings: dict[tuple[str, str], int], notes: dict[str, str]
) -> None:
    """Store one expert's ratings of every option (all or nothing); a later submission
    replaces an earlier one until the round is published."""
    doc = round_document(expert.round)
    wanted = {(s.id, o.id) for s in doc.items_of("scenario") for o in s.options}
    if set(ratings) != wanted:
        raise KeyingError("Rate every option of every situation.")
    if any(not isinstance(v, int) or not 1 <= v <= POINTS for v in ratings.values()):
        raise KeyingError(f"Each rating is a whole number from 1 to {POINTS}.")
    with transaction.atomic():
        KeyingRating.objects.filter(expert=expert).delete()
        KeyingRating.objects.bulk_create(
            KeyingRating(expert=expert, scenario_id=s, option_id=o, rating=v)
            for (s, o), v in ratings.items()
        )
        expert.notes = {k: v[:2000] for k, v in notes.items() if v.strip()}
        expert.submitted_at = timezone.now()
        expert.save(update_fields=["notes", "submitted_at"])


@dataclass(frozen=True)
class OptionRow:
    id: str
    text: str
    authors_key: int | None
    mean: float
    sd: float
    n: int
    rwg: float


@dataclass(frozen=True)
class ScenarioResult:
    id: str
    title: str
    experts: int
    options: list[OptionRow]
    rwg_j: float | None
    rwg_j_null: float | None
    icc2k: float | None
    passes: bool
    reasons: list[str]
    panel_key: dict[str, int]
    notes: list[str]


def _matrix(item: Item, experts: list[KeyingExpert], ratings: dict[Any, int]) -> np.ndarray:
    return np.array(
        [[ratings[(e.pk, item.id, o.id)] for o in item.options] for e in experts], dtype=float
    )


def panel_key(means: np.ndarray) -> list[int]:
    """The instrument's 1..5 keys from panel means on 1..7: ``round(1 + (m − 1)·4/6)``,
    then the best option at least 3, the worst at least two below it, and the others
    strictly between, so exactly one option holds the highest key and one the lowest."""
    keys = np.rint(1 + (means - 1) * 4 / 6).astype(int)
    best, worst = int(np.argmax(means)), int(np.argmin(means))
    top = max(int(keys[best]), 3)
    bottom = min(int(keys[worst]), top - 2)
    out = [int(np.clip(k, bottom + 1, top - 1)) for k in keys]
    out[best], out[worst] = top, bottom
    return out


def _decide(matrix: np.ndarray, null: float | None, agreement: float | None) -> list[str]:
    reasons = []
    n = matrix.shape[0]
    if n < MIN_EXPERTS:
        reasons.append(f"{n} experts; a panel key needs {MIN_EXPERTS}")
        return reasons
    means = np.sort(matrix.mean(axis=0))[::-1]
    best = int(np.argmax(matrix.mean(axis=0)))
    if means[0] - means[1] < MIN_LEAD:
        reasons.append(
            f"the best option leads the next by {means[0] - means[1]:.2f} (< {MIN_LEAD})"
        )
    if matrix[:, best].std(ddof=1) > MAX_BEST_SD:
        reasons.append(
            f"the best option's SD is {matrix[:, best].std(ddof=1):.2f} (> {MAX_BEST_SD})"
        )
    if agreement is None or agreement < MIN_RWG_J or (null is not None and agreement <= null):
        reasons.append(
            f"rwg(j) {agreement or 0:.2f} is below {MIN_RWG_J} or the chance level {null or 0:.2f}"
        )
    return reasons


def scenario_results(round: KeyingRound) -> list[ScenarioResult]:
    doc = round_document(round)
    experts = list(round.experts.filter(submitted_at__isnull=False).order_by("pk"))
    ratings = {
        (r.expert_id, r.scenario_id, r.option_id): r.rating
        for r in KeyingRating.objects.filter(expert__in=experts)
    }
    out = []
    for item in doc.items_of("scenario"):
        matrix = _matrix(item, experts, ratings) if experts else np.empty((0, len(item.options)))
        out.append(_scenario_result(item, matrix, experts))
    return out


def _scenario_result(item: Item, matrix: np.ndarray, experts: list[KeyingExpert]) -> ScenarioResult:
    n = matrix.shape[0]
    enough = n >= 2
    agreement = scoring.rwg_j(matrix, POINTS) if enough else None
    null = (
        scoring.rwg_j_null(n, matrix.shape[1], np.random.default_rng(NULL_SEED), POINTS, 4000)
        if enough
        else None
    )
    try:
        icc = scoring.intraclass_correlations(matrix.T).icc2k if enough else None
    except scoring.ScoringError:
        icc = None
    reasons = _decide(matrix, null, agreement)
    options = [
        OptionRow(
            id=o.id,
            text=o.text,
            authors_key=o.effectiveness,
            mean=float(matrix[:, j].mean()) if n else 0.0,
            sd=float(matrix[:, j].std(ddof=1)) if enough else 0.0,
            n=n,
            rwg=scoring.rwg(matrix[:, j], POINTS) if enough else 0.0,
        )
        for j, o in enumerate(item.options)
    ]
    keys = panel_key(matrix.mean(axis=0)) if n else []
    return ScenarioResult(
        id=item.id,
        title=item.title or item.id,
        experts=n,
        options=options,
        rwg_j=agreement,
        rwg_j_null=null,
        icc2k=icc,
        passes=not reasons,
        reasons=reasons,
        panel_key={o.id: k for o, k in zip(item.options, keys, strict=False)},
        notes=[e.notes[item.id] for e in experts if item.id in e.notes],
    )


def _keyed_content(content: Any, number: str, results: list[ScenarioResult], day: str) -> Any:
    data = copy.deepcopy(content)
    data["version"] = number
    passing = {r.id: r for r in results if r.passes}
    for item in data["items"]:
        found = passing.get(item["id"])
        if found is None:
            continue
        for option in item["options"]:
            option["effectiveness"] = found.panel_key[option["id"]]
        item["key_provenance"] = {
            "source": "panel",
            "experts": found.experts,
            "agreement": round(found.rwg_j or 0.0, 2),
            "date": day,
        }
    return data


def publish_round(*, round: KeyingRound, operator: Any) -> str:
    """Publish the next patch version with the panel's keys on the scenarios that pass."""
    if round.published_at is not None:
        raise KeyingError("This round is already published.")
    results = scenario_results(round)
    if not any(r.passes for r in results):
        raise KeyingError("No scenario meets the panel rule; the authors' keys stay.")
    versions = versions_for(round.label)
    taken = set(
        InstrumentVersion.objects.filter(instrument=versions[0].instrument).values_list(
            "version", flat=True
        )
    )
    major, minor, patch = versions[0].semver
    while f"{major}.{minor}.{patch}" in taken:
        patch += 1
    number, day = f"{major}.{minor}.{patch}", timezone.localdate().isoformat()
    with transaction.atomic():
        for version in versions:  # English first: translations are checked against it
            raw = yaml.safe_dump(
                _keyed_content(version.content, number, results, day), allow_unicode=True
            )
            try:
                import_instrument(
                    loaded=load_bytes(raw.encode(), version.label), name=version.label
                )
            except InstrumentError as error:
                raise KeyingError(f"The panel's keys make no valid version: {error}") from None
        round.published_version, round.published_at = number, timezone.now()
        round.save(update_fields=["published_version", "published_at"])
        audit.record(
            actor=operator, action="publish_panel_key", target=f"{round.instrument_slug}@{number}"
        )
    return number
