"""Optional accounts: the signed-in candidate's assessments, and claiming anonymous ones."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ctoready.assessments import services
from ctoready.assessments.access import SESSION_KEY, get_attempt_for_request
from ctoready.assessments.models import Attempt


@login_required
@require_GET
def my_assessments(request: HttpRequest) -> HttpResponse:
    owned = Attempt.objects.filter(owner_id=request.user.pk).select_related("version__instrument")
    in_browser = Attempt.objects.filter(
        pk__in=request.session.get(SESSION_KEY, []), owner__isnull=True
    ).select_related("version__instrument")
    context = {
        "owned": owned.order_by("-created_at"),
        "claimable": in_browser.order_by("-created_at"),
    }
    return render(request, "assessments/my_assessments.html", context)


@login_required
@require_POST
def claim(request: HttpRequest, public_id: str) -> HttpResponse:
    attempt = get_attempt_for_request(request, public_id)
    try:
        services.claim_attempt(attempt=attempt, user=request.user)
    except services.FlowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The assessment is now kept in your account."))
    return redirect("my_assessments")
