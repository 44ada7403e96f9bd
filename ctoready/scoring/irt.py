"""Graded response model (GRM) and 2PL: probabilities, information and theta estimation.

The GRM (Samejima, 1969) in the difficulty metric: for an item with discrimination ``a``
and increasing thresholds ``b_1 < ... < b_{K-1}``, the probability of responding in
category ``k`` or above is ``P*_k(θ) = 1 / (1 + exp(-a(θ - b_k)))``, with ``P*_0 = 1``
and ``P*_K = 0``; the category probability is ``P_k = P*_k - P*_{k+1}``. Categories are
numbered ``0..K-1`` in the keyed direction. The 2PL is the GRM with ``K = 2``.
Responses are float arrays (persons x items) with ``NaN`` for missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from ._arrays import TINY, FloatArray, as_float_array, check_item_parameters, quadrature
from .errors import DataError, ModelError

__all__ = [
    "ItemParameters",
    "SumScoreTable",
    "ThetaEstimates",
    "category_probabilities",
    "eap",
    "expected_score",
    "item_information",
    "map_estimate",
    "sum_score_eap_table",
    "test_information",
]


@dataclass(frozen=True)
class ItemParameters:
    """GRM parameters of one item: discrimination ``a`` and thresholds ``b_k``."""

    a: float
    thresholds: tuple[float, ...]
    id: str = "item"

    def __post_init__(self) -> None:
        check_item_parameters(self.a, np.asarray(self.thresholds, dtype=float), self.id)

    @property
    def categories(self) -> int:
        """Number of response categories ``K``."""
        return len(self.thresholds) + 1


@dataclass(frozen=True)
class ThetaEstimates:
    """Per-person latent trait estimates and their standard errors."""

    theta: FloatArray
    se: FloatArray


@dataclass(frozen=True)
class SumScoreTable:
    """Lord–Wingersky table: for each summed score, EAP[θ|s], PSD[θ|s] and P(s)."""

    sum_scores: FloatArray
    theta: FloatArray
    se: FloatArray
    probability: FloatArray


def _theta(theta: object) -> FloatArray:
    arr = np.atleast_1d(as_float_array(theta, "theta"))
    if arr.ndim != 1 or not np.all(np.isfinite(arr)):
        raise ModelError("theta must be a finite scalar or 1-D array")
    return arr


def _boundaries(theta: FloatArray, a: float, thresholds: Sequence[float]) -> FloatArray:
    """Logits ``z_k = a(θ - b_k)`` padded with +inf/-inf for P*_0 = 1 and P*_K = 0."""
    b = np.asarray(thresholds, dtype=float)
    z = a * (theta[:, None] - b[None, :])
    inf = np.full((theta.size, 1), np.inf)
    return np.hstack([inf, z, -inf])


def _probs_from_logits(z: FloatArray) -> FloatArray:
    """``σ(z_k) - σ(z_{k+1})`` computed on the side of 0.5 that keeps precision."""
    upper, lower = z[:, :-1], z[:, 1:]
    direct = expit(upper) - expit(lower)
    mirrored = expit(-lower) - expit(-upper)
    with np.errstate(invalid="ignore"):  # inf + -inf only on the padded columns, masked below
        use_mirror = (upper + lower) > 0
    probs: FloatArray = np.where(use_mirror, mirrored, direct)
    return probs


def category_probabilities(
    theta: float | Sequence[float] | FloatArray, a: float, thresholds: Sequence[float]
) -> FloatArray:
    """GRM category probabilities ``P_k(θ) = P*_k(θ) - P*_{k+1}(θ)``, shape (n_theta, K).

    Samejima, F. (1969). Estimation of latent ability using a response pattern of graded
    scores. Psychometrika Monograph No. 17. Each row sums to 1.
    """
    check_item_parameters(a, np.asarray(thresholds, dtype=float), "item")
    return _probs_from_logits(_boundaries(_theta(theta), a, thresholds))


def _information(theta: FloatArray, a: float, thresholds: Sequence[float]) -> FloatArray:
    z = _boundaries(theta, a, thresholds)
    p_star = expit(z)
    w = p_star * (1.0 - p_star)
    dp = a * (w[:, :-1] - w[:, 1:])
    probs = np.maximum(_probs_from_logits(z), TINY)
    info: FloatArray = np.sum(dp**2 / probs, axis=1)
    return info


def item_information(
    theta: float | Sequence[float] | FloatArray, a: float, thresholds: Sequence[float]
) -> FloatArray:
    """Fisher information of a GRM item: ``I(θ) = Σ_k P'_k(θ)² / P_k(θ)``.

    With ``P'_k = a(W_k - W_{k+1})`` and ``W_k = P*_k(1 - P*_k)``; for the 2PL this is
    ``a² P (1 - P)``. Samejima (1969); Baker & Kim (2004), *Item Response Theory:
    Parameter Estimation Techniques*, 2nd ed., ch. 8.
    """
    check_item_parameters(a, np.asarray(thresholds, dtype=float), "item")
    return _information(_theta(theta), a, thresholds)


def test_information(
    theta: float | Sequence[float] | FloatArray,
    items: Sequence[ItemParameters],
) -> FloatArray:
    """Test information ``I(θ) = Σ_j I_j(θ)``, the sum of item informations (Lord, 1980)."""
    th = _theta(theta)
    total = np.zeros(th.size)
    for item in items:
        total += _information(th, item.a, item.thresholds)
    return total


def expected_score(
    theta: float | Sequence[float] | FloatArray, items: Sequence[ItemParameters]
) -> FloatArray:
    """Test characteristic curve ``T(θ) = Σ_j Σ_k k·P_jk(θ)`` (categories 0..K-1).

    Lord, F. M. (1980). *Applications of Item Response Theory to Practical Testing
    Problems*, ch. 4. Strictly increasing in θ when every ``a > 0``.
    """
    th = _theta(theta)
    total = np.zeros(th.size)
    for item in items:
        total += expit(_boundaries(th, item.a, item.thresholds)[:, 1:-1]).sum(axis=1)
    return total


def _log_prob_tables(nodes: FloatArray, items: Sequence[ItemParameters]) -> list[FloatArray]:
    """Per item, ``log P_k(θ_q)`` as a (K, Q) array (floored at log 1e-300)."""
    return [
        np.log(np.maximum(_probs_from_logits(_boundaries(nodes, it.a, it.thresholds)), TINY)).T
        for it in items
    ]


def _validate_responses(responses: object, items: Sequence[ItemParameters]) -> FloatArray:
    """Return responses as (n, J) floats; raise DataError naming the bad row and item."""
    x = np.atleast_2d(as_float_array(responses, "responses"))
    if x.ndim != 2 or x.shape[1] != len(items):
        raise DataError(f"responses must have {len(items)} columns, got shape {x.shape}")
    for j, item in enumerate(items):
        col = x[:, j]
        bad = ~np.isnan(col) & ((col < 0) | (col > item.categories - 1) | (col != np.round(col)))
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"item '{item.id}', row {row}: {float(col[row]):g} is not a category "
                f"0..{item.categories - 1}"
            )
    return x


def _log_likelihood_on_nodes(
    x: FloatArray, tables: Sequence[FloatArray], n_nodes: int
) -> FloatArray:
    """``log L_i(θ_q) = Σ_j log P_j(x_ij | θ_q)`` over observed cells, shape (n, Q)."""
    loglik = np.zeros((x.shape[0], n_nodes))
    for j, table in enumerate(tables):
        col = x[:, j]
        seen = ~np.isnan(col)
        loglik[seen] += table[col[seen].astype(np.int64)]
    return loglik


def _posterior_moments(
    loglik: FloatArray, nodes: FloatArray, weights: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Posterior mean and SD of θ on the quadrature grid (rows are persons)."""
    post = np.exp(loglik - loglik.max(axis=1, keepdims=True)) * weights
    post /= post.sum(axis=1, keepdims=True)
    mean = post @ nodes
    var = post @ nodes**2 - mean**2
    return mean, np.sqrt(np.maximum(var, 0.0))


def eap(
    responses: object,
    items: Sequence[ItemParameters],
    n_nodes: int = 61,
    bound: float = 5.0,
) -> ThetaEstimates:
    """Expected a posteriori θ with a standard-normal prior, by rectangular quadrature.

    ``θ̂ = Σ_q θ_q L(θ_q) φ(θ_q) / Σ_q L(θ_q) φ(θ_q)``; the SE is the posterior SD.
    Missing cells (NaN) are skipped. Bock, R. D., & Mislevy, R. J. (1982). Adaptive EAP
    estimation of ability in a microcomputer environment. *Applied Psychological
    Measurement*, 6(4), 431–444.
    """
    x = _validate_responses(responses, items)
    nodes, weights = quadrature(n_nodes, bound)
    loglik = _log_likelihood_on_nodes(x, _log_prob_tables(nodes, items), n_nodes)
    theta, se = _posterior_moments(loglik, nodes, weights)
    return ThetaEstimates(theta=theta, se=se)


def _map_derivatives(
    theta: FloatArray, x: FloatArray, items: Sequence[ItemParameters]
) -> tuple[FloatArray, FloatArray]:
    """First and second derivative of the log posterior (N(0,1) prior) at θ."""
    d1, d2 = -theta.copy(), -np.ones_like(theta)
    rows = np.arange(theta.size)
    for j, item in enumerate(items):
        seen = ~np.isnan(x[:, j])
        if not seen.any():
            continue
        k = x[seen, j].astype(np.int64)
        z = _boundaries(theta[seen], item.a, item.thresholds)
        p_star = expit(z)
        w = p_star * (1.0 - p_star)
        v = w * (1.0 - 2.0 * p_star)
        r = rows[: k.size]
        prob = np.maximum(_probs_from_logits(z)[r, k], TINY)
        g = item.a * (w[r, k] - w[r, k + 1]) / prob
        h = item.a**2 * (v[r, k] - v[r, k + 1]) / prob - g**2
        d1[seen] += g
        d2[seen] += h
    return d1, d2


def map_estimate(
    responses: object,
    items: Sequence[ItemParameters],
    bound: float = 6.0,
    tol: float = 1e-8,
) -> ThetaEstimates:
    """Maximum a posteriori θ (mode of the posterior under a N(0,1) prior).

    Newton–Raphson on ``log L(θ) - θ²/2`` (strictly concave for the logistic GRM),
    started at the EAP estimate and kept within ``±bound``. SE = ``1/sqrt(-ℓ''(θ̂))``,
    the observed posterior information. Samejima (1969); Baker & Kim (2004), ch. 7.
    """
    x = _validate_responses(responses, items)
    theta = eap(x, items).theta
    for _ in range(50):
        d1, d2 = _map_derivatives(theta, x, items)
        step = d1 / d2
        theta = np.clip(theta - step, -bound, bound)
        if np.max(np.abs(step)) < tol:
            break
    _, d2 = _map_derivatives(theta, x, items)
    return ThetaEstimates(theta=theta, se=1.0 / np.sqrt(-d2))


def sum_score_eap_table(
    items: Sequence[ItemParameters], n_nodes: int = 61, bound: float = 5.0
) -> SumScoreTable:
    """EAP[θ | summed score] via the Lord–Wingersky recursion over quadrature nodes.

    ``L_s(θ)`` for the summed score ``s`` is built item by item:
    ``L^{(j)}_s = Σ_k L^{(j-1)}_{s-k} P_jk``. Lord, F. M., & Wingersky, M. S. (1984).
    Comparison of IRT true-score and equipercentile observed-score "equatings".
    *Applied Psychological Measurement*, 8(4), 453–461; Thissen et al. (1995).
    """
    nodes, weights = quadrature(n_nodes, bound)
    dist = np.ones((1, n_nodes))
    for item in items:
        probs = np.exp(_log_prob_tables(nodes, [item])[0])
        new = np.zeros((dist.shape[0] + item.categories - 1, n_nodes))
        for k in range(item.categories):
            new[k : k + dist.shape[0]] += dist * probs[k]
        dist = new
    joint = dist * weights
    marginal = joint.sum(axis=1)
    theta = joint @ nodes / marginal
    var = joint @ nodes**2 / marginal - theta**2
    return SumScoreTable(
        sum_scores=np.arange(dist.shape[0], dtype=float),
        theta=theta,
        se=np.sqrt(np.maximum(var, 0.0)),
        probability=marginal,
    )
