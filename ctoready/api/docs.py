"""Interactive API docs (Swagger UI) under the site's strict CSP.

The UI's files come from the installed django-ninja package, served by this app (no CDN,
no third-party request: the online validator badge is switched off), and every script is
an external file from our own origin carrying the request's CSP nonce.
"""

import gzip
import mimetypes
from pathlib import Path
from typing import Any

import ninja
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

ASSET_DIR = Path(ninja.__file__).parent / "static" / "ninja"
ASSETS = ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css", "favicon.svg")
_cache: dict[tuple[str, bool], bytes] = {}


class LocalSwagger(DocsBase):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
            "validatorUrl": None,  # the default badge would call validator.swagger.io
        }
        context = {
            "api": api,
            "swagger_settings": settings,
            "version": ninja.__version__,
        }
        response = render(request, "api/docs.html", context)
        response["Cache-Control"] = "no-cache"
        return response


@require_safe
def asset(request: HttpRequest, name: str) -> HttpResponse:
    if name not in ASSETS:
        raise Http404("No such file")
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    key = (name, gzipped)
    if key not in _cache:
        raw = (ASSET_DIR / name).read_bytes()
        _cache[key] = gzip.compress(raw, mtime=0) if gzipped else raw
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = HttpResponse(_cache[key], content_type=content_type)
    if gzipped:
        response["Content-Encoding"] = "gzip"
    response["Vary"] = "Accept-Encoding"
    # The URL carries django-ninja's version, so the file behind it never changes.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def asset_url(name: str) -> str:
    return reverse("api:docs-asset", args=[name]) + f"?v={ninja.__version__}"
