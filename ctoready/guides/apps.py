from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "ctoready.guides"
    label = "guides"
