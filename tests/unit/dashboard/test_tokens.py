"""Session and CSRF tokens: random, never stored or printed as themselves."""

from __future__ import annotations

from streams.dashboard.tokens import (
    COOKIE,
    clearing_cookie_header,
    cookie_header,
    csrf_for,
    csrf_valid,
    new_token,
    plausible,
    token_hash,
)


def test_tokens_are_random_and_plausible() -> None:
    a, b = new_token(), new_token()
    assert a != b
    assert plausible(a) and plausible(b)
    assert not plausible("") and not plausible(None) and not plausible("x" * 500)
    assert not plausible("é" * 30)


def test_stored_hash_and_csrf_token_differ_from_the_token_and_each_other() -> None:
    token = new_token()
    assert len({token, token_hash(token), csrf_for(token)}) == 3
    assert token_hash(token) == token_hash(token)


def test_csrf_token_belongs_to_its_session_only() -> None:
    mine, theirs = new_token(), new_token()
    assert csrf_valid(mine, csrf_for(mine))
    assert not csrf_valid(mine, csrf_for(theirs))
    assert not csrf_valid(mine, "")
    assert not csrf_valid(mine, None)
    assert not csrf_valid(mine, token_hash(mine))


def test_cookie_is_http_only_secure_and_strict() -> None:
    header = cookie_header("abc", 3600)
    assert header.startswith(f"{COOKIE}=abc;")
    for attribute in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age=3600"):
        assert attribute in header.split("; ")
    assert "Max-Age=0" in clearing_cookie_header()
