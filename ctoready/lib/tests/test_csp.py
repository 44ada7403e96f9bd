"""The CSP header: Django's policy, built once per configuration, with each page's nonce."""

import re

import pytest
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware as DjangoCsp
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override

from ctoready.lib.csp import ContentSecurityPolicyMiddleware, policy

CONFIGS = [
    {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.NONCE],
        "img-src": [CSP.SELF, "data:"],
    },
    {"default-src": [CSP.NONE], "upgrade-insecure-requests": True, "style-src": {"b", "a"}},
    {"script-src": CSP.NONCE},
]


def headers(middleware_class, view, use_nonce: bool) -> dict[str, str]:
    request = HttpRequest()

    def get_response(request):
        response = view(request)
        if use_nonce:
            str(request._csp_nonce)  # as a template that prints the nonce
        return response

    middleware_class(get_response)(request)  # fresh nonce each call
    response = middleware_class(get_response)(request)
    nonce = str(request._csp_nonce) if use_nonce else None
    found = {k: v for k, v in response.items() if "Content-Security-Policy" in k}
    return {k: v.replace(nonce, "NONCE") if nonce else v for k, v in found.items()}


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("use_nonce", [True, False])
def test_the_header_is_djangos_for_any_config(settings, config, use_nonce):
    settings.SECURE_CSP = config
    settings.SECURE_CSP_REPORT_ONLY = {"default-src": [CSP.SELF, CSP.NONCE]}

    def view(request):
        return HttpResponse("page")

    ours = headers(ContentSecurityPolicyMiddleware, view, use_nonce)
    assert ours == headers(DjangoCsp, view, use_nonce)
    assert ("'nonce-NONCE'" in ours["Content-Security-Policy-Report-Only"]) is use_nonce


def test_each_response_carries_its_own_nonce(settings):
    settings.SECURE_CSP = CONFIGS[0]
    nonces = set()
    for _ in range(3):
        request = HttpRequest()

        def get_response(request):
            return HttpResponse(str(request._csp_nonce))

        response = ContentSecurityPolicyMiddleware(get_response)(request)
        (nonce,) = re.findall(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        assert nonce == response.content.decode()
        nonces.add(nonce)
    assert len(nonces) == 3


def test_a_views_own_policy_or_none_is_kept(settings):
    settings.SECURE_CSP = CONFIGS[0]

    @csp_override({"default-src": [CSP.NONE]})
    def strict(request):
        return HttpResponse()

    @csp_override({})
    def without(request):
        return HttpResponse()

    def own_header(request):
        response = HttpResponse()
        response["Content-Security-Policy"] = "default-src 'self' example.org"
        return response

    assert headers(ContentSecurityPolicyMiddleware, strict, False) == {
        "Content-Security-Policy": "default-src 'none'"
    }
    assert headers(ContentSecurityPolicyMiddleware, without, False) == {}
    assert headers(ContentSecurityPolicyMiddleware, own_header, False) == {
        "Content-Security-Policy": "default-src 'self' example.org"
    }


def test_a_new_config_object_is_built_again(settings):
    first = {"default-src": [CSP.SELF]}
    assert policy(first, None) == "default-src 'self'"
    second = {"default-src": [CSP.NONE]}
    assert policy(second, None) == "default-src 'none'"
    assert policy(first, None) == "default-src 'self'"
