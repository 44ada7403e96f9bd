from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "ctoready.analytics"
    label = "analytics"
