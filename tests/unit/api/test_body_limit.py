from __future__ import annotations

import asyncio
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from streams.server import BodyLimit


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    size = 0
    while True:
        message = await receive()
        size += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


def call(chunks: list[bytes], headers: list[tuple[bytes, bytes]]) -> list[Message]:
    sent: list[Message] = []
    queue = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]

    async def receive() -> Message:
        return queue.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    scope: dict[str, Any] = {"type": "http", "headers": headers}
    asyncio.run(BodyLimit(echo, limit=10)(scope, receive, send))
    return sent


def test_small_bodies_pass() -> None:
    sent = call([b"12345"], [(b"content-length", b"5")])
    assert sent[0]["status"] == 200 and sent[1]["body"] == b"5"


def test_declared_large_bodies_are_refused_unread() -> None:
    sent = call([b"x" * 11], [(b"content-length", b"11")])
    assert sent[0]["status"] == 413


def test_streamed_bodies_are_counted() -> None:
    sent = call([b"x" * 6, b"x" * 6], [])
    assert sent[0]["status"] == 413


def test_bad_content_length_is_refused() -> None:
    assert call([b""], [(b"content-length", b"-1")])[0]["status"] == 413
