"""The detector's quality on real labelled news may not fall below the checked-in floor.

`bench/quality-floor.json` holds cross-validated figures printed by `bench/quality.py`;
it is raised deliberately as the detector improves. A change that costs more than
`TOLERANCE` on any guarded figure fails here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLOOR_FILE = ROOT / "bench" / "quality-floor.json"
TOLERANCE = 0.02

sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="module")
def measured() -> dict[str, Any]:
    from bench.learning import EVAL_DEV

    if not EVAL_DEV.exists():
        pytest.skip(f"labelled text not found at {EVAL_DEV}")
    from bench.quality import measure

    floor = json.loads(FLOOR_FILE.read_text(encoding="utf-8"))
    return measure(floor["folds"], floor["seed"], progress=False)


def _floors() -> list[tuple[str, str, str, float]]:
    floor = json.loads(FLOOR_FILE.read_text(encoding="utf-8"))
    return [
        (section, group, metric, value)
        for section in ("eval_dev", "golden")
        for group, metrics in floor[section].items()
        for metric, value in metrics.items()
    ]


@pytest.mark.parametrize(
    ("section", "group", "metric", "floor"),
    _floors(),
    ids=[f"{s}-{g}-{m}" for s, g, m, _ in _floors()],
)
def test_figure_holds_its_floor(
    measured: dict[str, Any], section: str, group: str, metric: str, floor: float
) -> None:
    value = measured[section][group][metric]
    assert value >= floor - TOLERANCE, f"{section} {group} {metric}: {value} < floor {floor}"


def test_quiet_passages_stay_quiet(measured: dict[str, Any]) -> None:
    floor = json.loads(FLOOR_FILE.read_text(encoding="utf-8"))
    quiet = measured["eval_dev"]["quiet_passages"]
    assert quiet["share"] <= floor["max_quiet_share"] + TOLERANCE, quiet
