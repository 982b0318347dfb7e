"""Signing and verification, the replay window, backoff with jitter and URL rules (pure)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from autolease.webhooks.backoff import retry_delay
from autolease.webhooks.events import new_event_id
from autolease.webhooks.signing import SignatureInvalid, signature, signed_headers, verify
from autolease.webhooks.urls import UrlInvalid, check_url

SECRET = "whsec_test"
BODY = b'{"id":"e1","type":"application.approved"}'
T0 = 1_800_000_000


def _verify(body: bytes = BODY, *, secret: str = SECRET, at: int = T0, now: float = T0) -> int:
    headers = signed_headers(SECRET, at, BODY, "e1")
    return verify(
        secret,
        body=body,
        timestamp=headers["Autolease-Timestamp"],
        signature_header=headers["Autolease-Signature"],
        now=now,
    )


class TestSignature:
    def test_hmac_sha256_over_timestamp_dot_body(self) -> None:
        import hashlib
        import hmac

        expected = hmac.new(SECRET.encode(), f"{T0}.".encode() + BODY, hashlib.sha256).hexdigest()
        assert signature(SECRET, T0, BODY) == f"v1={expected}"

    def test_a_signed_request_verifies(self) -> None:
        assert _verify() == T0

    def test_a_changed_body_is_refused(self) -> None:
        with pytest.raises(SignatureInvalid, match="does not match"):
            _verify(BODY.replace(b"approved", b"declined"))

    def test_another_secret_is_refused(self) -> None:
        with pytest.raises(SignatureInvalid, match="does not match"):
            _verify(secret="whsec_other")

    @pytest.mark.parametrize("skew", [301, -301, 3600])
    def test_outside_the_replay_window_is_refused(self, skew: int) -> None:
        with pytest.raises(SignatureInvalid, match="replay window"):
            _verify(now=T0 + skew)

    @pytest.mark.parametrize("skew", [0, 299, -299])
    def test_inside_the_window_is_accepted(self, skew: int) -> None:
        assert _verify(now=T0 + skew) == T0

    def test_a_replayed_request_is_refused_once_old(self) -> None:
        """The same bytes and headers, sent again later: valid then, refused now."""
        headers = signed_headers(SECRET, T0, BODY, "e1")
        kwargs = {
            "body": BODY,
            "timestamp": headers["Autolease-Timestamp"],
            "signature_header": headers["Autolease-Signature"],
        }
        assert verify(SECRET, now=T0 + 10, **kwargs) == T0
        with pytest.raises(SignatureInvalid):
            verify(SECRET, now=T0 + 10 + 300, **kwargs)

    def test_a_changed_timestamp_breaks_the_signature(self) -> None:
        sig = signature(SECRET, T0, BODY)
        with pytest.raises(SignatureInvalid, match="does not match"):
            verify(SECRET, body=BODY, timestamp=str(T0 + 1), signature_header=sig, now=T0)

    @pytest.mark.parametrize(
        ("timestamp", "sig"), [(None, "v1=00"), (str(T0), None), ("soon", "v1=00"), ("", "")]
    )
    def test_missing_or_malformed_headers_are_refused(
        self, timestamp: str | None, sig: str | None
    ) -> None:
        with pytest.raises(SignatureInvalid):
            verify(SECRET, body=BODY, timestamp=timestamp, signature_header=sig, now=T0)

    def test_one_matching_signature_of_several_is_enough(self) -> None:
        both = f"v1=deadbeef,{signature(SECRET, T0, BODY)}"
        assert verify(SECRET, body=BODY, timestamp=str(T0), signature_header=both, now=T0) == T0


class TestBackoff:
    def test_grows_exponentially_with_equal_jitter_and_a_cap(self) -> None:
        rng = random.Random(3)
        for attempt, ceiling in [(1, 10), (2, 20), (3, 40), (4, 80), (12, 3600)]:
            delay = retry_delay(attempt, base_s=10, cap_s=3600, rng=rng)
            assert timedelta(seconds=ceiling / 2) <= delay <= timedelta(seconds=ceiling)

    def test_the_jitter_comes_from_the_injected_source(self) -> None:
        one = [retry_delay(3, base_s=10, cap_s=3600, rng=random.Random(9)) for _ in range(2)]
        assert one[0] == one[1]
        spread = {retry_delay(3, base_s=10, cap_s=3600, rng=random.Random(s)) for s in range(20)}
        assert len(spread) > 10

    def test_attempts_count_from_one(self) -> None:
        with pytest.raises(ValueError, match="from 1"):
            retry_delay(0, base_s=10, cap_s=60, rng=random.Random(1))


class TestEventIds:
    def test_a_version_4_uuid_from_the_injected_bits(self) -> None:
        a, b = new_event_id(random.Random(5)), new_event_id(random.Random(5))
        assert a == b
        assert a[14] == "4"
        assert a[19] in "89ab"
        assert new_event_id(random.Random(6)) != a


class TestUrls:
    @pytest.mark.parametrize(
        "url", ["https://sp.example.cn/hooks", "https://10.0.0.1:8443/x?y=1", "https://sp.cn"]
    )
    def test_https_is_accepted(self, url: str) -> None:
        assert check_url(url, allow_plain_http_localhost=False) == url

    @pytest.mark.parametrize(
        "url", ["http://localhost:8080/hooks", "http://127.0.0.1:9/x", "http://[::1]:80/"]
    )
    def test_http_to_localhost_only_when_allowed(self, url: str) -> None:
        assert check_url(url, allow_plain_http_localhost=True) == url
        with pytest.raises(UrlInvalid) as refused:
            check_url(url, allow_plain_http_localhost=False)
        assert refused.value.rule == "https_required"

    @pytest.mark.parametrize(
        ("url", "rule"),
        [
            ("http://sp.example.cn/hooks", "https_required"),
            ("ftp://localhost/x", "https_required"),
            ("https://user:pw@sp.cn/x", "url"),
            ("https:///nohost", "url"),
            ("sp.example.cn/hooks", "url"),
            ("https://sp.cn/x#frag", "url"),
            ("https://sp.cn:99999/x", "url"),
            ("https://sp.cn/" + "a" * 2000, "too_long"),
        ],
    )
    def test_refused_with_the_rule(self, url: str, rule: str) -> None:
        with pytest.raises(UrlInvalid) as refused:
            check_url(url, allow_plain_http_localhost=True)
        assert refused.value.rule == rule
