"""django-allauth, told to find the client's address the way the rest of the site does."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from ctoready.lib.clientaddr import client_address


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped here
    def get_client_ip(self, request: HttpRequest) -> str:
        return client_address(request)
