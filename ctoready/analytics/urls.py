from django.urls import path

from ctoready.analytics import keying_views, views

app_name = "analytics"
urlpatterns = [
    path("", views.index, name="index"),
    path("calibrations/<int:pk>/", views.calibration, name="calibration"),
    path("keying/", keying_views.rounds, name="keying"),
    path("keying/open/", keying_views.open_round, name="keying_open"),
    path("keying/<int:pk>/", keying_views.round_page, name="keying_round"),
    path("keying/<int:pk>/invite/", keying_views.invite, name="keying_invite"),
    path("keying/<int:pk>/publish/", keying_views.publish, name="keying_publish"),
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
