"""What the operator's version page shows, assembled in one place (no queries in templates)."""

from typing import Any

from django.utils.translation import gettext as _

from ctoready.analytics import snapshots
from ctoready.analytics.data import finished_attempts
from ctoready.instruments.models import InstrumentVersion


def version_context(
    versions: list[InstrumentVersion], *, include_synthetic: bool
) -> dict[str, Any]:
    """The version page: its figures as :func:`snapshots.figures_for` gives them (kept,
    computed now, or being computed in the background), and what is read live."""
    shown = snapshots.figures_for(versions, include_synthetic=include_synthetic)
    return {
        **(shown.snapshot.figures if shown.snapshot else {}),
        "snapshot": shown.snapshot,
        "pending": shown.pending,
        "finished": shown.finished,
        "versions": versions,
        "version": versions[0],
        "include_synthetic": include_synthetic,
        "synthetic_excluded": (
            0
            if include_synthetic
            else finished_attempts(versions, include_synthetic=True)
            .filter(synthetic__isnull=False)
            .count()
        ),
        "export_links": [
            ("analytics:export_responses", _("Download responses (CSV)")),
            ("analytics:export_items", _("Download item metadata (CSV)")),
        ],
    }
