"""Scoring detections against labels written under the eval-dev contract.

Core match: (type, actor, target), sanctions directed, relations and oil unordered;
full match: core and status. Optional gold events are neither owed nor penalised.
Dates are scored on core matches whose gold event has one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from streams.detect.decide import pair_key

Core = tuple[str, str, str]
Full = tuple[str, str, str, str]


def core_of(event: Mapping[str, Any]) -> Core:
    return pair_key(str(event["type"]), str(event["actor"]), str(event["target"]))


def full_of(event: Mapping[str, Any]) -> Full:
    return (*core_of(event), str(event.get("status")))


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "p": round(self.precision, 3),
            "r": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


@dataclass
class Error:
    item: str
    kind: str  # "missed", "extra", or "date" (a match whose date is not the label's)
    key: Core
    evidence: str


@dataclass
class Report:
    groups: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    dates_scored: int = 0
    dates_right: int = 0
    quiet: int = 0
    quiet_alarmed: int = 0
    errors: list[Error] = field(default_factory=list)

    def add(
        self,
        item: str,
        lang: str,
        gold: Sequence[Mapping[str, Any]],
        predicted: Sequence[Mapping[str, Any]],
        evidence: Mapping[Core, str] | None = None,
    ) -> None:
        optional_core = {core_of(e) for e in gold if e.get("optional")}
        optional_full = {full_of(e) for e in gold if e.get("optional")}
        for name, key, optional in (
            ("core", core_of, optional_core),
            ("full", full_of, optional_full),
        ):
            owed = {key(e) for e in gold if not e.get("optional")} - optional
            found = {key(e) for e in predicted} - optional
            for group in (name, f"{name}:{lang}"):
                counts = self.groups[group]
                counts.tp += len(owed & found)
                counts.fp += len(found - owed)
                counts.fn += len(owed - found)
            if name != "core":
                continue
            for k in owed | found:
                counts = self.groups[f"type:{k[0]}"]
                counts.tp += k in owed and k in found
                counts.fp += k in found and k not in owed
                counts.fn += k in owed and k not in found
            said = evidence or {}
            extra, missed = cast(set[Core], found - owed), cast(set[Core], owed - found)
            self.errors += [Error(item, "extra", k, said.get(k, "")) for k in sorted(extra)]
            self.errors += [Error(item, "missed", k, "") for k in sorted(missed)]
        gold_dates = {core_of(e): e.get("date") for e in gold if e.get("date")}
        found_dates = {core_of(e): e.get("date") for e in predicted}
        for k, date in gold_dates.items():
            if k in found_dates:
                self.dates_scored += 1
                self.dates_right += found_dates[k] == date
                if found_dates[k] != date:
                    told = f"dated {found_dates[k]}, labelled {date}"
                    self.errors.append(Error(item, "date", k, told))
        if not gold:
            self.quiet += 1
            self.quiet_alarmed += bool(predicted)

    def rows(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: counts.row() for name, counts in sorted(self.groups.items())}
        share = self.dates_right / self.dates_scored if self.dates_scored else None
        out["date_exact"] = {
            "scored": self.dates_scored,
            "right": self.dates_right,
            "share": round(share, 3) if share is not None else None,
        }
        out["quiet_passages"] = {
            "count": self.quiet,
            "with_a_detection": self.quiet_alarmed,
            "share": round(self.quiet_alarmed / self.quiet, 3) if self.quiet else None,
        }
        return out


def merge(reports: Iterable[Report]) -> Report:
    total = Report()
    for report in reports:
        for name, counts in report.groups.items():
            into = total.groups[name]
            into.tp += counts.tp
            into.fp += counts.fp
            into.fn += counts.fn
        total.dates_scored += report.dates_scored
        total.dates_right += report.dates_right
        total.quiet += report.quiet
        total.quiet_alarmed += report.quiet_alarmed
        total.errors += report.errors
    return total
