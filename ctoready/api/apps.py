from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ctoready.api"
    label = "api"
