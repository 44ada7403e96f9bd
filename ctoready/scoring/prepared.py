"""Validation of a :class:`ScoringModel` and the per-model arrays that make scoring fast.

``prepare(model)`` is cached by object identity, so the web app can pass the same
ScoringModel object (built once per instrument version) on every request.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from ._arrays import FloatArray, check_item_parameters, quadrature
from .errors import ModelError
from .irt import ItemParameters, _log_prob_tables, expected_score
from .judgement import validate_scenario
from .model import LikertSpec, ProfileSpec, ScoringModel

__all__ = ["PreparedModel", "prepare"]

TCC_GRID = np.linspace(-8.0, 8.0, 801)
_CACHE_SIZE = 16
_cache: dict[int, tuple[ScoringModel, PreparedModel]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class PreparedModel:
    """A validated model with precomputed quadrature tables and TCC curves.

    ``log_probs[g]`` is the (K, Q) table of log category probabilities of the g-th Likert
    item (``None`` without IRT parameters); ``tcc[s]`` is scale s's expected POMP score on
    ``TCC_GRID`` over its items with parameters (``None`` when it has none).
    """

    model: ScoringModel
    scale_index: dict[str, int]
    likert_index: dict[str, int]
    nodes: FloatArray
    weights: FloatArray
    log_probs: tuple[FloatArray | None, ...]
    tcc: tuple[FloatArray | None, ...]
    items_per_scale: tuple[int, ...]


def _unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ModelError(f"duplicate {what} id '{i}'")
        seen.add(i)


def _item_parameters(spec: LikertSpec, scales: dict[str, int]) -> ItemParameters | None:
    if spec.scale not in scales:
        raise ModelError(f"item '{spec.id}': unknown scale '{spec.scale}'")
    if (
        isinstance(spec.categories, bool)
        or not isinstance(spec.categories, int)
        or spec.categories < 2
    ):
        raise ModelError(f"item '{spec.id}': categories must be an integer >= 2")
    if (spec.a is None) != (spec.thresholds is None):
        raise ModelError(f"item '{spec.id}': give both a and thresholds, or neither")
    if spec.a is None or spec.thresholds is None:
        return None
    if len(spec.thresholds) != spec.categories - 1:
        raise ModelError(
            f"item '{spec.id}': {len(spec.thresholds)} thresholds for {spec.categories} categories"
        )
    check_item_parameters(spec.a, np.asarray(spec.thresholds, dtype=float), spec.id)
    return ItemParameters(a=float(spec.a), thresholds=tuple(spec.thresholds), id=spec.id)


def _check_profiles(profiles: tuple[ProfileSpec, ...], scales: dict[str, int], what: str) -> None:
    _unique([p.id for p in profiles], what)
    for p in profiles:
        for scale, w in p.weights.items():
            if scale not in scales:
                raise ModelError(f"{what} '{p.id}': unknown scale '{scale}'")
            if not np.isfinite(w) or w < 0:
                raise ModelError(f"{what} '{p.id}': weight for '{scale}' must be finite and >= 0")
        if sum(p.weights.values()) <= 0:
            raise ModelError(f"{what} '{p.id}': needs at least one positive weight")


def _check_settings(model: ScoringModel) -> None:
    if model.min_answered_per_scale < 1 or model.min_scenarios < 1:
        raise ModelError("min_answered_per_scale and min_scenarios must be >= 1")
    if not 0.0 < model.classical_reliability < 1.0 or model.classical_sd <= 0:
        raise ModelError("classical_reliability must be in (0, 1) and classical_sd > 0")
    if not 0.0 <= model.preference_weight <= 1.0:
        raise ModelError("preference_weight must be in [0, 1]")
    if not model.classification_z > 0:
        raise ModelError("classification_z must be > 0")
    if not 0.0 < model.classification_alpha < 1.0:
        raise ModelError("classification_alpha must be in (0, 1)")
    if model.classification_method not in ("holm", "per_scale"):
        raise ModelError("classification_method must be 'holm' or 'per_scale'")


def _check_preferences(model: ScoringModel) -> None:
    _unique([p.id for p in model.preferences], "preference")
    targets = {"role": {r.id for r in model.roles}, "type": {t.id for t in model.types}}
    for pref in model.preferences:
        if pref.dimension not in targets:
            raise ModelError(f"preference '{pref.id}': dimension must be 'role' or 'type'")
        if len(pref.points_to) < 2:
            raise ModelError(f"preference '{pref.id}': needs at least two options")
        for target in pref.points_to:
            if target not in targets[pref.dimension]:
                raise ModelError(f"preference '{pref.id}': unknown {pref.dimension} '{target}'")


def _build(model: ScoringModel) -> PreparedModel:
    _check_settings(model)
    if not model.scales:
        raise ModelError("the model has no scales")
    _unique(list(model.scales), "scale")
    scale_index = {s: i for i, s in enumerate(model.scales)}
    _unique([it.id for it in model.likert], "item")
    params = [_item_parameters(it, scale_index) for it in model.likert]
    _unique([sc.id for sc in model.scenarios], "scenario")
    for sc in model.scenarios:
        validate_scenario(sc)
    _check_preferences(model)
    for profiles, what in (
        (model.roles, "role"),
        (model.types, "type"),
        (model.contexts, "context"),
    ):
        _check_profiles(profiles, scale_index, what)
    nodes, weights = quadrature(model.n_nodes)
    log_probs = tuple(None if p is None else _log_prob_tables(nodes, [p])[0] for p in params)
    tcc: list[FloatArray | None] = []
    for scale in model.scales:
        with_params = [
            p for p, it in zip(params, model.likert, strict=True) if p and it.scale == scale
        ]
        max_score = sum(p.categories - 1 for p in with_params)
        tcc.append(
            100.0 * expected_score(TCC_GRID, with_params) / max_score if with_params else None
        )
    counts = [sum(1 for it in model.likert if it.scale == s) for s in model.scales]
    return PreparedModel(
        model=model,
        scale_index=scale_index,
        likert_index={it.id: g for g, it in enumerate(model.likert)},
        nodes=nodes,
        weights=weights,
        log_probs=log_probs,
        tcc=tuple(tcc),
        items_per_scale=tuple(counts),
    )


def prepare(model: ScoringModel) -> PreparedModel:
    """Validate ``model`` (raising ModelError naming the item/profile at fault) and
    precompute its scoring tables; cached by identity for the last 16 models."""
    with _lock:
        hit = _cache.get(id(model))
    if hit is not None and hit[0] is model:
        return hit[1]
    prepared = _build(model)
    with _lock:
        if len(_cache) >= _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
        _cache[id(model)] = (model, prepared)
    return prepared
