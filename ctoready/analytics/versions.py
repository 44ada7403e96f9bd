"""Finding the stored rows of one instrument version (one row per language)."""

from ctoready.instruments.models import InstrumentVersion


def versions_for(spec: str) -> list[InstrumentVersion]:
    """Every language of ``ID@VERSION`` (or of the newest version of ``ID``), English first;
    empty when nothing matches."""
    slug, _, number = spec.partition("@")
    rows = list(
        InstrumentVersion.objects.filter(instrument__slug=slug).select_related("instrument")
    )
    if number:
        rows = [v for v in rows if v.version == number]
    if not rows:
        return []
    newest = max(v.semver for v in rows)
    return sorted(
        (v for v in rows if v.semver == newest), key=lambda v: (v.locale != "en", v.locale)
    )


def default_spec() -> str:
    """The newest published instrument version, as ``ID@VERSION`` ("" when none)."""
    published = InstrumentVersion.objects.filter(status=InstrumentVersion.Status.PUBLISHED)
    newest = max(published.select_related("instrument"), key=lambda v: v.semver, default=None)
    return newest.label if newest else ""
