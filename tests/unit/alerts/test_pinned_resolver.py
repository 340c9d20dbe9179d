"""Webhook connections dial only addresses the SSRF check passed, against a real HTTP server
on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import aiohttp
import pytest

from streams.alerts.pinned_resolver import PinnedResolver
from streams.ssrf import Resolver, UnsafeUrl
from tests.site import Route, Site, serve


@pytest.fixture
def site() -> Iterator[Site]:
    yield from serve()


async def _get(url: str, *, allow_private: bool, dns: Resolver) -> int:
    resolver = PinnedResolver(allow_private=allow_private, resolver=dns)
    connector = aiohttp.TCPConnector(resolver=resolver, use_dns_cache=False)
    async with (
        aiohttp.ClientSession(connector=connector, trust_env=False) as client,
        client.get(url) as reply,
    ):
        return reply.status


def test_a_name_that_resolves_to_a_private_address_is_never_dialed(site: Site) -> None:
    site.routes["/hook"] = Route(body=b"ok")
    port = site.base.rsplit(":", 1)[1]

    def rebound(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    # The system resolver would have dialed localhost; the pinned one asks the check first.
    with pytest.raises(UnsafeUrl, match=r"127\.0\.0\.1"):
        asyncio.run(_get(f"http://localhost:{port}/hook", allow_private=False, dns=rebound))
    assert site.requests == []


def test_the_checked_address_is_what_is_dialed(site: Site) -> None:
    site.routes["/hook"] = Route(body=b"ok")
    port = site.base.rsplit(":", 1)[1]

    def dns(host: str, port: int) -> list[str]:
        return ["127.0.0.1"] if host == "hooks.test" else []

    # No DNS knows hooks.test: only the checked answer can have been dialed.
    status = asyncio.run(_get(f"http://hooks.test:{port}/hook", allow_private=True, dns=dns))
    assert status == 200
    assert site.requests[-1][1]["Host"] == f"hooks.test:{port}"
