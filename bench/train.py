"""Train the detector's model and write it where the detector loads it.

usage: bench/train.py [--out PATH] [--seed 13]

Trains on `../shared/eval-dev/` (joined to `../shared/corpus` by id), the golden cases
and the seed article. Our own labels of corpus articles (`bench/labels/`) are left out:
trained on, they lowered the cross-validated figures; `bench/quality.py` scores them
held out.
The figures that say how good the result is come from `bench/quality.py`, which
cross-validates the same training so that no item is scored by a model that saw it.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.learning import (
    Settings,
    eval_dev_items,
    load_golden,
    read_items,
    seed_items,
    train,
)
from streams.detect.model import MODEL_PATH, load_model_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--seed", type=int, default=Settings.seed)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    items = eval_dev_items() + load_golden() + seed_items()
    read_items(items, progress=True)
    sources = Counter(item.source for item in items)
    settings = Settings(seed=args.seed)
    provenance: dict[str, object] = {
        "seed": settings.seed,
        "c_types": settings.c_types,
        "c_statuses": settings.c_statuses,
        "trained_on": dict(sorted(sources.items())),
        "events": sum(len(item.events) for item in items),
    }
    model = train(items, settings, provenance)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    reloaded = load_model_file(args.out)
    print(
        f"trained on {len(items)} texts ({provenance['events']} events) in "
        f"{time.perf_counter() - started:.1f} s: {len(reloaded.types.weights)} type weights, "
        f"{len(reloaded.statuses.weights)} status weights, "
        f"{args.out.stat().st_size / 1024:.0f} KiB at {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
