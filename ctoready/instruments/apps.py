from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "ctoready.instruments"
    label = "instruments"
