"""Background e-mail of the 360 flow. Each link is made inside the task, so no raw token
ever sits in the queue; each message goes to one person and names no other rater."""

from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from ctoready.lib.siteurl import absolute
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


def _send(invite: RaterInvite, template: str, subject: str, base_url: str) -> None:
    token = services.new_key(invite=invite)
    context = {
        "invite": invite,
        "name": invite.round.candidate_name,
        "url": absolute(reverse("raters:open", kwargs={"token": token}), base=base_url),
        "min_group": MIN_GROUP,
    }
    send_mail(
        subject=subject.format(name=invite.round.candidate_name),
        message=render_to_string(template, context),
        from_email=None,
        recipient_list=[invite.email],
    )


@task()
def send_invitation(invite_id: int, base_url: str = "") -> None:
    for invite in _pending(pk=invite_id):
        _send(invite, "raters/email/invite.txt", "{name} asks for your feedback", base_url)


@task()
def send_reminders(round_id: int, base_url: str = "") -> None:
    subject = "Reminder: {name} asks for your feedback"
    for invite in _pending(round_id=round_id):
        _send(invite, "raters/email/reminder.txt", subject, base_url)
