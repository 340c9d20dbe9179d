"""Server-side request forgery guard for the URLs we call on a user's say: webhooks, feeds and
the article pages of feed items.

A subscriber chooses the URL our servers will POST to, and whoever adds a feed the URLs we GET,
so without this check anyone with a key could make us reach the database, a cloud metadata
service or an admin port. Checked when a subscription or feed is saved and again before every
request (and every redirect), since DNS answers can change; and the HTTP clients connect only
to the addresses that passed, so a name cannot answer one address to the check and another
to the connection (DNS rebinding).
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from streams.errors import DyadwatchError

Resolver = Callable[[str, int], Iterable[str]]
# Longer than the API takes (2,048), since a parsed URL may gain a closing "/".
MAX_URL_LENGTH = 2083


class UnsafeUrl(DyadwatchError):
    """A URL we refuse to call."""


class Unresolvable(UnsafeUrl):
    """A well-formed host name with no address, for now."""


_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")


def _literal(host: str) -> list[str]:
    """[host] if it is an IP address (no DNS asked), else []."""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return []
    return [host]


def valid_host(host: str) -> bool:
    """An IP address, or a DNS name whose labels (after IDNA) are letters, digits and dashes."""
    if _literal(host):
        return True
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return False
    labels = ascii_host.removesuffix(".").split(".")
    # A name too long for DNS is well formed still; it just never resolves.
    return all(_LABEL.match(label) for label in labels)


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # is_global is False for private, loopback, link-local, shared (CGNAT), reserved and
    # documentation ranges; multicast is global in some ranges but never a web server.
    return ip.is_global and not ip.is_multicast and not ip.is_unspecified


def endpoint_of(url: str) -> str:
    """scheme://host:port, the unit that shares delivery slots."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def check_url(url: str, *, allow_private: bool, resolver: Resolver = system_resolver) -> list[str]:
    """Raise UnsafeUrl unless `url` is an http(s) URL whose every address may be called.

    Returns the resolved addresses. Every address must pass, since the HTTP client may pick
    any of them.
    """
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeUrl(f"URL longer than {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeUrl(f"URL is malformed: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrl("URL must use http or https")
    if not parts.hostname:
        raise UnsafeUrl("URL has no host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl("URL must not carry credentials")
    if not valid_host(parts.hostname):
        raise UnsafeUrl(f"host is not a valid name: {parts.hostname[:80]!r}")
    return checked_addresses(parts.hostname, port, allow_private=allow_private, resolver=resolver)


def checked_addresses(
    host: str, port: int, *, allow_private: bool, resolver: Resolver = system_resolver
) -> list[str]:
    """The addresses of `host`, once, each one checked: raise UnsafeUrl unless all may be
    called. The HTTP clients connect to exactly these (see `pinned_transport` and
    `pinned_resolver`), so a DNS answer that changes after the check changes nothing."""
    try:
        addresses = _literal(host) or list(resolver(host, port))
    except (OSError, UnicodeError) as exc:
        raise Unresolvable(f"host does not resolve: {exc}") from None
    if not addresses:
        raise Unresolvable("host does not resolve")
    if not allow_private:
        refused = sorted({a for a in addresses if not is_public(a)})
        if refused:
            raise UnsafeUrl(
                f"host resolves to non-public address {refused[0]}; set "
                "DYADWATCH_ALLOW_PRIVATE_URLS=true to allow private networks"
            )
    return list(dict.fromkeys(addresses))


def check_saved_url(url: str, *, allow_private: bool, resolver: Resolver = system_resolver) -> None:
    """The check when a URL is saved: all of check_url's, except that a well-formed name with
    no address yet is taken. DNS answers come and go, and every request is checked again, so
    refusing it would only turn a passing outage into a failed API call."""
    with contextlib.suppress(Unresolvable):
        check_url(url, allow_private=allow_private, resolver=resolver)
