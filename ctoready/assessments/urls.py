from django.urls import path

from ctoready.assessments import views, views_account

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("r/<str:token>/", views.resume, name="resume"),
    path("a/<str:public_id>/", views.attempt_home, name="attempt_home"),
    path("a/<str:public_id>/p/<int:number>/", views.attempt_page, name="attempt_page"),
    path("a/<str:public_id>/save/", views.autosave, name="attempt_autosave"),
    path("a/<str:public_id>/review/", views.review, name="attempt_review"),
    path("a/<str:public_id>/finish/", views.finish, name="attempt_finish"),
    path("a/<str:public_id>/deep/", views.deep_dive, name="attempt_deep_dive"),
    path("a/<str:public_id>/claim/", views_account.claim, name="attempt_claim"),
    path("me/", views_account.my_assessments, name="my_assessments"),
    path("my-data/", views_account.my_data, name="my_data"),
    path("my-data/export.json", views_account.my_data_export, name="my_data_export"),
    path("my-data/erase/", views_account.my_data_erase, name="my_data_erase"),
]
