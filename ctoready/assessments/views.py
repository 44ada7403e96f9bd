from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ctoready.instruments.services import document_for, latest_version


def home(request: HttpRequest) -> HttpResponse:
    lang = request.GET.get("lang") or request.LANGUAGE_CODE
    version = latest_version(locale=lang)
    doc = document_for(version) if version else None
    return render(request, "assessments/home.html", {"doc": doc, "version": version})
