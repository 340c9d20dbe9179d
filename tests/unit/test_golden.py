"""Golden cases: the detector's specification by example.

Each file in tests/fixtures/golden/ holds the cases of one language (the file name is the
language every returned event must carry). A case lists the exact set of events the detector
must return for its text: nothing missing, nothing extra. `relations.*` and `oil.*` events are
compared as unordered pairs unless the case sets `ordered: true`; sanctions are always directed.
A `date` is checked only where the expected event gives the key.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from models.events import EVENT_TYPES, STATUSES, Article
from models.vocabulary import VOCABULARY

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "golden"

CASE_KEYS = {"id", "published_at", "text", "expect", "note", "ordered", "lang"}
EVENT_KEYS = {"type", "actor", "target", "status", "date", "partial"}
CODE = re.compile(r"^[A-Z]{2}$")
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

# The coverage the suite promises; lowering a figure here weakens the specification.
MIN_CASES = 200
MIN_CASES_PER_LANG = {"ar": 110, "en": 80, "fr": 15, "es": 20, "tr": 20, "ru": 15, "fa": 15}
MIN_CONFUSERS = 40
FULL_MATRIX_LANGS = ("ar", "en")

Key = tuple[str, str, str, str]


def _load_cases() -> list[tuple[str, dict[str, Any]]]:
    cases: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(GOLDEN_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, list), f"{path.name}: expected a list of cases"
        cases.extend((path.stem, case) for case in data)
    return cases


CASES = _load_cases()


def _is_confuser(case: dict[str, Any]) -> bool:
    """A case whose text carries a look-alike trigger: it expects nothing, or says so in its id."""
    return not case["expect"] or "-confuser-" in case["id"]


def _key(event_type: str, actor: str, target: str, status: str, ordered: bool) -> Key:
    """Comparison key; undirected types fold the pair into a canonical order."""
    if ordered or event_type.startswith("sanction."):
        return (event_type, actor, target, status)
    first, second = sorted((actor, target))
    return (event_type, first, second, status)


def _format_keys(keys: set[Key]) -> str:
    return "\n".join(f"    {t} {a}->{b} [{s}]" for t, a, b, s in sorted(keys)) or "    (none)"


# --- format of the fixtures ---------------------------------------------------------------


def test_golden_files_exist() -> None:
    assert CASES, f"no golden cases found in {GOLDEN_DIR}"


def test_case_ids_are_unique() -> None:
    counts = Counter(case.get("id") for _, case in CASES)
    duplicates = sorted(str(case_id) for case_id, n in counts.items() if n > 1)
    assert not duplicates, f"duplicate case ids: {duplicates}"


@pytest.mark.parametrize(("lang", "case"), CASES, ids=[str(c.get("id")) for _, c in CASES])
def test_case_format(lang: str, case: dict[str, Any]) -> None:
    unknown = set(case) - CASE_KEYS
    assert not unknown, f"unknown keys {sorted(unknown)}"
    assert isinstance(case.get("id"), str) and case["id"].startswith(f"{lang}-"), (
        f"id must be a string starting with '{lang}-'"
    )
    assert isinstance(case.get("text"), str) and case["text"].strip(), "text must be non-empty"
    assert isinstance(case.get("note"), str) and case["note"].strip(), "every case says why"
    if "published_at" in case:
        assert isinstance(case["published_at"], dt.date), "published_at must be YYYY-MM-DD"
    if "ordered" in case:
        assert isinstance(case["ordered"], bool), "ordered must be true or false"
    if "lang" in case:
        assert case["lang"] == lang, f"lang tag {case['lang']!r} contradicts file {lang!r}"
    expect = case.get("expect")
    assert isinstance(expect, list), "expect must be a list ([] for confusers)"
    keys: list[Key] = []
    for event in expect:
        assert isinstance(event, dict), f"expected event must be a mapping: {event!r}"
        missing = {"type", "actor", "target", "status"} - set(event)
        assert not missing, f"expected event lacks {sorted(missing)}: {event}"
        assert not set(event) - EVENT_KEYS, f"unknown event keys in {event}"
        assert event["type"] in EVENT_TYPES, f"unknown type {event['type']!r}"
        assert event["status"] in STATUSES, f"unknown status {event['status']!r}"
        for role in ("actor", "target"):
            assert isinstance(event[role], str) and CODE.match(event[role]), (
                f"{role} must be two upper-case letters: {event[role]!r}"
            )
        assert event["actor"] != event["target"], f"actor equals target in {event}"
        if "date" in event and event["date"] is not None:
            assert isinstance(event["date"], str) and PARTIAL_DATE.match(event["date"]), (
                f"date must be a quoted 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD': {event['date']!r}"
            )
        if "partial" in event:
            assert isinstance(event["partial"], bool), "partial must be true or false"
            assert not event["partial"] or VOCABULARY.kind(event["type"]).partial, (
                f"only a kind with a partial state can be partial: {event}"
            )
        keys.append(
            _key(
                event["type"],
                event["actor"],
                event["target"],
                event["status"],
                case.get("ordered", False),
            )
        )
    assert len(keys) == len(set(keys)), f"an expected event is listed twice: {keys}"


# --- coverage the suite promises ----------------------------------------------------------


def test_coverage() -> None:
    per_lang = Counter(lang for lang, _ in CASES)
    assert len(CASES) >= MIN_CASES, f"{len(CASES)} cases, want at least {MIN_CASES}"
    for lang, minimum in MIN_CASES_PER_LANG.items():
        assert per_lang[lang] >= minimum, f"{lang}: {per_lang[lang]} cases, want {minimum}"

    confusers = sum(1 for _, case in CASES if _is_confuser(case))
    assert confusers >= MIN_CONFUSERS, f"{confusers} confuser cases, want {MIN_CONFUSERS}"

    for lang in FULL_MATRIX_LANGS:
        seen = {
            (event["type"], event["status"])
            for case_lang, case in CASES
            if case_lang == lang
            for event in case["expect"]
        }
        wanted = {(t, s) for t in EVENT_TYPES for s in STATUSES}
        assert not wanted - seen, f"{lang}: no case for {sorted(wanted - seen)}"


# --- the detector against each case -------------------------------------------------------


KNOWN_GAPS: dict[str, str] = yaml.safe_load(
    (GOLDEN_DIR.parent / "golden-known-gaps.yaml").read_text(encoding="utf-8")
)


def _with_known_gaps(cases: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    return [
        pytest.param(
            lang,
            case,
            id=str(case.get("id")),
            marks=[pytest.mark.xfail(reason=KNOWN_GAPS[case["id"]], strict=True)]
            if case.get("id") in KNOWN_GAPS
            else [],
        )
        for lang, case in cases
    ]


def test_known_gaps_name_real_cases() -> None:
    ids = {case.get("id") for _, case in CASES}
    assert set(KNOWN_GAPS) <= ids, f"unknown ids: {sorted(set(KNOWN_GAPS) - ids)}"


@pytest.mark.parametrize(("lang", "case"), _with_known_gaps(CASES))
def test_detector_matches_golden_case(lang: str, case: dict[str, Any]) -> None:
    # Imported here so the format and coverage tests run before the detector exists.
    from streams.detect.detector import detect

    text: str = case["text"]
    article = Article(
        id=case["id"],
        text=text,
        published_at=case.get("published_at"),
        lang=case.get("lang"),
    )
    events = detect(article)
    ordered = case.get("ordered", False)

    problems: list[str] = []
    got: dict[Key, list[Any]] = {}
    for event in events:
        label = f"{event.type} {event.actor}->{event.target} [{event.status}]"
        if event.article_id != case["id"]:
            problems.append(f"{label}: article_id {event.article_id!r}, want {case['id']!r}")
        if event.lang != lang:
            problems.append(f"{label}: lang {event.lang!r}, want {lang!r}")
        ev = event.evidence
        if not (0 <= ev.start < ev.end <= len(text)) or text[ev.start : ev.end] != ev.text:
            problems.append(f"{label}: evidence [{ev.start}:{ev.end}] does not match its text")
        key = _key(event.type, event.actor, event.target, event.status, ordered)
        got.setdefault(key, []).append(event)

    wanted: dict[Key, dict[str, Any]] = {
        _key(e["type"], e["actor"], e["target"], e["status"], ordered): e for e in case["expect"]
    }
    missing = set(wanted) - set(got)
    extra = set(got) - set(wanted)
    if missing or extra:
        problems.append(f"missing:\n{_format_keys(missing)}\n  extra:\n{_format_keys(extra)}")

    for key, expected in wanted.items():
        if "date" not in expected or key not in got:
            continue
        dates = {event.date for event in got[key]}
        if expected["date"] not in dates:
            problems.append(
                f"{key[0]} {key[1]}->{key[2]} [{key[3]}]: date {sorted(map(str, dates))}, "
                f"want {expected['date']!r}"
            )

    for key, expected in wanted.items():
        if "partial" not in expected or key not in got:
            continue
        if all(event.partial != expected["partial"] for event in got[key]):
            problems.append(
                f"{key[0]} {key[1]}->{key[2]} [{key[3]}]: partial is not {expected['partial']}"
            )

    if problems:
        evidence = "\n".join(
            f"    {e.type} {e.actor}->{e.target} [{e.status}] date={e.date}: {e.evidence.text!r}"
            for e in events
        )
        pytest.fail(
            f"{case['id']} ({case.get('note', '').strip()})\n  "
            + "\n  ".join(problems)
            + f"\n  returned:\n{evidence or '    (none)'}",
            pytrace=False,
        )
