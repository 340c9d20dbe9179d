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

from models.vocabulary_coherence import (
    check_dimensions,
    check_kinds,
    check_statuses,
    family_table,
    inverse_table,
)

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
    # The kind whose measure a report of this one tells as in force before it (same pair).
    presupposes: str | None = Field(default=None, pattern=r"^[a-z]+\.[a-z]+$")

    @property
    def family(self) -> str:
        """The code's first part ("sanction"), as lexicon files key their confusers."""
        return self.code.split(".", 1)[0]


@dataclass(frozen=True)
class Vocabulary:
    dimensions: Mapping[str, Dimension]
    statuses: Mapping[str, Status]
    kinds: Mapping[str, Kind]
    # Derived at load (`models.vocabulary_coherence`): never written by hand.
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
    problems += check_dimensions(dimensions)
    problems += check_statuses(statuses)
    problems += check_kinds(kinds, dimensions, statuses, declared)
    kind_into, into_problems = inverse_table(kinds, dimensions)
    family_dimension, family_problems = family_table(kinds)
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


def load_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise VocabularyError(f"{path.name}: cannot be read: {error}") from error
    except yaml.YAMLError as error:
        raise VocabularyError(f"{path.name} is not valid YAML: {error}") from error
    return parse_vocabulary(raw, path.name)


VOCABULARY = load_vocabulary()
