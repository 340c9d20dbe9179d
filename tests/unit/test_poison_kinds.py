"""The fault suite's poison messages are what they claim: each is refused under the reason
it is counted under, so a mismatch in the suite's figures is the pipeline's, not the
generator's."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.faultkit import poison
from streams.article_messages import REASONS, parse_message
from streams.errors import RejectedMessage

LIMIT = 1_000_000  # the default limit, as the suite runs with


def test_every_poison_message_is_refused_under_its_reason() -> None:
    made = poison(3000, seed=7, max_bytes=LIMIT)
    assert {reason for _, reason in made} == set(REASONS)
    for payload, reason in made:
        with pytest.raises(RejectedMessage) as caught:
            parse_message(payload, LIMIT)
        assert caught.value.reason == reason, payload[:80]
