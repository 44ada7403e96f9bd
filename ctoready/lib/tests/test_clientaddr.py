"""Client addresses: X-Forwarded-For is believed only from trusted proxies, so a guesser
behind the proxy is counted on its own and a spoofed header from outside changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory

from ctoready.assessments import services
from ctoready.instruments.services import import_file
from ctoready.instruments.tests.conftest import MINI
from ctoready.lib.accounts import AccountAdapter
from ctoready.lib.clientaddr import client_address
from ctoready.lib.models import AuditEvent
from ctoready.lib.tests.test_settings import run_ctoready

GUESS = "/r/" + "x" * 43 + "/"
LIMIT = 20  # failed token look-ups per client per minute (assessments.views)


def address(remote: str, forwarded: str | None = None) -> str:
    extra = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert address("203.0.113.9", "198.51.100.4") == "203.0.113.9"


def test_a_trusted_proxy_passes_on_the_rightmost_untrusted_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert address("127.0.0.1", "198.51.100.4") == "198.51.100.4"
    # A client's own claim sits further left and is not believed.
    assert address("127.0.0.1", "1.2.3.4, 198.51.100.4") == "198.51.100.4"
    # Through two trusted hops (a load balancer, then nginx).
    assert address("127.0.0.1", "1.2.3.4, 198.51.100.4, 10.1.2.3") == "198.51.100.4"


def test_the_header_from_an_untrusted_address_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert address("203.0.113.9", "127.0.0.1") == "203.0.113.9"


def test_odd_values_fall_back_to_what_a_trusted_hop_vouched_for(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    assert address("127.0.0.1") == "127.0.0.1"
    assert address("127.0.0.1", "not-an-address, 198.51.100.4") == "198.51.100.4"
    assert address("127.0.0.1", "198.51.100.4, garbage") == "127.0.0.1"
    assert address("::1", "[2001:db8::7]:4431") == "2001:db8::7"
    assert address("::ffff:127.0.0.1", "198.51.100.4:80") == "198.51.100.4"
    assert address("") == "unknown"


@pytest.mark.django_db
def test_a_spoofed_header_from_an_untrusted_address_changes_nothing(settings, clock):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(LIMIT):
        # Every guess claims to come from somebody else.
        spoof = f"198.51.100.{n}, 127.0.0.1"
        assert guesser.get(GUESS, HTTP_X_FORWARDED_FOR=spoof).status_code == 404
    assert guesser.get(GUESS, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 429
    # The addresses it claimed are not locked out through the proxy.
    behind_proxy = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.3")
    assert behind_proxy.get(GUESS).status_code == 404


@pytest.mark.django_db
def test_clients_behind_the_proxy_are_counted_one_by_one(settings, clock):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    guesser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(LIMIT):
        assert guesser.get(GUESS).status_code == 404
    assert guesser.get(GUESS).status_code == 429
    # Prepending a fresh address to the header does not buy a new bucket.
    spoofed = "192.0.2.77, 203.0.113.9"
    assert guesser.get(GUESS, HTTP_X_FORWARDED_FOR=spoofed).status_code == 429
    neighbour = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert neighbour.get(GUESS).status_code == 404


def test_sign_in_rate_limits_use_the_same_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4"
    )
    assert AccountAdapter(request).get_client_ip(request) == "198.51.100.4"


@pytest.mark.django_db
def test_the_audit_log_records_the_operators_real_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    operator = get_user_model().objects.create_superuser("olivia", "olivia@example.org", "pw")
    attempt, _ = services.start_attempt(
        version=import_file(path=MINI).version, context="growth", locale="en"
    )
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    client.force_login(operator)
    url = f"/operator/assessments/attempt/{attempt.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert AuditEvent.objects.get().detail["address"] == "198.51.100.4"


def test_a_bad_trusted_proxy_entry_is_a_clear_error():
    result = run_ctoready("check", SECRET_KEY="x" * 50, TRUSTED_PROXIES="10.0.0.0/33")
    assert result.returncode == 2
    assert "TRUSTED_PROXIES" in result.stderr and "Traceback" not in result.stderr
