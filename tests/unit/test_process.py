"""The pure step of the detect agent: raw messages → articles, events and rejects."""

from __future__ import annotations

import json

from streams.detect.process import event_id, process_batch

SANCTION = "Canada imposed new sanctions on Iran on Monday."


def _msg(payload: bytes, offset: int) -> tuple[bytes, dict[str, object]]:
    return payload, {"topic": "news.articles", "partition": 0, "offset": offset}


def test_event_ids_are_stable_and_distinct() -> None:
    a = event_id("a1", "sanction.imposed", "CA", "IR", "occurred")
    assert a == event_id("a1", "sanction.imposed", "CA", "IR", "occurred")
    assert a != event_id("a1", "sanction.imposed", "IR", "CA", "occurred")
    assert a != event_id("a1", "sanction.imposed", "CA", "IR", "considered")
    assert a != event_id("a2", "sanction.imposed", "CA", "IR", "occurred")


def test_a_batch_keeps_good_articles_and_rejects_bad_ones_with_their_origin() -> None:
    good = json.dumps({"id": "a1", "text": SANCTION}).encode()
    outcome = process_batch(
        [_msg(good, 1), _msg(b"{oops", 2), _msg(good, 3)], max_bytes=10_000, version="v"
    )
    assert [a.id for a in outcome.articles] == ["a1"]  # the replayed copy counts once
    assert [r.error.reason for r in outcome.rejects] == ["not_json"]
    assert outcome.rejects[0].origin["offset"] == 2
    for event in outcome.events["a1"]:
        assert event.id == event_id("a1", event.type, event.actor, event.target, event.status)
        assert event.detector_version == "v"
