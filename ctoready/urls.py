from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("ctoready.assessments.urls")),
    path("", include("ctoready.reports.urls")),
    path("guides/", include("ctoready.guides.urls")),
    path("rate/", include("ctoready.raters.urls")),
    path("api/v1/", include("ctoready.api.urls")),
    path("account/", include("allauth.urls")),
    path("operator/", admin.site.urls),
]

handler400 = "ctoready.lib.errors.bad_request"
handler403 = "ctoready.lib.errors.permission_denied"
handler404 = "ctoready.lib.errors.page_not_found"
handler500 = "ctoready.lib.errors.server_error"
