from django.apps import AppConfig


class RatersConfig(AppConfig):
    name = "ctoready.raters"
    label = "raters"
