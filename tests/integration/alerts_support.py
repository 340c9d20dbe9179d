"""Real endpoints for the alert tests: a local webhook receiver, an API process, an SSE client."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from streams.settings import Settings
from tests.integration.conftest import Process, settings_env, wait_for


@dataclass
class Received:
    at: float
    headers: dict[str, str]
    body: bytes
    answered: int

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class Receiver:
    """A threaded HTTP server on 127.0.0.1 that records every POST and answers 500 while
    `failing` is set, 204 otherwise."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.failing = False
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                code = 500 if outer.failing else 204
                with outer._lock:
                    outer.received.append(
                        Received(time.time(), dict(self.headers.items()), body, code)
                    )
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def accepted(self) -> list[Received]:
        with self._lock:
            return [r for r in self.received if 200 <= r.answered < 300]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def alert_env(settings: Settings, **extra: str) -> dict[str, str]:
    return {
        **settings_env(settings),
        "DYADWATCH_WEBHOOK_ALLOW_PRIVATE": "true",
        "DYADWATCH_WEBHOOK_BACKOFF_BASE": "0.2",
        "DYADWATCH_WEBHOOK_BACKOFF_CAP": "1.0",
        "DYADWATCH_WEBHOOK_TIMEOUT": "3",
        **extra,
    }


def start_api(settings: Settings, log: Path, **extra: str) -> tuple[Process, str]:
    port = free_port()
    api = Process(
        ["-m", "streams.cli", "api", "--port", str(port)], alert_env(settings, **extra), log
    )
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            assert api.proc.poll() is None, api.tail()
            return False

    wait_for(healthy, 60, "the API to answer /healthz", interval=0.2)
    return api, base


def start_alerts_worker(settings: Settings, log: Path, **extra: str) -> Process:
    """A full `dyadwatch worker`: detect, state, alerts and webhook delivery."""
    return Process(["-m", "streams.cli", "worker"], alert_env(settings, **extra), log)


@dataclass
class SseEvent:
    id: str
    event: str
    data: Any
    at: float


@dataclass
class SseClient:
    """Reads /v1/alerts/stream in a thread and keeps every event it gets."""

    url: str
    key: str
    last_event_id: str | None = None
    events: list[SseEvent] = field(default_factory=list)
    connected: threading.Event = field(default_factory=threading.Event)

    def start(self) -> SseClient:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        assert self.connected.wait(15), "the SSE stream did not open"
        return self

    def _read(self) -> None:
        # The API process stops under the open stream when a test ends.
        with contextlib.suppress(httpx.HTTPError):
            self._read_events()

    def _read_events(self) -> None:
        headers = {"Authorization": f"Bearer {self.key}"}
        if self.last_event_id is not None:
            headers["Last-Event-ID"] = self.last_event_id
        timeout = httpx.Timeout(5.0, read=None)
        with httpx.stream("GET", self.url, headers=headers, timeout=timeout) as response:
            assert response.status_code == 200, response.read()
            self.connected.set()
            fields: dict[str, str] = {}
            for line in response.iter_lines():
                if self._stop.is_set():
                    return
                if not line:
                    if "data" in fields:
                        self.events.append(
                            SseEvent(
                                fields.get("id", ""),
                                fields.get("event", "message"),
                                json.loads(fields["data"]),
                                time.time(),
                            )
                        )
                    fields = {}
                elif not line.startswith(":"):
                    name, _, value = line.partition(":")
                    fields[name] = value.removeprefix(" ")

    def stop(self) -> None:
        self._stop.set()
