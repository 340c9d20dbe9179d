"""The event ontology, read from `vocabulary.yaml`: kinds, dimensions and statuses.

Loaded once at import and checked as a whole: a broken file fails with one error that lists
every problem, so nothing reaches the stages half-known. The derived tables (which state a
kind leads to, which kind leads into a state, which dimension a family of codes belongs to)
are built here, so a kind left out of one of them fails at load, not at alert time.

The Literal types below are what mypy and pydantic know; a unit test holds them equal, in
order, to the file's keys (the order is the model's: its weights are listed per type).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")

KindCode = Literal[
    "sanction.imposed",
    "sanction.lifted",
    "relations.severed",
    "relations.downgraded",
    "relations.restored",
    "oil.halted",
    "oil.reduced",
    "oil.resumed",
]
DimensionName = Literal["diplomatic", "sanctions", "oil"]
StatusName = Literal["occurred", "considered", "denied"]
TrackOrder = Literal["ordered", "unordered"]

_NAME = r"^[a-z][a-z_]*$"


class VocabularyError(ValueError):
    """The vocabulary file is missing or does not hold together (every problem listed)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dimension(_Strict):
    name: str = Field(pattern=_NAME)
    initial: str
    states: tuple[str, ...] = Field(min_length=2)
    track: TrackOrder

    @property
    def ordered(self) -> bool:
        """One history per direction of the pair, not one for the pair."""
        return self.track == "ordered"


class Status(_Strict):
    name: str = Field(pattern=_NAME)
    changes_state: bool = False
    opens_signal: bool = False
    # The closure an open signal of the same kind gets from a report with this status.
    closes_signal_as: str | None = Field(default=None, pattern=_NAME)


class Kind(_Strict):
    code: str = Field(pattern=r"^[a-z]+\.[a-z]+$")
    dimension: str
    directed: bool
    leads_to: dict[str, str]
    partial: str | None = None  # the state when the report says the measure only eases

    @property
    def family(self) -> str:
        """The code's first part ("sanction"), as lexicon files key their confusers."""
        return self.code.split(".", 1)[0]


@dataclass(frozen=True)
class Vocabulary:
    dimensions: Mapping[str, Dimension]
    statuses: Mapping[str, Status]
    kinds: Mapping[str, Kind]
    # Derived at load (see `_derive`): never written by hand.
    kind_into: Mapping[tuple[str, str], str]  # (dimension, state) → the kind leading into it
    family_dimension: Mapping[str, str]  # "sanction" → "sanctions"

    def kind(self, code: str) -> Kind:
        try:
            return self.kinds[code]
        except KeyError:
            raise VocabularyError(f"unknown kind {code!r}") from None

    def dimension_of(self, code: str) -> Dimension:
        return self.dimensions[self.kind(code).dimension]

    def is_directed(self, code: str) -> bool:
        return self.kind(code).directed

    def initial(self, dimension: str) -> str:
        return self.dimensions[dimension].initial

    def state_after(self, code: str, status: str, *, partial: bool = False) -> str:
        """The state a report of `code` with a state-changing `status` leads to."""
        kind = self.kind(code)
        if partial and kind.partial is not None:
            return kind.partial
        return kind.leads_to[status]

    def kind_leading_to(self, dimension: str, state: str) -> str | None:
        """The kind whose reports lead into `state`; None for a dimension's initial state."""
        return self.kind_into.get((dimension, state))

    def status_where(self, *, changes_state: bool = False, opens_signal: bool = False) -> str:
        """The one status that changes the state (or opens a signal)."""
        [name] = [
            s.name
            for s in self.statuses.values()
            if (changes_state and s.changes_state) or (opens_signal and s.opens_signal)
        ]
        return name

    def status_closing_as(self, closure: str) -> str | None:
        """The status whose reports close a signal with `closure` ("denied" → denied)."""
        names = [s.name for s in self.statuses.values() if s.closes_signal_as == closure]
        return names[0] if names else None

    @property
    def closures(self) -> tuple[str, ...]:
        return tuple(s.closes_signal_as for s in self.statuses.values() if s.closes_signal_as)


def parse_vocabulary(raw: object, source: str) -> Vocabulary:
    """Validate one vocabulary document; raise one error naming every problem in it."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise VocabularyError(f"{source} is invalid:\n  the file is not a mapping")
    problems += [f"{key}: unknown section" for key in raw if key not in _SECTIONS]
    sections: dict[str, dict[str, Any]] = {}
    for section, model in _SECTIONS.items():
        entries = raw.get(section)
        if not isinstance(entries, dict) or not entries:
            problems.append(f"{section}: missing or empty")
            entries = {}
        sections[section] = {}
        for name, body in entries.items():
            try:
                sections[section][str(name)] = model.model_validate(
                    {**(body if isinstance(body, dict) else {}), _KEY[section]: name}
                )
            except ValidationError as error:
                problems += [
                    f"{section}.{name}."
                    + ".".join(str(p) for p in item["loc"])
                    + f": {item['msg']}"
                    for item in error.errors()
                ]
            if not isinstance(body, dict):
                problems.append(f"{section}.{name}: not a mapping")
    declared = {section: {str(name) for name in raw.get(section) or {}} for section in _SECTIONS}
    dimensions: dict[str, Dimension] = sections["dimensions"]
    statuses: dict[str, Status] = sections["statuses"]
    kinds: dict[str, Kind] = sections["kinds"]
    problems += _check_dimensions(dimensions)
    problems += _check_statuses(statuses)
    problems += _check_kinds(kinds, dimensions, statuses, declared)
    kind_into, into_problems = _inverse(kinds, dimensions)
    family_dimension, family_problems = _families(kinds)
    problems += into_problems + family_problems
    if problems:
        raise VocabularyError(f"{source} is invalid:\n  " + "\n  ".join(problems))
    return Vocabulary(dimensions, statuses, kinds, kind_into, family_dimension)


_SECTIONS: dict[str, type[BaseModel]] = {
    "dimensions": Dimension,
    "statuses": Status,
    "kinds": Kind,
}
_KEY = {"dimensions": "name", "statuses": "name", "kinds": "code"}


def _check_dimensions(dimensions: Mapping[str, Dimension]) -> list[str]:
    problems = []
    for d in dimensions.values():
        if d.initial not in d.states:
            problems.append(
                f"dimensions.{d.name}: initial state {d.initial!r} not among its states"
            )
        if len(set(d.states)) != len(d.states):
            problems.append(f"dimensions.{d.name}: a state is listed twice")
    return problems


def _check_statuses(statuses: Mapping[str, Status]) -> list[str]:
    problems = []
    # Rules and alerts ask "the status that changes the state" and "the one that opens a
    # signal": each must be exactly one, and a closure names one status.
    for flag in ("changes_state", "opens_signal"):
        holders = [s.name for s in statuses.values() if getattr(s, flag)]
        if statuses and len(holders) != 1:
            problems.append(f"statuses: exactly one must have {flag}, found {holders or 'none'}")
    # Every report that opens no signal answers an open one, so it must say how.
    problems += [
        f"statuses.{s.name}: neither opens a signal nor closes one (closes_signal_as)"
        for s in statuses.values()
        if not s.opens_signal and not s.closes_signal_as
    ]
    closures = [s.closes_signal_as for s in statuses.values() if s.closes_signal_as]
    if len(set(closures)) != len(closures):
        problems.append("statuses: two statuses close signals with the same name")
    return problems


def _check_kinds(
    kinds: Mapping[str, Kind],
    dimensions: Mapping[str, Dimension],
    statuses: Mapping[str, Status],
    declared: Mapping[str, set[str]],
) -> list[str]:
    problems = []
    changing = {s.name for s in statuses.values() if s.changes_state}
    for k in kinds.values():
        where = f"kinds.{k.code}"
        if k.dimension not in declared["dimensions"]:
            problems.append(f"{where}: unknown dimension {k.dimension!r}")
        unknown = sorted(set(k.leads_to) - declared["statuses"])
        if unknown:
            problems.append(f"{where}: leads_to names unknown statuses {unknown}")
        missing = sorted(changing - set(k.leads_to))
        if missing:
            problems.append(f"{where}: leads_to gives no state for {missing}")
        idle = sorted(set(k.leads_to) & (declared["statuses"] - changing))
        if idle:
            problems.append(f"{where}: leads_to gives a state for {idle}, which change none")
        dimension = dimensions.get(k.dimension)
        if dimension is None:
            continue
        for state in [*k.leads_to.values(), *([k.partial] if k.partial else [])]:
            if state not in dimension.states:
                problems.append(f"{where}: {state!r} is not a state of {k.dimension}")
            elif state == dimension.initial:
                problems.append(f"{where}: leads back to the initial state {state!r}")
        # A directed kind on a track kept for the pair would lose who acted on whom.
        if k.directed != dimension.ordered:
            problems.append(
                f"{where}: directed is {k.directed}, the {k.dimension} track {dimension.track}"
            )
    return problems


def _inverse(
    kinds: Mapping[str, Kind], dimensions: Mapping[str, Dimension]
) -> tuple[dict[tuple[str, str], str], list[str]]:
    """Which kind leads into each state: every state but the initial one needs exactly one."""
    into: dict[tuple[str, str], set[str]] = {}
    for k in kinds.values():
        for state in {*k.leads_to.values(), *([k.partial] if k.partial else [])}:
            into.setdefault((k.dimension, state), set()).add(k.code)
    problems = []
    table: dict[tuple[str, str], str] = {}
    for d in dimensions.values():
        for state in d.states:
            codes = sorted(into.get((d.name, state), set()))
            if state == d.initial:
                continue
            if not codes:
                problems.append(f"dimensions.{d.name}: no kind leads to state {state!r}")
            elif len(codes) > 1:
                problems.append(f"dimensions.{d.name}: state {state!r} is reached by {codes}")
            else:
                table[(d.name, state)] = codes[0]
    return table, problems


def _families(kinds: Mapping[str, Kind]) -> tuple[dict[str, str], list[str]]:
    """A family of codes belongs to one dimension, and a dimension has one family."""
    table: dict[str, str] = {}
    problems = []
    for k in kinds.values():
        known = table.setdefault(k.family, k.dimension)
        if known != k.dimension:
            problems.append(
                f"kinds.{k.code}: family {k.family!r} belongs to {known}, not {k.dimension}"
            )
    by_dimension: dict[str, list[str]] = {}
    for family, dimension in table.items():
        by_dimension.setdefault(dimension, []).append(family)
    problems += [
        f"dimensions.{dimension}: kinds of several families {sorted(families)}"
        for dimension, families in by_dimension.items()
        if len(families) > 1
    ]
    return table, problems


def load_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise VocabularyError(f"{path.name}: cannot be read: {error}") from error
    except yaml.YAMLError as error:
        raise VocabularyError(f"{path.name} is not valid YAML: {error}") from error
    return parse_vocabulary(raw, path.name)


VOCABULARY = load_vocabulary()
