"""An httpx transport that connects only to addresses the SSRF guard has just passed.

httpx would resolve the host again when it connects, and a rebinding DNS can answer a public
address to the guard and 127.0.0.1 to that second lookup. Here the connection itself asks
`checked_addresses` and dials one of the addresses it returns; TLS still names the host
(SNI and certificate check), since httpcore takes the server name from the URL."""

from __future__ import annotations

from collections.abc import Iterable

import httpcore
import httpx

from streams.ssrf import Resolver, checked_addresses, system_resolver


class PinnedBackend(httpcore.SyncBackend):
    def __init__(self, *, allow_private: bool, resolver: Resolver) -> None:
        self.allow_private = allow_private
        self.resolver = resolver

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = checked_addresses(
            host, port, allow_private=self.allow_private, resolver=self.resolver
        )
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:  # the next address may answer
                failure = exc
        assert failure is not None  # checked_addresses never returns an empty list
        raise failure


class PinnedTransport(httpx.HTTPTransport):
    def __init__(
        self, *, allow_private: bool, resolver: Resolver = system_resolver, keepalive: int = 10
    ) -> None:
        super().__init__(trust_env=False)
        # HTTPTransport builds its pool without a way to pass a network backend, so the pool
        # is built again, the same way, with ours.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=100,
            max_keepalive_connections=keepalive,
            keepalive_expiry=5.0,
            network_backend=PinnedBackend(allow_private=allow_private, resolver=resolver),
        )
