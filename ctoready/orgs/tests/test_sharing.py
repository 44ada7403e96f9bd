"""Consented sharing: a cohort sees only what each member shares, only while they share it."""

import csv
import io

import pytest
from django.core import mail

from ctoready.lib.models import AuditEvent
from ctoready.lib.testing import finished_attempt
from ctoready.orgs import services
from ctoready.orgs.models import Consent, Invitation, Membership, Organisation
from ctoready.orgs.tests.conftest import MEMBER_ANSWERS, make_user, signed_in
from ctoready.reports.models import Report

pytestmark = pytest.mark.django_db


def url(world, view, **extra):
    from django.urls import reverse

    return reverse(
        f"orgs:{view}",
        kwargs={"org_id": world.acme.public_id, "cohort_id": world.cohort.public_id, **extra},
    )


def csv_members(response):
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return [row[0] for row in rows[1:]]


def test_creating_an_organisation_needs_the_development_only_acceptance(world):
    olga = world.client("olga")
    refused = olga.post("/orgs/new/", {"name": "Beta"})
    assert refused.status_code == 400
    assert not Organisation.objects.filter(name="Beta").exists()
    created = olga.post("/orgs/new/", {"name": "Beta", "accept": "yes"})
    beta = Organisation.objects.get(name="Beta")
    assert created["Location"] == f"/orgs/{beta.public_id}/"
    assert beta.development_only_accepted_by == "olga@example.com"
    assert "hiring" in beta.development_only_statement
    assert Membership.objects.get(organisation=beta).role == "owner"


def test_a_member_who_shares_nothing_is_invisible(world):
    colin = world.client("colin")
    page = colin.get(url(world, "cohort")).content.decode()
    assert "4 people joined" in page
    for name in ("mia", "max", "mo", "nina"):
        assert f"{name}@example.com" not in page
    assert csv_members(colin.get(url(world, "export"))) == []
    consent = world.consents["nina"]
    assert colin.get(url(world, "member_report", consent_id=consent.public_id)).status_code == 404


def test_scores_only_shows_scores_and_no_narrative(world):
    world.share("max", "scores")
    colin = world.client("colin")
    consent = world.consents["max"]
    page = colin.get(url(world, "member_report", consent_id=consent.public_id))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Technology strategy" in body and "Strengths and development areas" not in body
    assert page["Cache-Control"] == "no-store"


def test_full_report_shows_the_report_body(world):
    world.share("mia", "full")
    consent = world.consents["mia"]
    body = world.client("olga").get(url(world, "member_report", consent_id=consent.public_id))
    assert "Strengths and development areas" in body.content.decode()


def test_withdrawal_takes_effect_at_once_in_pages_export_and_picture(world):
    for name in ("mia", "max", "mo"):
        world.share(name, "full" if name == "mia" else "scores")
    colin = world.client("colin")
    export = colin.get(url(world, "export"))
    assert len(csv_members(export)) == 3
    # No browser or proxy may keep a copy that would outlive a withdrawal.
    assert export["Cache-Control"] == "no-store"
    assert colin.get(url(world, "picture"))["Cache-Control"] == "no-store"
    assert colin.get(url(world, "picture")).content.decode().count('class="heatmap-row"') == 3
    member_url = url(world, "member_report", consent_id=world.consents["mia"].public_id)
    assert colin.get(member_url).status_code == 200

    mia = world.client("mia")
    response = mia.post(f"/orgs/sharing/{world.cohort.public_id}/", {"scope": "nothing"})
    assert response.status_code == 302

    assert colin.get(member_url).status_code == 404
    assert "mia@example.com" not in csv_members(colin.get(url(world, "export")))
    picture = colin.get(url(world, "picture")).content.decode()
    assert "mia@example.com" not in picture
    assert 'class="heatmap-row"' not in picture  # two left: averages only


def test_individual_rows_need_three_members_and_the_averages_view_never_shows_them(world):
    world.share("mia")
    world.share("max")
    colin = world.client("colin")
    picture = colin.get(url(world, "picture")).content.decode()
    assert "heatmap-row" not in picture and "mia@example.com" not in picture
    assert "Cohort average per area" in picture
    world.share("mo")
    assert "heatmap-row" in colin.get(url(world, "picture")).content.decode()
    averages = colin.get(url(world, "averages")).content.decode()
    assert "heatmap-row" not in averages and "mia@example.com" not in averages
    assert "3 members share scores" in averages


def test_the_export_is_formula_safe_and_audited(world):
    world.users["mo"].email = "=cmd@example.com"
    world.users["mo"].save()
    for name in ("mia", "mo"):
        world.share(name)
    response = world.client("colin").get(url(world, "export"))
    assert "'=cmd@example.com" in csv_members(response)
    event = AuditEvent.objects.get(action="orgs.export_scores")
    assert event.actor == world.users["colin"] and event.detail["members"] == 2


def test_a_member_links_only_their_own_assessment(world):
    mia = world.client("mia")
    other = world.attempts["max"].public_id
    response = mia.post(
        f"/orgs/sharing/{world.cohort.public_id}/", {"scope": "full", "attempt": other}
    )
    assert response.status_code == 400
    assert Consent.objects.get(pk=world.consents["mia"].pk).scope == "nothing"


def test_the_360_section_is_shared_only_when_chosen(world, rater):
    world.share("mia", "full", raters=False)
    consent = world.consents["mia"]
    assert not Consent.objects.get(pk=consent.pk).include_raters
    world.share("mia", "scores", raters=True)
    assert not Consent.objects.get(pk=consent.pk).include_raters  # only with the full report
    world.share("mia", "full", raters=True)
    assert Consent.objects.get(pk=consent.pk).include_raters


def test_e_mailed_invitations_carry_a_working_link(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_members(cohort=world.cohort, emails=["Zoe@example.com", "zoe@example.com"])
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zoe@example.com"]
    link = next(w for w in mail.outbox[0].body.split() if "/orgs/join/" in w)
    zoe = make_user("zoe")
    client = signed_in(zoe)
    assert client.get(link[link.index("/orgs/") :])["Location"] == "/orgs/join/"
    joined = client.post("/orgs/join/")
    assert joined["Location"] == f"/orgs/sharing/{world.cohort.public_id}/"
    assert Consent.objects.get(user=zoe).scope == "nothing"
    assert Invitation.objects.get(email="zoe@example.com").token_hash not in link


def test_joining_needs_an_account(world):
    token = services.create_join_link(cohort=world.cohort)
    visitor = world.client("anonymous")
    assert visitor.get(f"/orgs/join/{token}/")["Location"] == "/orgs/join/"
    assert "You need an account" in visitor.get("/orgs/join/").content.decode()
    response = visitor.post("/orgs/join/")
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")


def test_a_revoked_join_link_is_a_404(world):
    token = services.create_join_link(cohort=world.cohort)
    services.revoke_invitation(invitation=services.resolve_invitation(token=token))
    assert world.client("anonymous").get(f"/orgs/join/{token}/").status_code == 404


def test_removing_a_coach_removes_access_at_once(world):
    world.share("mia")
    colin = world.client("colin")
    assert colin.get(url(world, "cohort")).status_code == 200
    membership = Membership.objects.get(user=world.users["colin"])
    olga = world.client("olga")
    olga.post(f"/orgs/{world.acme.public_id}/people/{membership.pk}/remove/")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    for view in ("cohort", "picture", "averages", "export"):
        assert colin.get(url(world, view)).status_code == 404, view


def test_deleting_an_organisation_leaves_members_reports(world):
    world.share("mia", "full")
    reports = Report.objects.count()
    olga = world.client("olga")
    assert olga.post(f"/orgs/{world.acme.public_id}/delete/", {"confirm": "yes"}).status_code == 302
    assert not Organisation.objects.filter(pk=world.acme.pk).exists()
    assert not Consent.objects.filter(cohort=world.cohort).exists()
    assert Report.objects.count() == reports
    mia = world.client("mia")
    assert mia.get(f"/a/{world.attempts['mia'].public_id}/report/").status_code == 200


def test_erasure_removes_a_member_from_every_organisation(world):
    world.share("mia", "full")
    services.accept_invitation(
        invitation=services.resolve_invitation(
            token=services.create_join_link(cohort=world.rival_cohort)
        ),
        user=world.users["mia"],
    )
    mia = world.client("mia")
    mia.post("/my-data/erase/", {"confirm": "yes"})
    assert not Membership.objects.filter(user__username="mia").exists()
    assert not Consent.objects.filter(user__username="mia").exists()
    assert "mia@example.com" not in world.client("colin").get(url(world, "cohort")).content.decode()


def test_the_data_download_includes_memberships_and_consents(world):
    world.share("max", "scores")
    data = world.client("max").get("/my-data/export.json").json()
    assert data["organisation_memberships"][0]["organisation"] == "Acme"
    consent = data["cohort_consents"][0]
    assert consent["shares"] == "scores"
    assert consent["attempt"] == world.attempts["max"].public_id


def test_a_shared_report_shows_the_re_assessment_history_and_changes_beyond_error(world):
    first = world.attempts["mia"]
    again = finished_attempt(
        world.version,
        {**MEMBER_ANSWERS["mia"], "st-1": 1, "st-2": 1, "st-3": 5},
        context="growth",
        owner=world.users["mia"],
        previous=first,
    )
    services.set_consent(consent=world.consents["mia"], scope="scores", attempt=again)
    page = world.client("colin").get(
        url(world, "member_report", consent_id=world.consents["mia"].public_id)
    )
    body = page.content.decode()
    assert "Change since the previous assessment" in body
    assert "Lower, beyond measurement error" in body
    assert "Re-assessment history" in body


def test_an_earlier_assessment_of_someone_else_is_never_shown(world):
    again = finished_attempt(
        world.version,
        MEMBER_ANSWERS["max"],
        context="growth",
        owner=world.users["max"],
        previous=world.attempts["mia"],  # not Max's: must not be compared or listed
    )
    services.set_consent(consent=world.consents["max"], scope="scores", attempt=again)
    page = world.client("colin").get(
        url(world, "member_report", consent_id=world.consents["max"].public_id)
    )
    body = page.content.decode()
    assert "Change since the previous assessment" not in body
    assert "Re-assessment history" not in body


def test_the_consent_page_speaks_french(world):
    page = world.client("mia").get(
        f"/orgs/sharing/{world.cohort.public_id}/", HTTP_ACCEPT_LANGUAGE="fr"
    )
    body = page.content.decode()
    assert "Qui voit ce que vous partagez" in body and "Rien pour l'instant" in body


def test_the_360_section_reaches_the_cohort_only_when_the_member_includes_it(world):
    from ctoready.raters import services as raters
    from ctoready.raters.tests.conftest import respond

    attempt = world.attempts["mia"]
    for _ in range(3):
        respond(attempt, "peer", comments={"keep": "Calm in incidents"})
    raters.close_round(round_=raters.round_of(attempt))
    colin = world.client("colin")
    member_url = url(world, "member_report", consent_id=world.consents["mia"].public_id)
    world.share("mia", "full", raters=False)
    without = colin.get(member_url).content.decode()
    assert "Strengths and development areas" in without
    assert "rater-feedback" not in without and "Calm in incidents" not in without
    world.share("mia", "full", raters=True)
    with_360 = colin.get(member_url).content.decode()
    assert "rater-feedback" in with_360 and "Calm in incidents" in with_360


def test_the_report_links_its_owner_to_their_sharing_settings(world):
    page = world.client("mia").get(f"/a/{world.attempts['mia'].public_id}/report/")
    assert "Sharing with a programme or coach" in page.content.decode()


@pytest.mark.parametrize(
    ("view", "data"),
    [
        ("create_cohort", {"name": "X", "version": "abc", "context": "growth"}),
        ("create_cohort", {"name": "", "version": "1", "context": "growth"}),
        ("create_cohort", {"name": "X", "version": "1", "context": "moon"}),
        ("invite_members", {"emails": "not-an-address"}),
        ("invite_members", {"emails": ""}),
        ("create_join_link", {"days": "365"}),
    ],
)
def test_bad_input_is_a_400_that_changes_nothing(world, view, data):
    from django.urls import reverse

    from ctoready.lib.tests.test_routes import database_state

    kwargs = {"org_id": world.acme.public_id}
    if view != "create_cohort":
        kwargs["cohort_id"] = world.cohort.public_id
    colin = world.client("colin")
    before = database_state()
    response = colin.post(reverse(f"orgs:{view}", kwargs=kwargs), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert database_state() == before


def test_a_coach_invitation_is_accepted_only_by_the_invited_address(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_coaches(organisation=world.acme, emails=["cora@example.com"])
    link = next(w for w in mail.outbox[-1].body.split() if "/orgs/join/" in w)
    path = link[link.index("/orgs/") :]
    forwarded = world.client("nina")
    forwarded.get(path)
    refused = forwarded.post("/orgs/join/")
    assert refused.status_code == 400 and "cora@example.com" in refused.content.decode()
    assert Membership.objects.get(user=world.users["nina"]).role == "member"
    cora = signed_in(make_user("cora"))
    cora.get(path)
    assert cora.post("/orgs/join/")["Location"] == f"/orgs/{world.acme.public_id}/"
    assert Membership.objects.get(user__username="cora").role == "coach"
    assert cora.get(path).status_code == 404  # used once


def test_invitation_requests_are_rate_limited_per_client(world):
    from ctoready.lib.models import RateCounter
    from ctoready.lib.ratelimit import _window, client_key
    from ctoready.orgs.views import INVITE_SCOPE, INVITES_PER_MINUTE

    class Caller:
        META = {"REMOTE_ADDR": "127.0.0.1"}

    RateCounter.objects.create(
        key=client_key(Caller(), INVITE_SCOPE), window=_window(), count=INVITES_PER_MINUTE
    )
    response = world.client("colin").post(url(world, "invite_members"), {"emails": "a@example.com"})
    assert response.status_code == 429
    assert not Invitation.objects.filter(email="a@example.com").exists()
