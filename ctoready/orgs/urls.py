from django.urls import path

from ctoready.orgs import views, views_member, views_picture

app_name = "orgs"
ORG = "<str:org_id>/"
COHORT = ORG + "c/<str:cohort_id>/"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("join/", views_member.join, name="join"),
    path("join/<str:token>/", views_member.join_link, name="join_link"),
    path("sharing/<str:cohort_id>/", views_member.consent, name="consent"),
    path("sharing/<str:cohort_id>/start/", views_member.start_assessment, name="start"),
    path("sharing/<str:cohort_id>/leave/", views_member.leave, name="leave"),
    path(ORG, views.organisation, name="organisation"),
    path(ORG + "coaches/", views.invite_coaches, name="invite_coaches"),
    path(ORG + "people/<int:membership_id>/remove/", views.remove_person, name="remove_person"),
    path(ORG + "delete/", views.delete, name="delete"),
    path(ORG + "cohorts/", views.create_cohort, name="create_cohort"),
    path(COHORT, views.cohort, name="cohort"),
    path(COHORT + "invite/", views.invite_members, name="invite_members"),
    path(COHORT + "link/", views.create_join_link, name="create_join_link"),
    path(
        COHORT + "invitations/<int:invitation_id>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path(COHORT + "picture/", views_picture.picture, name="picture"),
    path(COHORT + "averages/", views_picture.averages, name="averages"),
    path(COHORT + "scores.csv", views_picture.export, name="export"),
    path(COHORT + "m/<str:consent_id>/", views_picture.member_report, name="member_report"),
]
