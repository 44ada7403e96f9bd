"""Background tasks of the flow (Django tasks on the database queue)."""

from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from ctoready.assessments import services
from ctoready.assessments.models import Attempt, Link
from ctoready.lib.siteurl import absolute


@task()
def send_resume_link(attempt_id: int, base_url: str = "") -> None:
    """E-mail a resume link. The link is made here, so its token never sits in the queue;
    ``base_url`` is the site's address as the enqueuing request saw it."""
    attempt = Attempt.objects.filter(pk=attempt_id, status=Attempt.Status.IN_PROGRESS).first()
    if attempt is None or not attempt.email:
        return
    token = services.create_link(attempt=attempt, purpose=Link.Purpose.RESUME, label="e-mail")
    url = absolute(reverse("resume", kwargs={"token": token}), base=base_url)
    context = {"url": url, "expires_at": attempt.expires_at}
    send_mail(
        subject="Your CTO readiness assessment: resume link",
        message=render_to_string("assessments/email/resume.txt", context),
        from_email=None,
        recipient_list=[attempt.email],
    )
