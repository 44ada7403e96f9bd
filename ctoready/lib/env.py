"""Typed readers for configuration held in environment variables."""

import os

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


MISSING_SECRET_KEY = "SECRET_KEY is required when DEBUG is off."  # noqa: S105 - a message


def require_secret_key() -> None:
    """Refuse to go on without a signing key: serving, and commands that use the database.

    Settings leave the key empty in production when it is not given, so that commands
    working on files run with no configuration at all."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.SECRET_KEY  # noqa: B018 - Django raises on an empty key
    except ImproperlyConfigured:
        raise ImproperlyConfigured(MISSING_SECRET_KEY) from None
