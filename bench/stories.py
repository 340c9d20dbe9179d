"""Precision and recall of story clustering on labelled pairs built from the real corpora,
and the throughput of the signature step.

    .venv/bin/python bench/stories.py [--corpus PATH ...] [--pairs N] [--seed S]

The pairs are drawn again on every run from the corpora in ../shared (nothing of their text is
kept here), with a seeded generator, so every run draws the same ones:

- identical: an article and an exact copy of it under another outlet;
- edited: an article and a copy with another headline and one paragraph cut (a sentence when
  it has a single paragraph), as a paper reprinting a wire story does;
- found copies: two articles of different outlets in the corpus that open with the same 300
  characters but differ further on (the reprints the corpus really holds);
- same event: two articles of different outlets on the same day whose headlines share at least
  half their words, whose openings differ and which share no run of 8 words: separate
  reports of one event, which must stay two stories. Headline pairs that do share a run of
  8 words are mostly one press release edited by two papers (read by eye): they are shown
  apart as "shared wording", with no label, and left out of precision and recall;
- unrelated: two articles of different days; and two of one outlet on one day (shared
  boilerplate is what could merge them).

A pair is judged one story as the index judges it: the two share a band key and their
signatures agree on at least `SAME_STORY` of their values. The first three classes should be
joined (recall), the last two kept apart (a joined pair there is a false merge).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import itertools
import json
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from streams.detect.shingles import SAME_STORY, Signature, folded, shingles, signature

SHARED = Path(__file__).resolve().parents[2] / "shared/corpus"
DEFAULT_CORPORA = [SHARED / "saudinewsnet-ar.jsonl.gz", SHARED / "news-2025-en.jsonl.gz"]
POSITIVE = ("identical", "edited", "found copies")
UNLABELLED = ("shared wording",)
# A common run this long means both texts come from one text: no independent report.
COMMON_RUN = 8
NEGATIVE = ("same event", "unrelated days", "unrelated same outlet")
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")

Article = dict[str, Any]
Pair = tuple[str, str]  # texts


def read(path: Path) -> Iterator[Article]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def edited(text: str, rng: random.Random) -> str:
    """The text with one paragraph cut (never the first), or one sentence when it has one."""
    paragraphs = [p for p in text.split("\n") if p.strip()]
    if len(paragraphs) >= 3:
        del paragraphs[rng.randrange(1, len(paragraphs))]
        return "\n".join(paragraphs)
    sentences = _SENTENCE_END.split(text)
    if len(sentences) >= 3:
        del sentences[rng.randrange(1, len(sentences))]
    return " ".join(sentences)


def title_words(article: Article) -> set[str]:
    return {w for w in folded(article.get("title") or "").split() if len(w) >= 3}


def build_pairs(articles: list[Article], n: int, rng: random.Random) -> dict[str, list[Pair]]:
    usable = [a for a in articles if len(a["text"]) >= 300]
    pairs: dict[str, list[Pair]] = defaultdict(list)
    for a in rng.sample(usable, min(n, len(usable))):
        pairs["identical"].append((a["text"], a["text"]))
        pairs["edited"].append((a["text"], edited(a["text"], rng)))

    by_opening: dict[str, list[Article]] = defaultdict(list)
    by_day: dict[str, list[Article]] = defaultdict(list)
    for a in usable:
        by_opening[a["text"][:300]].append(a)
        by_day[str(a.get("published_at"))].append(a)
    found = []
    for group in by_opening.values():
        for x, y in itertools.pairwise(group):
            if x["source"] != y["source"] and x["text"] != y["text"]:
                found.append((x["text"], y["text"]))
    pairs["found copies"] = rng.sample(found, min(n, len(found)))

    same_event: list[Pair] = []
    same_outlet: list[Pair] = []
    for day in sorted(by_day):
        group = by_day[day]
        for _ in range(200):  # bounded draws per day, so the draw stays quick and fixed
            x, y = rng.sample(group, 2) if len(group) >= 2 else (group[0], group[0])
            if x is not y and x["source"] == y["source"] and x["text"][:100] != y["text"][:100]:
                same_outlet.append((x["text"], y["text"]))
        same_event += _same_event(group)
    own: list[Pair] = []
    shared: list[Pair] = []
    for first, second in same_event:
        common = set(shingles(first, COMMON_RUN).tolist()) & set(
            shingles(second, COMMON_RUN).tolist()
        )
        (shared if common else own).append((first, second))
    pairs["same event"] = rng.sample(own, min(n, len(own)))
    pairs["shared wording"] = rng.sample(shared, min(n, len(shared)))
    pairs["unrelated same outlet"] = rng.sample(same_outlet, min(n, len(same_outlet)))
    unrelated: list[Pair] = []
    while len(unrelated) < min(n, len(usable) // 2):
        x, y = rng.sample(usable, 2)
        if x.get("published_at") != y.get("published_at") or x.get("published_at") is None:
            unrelated.append((x["text"], y["text"]))
    pairs["unrelated days"] = unrelated
    return pairs


def _same_event(group: list[Article]) -> list[Pair]:
    """Pairs of one day's articles from different outlets whose headlines share at least
    half their words (words found in more than 30 of the day's headlines do not link) and
    whose openings differ."""
    words = [title_words(a) for a in group]
    index: dict[str, list[int]] = defaultdict(list)
    for i, ws in enumerate(words):
        for w in ws:
            index[w].append(i)
    out = []
    for i, ws in enumerate(words):
        near = {j for w in ws if len(index[w]) <= 30 for j in index[w] if j > i}
        for j in sorted(near):
            x, y = group[i], group[j]
            if x["source"] == y["source"] or x["text"][:100] == y["text"][:100]:
                continue
            both, either = ws & words[j], ws | words[j]
            if len(ws) >= 3 and len(words[j]) >= 3 and len(both) / len(either) >= 0.5:
                out.append((x["text"], y["text"]))
    return out


def judged_one_story(a: Signature, b: Signature) -> bool:
    if not (a.judgeable and b.judgeable):
        return False
    return bool(set(a.band_keys()) & set(b.band_keys())) and a.similarity(b) >= SAME_STORY


@dataclass
class Tally:
    pairs: int = 0
    joined: int = 0


def score(pairs: dict[str, list[Pair]], sign: Callable[[str], Signature]) -> dict[str, Tally]:
    out: dict[str, Tally] = {}
    for label in (*POSITIVE, *NEGATIVE, *UNLABELLED):
        tally = Tally()
        for x, y in pairs.get(label, []):
            tally.pairs += 1
            tally.joined += judged_one_story(sign(x), sign(y))
        out[label] = tally
    return out


def throughput(articles: list[Article]) -> tuple[float, float]:
    """Articles/s and MB/s of the signature step, one core."""
    signature(articles[0]["text"])  # numpy and the tables warmed outside the timing
    started = time.perf_counter()
    for a in articles:
        signature(a["text"])
    seconds = time.perf_counter() - started
    chars = sum(len(a["text"]) for a in articles)
    return len(articles) / seconds, chars / seconds / 1e6


def report(name: str, tallies: dict[str, Tally]) -> None:
    print(f"\n{name}: pairs judged one story (SAME_STORY = {SAME_STORY})")
    print(f"  {'class':24} {'pairs':>6} {'joined':>7}  measure")
    for label, t in tallies.items():
        share = t.joined / t.pairs if t.pairs else float("nan")
        what = {"shared wording": "joined"}.get(
            label, "recall" if label in POSITIVE else "false merges"
        )
        print(f"  {label:24} {t.pairs:6} {t.joined:7}  {what} {share:.3f}")
    negatives = sum(tallies[n].joined for n in NEGATIVE)
    for label in POSITIVE:
        t = tallies[label]
        if t.pairs:
            precision = t.joined / (t.joined + negatives) if t.joined + negatives else 1.0
            print(f"  P/R {label:20} P {precision:.3f}  R {t.joined / t.pairs:.3f}")
    tp = sum(tallies[p].joined for p in POSITIVE)
    positives = sum(tallies[p].pairs for p in POSITIVE)
    precision = tp / (tp + negatives) if tp + negatives else 1.0
    print(f"  P/R all copies             P {precision:.3f}  R {tp / max(positives, 1):.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append", default=None)
    parser.add_argument("--pairs", type=int, default=1000, help="most pairs per class")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    for path in args.corpus or DEFAULT_CORPORA:
        if not path.exists():
            print(f"corpus not found: {path}", file=sys.stderr)
            return 2
        articles = list(read(path))
        rate, mb = throughput(articles)
        print(f"{path.name}: {len(articles)} articles")
        print(f"  signature step    {rate:,.0f} articles/s, {mb:.2f} M chars/s on one core")
        pairs = build_pairs(articles, args.pairs, random.Random(args.seed))
        # Articles recur across pairs and classes: each text is signed once per corpus.
        sign = functools.lru_cache(maxsize=None)(signature)
        report(path.name, score(pairs, sign))
    return 0


if __name__ == "__main__":
    sys.exit(main())
