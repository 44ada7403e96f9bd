from django.apps import AppConfig


class LibConfig(AppConfig):
    """Project-wide pieces: the serve command, error pages, small helpers."""

    name = "ctoready.lib"
    label = "lib"
