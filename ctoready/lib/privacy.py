"""A person's data across the apps: export it all, erase it all (GDPR articles 15, 17, 20).

Each app that stores personal data has a ``privacy`` module with:

- ``PERSONAL_MODELS``: the labels of its models that refer to a person, directly or
  through an attempt (a guard test fails when a model is missing from every app's list);
- ``export(attempts, user) -> dict``: what this app holds about them, never other
  people's identities and never raw tokens;
- ``erase(attempts, user) -> None``: delete or anonymise it.
"""

from importlib import import_module
from types import ModuleType
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

EXPORT_SCHEMA = "ctoready.personal-data/1"
APPS = ("assessments", "reports", "raters", "api", "orgs")


def app_modules() -> list[ModuleType]:
    modules = []
    for app in APPS:
        try:
            modules.append(import_module(f"ctoready.{app}.privacy"))
        except ModuleNotFoundError as error:
            if error.name != f"ctoready.{app}.privacy":
                raise
    return modules


def personal_models() -> set[str]:
    return {label for module in app_modules() for label in module.PERSONAL_MODELS}


def export_personal_data(*, attempts: QuerySet[Any], user: Any = None) -> dict[str, Any]:
    data: dict[str, Any] = {"schema": EXPORT_SCHEMA, "exported_at": timezone.now().isoformat()}
    for module in app_modules():
        data.update(module.export(attempts, user))
    return data


@transaction.atomic
def erase_personal_data(*, attempts: QuerySet[Any], user: Any = None) -> None:
    """Erase in reverse app order, so what refers to an attempt goes before the attempt."""
    for module in reversed(app_modules()):
        module.erase(attempts, user)
