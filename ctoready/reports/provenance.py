"""Who keyed each scenario, in the words every rendering uses (page, PDF, JSON, terminal).

A scenario key is compared with the candidate's choices, so the report says whose judgement
it is: the authors' provisional key, or a named panel of practising CTOs with its agreement.
"""

from collections.abc import Iterable
from typing import Any

from django.utils import formats
from django.utils.translation import gettext, ngettext

from ctoready.instruments import document as d


def key_phrase(provenance: d.KeyProvenance | None) -> str:
    """'our provisional key', or 'keyed by 8 practising CTOs; agreement 0.78'."""
    if provenance is None or not provenance.is_panel:
        return gettext("our provisional key")
    experts = provenance.experts or 0
    return ngettext(
        "keyed by %(n)s practising CTO; agreement %(agreement)s",
        "keyed by %(n)s practising CTOs; agreement %(agreement)s",
        experts,
    ) % {"n": experts, "agreement": formats.number_format(provenance.agreement or 0.0, 2)}


def keys_summary(scenarios: Iterable[d.Item]) -> str:
    """One phrase for the whole judgement section."""
    provenances = [item.key_provenance for item in scenarios]
    panels = [p for p in provenances if p is not None and p.is_panel]
    if not panels:
        return gettext(
            "our provisional key, written by the assessment's authors; no panel of practising "
            "CTOs has keyed these scenarios yet"
        )
    if len(panels) == len(provenances):
        return gettext("keys set by panels of practising CTOs (each scenario names its panel)")
    return gettext(
        "panel keys for some scenarios and our provisional key for the others (each scenario "
        "says which)"
    )


def export_keys(doc: d.Instrument) -> list[dict[str, Any]]:
    """Each scenario's key provenance for the JSON export (docs/report-schema.md)."""
    out = []
    for item in doc.items_of("scenario"):
        p = item.key_provenance or d.AUTHORS_KEY
        entry: dict[str, Any] = {"scenario": item.id, "source": p.source, "key": key_phrase(p)}
        if p.is_panel:
            entry.update(experts=p.experts, agreement=p.agreement, date=p.date)
        out.append(entry)
    return out
