from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "ctoready.orgs"
    label = "orgs"
