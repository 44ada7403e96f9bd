"""Scoring-engine benchmark: prints figures beside the design targets (asserts nothing).

Run: .venv/bin/python benchmarks/bench_scoring.py
"""

from __future__ import annotations

import platform
import time

import numpy as np
from stopwatch import timed

from ctoready.scoring import (
    ItemParameters,
    LikertSpec,
    PreferenceSpec,
    ProfileSpec,
    Responses,
    ScenarioResponse,
    ScenarioSpec,
    ScoringModel,
    build_bank,
    calibrate_grm,
    item_statistics,
    next_item,
    score_attempt,
    simulate_responses,
    start_state,
    update_state,
)

SCALES = tuple(f"scale{i}" for i in range(10))


def _items(rng: np.random.Generator, per_scale: int) -> list[LikertSpec]:
    out = []
    for s in SCALES:
        for j in range(per_scale):
            b = np.sort(rng.uniform(-2.0, 2.0, 4)) + np.arange(4) * 0.1
            out.append(
                LikertSpec(f"{s}_{j}", s, j % 4 == 1, 5, float(rng.uniform(0.8, 2.4)), tuple(b))
            )
    return out


def bench_attempt(rng: np.random.Generator) -> None:
    likert = tuple(_items(rng, 6))
    roles = tuple(
        ProfileSpec(r, {s: float(rng.uniform(0, 1)) for s in SCALES}) for r in ("cto", "vpe", "cio")
    )
    types = tuple(
        ProfileSpec(t, {s: float(rng.uniform(0, 1)) for s in SCALES})
        for t in ("startup", "enterprise", "fractional")
    )
    model = ScoringModel(
        scales=SCALES,
        likert=likert,
        scenarios=tuple(
            ScenarioSpec(f"sc{i}", "best_worst" if i % 2 else "rate_each", (1.0, 3.0, 5.0, 2.0))
            for i in range(8)
        ),
        preferences=tuple(PreferenceSpec(f"p{i}", "role", ("cto", "vpe", "cio")) for i in range(6)),
        roles=roles,
        types=types,
        contexts=tuple(ProfileSpec(f"ctx{i}", {SCALES[i]: 2.0, SCALES[-1]: 1.0}) for i in range(4)),
    )
    responses = Responses(
        likert={it.id: int(rng.integers(1, 6)) for it in likert},
        scenarios={
            f"sc{i}": ScenarioResponse(best=2, worst=0)
            if i % 2
            else ScenarioResponse(ratings=(1, 3, 4, 2))
            for i in range(8)
        },
        preferences={f"p{i}": i % 3 for i in range(6)},
    )
    median, p95 = timed(lambda: score_attempt(model, responses), 2000)
    print(
        "score_attempt, 60 Likert + 8 scenarios + 6 preferences: "
        f"median {median:.3f} ms, p95 {p95:.3f} ms   (target < 2 ms)"
    )


def bench_adaptive(rng: np.random.Generator) -> None:
    bank = build_bank(_items(rng, 30))
    state = start_state(bank)
    for _ in range(20):
        item = next_item(bank, state, rng, se_target=0.3, max_items=60)
        if item is None:
            break
        state = update_state(bank, state, item, int(rng.integers(1, 6)))
    median, p95 = timed(lambda: next_item(bank, state, rng, se_target=0.3, max_items=60), 2000)
    print(
        "next_item, 300-item bank, 20 answered: "
        f"median {median:.3f} ms, p95 {p95:.3f} ms   (target < 1 ms)"
    )
    median, _ = timed(lambda: update_state(bank, state, "scale3_29", 3), 2000)
    print(f"update_state (EAP of one scale): median {median:.3f} ms")


def bench_calibration(rng: np.random.Generator) -> None:
    items = [
        ItemParameters(
            float(rng.uniform(0.8, 2.4)), tuple(np.linspace(-1.5, 1.5, 4) + rng.normal(0, 0.3))
        )
        for _ in range(40)
    ]
    data = simulate_responses(items, rng.standard_normal(5000), rng, missing_rate=0.05)
    start = time.perf_counter()
    result = calibrate_grm(data)
    elapsed = time.perf_counter() - start
    print(
        f"calibrate_grm, 40 items x 5,000 respondents (5% missing): {elapsed:.2f} s, "
        f"{result.iterations} EM iterations, converged={result.converged}   (report only)"
    )


def bench_item_statistics(rng: np.random.Generator) -> None:
    n, k = 100_000, 60
    theta = rng.standard_normal((n, 1))
    data = np.clip(np.round(3 + 0.9 * theta + rng.standard_normal((n, k))), 1, 5)
    holes = data.copy()
    holes[rng.random(holes.shape) < 0.05] = np.nan
    item_statistics(data[:1000], "pairwise")  # warm BLAS threads and allocator
    for label, matrix, missing in (
        ("complete, listwise", data, "listwise"),
        ("5% missing, pairwise", holes, "pairwise"),
    ):
        start = time.perf_counter()
        for s in range(10):
            item_statistics(matrix[:, s * 6 : (s + 1) * 6], missing)
        item_statistics(matrix, missing)
        elapsed = time.perf_counter() - start
        print(
            "item statistics (alpha + Feldt CI, omega, item-total r, alpha-if-dropped), "
            f"100,000 x 60, 10 scales + all 60, {label}: {elapsed:.2f} s   (target < 3 s)"
        )


def main() -> None:
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    rng = np.random.default_rng(2026)
    bench_attempt(rng)
    bench_adaptive(rng)
    bench_calibration(rng)
    bench_item_statistics(rng)


if __name__ == "__main__":
    main()
