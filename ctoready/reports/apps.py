from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ctoready.reports"
    label = "reports"
