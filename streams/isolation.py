"""A batch of a stage's records run against PostgreSQL so that one bad record never holds
back the others: the groups the database refuses alone are dead-lettered, an outage is
waited out, and the batch's dead letters are counted in the same pass."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Engine

from streams.app import Received
from streams.db import one_by_one_on_failure, until_available
from streams.deadletter import STAGE_ERROR, Letters
from streams.deadletter_rows import record_letters

Group = TypeVar("Group")


def run_isolated(
    engine: Engine,
    letters: Letters,
    groups: Sequence[Group],
    run: Callable[[Sequence[Group]], int],
    members: Callable[[Group], Iterable[Received[Any]]],
    describe: Callable[[Group], str] = lambda group: "",
) -> int:
    """`run` over every group, the sum of what it returns; the records of a group refused
    alone join `letters` as `stage_error`, and all of `letters` is recorded."""

    def attempt() -> tuple[int, Letters]:
        refused = Letters(letters.stage)

        def failed(group: Group, exc: Exception) -> None:
            detail = f"{describe(group)}{type(exc).__name__}: {str(exc)[:500]}"
            for item in members(group):
                refused.add(STAGE_ERROR, detail, item.origin, item.payload, error=exc, key=item.key)

        done = sum(one_by_one_on_failure(groups, run, failed))
        with engine.begin() as conn:
            record_letters(conn, letters.rows + refused.rows)
        return done, refused

    done, refused = until_available(attempt, letters.stage)
    letters.encoded += refused.encoded
    letters.rows += refused.rows
    return done
