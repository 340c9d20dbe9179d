"""An aiohttp resolver that hands the connector only addresses the SSRF guard has passed.

aiohttp resolves a webhook's host itself when it connects, and a rebinding DNS can answer a
public address to our check and 127.0.0.1 to that lookup. With this resolver the connector's
one lookup is the check: what it returns was checked, and it is what the socket dials. A
host written as an IP address is never resolved by aiohttp; the URL check before each
attempt covers it."""

from __future__ import annotations

import asyncio
import socket

from aiohttp.abc import AbstractResolver, ResolveResult

from streams.ssrf import Resolver, checked_addresses


class PinnedResolver(AbstractResolver):
    def __init__(self, *, allow_private: bool, resolver: Resolver) -> None:
        self.allow_private = allow_private
        self.resolver = resolver

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        addresses = await asyncio.to_thread(
            checked_addresses, host, port, allow_private=self.allow_private, resolver=self.resolver
        )
        found = [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=socket.IPPROTO_TCP,
                flags=socket.AI_NUMERICHOST,
            )
            for address in addresses
        ]
        wanted = [r for r in found if family in (socket.AF_UNSPEC, r["family"])]
        return wanted or found

    async def close(self) -> None:
        return None
