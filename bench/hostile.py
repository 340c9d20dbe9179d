"""Detector time on hostile text: articles made of trigger words, with and without sentence
ends, up to the largest message the pipeline accepts. Prints seconds per article.

    python bench/hostile.py [--size 1000000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tqdm import tqdm  # noqa: E402

from models.events import Article  # noqa: E402
from streams.detect.detector import detect, warm_up  # noqa: E402

# Our own sentences, repeated until the article has the size asked for.
UNITS = {
    "en, one sentence after another": "Sanctions imposed on Iran by the United States. ",
    "en, no sentence end": "the United States imposed sanctions on Iran and ",
    "en, every type": (
        "The United States cut ties with Iran, Russia halted oil exports to Syria, sanctions "
        "on Cuba, the ambassador of Venezuela was expelled; "
    ),
    "ar, no sentence end": "فرضت الولايات المتحدة عقوبات على إيران و",
    "ar, every type": (
        "قطعت السعودية علاقاتها مع إيران وأوقفت روسيا صادرات النفط إلى سوريا وفرضت عقوبات "
        "على كوبا وطرد سفير فنزويلا، "
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="characters per article")
    args = parser.parse_args()
    warm_up()
    rows = []
    for name, unit in tqdm(UNITS.items(), desc="hostile articles", unit=" articles"):
        text = (unit * (args.size // len(unit) + 1))[: args.size]
        started = time.perf_counter()
        events = detect(Article(id="hostile", text=text))
        rows.append((name, time.perf_counter() - started, len(events)))
    print(f"\n{args.size:,} characters per article")
    for name, seconds, found in rows:
        print(f"  {name:32} {seconds:6.2f} s  {found:3d} events")
    print(f"worst: {max(seconds for _, seconds, _ in rows):.2f} s")


if __name__ == "__main__":
    main()
