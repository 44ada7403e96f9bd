"""The base of every absolute link the site hands out (e-mails, API answers, PDFs).

Production sets ``SITE_URL`` (``check --deploy`` requires it). In development, when it is
unset, links follow the request's own scheme and host, which Django has already checked
against ``ALLOWED_HOSTS``: ``PORT=9000 make run`` hands out links on port 9000. Background
tasks have no request, so whoever enqueues one passes the base along; without one (a
command in a terminal) the development server's own port is the best guess.
"""

import os

from django.conf import settings
from django.http import HttpRequest


def site_url(request: HttpRequest | None = None) -> str:
    """``SITE_URL``, else the request's ``scheme://host[:port]``, else the local server."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"


def absolute(path: str, request: HttpRequest | None = None, *, base: str = "") -> str:
    """``path`` (from ``reverse``) as a full URL: on ``base`` when a task carries one."""
    return (base.rstrip("/") or site_url(request)) + path
