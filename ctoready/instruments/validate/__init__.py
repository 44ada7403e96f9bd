"""Check an instrument document and build it, reporting every problem at once.

Each check names the file, the line and the field. ``build_instrument`` returns ``None``
when anything is wrong, so nothing half-valid reaches the database. The checks live in one
module per section of the format: ``reader`` (typed access that collects problems), ``build``
(the entry point, the header, response scales and adaptive settings), ``scales``, ``items``,
``options``, ``scenarios`` (and their key provenance), ``pages`` (and parts), ``profiles``
(roles, CTO types, contexts) and ``plans`` (readiness levels, path to CTO, first 90 days).
"""

from ctoready.instruments.validate.build import build_instrument

__all__ = ["build_instrument"]
