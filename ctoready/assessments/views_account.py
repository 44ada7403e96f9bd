"""Optional accounts: the signed-in candidate's assessments, and claiming anonymous ones."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ctoready.assessments import services
from ctoready.assessments.access import SESSION_KEY, get_attempt_for_request, owned_attempts
from ctoready.assessments.models import Attempt
from ctoready.privacy import erase_personal_data, export_personal_data


@login_required
@require_safe
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


@require_safe
def my_data(request: HttpRequest) -> HttpResponse:
    attempts = owned_attempts(request)
    context = {"count": attempts.count(), "has_account": request.user.is_authenticated}
    return render(request, "assessments/my_data.html", context)


@require_safe
def my_data_export(request: HttpRequest) -> HttpResponse:
    data = export_personal_data(attempts=owned_attempts(request), user=request.user)
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="ctoready-my-data.json"'
    return response


@require_POST
def my_data_erase(request: HttpRequest) -> HttpResponse:
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that everything should be erased."))
        return redirect("my_data")
    erase_personal_data(attempts=owned_attempts(request), user=request.user)
    if request.user.is_authenticated:
        logout(request)
    request.session.flush()
    messages.success(request, _("Your assessments, answers and reports have been erased."))
    return redirect("home")
