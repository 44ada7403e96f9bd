"""The public technical manual of one published version, assembled from live data.

No figure is typed: reliability comes from real finished attempts once there are
``MIN_REAL`` of them, otherwise from simulation under the version's IRT parameters (and
says so); synthetic attempts enter only when an operator asks, and the page then says so.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np

from ctoready import scoring
from ctoready.analytics import figures, flow, snapshots
from ctoready.analytics.data import VersionData, load_version_data
from ctoready.analytics.models import Norm
from ctoready.instruments import timing
from ctoready.instruments.derived import PerDocument
from ctoready.instruments.document import Instrument
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import document_for
from ctoready.reports import norms

MIN_REAL = 100  # our rule: reliability from data once 100 people finished
SIMULATED_PEOPLE = 2000
SIMULATION_SEED = 20260101


@dataclass(frozen=True)
class SimulatedScale:
    id: str
    name: str
    items: int
    reliability: float | None
    mean_se: float | None


_simulated: PerDocument[list[SimulatedScale]] = PerDocument()


def simulated_reliability(doc: Instrument) -> list[SimulatedScale]:
    """Per scale: EAP reliability and mean SE of θ for simulated N(0, 1) respondents under
    the version's own IRT parameters (:func:`scoring.estimate_reliability`), seeded, so
    computed once per document and process."""
    return _simulated.get_or_build(doc, lambda: _simulate(doc))


def _simulate(doc: Instrument) -> list[SimulatedScale]:
    rng = np.random.default_rng(SIMULATION_SEED)
    out = []
    for scale in doc.scales:
        params = [
            scoring.ItemParameters(a=i.irt_a, thresholds=i.irt_b, id=i.id)
            for i in doc.likert_items
            if i.scale == scale.id and i.irt_a is not None and i.irt_b is not None
        ]
        estimate = scoring.estimate_reliability(params, rng, SIMULATED_PEOPLE) if params else None
        out.append(
            SimulatedScale(
                id=scale.id,
                name=scale.name,
                items=len(params),
                reliability=estimate.empirical if estimate else None,
                mean_se=estimate.mean_se if estimate else None,
            )
        )
    return out


def _changes(version: InstrumentVersion) -> list[dict[str, Any]]:
    """Each published version of this instrument (this language) with the items it added
    and removed compared with the one before."""
    published = InstrumentVersion.objects.filter(
        instrument=version.instrument,
        locale=version.locale,
        status=InstrumentVersion.Status.PUBLISHED,
    )
    ordered = sorted(published, key=lambda v: v.semver)
    out, before = [], set[str]()
    for i, v in enumerate(ordered):
        items = {item.id for item in document_for(v).items}
        out.append(
            {
                "version": v,
                "added": sorted(items - before) if i else [],
                "removed": sorted(before - items),
                "first": i == 0,
            }
        )
        before = items
    return out


def _source(data: VersionData, include_synthetic: bool) -> str:
    if data.n < MIN_REAL:
        return "simulated"
    return "synthetic" if include_synthetic and data.n_synthetic else "real"


def manual_context(versions: list[InstrumentVersion], *, include_synthetic: bool) -> dict[str, Any]:
    """The manual of these versions: the figures from their answers are kept while the
    answers they rest on are unchanged (``snapshots.kept``), so a public page does not read
    every answer of the version at each view."""
    version = versions[0]
    doc = document_for(version)
    group = norms.reference_group(version)
    model_time = timing.estimate(version.content)
    from_answers = snapshots.kept(
        "manual",
        versions,
        include_synthetic=include_synthetic,
        compute=lambda: _answer_figures(versions, include_synthetic),
    )
    return {
        **from_answers,
        "version": version,
        "versions": versions,
        "doc": doc,
        "include_synthetic": include_synthetic,
        "min_real": MIN_REAL,
        "simulated": simulated_reliability(doc),
        "simulated_people": SIMULATED_PEOPLE,
        "scenarios": doc.items_of("scenario"),
        "items_by_scale": [
            (
                scale,
                [(i, i.full_text(doc)) for i in doc.likert_items if i.scale == scale.id],
            )
            for scale in doc.scales
        ],
        "reference": group,
        "min_reference": norms.MIN_REFERENCE,
        "model_time": model_time,
        "min_dif": figures.MIN_DIF_GROUP,
        "changes": _changes(version),
        "norms": _norms(version),
    }


def _answer_figures(versions: list[InstrumentVersion], include_synthetic: bool) -> dict[str, Any]:
    """The manual's figures that come from the versions' answers."""
    data = load_version_data(versions, include_synthetic=include_synthetic)
    source = _source(data, include_synthetic)
    return {
        "data": snapshots.Counts(n=data.n, n_synthetic=data.n_synthetic),
        "source": source,
        "scales": figures.scale_rows(data) if source != "simulated" else [],
        "times": flow.completion_times(data),
        "dif": figures.dif_by_language(data),
    }


def _norms(version: InstrumentVersion) -> list[dict[str, Any]]:
    """Each frozen norm of the version, with the 95% precision of a middle percentile:
    ``±1.96·√(P(100 − P)/n)`` at P = 50 (AERA/APA/NCME Standards 5.8–5.9)."""
    found = Norm.objects.filter(
        instrument_slug=version.instrument.slug, instrument_version=version.version
    ).defer("values")
    return [
        {"norm": norm, "precision": 1.959963984540054 * float(np.sqrt(50.0 * 50.0 / norm.n))}
        for norm in found
    ]
