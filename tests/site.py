"""A real HTTP server on 127.0.0.1, in a thread, serving what a test puts in `routes`: feeds,
article pages, redirects, slow and endless answers. It honours If-None-Match and
If-Modified-Since like a careful web server, and counts what it was asked."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None
    # An answer of `endless` bytes with no Content-Length, ended by closing the connection.
    endless: int = 0
    # Seconds to wait between each 1 KiB written.
    drip: float = 0.0
    extra_headers: dict[str, str] = field(default_factory=dict)


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.hits[self.path] += 1
                site.requests.append((self.path, dict(self.headers.items())))
                route = site.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                site.answer(self, route)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        unchanged = (
            route.etag is not None and handler.headers.get("If-None-Match") == route.etag
        ) or (
            route.last_modified is not None
            and handler.headers.get("If-Modified-Since") == route.last_modified
        )
        handler.send_response(304 if unchanged else route.status)
        for name, value in (("ETag", route.etag), ("Last-Modified", route.last_modified)):
            if value is not None:
                handler.send_header(name, value)
        if route.location is not None:
            handler.send_header("Location", route.location)
        for name, value in route.extra_headers.items():
            handler.send_header(name, value)
        if unchanged:
            handler.end_headers()
            return
        handler.send_header("Content-Type", route.content_type)
        if not route.endless:
            handler.send_header("Content-Length", str(len(route.body)))
        handler.end_headers()
        try:
            if route.endless:
                self._stream(handler, route)
            else:
                handler.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up, as a client with a size limit should

    def _stream(self, handler: BaseHTTPRequestHandler, route: Route) -> None:
        chunk = b"<item>" + b"x" * 1018
        sent = 0
        while sent < route.endless:
            handler.wfile.write(chunk)
            sent += len(chunk)
            if route.drip:
                time.sleep(route.drip)

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> Site:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve() -> Iterator[Site]:
    """For a pytest fixture: a started site, shut down after the test."""
    with Site() as site:
        yield site
