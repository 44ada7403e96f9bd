from django.apps import AppConfig


class LibConfig(AppConfig):
    """Project-wide pieces: the serve command, error pages, small helpers."""

    name = "ctoready.lib"
    label = "lib"

    def ready(self) -> None:
        from ctoready.lib import checks  # noqa: F401  (registers the deploy checks)
