"""`dyadwatch extract`: JSONL in, one JSON event per line out, bad lines reported."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from streams.detect.extract import main

ROOT = Path(__file__).resolve().parents[2]
GOOD_AR = {
    "id": "ar-1",
    "text": "عنوان.\nفرضت الولايات المتحدة، الاثنين، عقوبات على روسيا.",
    "published_at": "2022-03-10",
}
GOOD_EN = {"id": "en-1", "text": "Morocco cut diplomatic ties with Iran in 2018.", "lang": "en"}
QUIET = {"id": "q-1", "text": "The weather was fine.", "published_at": None, "title": "Weather"}
CONTRACT_KEYS = [
    "article_id",
    "type",
    "actor",
    "target",
    "status",
    "date",
    "confidence",
    "lang",
    "evidence",
    "partial",
]


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _events(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_good_lines_give_contract_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, [json.dumps(a, ensure_ascii=False) for a in (GOOD_AR, GOOD_EN, QUIET)])
    assert main([str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    events = _events(captured.out)
    assert [(e["article_id"], e["type"], e["actor"], e["target"]) for e in events] == [
        ("ar-1", "sanction.imposed", "US", "RU"),
        ("en-1", "relations.severed", "MA", "IR"),
    ]
    assert list(events[0]) == CONTRACT_KEYS
    assert events[0]["date"] == "2022-03-07" and events[0]["lang"] == "ar"
    assert events[1]["date"] == "2018"
    texts = {"ar-1": GOOD_AR["text"], "en-1": GOOD_EN["text"]}
    for event in events:
        evidence = event["evidence"]
        assert isinstance(evidence, dict)
        text = texts[str(event["article_id"])]
        assert text[evidence["start"] : evidence["end"]] == evidence["text"]


def test_bad_lines_are_reported_with_their_number_and_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        json.dumps(GOOD_EN),
        "{not json",
        json.dumps({"id": "no-text"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "blank", "text": "   "}),
        json.dumps(GOOD_AR, ensure_ascii=False),
    ]
    assert main([str(_write(tmp_path, lines))]) == 1
    captured = capsys.readouterr()
    errors = captured.err.splitlines()
    assert [line.split(":", 1)[0] for line in errors] == ["line 2", "line 3", "line 4", "line 5"]
    assert "text" in errors[1]
    # The lines after the bad ones are still processed.
    assert [e["article_id"] for e in _events(captured.out)] == ["en-1", "ar-1"]


def test_stdin_and_text_mode(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "Washington slapped fresh sanctions on Moscow."
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    assert main(["-", "--text"]) == 0
    [event] = _events(capsys.readouterr().out)
    assert (event["article_id"], event["actor"], event["target"]) == ("stdin", "US", "RU")
    assert event["date"] is None


def test_text_mode_names_the_article_after_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "caracas.ar.txt"
    text = "سطر أول\nقطعت فنزويلا والولايات المتحدة العلاقات الدبلوماسية في عام 2019."
    path.write_text(text, encoding="utf-8")
    assert main([str(path), "--text"]) == 0
    [event] = _events(capsys.readouterr().out)
    assert event["article_id"] == "caracas.ar"
    evidence = event["evidence"]
    assert isinstance(evidence, dict)
    assert text[evidence["start"] : evidence["end"]] == evidence["text"]
    assert evidence["start"] == text.index("قطعت")


def test_missing_file_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["/nonexistent/articles.jsonl"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "streams.detect.extract"],
        input=json.dumps(GOOD_EN) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert _events(result.stdout)[0]["type"] == "relations.severed"
