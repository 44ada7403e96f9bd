"""Who may see analytics: operators only; everyone else gets a 404, so nothing leaks."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from ctoready.analytics.versions import versions_for
from ctoready.instruments.models import InstrumentVersion


def is_operator(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def operator_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_operator(getattr(request, "user", None)):
            raise Http404("No such page")
        return view(request, *args, **kwargs)

    return checked


def versions_or_404(slug: str, number: str) -> list[InstrumentVersion]:
    versions = versions_for(f"{slug}@{number}")
    if not versions:
        raise Http404("No such instrument version")
    return versions
