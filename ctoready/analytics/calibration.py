"""Calibrating a version's Likert items from its finished attempts, into a draft version.

Each scale is calibrated on its own (the scoring model is one θ per scale) from the keyed
answers (reverse-keyed items recoded), with standard errors from the observed information
and Orlando–Thissen S-X² fit. The new parameters go into a draft of the next patch
version (every language); publishing is refused while any SE(a) exceeds ``MAX_SE_A``.
"""

import copy
from typing import Any

import numpy as np
import yaml
from django.db import transaction
from django.utils import timezone

from ctoready import scoring
from ctoready.analytics.data import VersionData, load_version_data
from ctoready.analytics.models import Calibration
from ctoready.instruments.loader import load_bytes
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import InstrumentError, import_instrument, publish_version
from ctoready.lib import audit

MAX_SE_A = 0.25  # our rule: withhold while any slope is this uncertain
MIN_N = 500  # Reise & Yu (1990): a stable GRM needs about 500 respondents


class CalibrationRefusedError(Exception):
    """A calibration the data or the rules do not allow; the message says why."""


def _scale_results(data: VersionData, scale: str) -> dict[str, dict[str, Any]]:
    columns = data.columns(scale)
    ids = [data.items[j].id for j in columns]
    block = data.keyed()[:, columns] - np.array([data.items[j].min for j in columns])
    result = scoring.calibrate_grm(block, ids, min_respondents=2)
    errors = scoring.grm_standard_errors(block, result)
    try:
        fit: dict[str, scoring.ItemFit] = {f.id: f for f in scoring.sx2_item_fit(block, result)}
    except scoring.ScoringError:
        fit = {}  # too few complete rows or score groups: fit is reported as unknown
    doc_items = data.doc.item_by_id
    out = {}
    for est, se in zip(result.items, errors, strict=True):
        old = doc_items[est.id]
        item_fit = fit.get(est.id)
        out[est.id] = {
            "scale": scale,
            "old_a": old.irt_a,
            "old_b": list(old.irt_b) if old.irt_b else None,
            "a": round(est.a, 4),
            "b": [round(b, 4) for b in est.b],
            "se_a": round(se.a, 4),
            "se_b": [round(s, 4) for s in se.b],
            "sx2": round(item_fit.sx2, 3) if item_fit else None,
            "df": item_fit.df if item_fit else None,
            "p": round(item_fit.p_value, 4) if item_fit else None,
            "converged": result.converged,
        }
    return out


def _next_version(versions: list[InstrumentVersion]) -> str:
    taken = {v.version for v in InstrumentVersion.objects.filter(instrument=versions[0].instrument)}
    major, minor, patch = versions[0].semver
    while f"{major}.{minor}.{patch}" in taken:
        patch += 1
    return f"{major}.{minor}.{patch}"


def _draft_content(version: InstrumentVersion, number: str, results: dict[str, Any]) -> Any:
    content = copy.deepcopy(version.content)
    content["version"] = number
    for item in content["items"]:
        if item["id"] in results:
            item["irt"] = {"a": results[item["id"]]["a"], "b": results[item["id"]]["b"]}
    return content


def calibrate_from_attempts(
    *, versions: list[InstrumentVersion], min_n: int = MIN_N, include_synthetic: bool = False
) -> Calibration:
    """Estimate every Likert item's parameters and store them in a new draft version."""
    data = load_version_data(versions, include_synthetic=include_synthetic)
    if data.n < min_n:
        raise CalibrationRefusedError(
            f"{data.n} finished attempts of {data.label}; calibration needs at least {min_n}"
        )
    results: dict[str, Any] = {}
    for scale in data.doc.scales:
        try:
            results.update(_scale_results(data, scale.id))
        except scoring.ScoringError as error:
            raise CalibrationRefusedError(f"scale {scale.id}: {error}") from None
    number = _next_version(versions)
    with transaction.atomic():
        for version in versions:  # English first: translations are checked against it
            raw = yaml.safe_dump(_draft_content(version, number, results), allow_unicode=True)
            try:
                import_instrument(
                    loaded=load_bytes(raw.encode(), version.label),
                    name=version.label,
                    publish=False,
                )
            except InstrumentError as error:
                problems = "; ".join(f"{p.field}: {p.message}" for p in error.problems)
                raise CalibrationRefusedError(
                    f"the estimates make no valid version: {problems}"
                ) from None
        return Calibration.objects.create(
            instrument_slug=versions[0].instrument.slug,
            source_version=versions[0].version,
            draft_version=number,
            n=data.n,
            synthetic=data.n_synthetic,
            results=results,
            withheld=bool(data.n_synthetic) or any(r["se_a"] > MAX_SE_A for r in results.values()),
        )


def withheld_reason(calibration: Calibration) -> str:
    if calibration.synthetic:
        return "withheld: estimated partly from synthetic attempts, which are not people"
    worst = max(r["se_a"] for r in calibration.results.values())
    return f"withheld: a slope's standard error is {worst:.3f}, above the {MAX_SE_A} rule"


def publish_calibration(*, calibration: Calibration, operator: Any) -> None:
    """Publish the calibrated draft (every language), unless the rule withholds it."""
    if calibration.withheld:
        raise CalibrationRefusedError(withheld_reason(calibration))
    drafts = InstrumentVersion.objects.filter(
        instrument__slug=calibration.instrument_slug, version=calibration.draft_version
    )
    with transaction.atomic():
        for draft in drafts:
            publish_version(version=draft)
        calibration.published_at = timezone.now()
        calibration.save(update_fields=["published_at"])
        audit.record(
            actor=operator,
            action="publish_calibration",
            target=f"{calibration.instrument_slug}@{calibration.draft_version}",
            n=calibration.n,
        )
