from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "ctoready.assessments"
    label = "assessments"
