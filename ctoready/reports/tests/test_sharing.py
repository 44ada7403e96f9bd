"""Share links: create, list, revoke; read-only report by token; 404 and rate limit."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ctoready.assessments.models import Link
from ctoready.lib.tokens import hash_token
from ctoready.reports import sharing


def share_url(attempt) -> str:
    return reverse("reports:share", args=[attempt.public_id])


def create(client, attempt, label="my coach", days="30") -> str:
    response = client.post(share_url(attempt), {"label": label, "days": days})
    assert response.status_code == 200
    match = re.search(r'value="(http[^"]+/s/([A-Za-z0-9_-]+)/)"', response.content.decode())
    assert match, "the new link is shown once"
    return match.group(2)


def test_owner_creates_link_with_256_bit_token_default_30_days(alice, alice_attempt):
    token = create(alice, alice_attempt)
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    link = Link.objects.get(token_hash=hash_token(token))
    assert link.purpose == Link.Purpose.SHARE
    assert link.label == "my coach"
    assert abs(link.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert token not in str(Link.objects.values_list().get(pk=link.pk))  # only its hash


def test_share_page_lists_links(alice, alice_attempt):
    create(alice, alice_attempt, label="coach <b>")
    html = alice.get(share_url(alice_attempt)).content.decode()
    assert "coach &lt;b&gt;" in html and "Revoke" in html


def test_bad_expiry_or_label_is_refused(alice, alice_attempt):
    assert alice.post(share_url(alice_attempt), {"days": "9999"}).status_code == 400
    assert alice.post(share_url(alice_attempt), {"label": "x" * 101}).status_code == 400
    assert not Link.objects.filter(purpose=Link.Purpose.SHARE).exists()


def test_token_shows_read_only_report_without_private_details(alice, alice_attempt, visitor):
    token = create(alice, alice_attempt)
    response = visitor.get(reverse("reports:shared", args=[token]))
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "A shared CTO readiness report" in html
    assert "Your readiness in brief" in html
    assert "alice@example.com" not in html
    assert (
        "Start a new assessment" not in html
        and reverse("reports:share", args=[alice_attempt.public_id]) not in html
    )


def test_shared_pdf(alice, alice_attempt, visitor):
    token = create(alice, alice_attempt)
    response = visitor.get(reverse("reports:shared_pdf", args=[token]) + "?paper=letter")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Referrer-Policy"] == "no-referrer"
    assert b"alice@example.com" not in response.content


def test_revoking_works_at_once(alice, alice_attempt, visitor):
    token = create(alice, alice_attempt)
    link = Link.objects.get(token_hash=hash_token(token))
    response = alice.post(
        reverse("reports:revoke_share", args=[alice_attempt.public_id, link.public_id])
    )
    assert response.status_code == 302
    assert visitor.get(reverse("reports:shared", args=[token])).status_code == 404
    assert visitor.get(reverse("reports:shared_pdf", args=[token])).status_code == 404


def test_expired_link_is_404(alice, alice_attempt, visitor):
    token = create(alice, alice_attempt)
    Link.objects.filter(token_hash=hash_token(token)).update(expires_at=timezone.now())
    response = visitor.get(reverse("reports:shared", args=[token]))
    assert response.status_code == 404
    assert response["Referrer-Policy"] == "no-referrer"


def test_guessed_or_resume_token_is_404(alice, alice_attempt, visitor):
    from ctoready.assessments.services import create_link

    resume = create_link(attempt=alice_attempt, purpose=Link.Purpose.RESUME)
    assert visitor.get(reverse("reports:shared", args=[resume])).status_code == 404
    assert visitor.get(reverse("reports:shared", args=["A" * 43])).status_code == 404
    assert visitor.get(reverse("reports:shared", args=["short"])).status_code == 404


def test_failures_are_rate_limited_per_client(clock, alice, alice_attempt, client):
    token = create(alice, alice_attempt)
    for _ in range(sharing.FAILURE_LIMIT):
        assert client.get(reverse("reports:shared", args=["B" * 43])).status_code == 404
    assert client.get(reverse("reports:shared", args=["B" * 43])).status_code == 429
    # Even the right token is refused while this client is limited...
    assert client.get(reverse("reports:shared", args=[token])).status_code == 429
    # ...but another client is not affected.
    other = type(client)(REMOTE_ADDR="10.0.0.2")
    assert other.get(reverse("reports:shared", args=[token])).status_code == 200


def test_others_cannot_manage_or_revoke(alice, bob, visitor, alice_attempt):
    token = create(alice, alice_attempt)
    link = Link.objects.get(token_hash=hash_token(token))
    for outsider in (bob, visitor):
        assert outsider.get(share_url(alice_attempt)).status_code == 404
        assert outsider.post(share_url(alice_attempt), {"days": "30"}).status_code == 404
        revoke = reverse("reports:revoke_share", args=[alice_attempt.public_id, link.public_id])
        assert outsider.post(revoke).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_cannot_revoke_another_attempts_link_through_own_attempt(
    alice, bob, alice_attempt, bob_attempt
):
    token = create(alice, alice_attempt)
    link = Link.objects.get(token_hash=hash_token(token))
    revoke = reverse("reports:revoke_share", args=[bob_attempt.public_id, link.public_id])
    assert bob.post(revoke).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_unfinished_attempt_cannot_be_shared(mini, client, method):
    from ctoready.assessments.services import start_attempt
    from ctoready.testing import own

    attempt, _ = start_attempt(version=mini, context="seed", locale="en")
    own(client, attempt)
    assert getattr(client, method)(share_url(attempt)).status_code == 404


def test_share_links_are_named_by_random_ids_that_count_nothing(alice, alice_attempt):
    for _ in range(2):
        create(alice, alice_attempt)
    first, second = Link.objects.filter(purpose=Link.Purpose.SHARE).order_by("pk")
    assert len(first.public_id) == len(second.public_id) == 22  # 128 random bits
    assert first.public_id != second.public_id and not first.public_id.isdigit()
    html = alice.get(share_url(alice_attempt)).content.decode()
    assert f"/share/{first.public_id}/revoke/" in html and f"/share/{first.pk}/" not in html
    by_number = f"/a/{alice_attempt.public_id}/share/{first.pk}/revoke/"
    assert alice.post(by_number).status_code == 404
    first.refresh_from_db()
    assert first.revoked_at is None
