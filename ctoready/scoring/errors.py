"""Exceptions raised by the scoring engine.

Every bad input raises a subclass of :class:`ScoringError` whose message names the
item, column, row or parameter at fault; the engine never returns a silent NaN.
"""


class ScoringError(ValueError):
    """Base class for every error the scoring engine raises on bad input."""


class ModelError(ScoringError):
    """The scoring model (items, parameters, profiles) is inconsistent."""


class ResponseError(ScoringError):
    """A response is unknown, out of range or malformed."""


class DataError(ScoringError):
    """A data matrix or CSV cell is unusable (non-numeric, out of range, constant...)."""


class InsufficientDataError(ScoringError):
    """Too few respondents, items or reference cases to support the statistic."""


class CalibrationError(ScoringError):
    """An item cannot be calibrated (e.g. only one observed category)."""
