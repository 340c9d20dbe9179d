"""One bad record never holds back the others; an outage is not mistaken for one."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
import pytest
from sqlalchemy.exc import DataError, OperationalError

from streams.db import one_by_one_on_failure, unavailable


class _Refuses:
    """A run that fails on any batch holding a refused item, like one bad row in a batch."""

    def __init__(self, refused: set[int]) -> None:
        self.refused = refused
        self.runs: list[list[int]] = []

    def __call__(self, items: Sequence[int]) -> int:
        self.runs.append(list(items))
        if self.refused & set(items):
            raise DataError("INSERT", {}, ValueError("value too long"))
        return len(items)


def test_a_clean_batch_runs_once() -> None:
    run = _Refuses(set())
    failed: list[int] = []
    assert one_by_one_on_failure([1, 2, 3], run, lambda i, e: failed.append(i)) == [3]
    assert run.runs == [[1, 2, 3]] and failed == []


def test_a_refused_batch_runs_item_by_item_and_reports_only_the_bad_one() -> None:
    run = _Refuses({2})
    failed: list[tuple[int, str]] = []
    done = one_by_one_on_failure([1, 2, 3], run, lambda i, e: failed.append((i, type(e).__name__)))
    assert done == [1, 1]
    assert failed == [(2, "DataError")]
    assert run.runs == [[1, 2, 3], [1], [2], [3]]


def test_an_outage_is_raised_not_dead_lettered() -> None:
    def down(items: Sequence[int]) -> int:
        raise OperationalError("connect", {}, psycopg.OperationalError("connection refused"))

    with pytest.raises(OperationalError):
        one_by_one_on_failure([1, 2], down, lambda i, e: pytest.fail("not a bad record"))
    assert unavailable(OperationalError("x", {}, psycopg.OperationalError("x")))
    assert not unavailable(DataError("x", {}, ValueError("x")))
    assert not unavailable(ValueError("plain"))
