"""Each request's language: the cookie, then the browser's; the headers that say so."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import path

from ctoready.lib.locale import LocaleMiddleware

pytestmark = pytest.mark.django_db


def test_the_browsers_language_is_used_and_said():
    response = Client().get("/account/login/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()
    assert response["Content-Language"] == "fr"
    assert "Accept-Language" in response["Vary"]


def test_the_language_cookie_wins_over_the_browser():
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/account/login/")
    assert '<html lang="en">' in response.content.decode()
    assert response["Content-Language"] == "en"


def test_an_unknown_language_falls_back_to_english():
    response = Client().get("/account/login/", HTTP_ACCEPT_LANGUAGE="xx-YY")
    assert response["Content-Language"] == "en"


def test_a_path_that_looks_like_a_language_changes_nothing():
    """This site's addresses carry no language: /fr/ is an address like any other."""
    response = Client().get("/fr/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Language"] == "en"


def _hello(request):
    from django.http import HttpResponse

    return HttpResponse(request.LANGUAGE_CODE)


def i18n_urls():
    from django.conf.urls.i18n import i18n_patterns

    return i18n_patterns(path("hello/", _hello))


urlpatterns = i18n_urls()


@override_settings(ROOT_URLCONF=__name__)
def test_addresses_with_a_language_get_djangos_own_steps():
    assert LocaleMiddleware(lambda request: None).prefixed
    client = Client()
    assert client.get("/fr/hello/").content == b"fr"
    redirect = client.get("/hello/", HTTP_ACCEPT_LANGUAGE="fr")
    assert redirect.status_code == 302 and redirect["Location"] == "/fr/hello/"
