"""What the operator's version page shows, assembled in one place (no queries in templates)."""

from typing import Any

from django.utils.translation import gettext as _

from ctoready.analytics import figures, flow
from ctoready.analytics.charts import bar_chart
from ctoready.analytics.data import finished_attempts, load_version_data
from ctoready.instruments.models import InstrumentVersion


def version_context(
    versions: list[InstrumentVersion], *, include_synthetic: bool
) -> dict[str, Any]:
    data = load_version_data(versions, include_synthetic=include_synthetic)
    scales = figures.scale_rows(data)
    steps = flow.funnel(versions, include_synthetic=include_synthetic)
    times = flow.completion_times(data)
    deep_times = flow.completion_times(data, part="deep")
    started = steps[0].count or 0
    funnel_chart = bar_chart([(_step_label(s), s.count) for s in steps], float(max(started, 1)))
    return {
        "data": data,
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
        "scales": scales,
        "reliability_chart": bar_chart([(s.name, s.alpha) for s in scales], 1.0, digits=2),
        "correlations": figures.scale_correlations(data),
        "scenarios": figures.choice_rates(data),
        "dif": figures.dif_by_language(data),
        "min_dif": figures.MIN_DIF_GROUP,
        "funnel": steps,
        "funnel_chart": funnel_chart,
        "funnel_rows": list(zip(steps, funnel_chart.bars, strict=True)),
        "export_links": [
            ("analytics:export_responses", _("Download responses (CSV)")),
            ("analytics:export_items", _("Download item metadata (CSV)")),
        ],
        "times": times,
        "deep_times": deep_times,
        "times_chart": bar_chart(
            [(f"{b.low:.0f}–{b.high:.0f} min", b.count) for b in times.bins],
            float(max([b.count or 0 for b in times.bins] + [1])),
        ),
    }


def _step_label(step: flow.FunnelStep) -> str:
    labels = {
        "started": _("Started"),
        "core_finished": _("Core finished (report)"),
        "deep_started": _("Deep-dive started"),
        "deep_finished": _("Deep-dive finished"),
    }
    return labels.get(step.kind, step.label)
