"""Where articles come from: text files, JSONL (plain or gzipped), RSS/Atom files or URLs,
directories (recursively) and standard input. Yields raw records; validation happens later."""

from __future__ import annotations

import gzip
import html
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import feedparser

from streams.errors import InvalidInput

FEED_SUFFIXES = {".rss", ".atom", ".xml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
_TAG = re.compile(r"<[^>]+>")
_BLANKS = re.compile(r"[ \t]+")


@dataclass(frozen=True)
class Raw:
    """One input before validation: bytes of a JSON object, or an already-shaped record."""

    origin: str
    payload: bytes | dict[str, Any]


def iter_sources(paths: list[str]) -> Iterator[Raw]:
    for spec in paths:
        if spec == "-":
            yield from _stdin(sys.stdin.buffer)
        elif spec.startswith(("http://", "https://")):
            yield from _feed(spec, spec)
        else:
            path = Path(spec)
            if not path.exists():
                raise FileNotFoundError(f"no such file or directory: {spec}")
            files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
            for file in files:
                yield from _file(file)


def _kind(path: Path) -> tuple[str, bool]:
    suffixes = [s.lower() for s in path.suffixes]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    last = suffixes[-2] if gz and len(suffixes) > 1 else (suffixes[-1] if suffixes else "")
    if last in JSONL_SUFFIXES:
        return "jsonl", gz
    if last in FEED_SUFFIXES:
        return "feed", gz
    return "text", gz


def _file(path: Path) -> Iterator[Raw]:
    if path.name.startswith("."):
        return
    kind, gz = _kind(path)
    if kind == "jsonl":
        with gzip.open(path, "rb") if gz else path.open("rb") as fh:
            yield from _jsonl(fh, str(path))
    elif kind == "feed":
        yield from _feed(str(path), str(path))
    else:
        data = gzip.decompress(path.read_bytes()) if gz else path.read_bytes()
        yield _text(data, str(path))


def _jsonl(fh: Iterable[bytes], name: str) -> Iterator[Raw]:
    for lineno, line in enumerate(fh, start=1):
        if line.strip():
            yield Raw(f"{name}:{lineno}", line.rstrip(b"\r\n"))


def _text(data: bytes, origin: str) -> Raw:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Handed on as bytes so the validator rejects it with the usual reason.
        return Raw(origin, data)
    return Raw(origin, {"text": text})


def _stdin(fh: IO[bytes]) -> Iterator[Raw]:
    """JSONL when the first non-blank byte opens an object, else one plain-text article."""
    data = fh.read()
    if data.lstrip()[:1] == b"{":
        for lineno, line in enumerate(data.splitlines(), start=1):
            if line.strip():
                yield Raw(f"stdin:{lineno}", line)
    elif data.strip():
        yield _text(data, "stdin")


def _plain(markup: str) -> str:
    return _BLANKS.sub(" ", html.unescape(_TAG.sub(" ", markup))).strip()


def _feed(location: str, origin: str) -> Iterator[Raw]:
    yield from parse_feed(location, origin)


def parse_feed(source: str | bytes, origin: str) -> Iterator[Raw]:
    """RSS/Atom from a path, a URL or the document's bytes → one record per item; InvalidInput
    when nothing in it reads as a feed. The feed poller reads the bytes it fetched with it."""
    parsed = feedparser.parse(source)
    if parsed.get("bozo") and not parsed.entries:
        raise InvalidInput(
            f"{origin}: not a readable RSS/Atom feed ({parsed.get('bozo_exception')})"
        )
    for index, entry in enumerate(parsed.entries, start=1):
        content = entry.get("content") or []
        body = " ".join(c.get("value", "") for c in content) or entry.get("summary", "")
        record: dict[str, Any] = {
            "id": entry.get("id") or entry.get("link"),
            "title": _plain(entry.get("title", "")) or None,
            "url": entry.get("link"),
            "source": parsed.feed.get("title"),
            "text": _plain(body),
        }
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            record["published_at"] = f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}"
        lang = parsed.feed.get("language")
        if lang:
            record["lang"] = str(lang).split("-")[0].lower()
        yield Raw(f"{origin}#{index}", record)
