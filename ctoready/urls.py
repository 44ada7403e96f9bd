from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from ctoready.analytics.keying_views import expert as expert_keying
from ctoready.lib import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("ctoready.assessments.urls")),
    path("", include("ctoready.reports.urls")),
    path("guides/", include("ctoready.guides.urls")),
    path("rate/", include("ctoready.raters.urls")),
    path("orgs/", include("ctoready.orgs.urls")),
    path("manual/", include("ctoready.analytics.manual_urls")),
    path("keying/<str:token>/", expert_keying, name="keying_expert"),
    path("api/v1/", include("ctoready.api.urls")),
    path("account/", include("allauth.urls")),
    # Operators sign in like everyone else, with allauth's rate limits and session rotation.
    path(
        "operator/login/",
        RedirectView.as_view(url="/account/login/?next=/operator/", query_string=False),
    ),
    path("operator/analytics/", include("ctoready.analytics.urls")),
    path("operator/", admin.site.urls),
]

handler400 = "ctoready.lib.errors.bad_request"
handler403 = "ctoready.lib.errors.permission_denied"
handler404 = "ctoready.lib.errors.page_not_found"
handler500 = "ctoready.lib.errors.server_error"
