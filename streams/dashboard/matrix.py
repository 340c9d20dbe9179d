"""The overview's matrix: countries on both axes, a cell where a pair is not as it began."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Beyond this many countries a matrix is mostly empty cells; the table says it better.
MAX_COUNTRIES = 16


@dataclass(frozen=True)
class Grid:
    countries: tuple[str, ...]
    cells: dict[tuple[str, str], str]  # (row, column) -> state
    directed: bool


def matrix(rows: Sequence[dict[str, Any]], *, directed: bool) -> Grid | None:
    """Rows act on columns when `directed` (sanctions); otherwise the grid is symmetric."""
    cells: dict[tuple[str, str], str] = {}
    for r in rows:
        cells[(r["actor"], r["target"])] = r["state"]
        if not directed:
            cells[(r["target"], r["actor"])] = r["state"]
    countries = tuple(sorted({code for pair in cells for code in pair}))
    if not countries or len(countries) > MAX_COUNTRIES:
        return None
    return Grid(countries, cells, directed)
