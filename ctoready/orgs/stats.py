"""The cohort average of one scale with its uncertainty (plain numbers in and out).

Each member's score carries its own standard error. The mean of n scores estimates the
cohort's average true score; its standard error is the larger of

- the between-member spread, s / sqrt(n) (s the sample standard deviation, which already
  contains the measurement error of each score), and
- the measurement error alone, sqrt(sum se_i^2) / n, which is what remains when members
  happen to score alike, and the only estimate when n = 1.

The 95% interval uses Student's t with n - 1 degrees of freedom (the normal quantile when
n = 1): Cumming, G. (2012). Understanding the New Statistics, ch. 3.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy.special import stdtrit

Z95 = 1.959963984540054


@dataclass(frozen=True)
class CohortMean:
    n: int
    mean: float
    se: float
    low: float
    high: float


def cohort_mean(scores: Sequence[float], ses: Sequence[float]) -> CohortMean | None:
    """The mean of ``scores`` with its standard error and 95% interval, clipped to 0-100."""
    if len(scores) != len(ses):
        raise ValueError("one standard error per score")
    n = len(scores)
    if n == 0:
        return None
    mean = sum(scores) / n
    measurement = math.sqrt(sum(se * se for se in ses)) / n
    if n == 1:
        se, quantile = measurement, Z95
    else:
        sd = math.sqrt(sum((x - mean) ** 2 for x in scores) / (n - 1))
        se = max(sd / math.sqrt(n), measurement)
        quantile = float(stdtrit(n - 1, 0.975))  # Student's t quantile, as stats.t.ppf
    return CohortMean(n, mean, se, max(0.0, mean - quantile * se), min(100.0, mean + quantile * se))
