from django.urls import path

from ctoready.guides import views

app_name = "guides"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("<slug:slug>/", views.guide, name="guide"),
]
