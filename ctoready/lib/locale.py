"""The language of each request, chosen as Django's LocaleMiddleware chooses it, for less."""

from __future__ import annotations

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.http import HttpRequest, HttpResponseBase
from django.middleware import locale
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's LocaleMiddleware for a site whose addresses carry no language.

    The language comes from the language cookie, then the browser's Accept-Language, as
    before (a view may still choose another: an attempt is shown in its own language).
    Django's middleware also looks for a language at the start of every address, twice per
    request, and each look at an address such as ``/a/…/p/1/`` tries "a" as a language
    and fails: half its cost, on every page of the assessment. This site has no such
    addresses (no ``i18n_patterns``); were one added, Django's own steps run again.
    """

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        super().__init__(get_response)
        self.prefixed = is_language_prefix_patterns_used(settings.ROOT_URLCONF)[0]

    def process_request(self, request: HttpRequest) -> None:
        if self.prefixed or hasattr(request, "urlconf"):
            super().process_request(request)
            return
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if self.prefixed or hasattr(request, "urlconf"):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
