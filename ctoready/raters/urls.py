from django.urls import path

from ctoready.raters import candidate, views

app_name = "raters"
urlpatterns = [
    # The candidate's side, reached from their report.
    path("a/<str:public_id>/", candidate.invite, name="invite"),
    path("a/<str:public_id>/link/", candidate.create_link, name="create_link"),
    path("a/<str:public_id>/remind/", candidate.remind, name="remind"),
    path("a/<str:public_id>/close/", candidate.close, name="close"),
    path("a/<str:public_id>/i/<str:invite_id>/revoke/", candidate.revoke, name="revoke"),
    # The rater's side: the link, then pages reached through the session.
    path("i/<str:token>/", views.open_link, name="open"),
    path("r/<str:public_id>/", views.rate_home, name="rate_home"),
    path("r/<str:public_id>/p/<int:number>/", views.rate_page, name="rate_page"),
    path("r/<str:public_id>/save/", views.autosave, name="autosave"),
    path("r/<str:public_id>/done/", views.done, name="done"),
]
