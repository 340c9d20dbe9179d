from __future__ import annotations

import pytest

from streams.ssrf import (
    Unresolvable,
    UnsafeUrl,
    check_saved_url,
    check_url,
    endpoint_of,
    is_public,
    valid_host,
)


def resolves_to(*addresses: str):  # type: ignore[no-untyped-def]
    return lambda host, port: list(addresses)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ],
)
def test_private_loopback_link_local_and_friends_are_refused(address: str) -> None:
    assert not is_public(address)
    with pytest.raises(UnsafeUrl, match="non-public"):
        check_url("https://hooks.example/x", allow_private=False, resolver=resolves_to(address))


def test_public_addresses_pass() -> None:
    assert check_url(
        "https://hooks.example/x", allow_private=False, resolver=resolves_to("93.184.215.14")
    ) == ["93.184.215.14"]


def test_one_private_address_among_public_ones_is_enough_to_refuse() -> None:
    with pytest.raises(UnsafeUrl):
        check_url(
            "https://h.example/", allow_private=False, resolver=resolves_to("8.8.8.8", "10.0.0.1")
        )


def test_private_addresses_pass_when_allowed() -> None:
    assert check_url("http://127.0.0.1:9000/h", allow_private=True) == ["127.0.0.1"]


def test_literal_loopback_is_refused_by_default() -> None:
    with pytest.raises(UnsafeUrl):
        check_url("http://127.0.0.1:9000/h", allow_private=False)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/x", "http or https"),
        ("file:///etc/passwd", "http or https"),
        ("http:///nohost", "no host"),
        ("https://user:pw@example.org/", "credentials"),
        ("https://example.org:99999/", "malformed"),
        ("https://example.org/" + "a" * 3000, "longer"),
    ],
)
def test_malformed_or_unfit_urls_are_refused(url: str, reason: str) -> None:
    with pytest.raises(UnsafeUrl, match=reason):
        check_url(url, allow_private=True, resolver=resolves_to("8.8.8.8"))


def test_unresolvable_hosts_are_refused_on_call_but_taken_when_saved() -> None:
    def fail(host: str, port: int) -> list[str]:
        raise OSError("no such host")

    with pytest.raises(Unresolvable, match="does not resolve"):
        check_url("https://nowhere.invalid/", allow_private=True, resolver=fail)
    check_saved_url("https://nowhere.invalid/", allow_private=False, resolver=fail)
    # What is wrong whatever DNS says is refused when saved too.
    with pytest.raises(UnsafeUrl, match="non-public"):
        check_saved_url("http://10.1.2.3/", allow_private=False, resolver=fail)
    with pytest.raises(UnsafeUrl, match="not a valid name"):
        check_saved_url("http://%25%25/", allow_private=False, resolver=fail)


@pytest.mark.parametrize(
    ("host", "valid"),
    [
        ("example.org", True),
        ("hooks.example.org.", True),
        ("xn--mgbh0fb.example", True),
        ("مثال.إختبار", True),
        ("10.0.0.1", True),
        ("::1", True),
        ("a_b.example", True),
        ("-bad.example", False),
        ("bad-.example", False),
        ("two..dots", False),
        ("%%%", False),
        ("spa ce.example", False),
        ("a" * 64 + ".example", False),
    ],
)
def test_host_names_are_checked_for_form(host: str, valid: bool) -> None:
    assert valid_host(host) is valid


def test_endpoint_is_scheme_host_and_port() -> None:
    assert endpoint_of("https://Hooks.Example/a?b") == "https://hooks.example:443"
    assert endpoint_of("http://127.0.0.1:8000/x") == "http://127.0.0.1:8000"
