from django.urls import path

from ctoready.assessments import views

urlpatterns = [
    path("", views.home, name="home"),
]
