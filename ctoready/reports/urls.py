from django.urls import path

from ctoready.reports import sharing, views

app_name = "reports"
urlpatterns = [
    path("a/<str:public_id>/report/", views.report, name="report"),
    path("a/<str:public_id>/report.pdf", views.report_pdf, name="pdf"),
    path("a/<str:public_id>/report.json", views.report_export, name="export"),
    path("a/<str:public_id>/retake/", views.retake, name="retake"),
    path("a/<str:public_id>/share/", sharing.share, name="share"),
    path(
        "a/<str:public_id>/share/<str:link_id>/revoke/", sharing.revoke_share, name="revoke_share"
    ),
    path("s/<str:token>/", sharing.shared, name="shared"),
    path("s/<str:token>/report.pdf", sharing.shared_pdf, name="shared_pdf"),
    path("history/", views.history_page, name="history"),
]
