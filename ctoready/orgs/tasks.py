"""Background e-mail of organisations. Each token is made inside the task, so no raw
token ever sits in the queue; each message goes to one person."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from ctoready.orgs import services
from ctoready.orgs.models import Invitation, Role


@task()
def send_invitation(invitation_id: int) -> None:
    invitation = (
        Invitation.objects.select_related("organisation", "cohort")
        .filter(pk=invitation_id, revoked_at=None)
        .exclude(email="")
        .first()
    )
    if invitation is None or not invitation.is_active:
        return
    token = services.issue_token(invitation=invitation)
    context = {
        "invitation": invitation,
        "organisation": invitation.organisation.name,
        "cohort": invitation.cohort.name if invitation.cohort else "",
        "coach": invitation.role == Role.COACH,
        "url": settings.SITE_URL + reverse("orgs:join_link", kwargs={"token": token}),
    }
    subject = (
        _("%(organisation)s invites you to coach on ctoready")
        if invitation.role == Role.COACH
        else _("%(organisation)s invites you to the CTO Readiness Assessment")
    )
    send_mail(
        subject=subject % {"organisation": invitation.organisation.name},
        message=render_to_string("orgs/email/invite.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
