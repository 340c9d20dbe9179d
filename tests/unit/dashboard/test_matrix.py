"""The overview's matrix: symmetric for unordered dimensions, rows acting for sanctions."""

from __future__ import annotations

from streams.dashboard.matrix import MAX_COUNTRIES, matrix


def test_unordered_pairs_fill_both_cells() -> None:
    grid = matrix([{"actor": "US", "target": "VE", "state": "severed"}], directed=False)
    assert grid is not None and grid.countries == ("US", "VE")
    assert grid.cells == {("US", "VE"): "severed", ("VE", "US"): "severed"}


def test_sanctions_fill_the_actor_row_only() -> None:
    grid = matrix([{"actor": "US", "target": "RU", "state": "active"}], directed=True)
    assert grid is not None and grid.cells == {("US", "RU"): "active"}


def test_no_matrix_when_empty_or_too_wide() -> None:
    assert matrix([], directed=False) is None
    many = [{"actor": f"A{chr(65 + i)}", "target": "ZZ", "state": "severed"} for i in range(20)]
    assert len(many) + 1 > MAX_COUNTRIES
    assert matrix(many, directed=False) is None
