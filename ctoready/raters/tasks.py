"""Background e-mail of the 360 flow. Each link is made inside the task, so no raw token
ever sits in the queue; each message goes to one person and names no other rater."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from ctoready.raters import services
from ctoready.raters.anonymity import MIN_GROUP
from ctoready.raters.models import RaterInvite


def _pending(**filters: object) -> list[RaterInvite]:
    invites = RaterInvite.objects.select_related("round").filter(
        channel=RaterInvite.Channel.EMAIL,
        completed=False,
        revoked_at=None,
        round__closed_on=None,
        **filters,
    )
    return [invite for invite in invites if invite.is_active and invite.email]


SUBJECT_NAME_MAX = 40


def subject_for(template: str, name: str) -> str:
    """The candidate's name goes in quotes inside a fixed sentence, as plain text and
    shortened, so it can never make up a subject of its own."""
    name = services.plain_name(name)
    if len(name) > SUBJECT_NAME_MAX:
        name = name[: SUBJECT_NAME_MAX - 1].rstrip() + "…"
    return template.format(name=name or "someone")


def _send(invite: RaterInvite, template: str, subject: str) -> None:
    token = services.new_key(invite=invite)
    context = {
        "invite": invite,
        "name": invite.round.candidate_name,
        "url": settings.SITE_URL + reverse("raters:open", kwargs={"token": token}),
        "min_group": MIN_GROUP,
    }
    send_mail(
        subject=subject_for(subject, invite.round.candidate_name),
        message=render_to_string(template, context),
        from_email=None,
        recipient_list=[invite.email],
    )


@task()
def send_invitation(invite_id: int) -> None:
    for invite in _pending(pk=invite_id):
        _send(invite, "raters/email/invite.txt", "ctoready: a feedback request from “{name}”")


@task()
def send_reminders(round_id: int) -> None:
    for invite in _pending(round_id=round_id):
        _send(
            invite,
            "raters/email/reminder.txt",
            "ctoready: a reminder of the feedback request from “{name}”",
        )
