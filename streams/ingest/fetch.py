"""The HTTP edge of feed polling: one GET, its redirects checked hop by hop, its time and
size bounded.

Every URL, the first and each redirect's target, passes the SSRF guard before we connect,
so a public feed cannot send the poller to the database or a metadata service by
redirecting there, and the connection goes only to an address that passed it. A body
larger than the limit is cut off while it streams (a declared Content-Length over it is
refused before reading), and the whole exchange, redirects included, has one deadline, so a
server that drips bytes slowly cannot hold the poller."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from streams.errors import FetchFailed
from streams.ingest.pinned_transport import PinnedTransport
from streams.settings import Settings
from streams.ssrf import Resolver, UnsafeUrl, check_url, system_resolver

USER_AGENT = "dyadwatch-feeds/1 (+https://github.com/dyadwatch)"
REDIRECTS = {301, 302, 303, 307, 308}
# Checks a URL before we connect to it; raises UnsafeUrl to refuse.
Guard = Callable[[str], object]


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    url: str  # after redirects
    content_type: str
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class Limits:
    timeout: float
    max_bytes: int
    max_redirects: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(settings.feed_timeout, settings.feed_max_bytes, settings.feed_max_redirects)


def ssrf_guard(settings: Settings) -> Guard:
    allow_private = settings.private_urls_allowed()

    def guard(url: str) -> object:
        return check_url(url, allow_private=allow_private)

    return guard


def new_client(
    limits: Limits, *, allow_private: bool, resolver: Resolver = system_resolver
) -> httpx.Client:
    """A client whose connections go only to addresses that pass the SSRF check."""
    return httpx.Client(
        timeout=httpx.Timeout(limits.timeout, connect=min(limits.timeout, 5.0)),
        follow_redirects=False,  # followed by hand, each hop through the guard
        trust_env=False,  # no proxy from the environment between the guard and the target
        headers={"User-Agent": USER_AGENT},
        transport=PinnedTransport(allow_private=allow_private, resolver=resolver),
    )


def fetch(
    client: httpx.Client,
    url: str,
    *,
    guard: Guard,
    limits: Limits,
    headers: dict[str, str] | None = None,
    accept: str = "*/*",
) -> Response:
    """GET `url`; a 2xx, 304 or other final status as a Response, or FetchFailed."""
    deadline = time.monotonic() + limits.timeout
    current = url
    for _hop in range(limits.max_redirects + 1):
        try:
            guard(current)
        except UnsafeUrl as exc:
            raise FetchFailed("unsafe_url", f"{current}: {exc}") from None
        answer = _get_once(client, current, {"Accept": accept, **(headers or {})}, limits, deadline)
        if isinstance(answer, Response):
            return answer
        current = urljoin(current, answer)
    raise FetchFailed("too_many_redirects", f"more than {limits.max_redirects} from {url}")


def _get_once(
    client: httpx.Client, url: str, headers: dict[str, str], limits: Limits, deadline: float
) -> Response | str:
    """One request: its Response, or the Location it redirects to."""
    try:
        with client.stream("GET", url, headers=headers) as reply:
            if reply.status_code in REDIRECTS:
                location: str | None = reply.headers.get("location")
                if not location:
                    raise FetchFailed("bad_redirect", f"{reply.status_code} without Location")
                return location
            body = b"" if reply.status_code == 304 else _read(reply, limits.max_bytes, deadline)
            return Response(
                status=reply.status_code,
                body=body,
                url=str(reply.url),
                content_type=reply.headers.get("content-type", ""),
                etag=reply.headers.get("etag"),
                last_modified=reply.headers.get("last-modified"),
            )
    except UnsafeUrl as exc:  # from the connection: the name now resolves somewhere else
        raise FetchFailed("unsafe_url", f"{url}: {exc}") from None
    except httpx.TimeoutException as exc:
        raise FetchFailed("timeout", f"{url}: {type(exc).__name__}") from None
    except httpx.HTTPError as exc:
        raise FetchFailed("network", f"{url}: {type(exc).__name__}: {exc}") from None


def _read(reply: httpx.Response, max_bytes: int, deadline: float) -> bytes:
    declared = reply.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchFailed("too_large", f"Content-Length {declared} > limit {max_bytes}")
    chunks: list[bytes] = []
    size = 0
    for chunk in reply.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchFailed("too_large", f"body over the limit of {max_bytes} bytes")
        if time.monotonic() > deadline:
            raise FetchFailed("timeout", "the whole answer took longer than the deadline")
        chunks.append(chunk)
    return b"".join(chunks)
