"""Stable ids never change: rows already stored are keyed by them."""

from __future__ import annotations

import datetime as dt

from models.ids import stable_id
from streams.alerts.match import alert_id
from streams.detect.process import event_id
from streams.state.rules import Track


def test_an_id_is_the_hash_it_always_was() -> None:
    # Pinned: sha256 of "sub1\x1fchange1", its first 32 hex digits.
    assert stable_id("sub1", "change1") == "a9cb2ed37e1ceaa4c45c3363b53f1f68"
    assert alert_id("sub1", "change1") == stable_id("sub1", "change1")


def test_parts_are_kept_apart_and_read_as_text() -> None:
    assert stable_id("a b", "c") != stable_id("a", "b c")
    track = Track("US-VE", "diplomatic")
    assert stable_id(track, dt.date(2019, 1, 1)) == stable_id("diplomatic:US-VE", "2019-01-01")
    assert stable_id(track, dt.date(2019, 1, 1)) == "f90bda3a456f4bea715b1e89d8aab29b"


def test_the_detect_stage_makes_event_ids_the_same_way() -> None:
    # detect/process.py keeps its own copy while the detector is reworked elsewhere.
    parts = ("a1", "sanction.imposed", "US", "VE", "occurred")
    assert event_id(*parts) == stable_id(*parts)
