"""Freezing a reference group: a named, dated norm of one version's real finished attempts."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ctoready.analytics.models import Norm
from ctoready.instruments.models import InstrumentVersion
from ctoready.reports.norms import MIN_REFERENCE, collect_scores, remember_norm


class NormRefusedError(Exception):
    """A norm the data do not support; the message says why."""


def build_norm(*, versions: list[InstrumentVersion], name: str, context: str = "") -> Norm:
    """Freeze the headline scores of every real finished attempt of ``versions`` (all
    languages; one target context when given) as the next number of norm ``name``."""
    n, values = collect_scores(versions, context)
    where = f" aiming at {context}" if context else ""
    if n < MIN_REFERENCE:
        raise NormRefusedError(
            f"{n} real finished attempts of {versions[0].label}{where}; "
            f"a norm needs {MIN_REFERENCE}"
        )
    now = timezone.now()
    languages = ", ".join(v.locale for v in versions)
    population = (
        f"Everyone who finished {versions[0].label}{where} ({languages}) through the public site "
        f"up to {now:%Y-%m-%d}, self-selected; synthetic attempts excluded."
    )
    with transaction.atomic():
        last = Norm.objects.select_for_update().filter(name=name).aggregate(m=Max("number"))["m"]
        norm = Norm.objects.create(
            name=name,
            number=(last or 0) + 1,
            instrument_slug=versions[0].instrument.slug,
            instrument_version=versions[0].version,
            context=context,
            population=population,
            n=n,
            values={k: v.tolist() for k, v in values.items()},
            built_at=now,
        )
    if not context:
        remember_norm(version_pks=[v.pk for v in versions], norm_id=norm.pk)
    return norm
