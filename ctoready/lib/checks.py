"""Checks `ctoready check --deploy` runs on top of Django's own."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.SITE_URL:
        return []
    return [
        Error(
            "SITE_URL is required in production.",
            hint="Set SITE_URL to the public address, e.g. https://ctoready.example.org: "
            "links in e-mails, API answers and PDFs are built on it.",
            id="ctoready.E001",
        )
    ]


@register(Tags.security, deploy=True)
def check_trusted_proxies(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not settings.TRUSTED_PROXIES:
        return [
            Warning(
                "BEHIND_PROXY is on but TRUSTED_PROXIES is empty.",
                hint="Every client then has the proxy's address: rate limits would count "
                "them all as one. Set TRUSTED_PROXIES to the proxy's address.",
                id="ctoready.W001",
            )
        ]
    return []
