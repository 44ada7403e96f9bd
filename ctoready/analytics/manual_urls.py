from django.urls import path

from ctoready.analytics import manual_views

app_name = "manual"
urlpatterns = [
    path("", manual_views.index, name="index"),
    path("<slug:slug>/<str:number>/", manual_views.version, name="version"),
    path("<slug:slug>/<str:number>.pdf", manual_views.version_pdf, name="pdf"),
]
