"""Published instruments and their public content (no scoring keys)."""

from django.http import HttpRequest
from ninja import Query, Router

from ctoready.api import present
from ctoready.api.errors import errors, not_found
from ctoready.api.schemas import InstrumentContentOut, InstrumentOut, Lang, SemVer, Slug
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import latest_version, published_versions

router = Router(tags=["instruments"])


@router.get("/instruments", response={200: list[InstrumentOut], **errors(422)})
def list_instruments(request: HttpRequest) -> list[dict[str, object]]:
    """Every published instrument version, newest first within each instrument."""
    versions = sorted(
        published_versions(), key=lambda v: (v.instrument.slug, v.semver, v.locale), reverse=True
    )
    return [present.instrument(v) for v in versions]


@router.get("/instruments/{instrument}", response={200: InstrumentContentOut, **errors(404, 422)})
def latest_instrument(
    request: HttpRequest, instrument: Slug, lang: Query[Lang] = "en"
) -> dict[str, object]:
    """The newest published version in a language (falling back to any language)."""
    version = latest_version(slug=instrument, locale=lang)
    if version is None:
        raise not_found("instrument")
    return present.instrument_content(version)


@router.get(
    "/instruments/{instrument}/versions/{version}",
    response={200: InstrumentContentOut, **errors(404, 422)},
)
def instrument_version(
    request: HttpRequest, instrument: Slug, version: SemVer, lang: Query[Lang] = "en"
) -> dict[str, object]:
    """One published version's public content: scales, items, options and pages."""
    found = _published(instrument, version, lang)
    return present.instrument_content(found)


def _published(slug: str, version: str, lang: str) -> InstrumentVersion:
    versions = InstrumentVersion.objects.filter(
        instrument__slug=slug, version=version, status=InstrumentVersion.Status.PUBLISHED
    ).select_related("instrument")
    found = versions.filter(locale=lang).first() or versions.order_by("locale").first()
    if found is None:
        raise not_found("instrument version")
    return found
