from django.urls import path

from ctoready.reports import views

app_name = "reports"
urlpatterns = [
    path("a/<str:public_id>/report/", views.report, name="report"),
]
