"""Training the detector's model on labelled real news, and cross-validating it.

Labelled items come from three places: `../shared/eval-dev/` (real passages and corpus
articles, joined to `../shared/corpus` by id), the golden cases we wrote
(`tests/fixtures/golden/`) and our labels of the seed article are trained on; the
corpus articles we labelled blind under the same contract (`bench/labels/`, ids and
events only) are held out.
Training needs scikit-learn and SciPy (the `dev` extra); detection reads the resulting
weights with neither.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from models.events import EVENT_TYPES, STATUSES, Article
from streams.detect.decide import best_pairs, pair_key
from streams.detect.detector import Reading, read_article
from streams.detect.model import LinearHeads, Model, bucket
from streams.detect.status_features import status_features

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EVAL_DEV = SHARED / "eval-dev"
CORPUS = SHARED / "corpus"
SEED = SHARED / "seed"
OWN_LABELS = ROOT / "bench" / "labels"
GOLDEN = ROOT / "tests" / "fixtures" / "golden"

Key = tuple[str, str, str]


@dataclass
class Item:
    """One labelled text: its article and its gold events."""

    id: str
    source: str  # file it came from
    lang: str
    article: Article
    events: list[dict[str, Any]]
    reading: Reading | None = field(default=None, repr=False)

    def core(self, optional: bool = False) -> set[Key]:
        return {
            pair_key(e["type"], e["actor"], e["target"])
            for e in self.events
            if bool(e.get("optional")) == optional
        }


def _corpus_texts(ids: set[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(CORPUS.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                if not ids - found.keys():
                    return found
                record = json.loads(line)
                if record.get("id") in ids:
                    found[record["id"]] = record
    return found


def _article(raw: dict[str, Any], text_source: dict[str, Any]) -> Article:
    return Article.model_validate(
        {
            "id": raw["id"],
            "text": text_source["text"],
            "title": text_source.get("title"),
            "published_at": text_source.get("published_at"),
        }
    )


def load_jsonl_items(paths: Iterable[Path]) -> list[Item]:
    rows: list[tuple[str, dict[str, Any]]] = []
    for path in paths:
        with path.open(encoding="utf-8") as lines:
            rows += [(path.name, json.loads(line)) for line in lines if line.strip()]
    texts = _corpus_texts({row["id"] for _, row in rows if "text" not in row and "seed" not in row})
    items: list[Item] = []
    for source, row in rows:
        text_source = row if "text" in row else texts.get(row["id"])
        if "seed" in row:  # the seed article, labelled by us, read from ../shared/seed
            path = SEED / row["seed"]
            text_source = (
                {**row, "text": path.read_text(encoding="utf-8")} if path.exists() else None
            )
        if text_source is None:
            continue
        lang = row.get("lang") or ("ar" if str(row.get("corpus", "")).endswith("-ar") else "en")
        items.append(Item(row["id"], source, lang, _article(row, text_source), row["events"]))
    return items


def _check_parties(path: Path, case: dict[str, Any]) -> None:
    """Training must not crash deep inside on a case the golden test would reject."""
    for event in case["expect"]:
        for role in ("actor", "target"):
            code = event.get(role)
            if not isinstance(code, str):
                # YAML reads an unquoted NO (Norway) as false.
                raise ValueError(
                    f"golden/{path.name} case {case['id']}: {role} must be a country code "
                    f'string, got {code!r} (quote it: "NO")'
                )


def load_golden() -> list[Item]:
    items: list[Item] = []
    for path in sorted(GOLDEN.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            _check_parties(path, case)
            article = Article(
                id=case["id"], text=case["text"], published_at=case.get("published_at")
            )
            items.append(
                Item(case["id"], f"golden/{path.name}", path.stem, article, case["expect"])
            )
    return items


def eval_dev_items() -> list[Item]:
    return load_jsonl_items(sorted(EVAL_DEV.glob("*.jsonl")))


SEED_LABELS = OWN_LABELS / "seed.jsonl"


def own_items() -> list[Item]:
    """Corpus articles we labelled: held out, never trained on."""
    return load_jsonl_items(sorted(p for p in OWN_LABELS.glob("*.jsonl") if p != SEED_LABELS))


def seed_items() -> list[Item]:
    """The seed article, which every run of dyadwatch shows first: trained on, as the
    golden cases are."""
    return load_jsonl_items([SEED_LABELS])


def read_items(items: Sequence[Item], progress: bool = False) -> None:
    from tqdm import tqdm

    for item in tqdm(items, desc="reading", unit="text", disable=not progress):
        if item.reading is None:
            item.reading = read_article(item.article)


def _matrix(rows: Sequence[Sequence[str]]) -> Any:
    from scipy.sparse import csr_matrix

    indptr = [0]
    indices: list[int] = []
    for features in rows:
        indices += sorted({bucket(feature) for feature in features})
        indptr.append(len(indices))
    data = [1.0] * len(indices)
    return csr_matrix((data, indices, indptr), shape=(len(rows), 1 << 20))


def _compact(x: Any) -> tuple[Any, Any]:
    """The hashed columns some row uses, and the matrix cut down to them. An unused column
    gets no weight under L2 anyway; leaving the million empty ones out makes each fit
    several times faster and changes nothing else."""
    import numpy as np

    used = np.unique(x.indices)
    return used, x[:, used]


def _heads(labels: Sequence[str], coefs: Any, intercepts: Sequence[float]) -> LinearHeads:
    import numpy as np

    used = np.flatnonzero(np.abs(coefs).max(axis=0) > 1e-3)
    weights = {int(k): tuple(float(w) for w in coefs[:, k]) for k in used}
    return LinearHeads(tuple(labels), tuple(float(b) for b in intercepts), weights)


def _type_rows(
    items: Sequence[Item],
) -> tuple[list[list[str]], list[list[int]], list[list[tuple[int, Key]]], list[list[bool]]]:
    """Features, labels per type (1, 0, or -1 for neither), per type the (item, event) a
    positive label stands for, and whether a pattern of the type stands in the sentence."""
    rows: list[list[str]] = []
    targets: list[list[int]] = []
    owners: list[list[tuple[int, Key]]] = []
    patterned: list[list[bool]] = []
    for n, item in enumerate(items):
        if item.reading is None:
            continue
        gold = item.core()
        optional = item.core(optional=True)
        for instance in item.reading.instances:
            labels = []
            keys = []
            kinds = instance.kinds
            for kind in EVENT_TYPES:
                key = pair_key(kind, instance.actor, instance.target)
                if kind not in kinds:
                    # No trigger of the type in the sentence: detection never scores the
                    # pair for it, so training neither learns from nor against it.
                    labels.append(-1)
                    keys.append((n, key))
                    continue
                labels.append(1 if key in gold else (-1 if key in optional else 0))
                keys.append((n, key))
            rows.append(instance.features)
            targets.append(labels)
            owners.append(keys)
            patterned.append([kind in instance.patterned for kind in EVENT_TYPES])
    return rows, targets, owners, patterned


def _fit_types(items: Sequence[Item], c: float, seed: int) -> LinearHeads:
    """One logistic head per type, in two passes.

    An article names a pair in many sentences and its label says only that one of them
    reports the event. The first pass learns from all of them; the second keeps, for
    each labelled event, the sentences the first pass found most telling (and leaves the
    article's other mentions of the pair out, neither positive nor negative).
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    rows, targets, owners, patterned = _type_rows(items)
    used, x = _compact(_matrix(rows))
    y = np.array(targets)
    coefs = np.zeros((len(EVENT_TYPES), 1 << 20))
    intercepts = []
    for k in range(len(EVENT_TYPES)):
        labels = y[:, k].copy()
        if (labels == 1).sum() == 0:
            intercepts.append(-8.0)
            continue
        fitted = None
        for _ in range(2):
            keep = labels >= 0  # an optional event is neither owed nor a negative
            model = LogisticRegression(C=c, max_iter=2000, solver="liblinear", random_state=seed)
            model.fit(x[keep], labels[keep])
            fitted = model
            scores = model.decision_function(x)
            # Where a pattern of the type names the event in some sentence, those sentences
            # report it; the ones with only a loose anchor are left out.
            top: dict[tuple[int, Key], tuple[bool, float]] = {}
            for i in np.flatnonzero(y[:, k] == 1):
                owner = owners[i][k]
                rank = (patterned[i][k], float(scores[i]))
                top[owner] = max(top.get(owner, (False, -1e9)), rank)
            labels = y[:, k].copy()
            for i in np.flatnonzero(y[:, k] == 1):
                best_patterned, best_score = top[owners[i][k]]
                if (best_patterned and not patterned[i][k]) or scores[
                    i
                ] < best_score - _KEEP_MARGIN:
                    labels[i] = -1
        assert fitted is not None
        coefs[k, used] = fitted.coef_[0]
        intercepts.append(float(fitted.intercept_[0]))
    return _heads(EVENT_TYPES, coefs, intercepts)


_KEEP_MARGIN = 1.0  # log-odds below an event's best sentence that still count as reporting it


def _fit_statuses(items: Sequence[Item], types: LinearHeads, c: float, seed: int) -> LinearHeads:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    interim = Model(types, LinearHeads(STATUSES, (0.0, 0.0, 0.0), {}), {}, {})
    rows: list[list[str]] = []
    labels: list[int] = []
    for item in items:
        if item.reading is None:
            continue
        best = best_pairs(item.reading, interim)
        for event in item.events:
            key = pair_key(event["type"], event["actor"], event["target"])
            chosen = best.get(key)
            if chosen is None or event.get("status") not in STATUSES:
                continue
            rows.append(status_features(item.reading.reader, chosen.instance, key[0]))
            labels.append(STATUSES.index(event["status"]))
    used, x = _compact(_matrix(rows))
    model = LogisticRegression(C=c, max_iter=3000, random_state=seed)
    model.fit(x, np.array(labels))
    present = list(model.classes_)
    coefs = np.zeros((len(STATUSES), 1 << 20))
    intercepts = [-8.0] * len(STATUSES)
    for row, label in enumerate(present):
        coefs[label, used] = (
            model.coef_[row] if len(present) > 2 else model.coef_[0] * (row * 2 - 1)
        )
        intercepts[label] = float(
            model.intercept_[row] if len(present) > 2 else model.intercept_[0] * (row * 2 - 1)
        )
    return _heads(STATUSES, coefs, intercepts)


@dataclass(frozen=True)
class Settings:
    c_types: float = 1.0
    c_statuses: float = 1.0
    threshold: float = 0.5
    seed: int = 13


def train(items: Sequence[Item], settings: Settings, provenance: dict[str, object]) -> Model:
    read_items(items)
    types = _fit_types(items, settings.c_types, settings.seed)
    statuses = _fit_statuses(items, types, settings.c_statuses, settings.seed)
    thresholds = {kind: settings.threshold for kind in EVENT_TYPES}
    return Model(types, statuses, thresholds, provenance)


def folds(items: Sequence[Item], k: int, seed: int) -> list[list[Item]]:
    """Items split into k folds; copies of one article (same id) stay in one fold.

    An item's fold depends on its id and the seed alone, so adding a labelled text moves no
    other text to another fold, and a change is measured on the same split as before it."""
    out: list[list[Item]] = [[] for _ in range(k)]
    for item in items:
        digest = hashlib.sha256(f"{seed}:{item.id}".encode()).digest()
        out[int.from_bytes(digest[:8], "big") % k].append(item)
    return out
