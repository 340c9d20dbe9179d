from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from streams.ingest.sources import iter_sources

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Wire</title><language>en-gb</language>
<item><guid>w-1</guid><title>EU widens &lt;b&gt;sanctions&lt;/b&gt;</title>
<link>https://example.org/w-1</link><pubDate>Tue, 01 Mar 2022 09:00:00 GMT</pubDate>
<description>&lt;p&gt;The EU imposed new sanctions on Russia.&lt;/p&gt;</description></item>
<item><guid>w-2</guid><title>Second</title><link>https://example.org/w-2</link>
<description>Oil talks resumed.</description></item>
</channel></rss>
"""


def test_plain_text_jsonl_gzip_and_feeds_from_a_directory(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("قطعت فنزويلا العلاقات")
    (tmp_path / "sub").mkdir()
    lines = [json.dumps({"id": "j1", "text": "one"}), "", json.dumps({"id": "j2", "text": "two"})]
    (tmp_path / "sub" / "b.jsonl").write_text("\n".join(lines) + "\n")
    with gzip.open(tmp_path / "sub" / "c.jsonl.gz", "wt") as fh:
        fh.write(json.dumps({"id": "g1", "text": "zipped"}) + "\n")
    (tmp_path / "feed.rss").write_text(RSS)
    (tmp_path / ".hidden").write_text("ignored")

    raws = list(iter_sources([str(tmp_path)]))
    origins = [r.origin for r in raws]
    assert len(raws) == 6
    assert origins[0].endswith("a.txt")
    assert raws[0].payload == {"text": "قطعت فنزويلا العلاقات"}
    assert any(o.endswith("b.jsonl:3") for o in origins)  # blank line skipped, numbering kept
    feed = [r.payload for r in raws if "feed.rss#" in r.origin]
    assert isinstance(feed[0], dict)
    assert feed[0]["id"] == "w-1"
    assert feed[0]["text"] == "The EU imposed new sanctions on Russia."
    assert feed[0]["title"] == "EU widens sanctions"
    assert feed[0]["published_at"] == "2022-03-01"
    assert feed[0]["lang"] == "en"


def test_jsonl_lines_stay_bytes_so_bad_ones_are_rejected_downstream(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"text": "ok"}\n\xff\xfe\n')
    raws = list(iter_sources([str(path)]))
    assert [r.payload for r in raws] == [b'{"text": "ok"}', b"\xff\xfe"]


def test_stdin_as_jsonl_or_as_one_text(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        def __init__(self, data: bytes) -> None:
            self.buffer = io.BytesIO(data)

    monkeypatch.setattr(sys, "stdin", FakeStdin(b'{"text": "a"}\n{"text": "b"}\n'))
    assert len(list(iter_sources(["-"]))) == 2
    monkeypatch.setattr(sys, "stdin", FakeStdin(b"one article\nin two lines"))
    (raw,) = list(iter_sources(["-"]))
    assert raw.payload == {"text": "one article\nin two lines"}


def test_a_missing_path_is_a_clear_error() -> None:
    with pytest.raises(FileNotFoundError, match="no such file"):
        list(iter_sources(["/nonexistent/news.jsonl"]))
