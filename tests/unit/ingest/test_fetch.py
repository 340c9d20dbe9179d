"""The fetcher against a real HTTP server on 127.0.0.1: validators, limits, redirects."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from streams.errors import FetchFailed
from streams.ingest.fetch import Limits, fetch, new_client
from streams.ssrf import check_url
from tests.site import Route, Site, serve

LIMITS = Limits(timeout=3.0, max_bytes=64 * 1024, max_redirects=3)


@pytest.fixture
def site() -> Iterator[Site]:
    yield from serve()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with new_client(LIMITS, allow_private=True) as made:
        yield made


def allow_all(url: str) -> object:
    return check_url(url, allow_private=True)


def test_validators_are_returned_and_a_repeat_answers_304(site: Site, client: httpx.Client) -> None:
    stamp = "Mon, 02 Mar 2026 09:00:00 GMT"
    site.routes["/f"] = Route(body=b"<rss/>", etag='"v1"', last_modified=stamp)
    first = fetch(client, site.url("/f"), guard=allow_all, limits=LIMITS)
    assert (first.status, first.body, first.etag, first.last_modified) == (
        200,
        b"<rss/>",
        '"v1"',
        stamp,
    )
    again = fetch(
        client,
        site.url("/f"),
        guard=allow_all,
        limits=LIMITS,
        headers={"If-None-Match": '"v1"'},
    )
    assert (again.status, again.body) == (304, b"")
    assert site.requests[-1][1]["If-None-Match"] == '"v1"'


def test_a_declared_body_over_the_limit_is_refused_unread(site: Site, client: httpx.Client) -> None:
    site.routes["/big"] = Route(body=b"x" * (LIMITS.max_bytes + 1))
    with pytest.raises(FetchFailed) as failure:
        fetch(client, site.url("/big"), guard=allow_all, limits=LIMITS)
    assert failure.value.reason == "too_large"
    assert "Content-Length" in failure.value.detail


def test_an_endless_body_is_cut_off_at_the_limit(site: Site, client: httpx.Client) -> None:
    site.routes["/endless"] = Route(endless=50 * 1024 * 1024)
    with pytest.raises(FetchFailed) as failure:
        fetch(client, site.url("/endless"), guard=allow_all, limits=LIMITS)
    assert failure.value.reason == "too_large"
    assert "over the limit" in failure.value.detail


def test_a_dripping_server_meets_the_deadline(site: Site, client: httpx.Client) -> None:
    site.routes["/slow"] = Route(endless=60 * 1024, drip=0.1)
    quick = Limits(timeout=1.0, max_bytes=1024 * 1024, max_redirects=0)
    with pytest.raises(FetchFailed) as failure:
        fetch(client, site.url("/slow"), guard=allow_all, limits=quick)
    assert failure.value.reason == "timeout"


def test_redirects_are_followed_through_the_guard(site: Site, client: httpx.Client) -> None:
    site.routes["/old"] = Route(status=301, location="/new")
    site.routes["/new"] = Route(body=b"<rss/>")
    seen: list[str] = []

    def guard(url: str) -> object:
        seen.append(url)
        return allow_all(url)

    answer = fetch(client, site.url("/old"), guard=guard, limits=LIMITS)
    assert (answer.status, answer.body, answer.url) == (200, b"<rss/>", site.url("/new"))
    assert seen == [site.url("/old"), site.url("/new")]


def test_a_redirect_to_a_private_address_is_refused_before_connecting(
    site: Site, client: httpx.Client
) -> None:
    with Site() as private:
        private.routes["/secret"] = Route(body=b"internal")
        site.routes["/feed"] = Route(status=302, location=private.url("/secret"))

        # The feed's own server is let through as a public one would be; every other URL
        # meets the real rule, which refuses loopback addresses.
        def guard(url: str) -> object:
            if url.startswith(site.base + "/"):
                return None
            return check_url(url, allow_private=False)

        with pytest.raises(FetchFailed) as failure:
            fetch(client, site.url("/feed"), guard=guard, limits=LIMITS)
        assert failure.value.reason == "unsafe_url"
        assert "non-public address 127.0.0.1" in failure.value.detail
        assert private.hits["/secret"] == 0


def test_a_private_feed_url_is_refused_by_default(site: Site, client: httpx.Client) -> None:
    site.routes["/f"] = Route(body=b"<rss/>")
    with pytest.raises(FetchFailed) as failure:
        fetch(
            client, site.url("/f"), guard=lambda u: check_url(u, allow_private=False), limits=LIMITS
        )
    assert failure.value.reason == "unsafe_url"
    assert site.hits["/f"] == 0


def test_too_many_redirects_end(site: Site, client: httpx.Client) -> None:
    site.routes["/loop"] = Route(status=302, location="/loop")
    with pytest.raises(FetchFailed) as failure:
        fetch(client, site.url("/loop"), guard=allow_all, limits=LIMITS)
    assert failure.value.reason == "too_many_redirects"
    assert site.hits["/loop"] == LIMITS.max_redirects + 1


def test_a_closed_port_is_a_network_failure(client: httpx.Client) -> None:
    with Site() as gone:
        url = gone.url("/f")
    with pytest.raises(FetchFailed) as failure:
        fetch(client, url, guard=allow_all, limits=LIMITS)
    assert failure.value.reason == "network"


class Rebinding:
    """A DNS that answers a public address to the first question and 127.0.0.1 after it."""

    def __init__(self) -> None:
        self.asked = 0

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked += 1
        return ["93.184.215.14"] if self.asked == 1 else ["127.0.0.1"]


def test_a_name_that_rebinds_after_the_check_is_never_connected_to(site: Site) -> None:
    site.routes["/f"] = Route(body=b"<rss/>")
    dns = Rebinding()

    def guard(url: str) -> object:
        return check_url(url, allow_private=False, resolver=dns)

    port = site.base.rsplit(":", 1)[1]
    # "localhost" is what the system resolver would have dialed after the check passed.
    with (
        new_client(LIMITS, allow_private=False, resolver=dns) as pinned,
        pytest.raises(FetchFailed) as failure,
    ):
        fetch(pinned, f"http://localhost:{port}/f", guard=guard, limits=LIMITS)
    assert failure.value.reason == "unsafe_url" and "127.0.0.1" in failure.value.detail
    assert site.requests == []


def test_the_connection_dials_the_checked_address_and_still_names_the_host(site: Site) -> None:
    site.routes["/f"] = Route(body=b"<rss/>")
    port = site.base.rsplit(":", 1)[1]

    def dns(host: str, port: int) -> list[str]:
        return ["127.0.0.1"] if host == "feeds.test" else []

    def guard(url: str) -> object:
        return check_url(url, allow_private=True, resolver=dns)

    # No DNS knows feeds.test: only the checked answer can have been dialed.
    with new_client(LIMITS, allow_private=True, resolver=dns) as pinned:
        got = fetch(pinned, f"http://feeds.test:{port}/f", guard=guard, limits=LIMITS)
    assert (got.status, got.body) == (200, b"<rss/>")
    assert site.requests[-1][1]["Host"] == f"feeds.test:{port}"
