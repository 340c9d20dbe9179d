"""The learned weights: which candidate pairs hold which event, and with which status.

Two linear models over hashed string features: one logistic score per event type for a
candidate pair (`instances`), and a softmax over the three statuses for a kept event.
Weights are trained by `bench/train.py` on labelled real news and shipped as one small
file; loading it needs no network and no numerical library. A feature's bucket is the
CRC-32 of its text, so training and detection hash alike on every machine.
"""

from __future__ import annotations

import gzip
import json
import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from streams.errors import DataError

MODEL_PATH = Path(__file__).with_name("model") / "weights.json.gz"
BUCKETS = 1 << 20


class ModelError(DataError):
    """The weights file is missing or not of the expected shape."""


_BUCKETS_SEEN: dict[str, int] = {}
_BUCKETS_KEPT = 200_000  # features whose bucket is remembered; most repeat across articles


def bucket(feature: str) -> int:
    index = _BUCKETS_SEEN.get(feature)
    if index is None:
        index = zlib.crc32(feature.encode("utf-8")) & (BUCKETS - 1)
        if len(_BUCKETS_SEEN) < _BUCKETS_KEPT:
            _BUCKETS_SEEN[feature] = index
    return index


@dataclass(frozen=True)
class LinearHeads:
    """Several linear scores over the same hashed features."""

    labels: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[int, tuple[float, ...]]

    def raw(self, features: Sequence[str]) -> list[float]:
        scores = list(self.bias)
        width = len(scores)
        weights = self.weights
        for index in {bucket(feature) for feature in features}:
            row = weights.get(index)
            if row is not None:
                for k in range(width):
                    scores[k] += row[k]
        return scores

    def probabilities(self, features: Sequence[str]) -> dict[str, float]:
        """Independent probabilities per label (one-vs-rest logistic heads)."""
        return {
            label: _sigmoid(score)
            for label, score in zip(self.labels, self.raw(features), strict=True)
        }

    def distribution(self, features: Sequence[str]) -> dict[str, float]:
        """One distribution over the labels (softmax)."""
        scores = self.raw(features)
        top = max(scores)
        exps = [math.exp(score - top) for score in scores]
        total = sum(exps)
        return {label: e / total for label, e in zip(self.labels, exps, strict=True)}

    def to_json(self) -> dict[str, object]:
        return {
            "labels": list(self.labels),
            "bias": [round(b, 4) for b in self.bias],
            "weights": {str(k): [round(w, 4) for w in row] for k, row in self.weights.items()},
        }

    @classmethod
    def from_json(cls, data: object) -> LinearHeads:
        if not isinstance(data, dict):
            raise ModelError("a model head is not an object")
        try:
            labels = tuple(str(label) for label in data["labels"])
            bias = tuple(float(b) for b in data["bias"])
            weights = {
                int(k): tuple(float(w) for w in row) for k, row in dict(data["weights"]).items()
            }
        except (KeyError, TypeError, ValueError) as error:
            raise ModelError(f"a model head is malformed: {error}") from error
        if len(bias) != len(labels) or any(len(row) != len(labels) for row in weights.values()):
            raise ModelError("a model head's rows do not match its labels")
        return cls(labels, bias, weights)


@dataclass(frozen=True)
class Model:
    types: LinearHeads  # one logistic head per event type
    statuses: LinearHeads  # softmax over occurred / considered / denied
    thresholds: dict[str, float]  # per event type: the probability a pair must reach
    provenance: dict[str, object]

    def to_json(self) -> dict[str, object]:
        return {
            "types": self.types.to_json(),
            "statuses": self.statuses.to_json(),
            "thresholds": self.thresholds,
            "provenance": self.provenance,
        }

    @classmethod
    def from_json(cls, data: object) -> Model:
        if not isinstance(data, dict):
            raise ModelError("the model file is not an object")
        try:
            thresholds = {str(k): float(v) for k, v in dict(data["thresholds"]).items()}
            return cls(
                LinearHeads.from_json(data["types"]),
                LinearHeads.from_json(data["statuses"]),
                thresholds,
                dict(data.get("provenance", {})),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ModelError(f"the model file is malformed: {error}") from error

    def save(self, path: Path) -> None:
        body = json.dumps(self.to_json(), separators=(",", ":"), sort_keys=True)
        path.write_bytes(gzip.compress(body.encode("utf-8"), mtime=0))


def load_model_file(path: Path) -> Model:
    try:
        data = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot read the detector model {path}: {error}") from error
    return Model.from_json(data)


@cache
def shipped_model() -> Model:
    return load_model_file(MODEL_PATH)


def _sigmoid(score: float) -> float:
    if score >= 0:
        return 1.0 / (1.0 + math.exp(-score))
    e = math.exp(score)
    return e / (1.0 + e)
