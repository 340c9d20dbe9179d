"""`dyadwatch ingest`: sources → validation → news.articles, with a progress bar."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from tqdm import tqdm

from streams.article_messages import decode_json, to_article
from streams.errors import RejectedMessage
from streams.ingest.publish import Publisher
from streams.ingest.sources import Raw, iter_sources


def ingest(
    paths: list[str],
    publisher: Publisher,
    *,
    max_bytes: int,
    published_at: dt.date | None = None,
    progress: bool = True,
) -> Counter[str]:
    bar = tqdm(unit=" articles", desc="ingest", disable=not progress, leave=True)
    try:
        for raw in iter_sources(paths):
            _one(raw, publisher, max_bytes, published_at)
            bar.update(1)
    finally:
        bar.close()
        publisher.flush()
    return publisher.counts


def _one(raw: Raw, publisher: Publisher, max_bytes: int, published_at: dt.date | None) -> None:
    try:
        record = (
            decode_json(raw.payload, max_bytes) if isinstance(raw.payload, bytes) else raw.payload
        )
        if published_at is not None and not record.get("published_at"):
            record = {**record, "published_at": published_at.isoformat()}
        article = to_article(record, max_bytes)
    except RejectedMessage as error:
        publisher.reject(error, {"source": raw.origin}, raw.payload)
        return
    publisher.article(article)
