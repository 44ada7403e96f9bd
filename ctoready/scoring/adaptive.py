"""Computerised adaptive testing over a calibrated GRM item bank, one θ per scale.

Selection: maximum Fisher information at the scale's current EAP estimate, with content
balancing across scales and randomesque exposure control; stopping by an SE target per
scale and a maximum item count. The state is an immutable value the app can store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.special import expit

from ._arrays import FloatArray, IntArray, quadrature
from .errors import ModelError, ResponseError
from .irt import ItemParameters, _log_prob_tables
from .model import LikertSpec

__all__ = [
    "AdaptiveState",
    "ItemBank",
    "StopDecision",
    "build_bank",
    "next_item",
    "next_page",
    "should_stop",
    "start_state",
    "update_state",
]


@dataclass(frozen=True)
class ItemBank:
    """A calibrated bank in array form (thresholds padded with +inf to the widest item)."""

    items: tuple[LikertSpec, ...]
    scales: tuple[str, ...]
    item_scale: IntArray
    a: FloatArray
    b: FloatArray
    index: dict[str, int]
    nodes: FloatArray
    weights: FloatArray
    log_probs: tuple[FloatArray, ...]


@dataclass(frozen=True)
class AdaptiveState:
    """Answers so far (raw 1..K, in order) and the current EAP θ and SE per scale."""

    answers: tuple[tuple[str, int], ...]
    theta: Mapping[str, float]
    se: Mapping[str, float]


@dataclass(frozen=True)
class StopDecision:
    """Whether to stop, and why ("max_items", "se_target_reached" or "continue")."""

    stop: bool
    reason: str


def build_bank(items: Sequence[LikertSpec], n_nodes: int = 41) -> ItemBank:
    """Validate a bank (every item needs GRM parameters) and precompute its arrays."""
    if not items:
        raise ModelError("the item bank is empty")
    scales = tuple(dict.fromkeys(it.scale for it in items))
    params = []
    for it in items:
        if it.a is None or it.thresholds is None or len(it.thresholds) != it.categories - 1:
            raise ModelError(
                f"item '{it.id}': adaptive testing needs a and categories-1 thresholds"
            )
        params.append(ItemParameters(a=it.a, thresholds=tuple(it.thresholds), id=it.id))
    width = max(len(p.thresholds) for p in params)
    b = np.full((len(items), width), np.inf)
    for j, p in enumerate(params):
        b[j, : len(p.thresholds)] = p.thresholds
    index = {it.id: j for j, it in enumerate(items)}
    if len(index) != len(items):
        raise ModelError("duplicate item ids in the bank")
    nodes, weights = quadrature(n_nodes)
    return ItemBank(
        items=tuple(items),
        scales=scales,
        item_scale=np.array([scales.index(it.scale) for it in items], dtype=np.int64),
        a=np.array([p.a for p in params]),
        b=b,
        index=index,
        nodes=nodes,
        weights=weights,
        log_probs=tuple(_log_prob_tables(nodes, params)),
    )


def start_state(bank: ItemBank) -> AdaptiveState:
    """No answers yet: θ = 0 (prior mean) and SE = 1 (prior SD) on every scale."""
    return AdaptiveState(
        answers=(), theta=dict.fromkeys(bank.scales, 0.0), se=dict.fromkeys(bank.scales, 1.0)
    )


def update_state(bank: ItemBank, state: AdaptiveState, item_id: str, value: int) -> AdaptiveState:
    """Record an answer (raw 1..K) and re-estimate that scale's EAP θ and posterior SD
    (Bock & Mislevy, 1982) from all of its answers."""
    j = bank.index.get(item_id)
    if j is None:
        raise ResponseError(f"unknown item '{item_id}'")
    spec = bank.items[j]
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= spec.categories:
        raise ResponseError(f"item '{item_id}': {value!r} is not a response 1..{spec.categories}")
    if any(done == item_id for done, _ in state.answers):
        raise ResponseError(f"item '{item_id}' was already answered")
    answers = (*state.answers, (item_id, value))
    loglik = np.zeros_like(bank.nodes)
    for done, raw in answers:
        g = bank.index[done]
        if bank.items[g].scale == spec.scale:
            keyed = bank.items[g].categories - raw if bank.items[g].reverse else raw - 1
            loglik += bank.log_probs[g][keyed]
    post = np.exp(loglik - loglik.max()) * bank.weights
    post /= post.sum()
    theta = float(post @ bank.nodes)
    se = float(np.sqrt(max(float(post @ bank.nodes**2) - theta**2, 0.0)))
    return replace(
        state,
        answers=answers,
        theta={**state.theta, spec.scale: theta},
        se={**state.se, spec.scale: se},
    )


def _information(bank: ItemBank, theta: FloatArray) -> FloatArray:
    """GRM Fisher information of every item at its scale's θ (Samejima, 1969)."""
    p_star = expit(bank.a[:, None] * (theta[bank.item_scale][:, None] - bank.b))
    ones, zeros = np.ones((bank.a.size, 1)), np.zeros((bank.a.size, 1))
    p_full = np.hstack([ones, p_star, zeros])
    w = p_full * (1.0 - p_full)
    dp = bank.a[:, None] * (w[:, :-1] - w[:, 1:])
    probs = p_full[:, :-1] - p_full[:, 1:]
    terms = np.divide(dp**2, probs, out=np.zeros_like(probs), where=probs > 1e-300)
    info: FloatArray = terms.sum(axis=1)
    return info


def _targets(bank: ItemBank, se_target: float | Mapping[str, float]) -> dict[str, float]:
    if isinstance(se_target, Mapping):
        return {s: float(se_target.get(s, 0.0)) for s in bank.scales}
    return dict.fromkeys(bank.scales, float(se_target))


def _open_scales(bank: ItemBank, state: AdaptiveState, targets: Mapping[str, float]) -> list[int]:
    answered = np.zeros(bank.a.size, dtype=bool)
    for done, _ in state.answers:
        answered[bank.index[done]] = True
    remaining = np.bincount(bank.item_scale[~answered], minlength=len(bank.scales))
    return [
        s
        for s, name in enumerate(bank.scales)
        if remaining[s] > 0 and state.se[name] > targets[name]
    ]


def should_stop(
    bank: ItemBank,
    state: AdaptiveState,
    se_target: float | Mapping[str, float],
    max_items: int,
) -> StopDecision:
    """Stop at ``max_items`` answers, or when every scale's posterior SD is at or below
    its target (or it has no items left). Variable-length CAT stopping rules: Wainer
    (2000), *Computerized Adaptive Testing: A Primer*, 2nd ed., ch. 5; Babcock & Weiss
    (2012), JCAT 1(1)."""
    if len(state.answers) >= max_items:
        return StopDecision(True, "max_items")
    if not _open_scales(bank, state, _targets(bank, se_target)):
        return StopDecision(True, "se_target_reached")
    return StopDecision(False, "continue")


def next_item(
    bank: ItemBank,
    state: AdaptiveState,
    rng: np.random.Generator,
    se_target: float | Mapping[str, float] = 0.4,
    max_items: int = 60,
    randomesque: int = 5,
) -> str | None:
    """The next item id, or ``None`` when :func:`should_stop` says stop.

    Content balancing: among scales still above their SE target, the one with the fewest
    answers so far (ties: larger SE, then bank order). Within it, maximum Fisher
    information at the scale's current θ, choosing uniformly among the ``randomesque``
    most informative unanswered items (exposure control). Kingsbury, G. G., & Zara, A. R.
    (1989). Procedures for selecting items for computerized adaptive tests. *Applied
    Measurement in Education*, 2(4), 359–375.
    """
    if should_stop(bank, state, se_target, max_items).stop:
        return None
    targets = _targets(bank, se_target)
    done = np.array([bank.index[i] for i, _ in state.answers], dtype=np.int64)
    counts = np.bincount(bank.item_scale[done], minlength=len(bank.scales))
    open_scales = _open_scales(bank, state, targets)
    scale = min(open_scales, key=lambda s: (counts[s], -state.se[bank.scales[s]], s))
    theta = np.array([state.theta[name] for name in bank.scales])
    info = _information(bank, theta)
    info[done] = -np.inf
    info[bank.item_scale != scale] = -np.inf
    n_open = int(np.sum(np.isfinite(info)))
    best = np.argsort(-info, kind="stable")[: max(1, min(randomesque, n_open))]
    return bank.items[int(best[rng.integers(best.size)])].id


def next_page(
    bank: ItemBank,
    state: AdaptiveState,
    rng: np.random.Generator,
    *,
    size: int,
    se_target: float | Mapping[str, float] = 0.4,
    max_items: int = 60,
    unavailable: frozenset[str] = frozenset(),
    randomesque: int = 5,
) -> tuple[str, ...]:
    """Up to ``size`` items for the next page of a multi-stage adaptive test.

    One item per scale still above its SE target, scales with the fewest items used first
    (content balancing, as in :func:`next_item`); within each, one of the ``randomesque``
    most informative unused items at the scale's current θ (Kingsbury & Zara, 1989).
    ``unavailable`` items (shown but skipped, or answered "no opportunity yet") count as
    used and towards ``max_items``, but carry no information. Empty when the test stops.
    """
    if size < 1:
        raise ModelError("a page holds at least one item")
    used = np.zeros(bank.a.size, dtype=bool)
    for done, _ in state.answers:
        used[bank.index[done]] = True
    for item_id in unavailable:
        if item_id in bank.index:
            used[bank.index[item_id]] = True
    budget = max_items - int(used.sum())
    targets = _targets(bank, se_target)
    counts = np.bincount(bank.item_scale[used], minlength=len(bank.scales))
    open_scales = [
        s
        for s, name in enumerate(bank.scales)
        if state.se[name] > targets[name] and bool(np.any(~used & (bank.item_scale == s)))
    ]
    open_scales.sort(key=lambda s: (counts[s], -state.se[bank.scales[s]], s))
    theta = np.array([state.theta[name] for name in bank.scales])
    info = _information(bank, theta)
    info[used] = -np.inf
    picks: list[str] = []
    for scale in open_scales[: max(0, min(size, budget))]:
        candidates = np.where(bank.item_scale == scale, info, -np.inf)
        n_open = int(np.sum(np.isfinite(candidates)))
        best = np.argsort(-candidates, kind="stable")[: min(randomesque, n_open)]
        picks.append(bank.items[int(best[rng.integers(best.size)])].id)
    return tuple(picks)
