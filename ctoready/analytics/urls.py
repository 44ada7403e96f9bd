from django.urls import path

from ctoready.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.index, name="index"),
    path("calibrations/<int:pk>/", views.calibration, name="calibration"),
    path("calibrations/<int:pk>/publish/", views.publish, name="publish"),
    path("<slug:slug>/<str:number>/", views.version, name="version"),
    path(
        "<slug:slug>/<str:number>/responses.csv",
        views.export,
        {"what": "responses"},
        name="export_responses",
    ),
    path(
        "<slug:slug>/<str:number>/items.csv", views.export, {"what": "items"}, name="export_items"
    ),
]
