from django.apps import AppConfig


class TerminalConfig(AppConfig):
    """``ctoready take``: the assessment in a terminal, through the API or locally."""

    name = "ctoready.terminal"
    label = "terminal"
