"""`dyadwatch extract [PATH | -] [--text]`: articles in, one JSON event per line out.

Input is JSONL (one article per line: `id`, `text`, optional `published_at`, `title`,
`lang`), read line by line so a corpus of any size streams through. A line that is not
a valid article is reported on stderr with its line number and skipped; the exit code
is then 1, after every other line has been processed. With `--text` the whole input is
the plain text of one article, whose id is the file's stem (or "stdin").
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TextIO, cast

from pydantic import ValidationError

from models.events import Article, Event
from streams.detect.detector import detect
from streams.errors import InvalidInput


def event_line(event: Event) -> str:
    """One event as the contract's JSON object, keys in contract order."""
    return json.dumps(event.model_dump(mode="json"), ensure_ascii=False)


@contextmanager
def _open(path: str) -> Iterator[IO[bytes]]:
    """Bytes, so one badly encoded line is one bad line, not the end of the run."""
    if path == "-":
        yield sys.stdin.buffer
        return
    if path.endswith(".gz"):
        with gzip.open(path, "rb") as packed:
            yield cast(IO[bytes], packed)
    else:
        with open(path, "rb") as plain:
            yield plain


def _article(data: bytes) -> Article:
    """Parse one JSONL line; raises InvalidInput with a readable reason."""
    try:
        line = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"not UTF-8 ({error.reason} at byte {error.start})") from error
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"not JSON ({error.msg} at column {error.colno})") from error
    if not isinstance(raw, dict):
        raise InvalidInput("not a JSON object")
    try:
        return Article.model_validate(raw)
    except ValidationError as error:
        reasons = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or 'article'}: {item['msg']}"
            for item in error.errors()
        )
        raise InvalidInput(reasons) from error


def extract_lines(lines: Iterable[bytes], out: TextIO, err: TextIO) -> int:
    """Detect over JSONL lines; returns the number of bad lines."""
    bad = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            article = _article(line)
        except InvalidInput as error:
            bad += 1
            print(f"line {number}: skipped: {error}", file=err)
            continue
        for event in detect(article):
            out.write(event_line(event) + "\n")
    return bad


def extract_text(source: IO[bytes], article_id: str, out: TextIO, err: TextIO) -> int:
    text = source.read().decode("utf-8")
    if not text.strip():
        print(f"{article_id}: skipped: the text is empty", file=err)
        return 1
    for event in detect(Article(id=article_id, text=text)):
        out.write(event_line(event) + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dyadwatch extract",
        description="Detect sanction, relations and oil events in articles; one JSON event a line.",
    )
    parser.add_argument(
        "path", nargs="?", default="-", help="JSONL file (.gz allowed), or - for stdin"
    )
    parser.add_argument(
        "--text", action="store_true", help="the input is the plain text of one article"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    path: str = args.path
    try:
        with _open(path) as source:
            if args.text:
                article_id = "stdin" if path == "-" else Path(path).stem
                bad = extract_text(source, article_id, sys.stdout, sys.stderr)
            else:
                bad = extract_lines(source, sys.stdout, sys.stderr)
    except OSError as error:
        print(f"cannot read {path}: {error.strerror or error}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as error:
        print(f"{path}: not UTF-8 text ({error.reason})", file=sys.stderr)
        return 2
    sys.stdout.flush()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
