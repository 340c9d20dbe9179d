from __future__ import annotations

import hashlib
import hmac

from streams.alerts.signing import sign, verify

BODY = b'{"id":"a1","dyad":"US-VE"}'


def test_header_is_t_and_hex_hmac_of_timestamp_dot_body() -> None:
    header = sign("s3cret", 1700000000, BODY)
    expected = hmac.new(b"s3cret", b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


def test_a_fresh_signature_verifies() -> None:
    assert verify("s3cret", sign("s3cret", 1000, BODY), BODY, now=1010)


def test_stale_and_future_timestamps_are_rejected() -> None:
    header = sign("s3cret", 1000, BODY)
    assert not verify("s3cret", header, BODY, now=1000 + 301)
    assert not verify("s3cret", header, BODY, now=1000 - 301)
    assert verify("s3cret", header, BODY, now=1000 + 60, tolerance=60)


def test_wrong_secret_body_or_timestamp_fails() -> None:
    header = sign("s3cret", 1000, BODY)
    assert not verify("other", header, BODY, now=1000)
    assert not verify("s3cret", header, BODY + b" ", now=1000)
    forged = header.replace("t=1000", "t=1001")
    assert not verify("s3cret", forged, BODY, now=1001)


def test_malformed_headers_fail_closed() -> None:
    for header in ("", "garbage", "t=abc,v1=00", "v1=00", "t=1000", "t=1000,v1"):
        assert not verify("s3cret", header, BODY, now=1000)


def test_any_of_several_v1_entries_may_match_during_rotation() -> None:
    new = sign("new", 1000, BODY).split(",")[1]
    old = sign("old", 1000, BODY)
    assert verify("new", f"{old},{new}", BODY, now=1000)
