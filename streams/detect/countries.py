"""Country gazetteer: load, validate and look up the data files in ``gazetteer/``.

``countries.yaml`` and ``leaders.yaml`` are language-neutral; each ``<lang>.yaml``
gives the surface forms of one language. Adding a language is adding a file.
Every problem found is reported at once, with its file and key, so a reviewer
fixes a data file in one pass.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from streams.errors import DataError

GAZETTEER_DIR = Path(__file__).with_name("gazetteer")
_NEUTRAL_FILES = frozenset({"countries.yaml", "leaders.yaml"})

Kind = Literal["name", "demonym", "capital", "seat", "firm", "leader", "group"]
Role = Literal["head_of_state", "head_of_government", "foreign_minister"]


class GazetteerError(DataError):
    """A gazetteer file is missing or its data does not hold together."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("gazetteer is invalid:\n  " + "\n  ".join(self.problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entity(_Strict):
    code: str = Field(pattern=r"^[A-Z]{2}$")
    kind: Literal["state", "bloc"]
    iso3: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")

    @model_validator(mode="after")
    def _iso3_for_states_only(self) -> Entity:
        if (self.kind == "state") != (self.iso3 is not None):
            raise ValueError("iso3 is required for states and not allowed for blocs")
        return self


class Term(_Strict):
    """One office held by one person for one continuous stretch."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    code: str
    role: Role
    start: dt.date = Field(alias="from")
    end: dt.date | None = Field(default=None, alias="to")

    @model_validator(mode="after")
    def _ends_after_start(self) -> Term:
        if self.end is not None and self.end <= self.start:
            raise ValueError("'to' must come after 'from'")
        return self

    def covers(self, on: dt.date) -> bool:
        return self.start <= on and (self.end is None or on < self.end)


class CountryForms(_Strict):
    names: list[str] = []
    demonyms: list[str] = []
    capitals: list[str] = []
    seats: list[str] = []
    firms: list[str] = []
    # Names that are also common words ("مالي", "financial") or other places (عمان, Amman):
    # form → the words right after which it names the state ("في مالي", "سفير عمان").
    guarded: dict[str, list[str]] = {}


class LanguageFile(_Strict):
    lang: str = Field(pattern=r"^[a-z]{2,3}$")
    countries: dict[str, CountryForms]
    leaders: dict[str, list[str]] = {}
    groups: list[str] = []


_KIND_OF_FIELD: dict[str, Kind] = {
    "names": "name",
    "demonyms": "demonym",
    "capitals": "capital",
    "seats": "seat",
    "firms": "firm",
}


@dataclass(frozen=True)
class Surface:
    """One way a language writes a state, a bloc, a leader, or a word naming no single state."""

    form: str
    code: str | None
    kind: Kind
    leader_id: str | None = None
    guards: tuple[str, ...] = ()  # non-empty: a state only right after one of these words


@dataclass(frozen=True)
class Gazetteer:
    lang: str
    entities: Mapping[str, Entity]
    terms: Mapping[str, tuple[Term, ...]]
    entries: list[Surface]
    display: Mapping[str, str] = field(repr=False)

    def leader_code(self, leader_id: str, on: dt.date | None = None) -> str | None:
        return leader_code(leader_id, on)

    def country_name(self, code: str) -> str:
        return self.display[code]


# Collisions are judged on the forms the detector will compare, so fold what it folds:
# case, Arabic diacritics, hamza carriers on alef, alef maqsura, ta marbuta, and the
# article, which it strips ("ألباريس" would otherwise meet "باريس").
_ARABIC_MARKS = re.compile("[\u0640\u064b-\u0652\u0670]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_ARABIC_ARTICLE = re.compile(r"^ال(?=\w\w)")


def fold(form: str) -> str:
    folded = _ARABIC_MARKS.sub("", form).translate(_ARABIC_FOLD).casefold()
    return " ".join(_ARABIC_ARTICLE.sub("", folded).split())


def _describe(error: ValidationError) -> list[str]:
    return [
        ".".join(str(part) for part in item["loc"]) + f": {item['msg']}" for item in error.errors()
    ]


def parse_entities(raw: Any, source: str = "countries.yaml") -> tuple[dict[str, Entity], list[str]]:
    problems: list[str] = []
    entities: dict[str, Entity] = {}
    if not isinstance(raw, list):
        return {}, [f"{source}: expected a list of entities"]
    for index, item in enumerate(raw):
        try:
            entity = Entity.model_validate(item)
        except ValidationError as error:
            problems += [f"{source}[{index}].{line}" for line in _describe(error)]
            continue
        if entity.code in entities:
            problems.append(f"{source}[{index}]: code {entity.code} listed twice")
        entities[entity.code] = entity
    return entities, problems


def parse_terms(
    raw: Any, entities: Mapping[str, Entity], source: str = "leaders.yaml"
) -> tuple[dict[str, tuple[Term, ...]], list[str]]:
    problems: list[str] = []
    by_id: dict[str, list[Term]] = {}
    if not isinstance(raw, list):
        return {}, [f"{source}: expected a list of terms"]
    for index, item in enumerate(raw):
        try:
            term = Term.model_validate(item)
        except ValidationError as error:
            problems += [f"{source}[{index}].{line}" for line in _describe(error)]
            continue
        if term.code not in entities:
            problems.append(f"{source}[{index}] ({term.id}): unknown code {term.code}")
        by_id.setdefault(term.id, []).append(term)
    for leader_id, terms in by_id.items():
        terms.sort(key=lambda term: term.start)
        offices = {(term.code, term.role) for term in terms}
        for code, role in sorted(offices):
            held = [term for term in terms if (term.code, term.role) == (code, role)]
            for earlier, later in itertools.pairwise(held):
                if earlier.end is None or later.start < earlier.end:
                    problems.append(
                        f"{source} ({leader_id}): overlapping terms as {role} of {code}"
                    )
    return {key: tuple(value) for key, value in by_id.items()}, problems


def build_entries(
    raw: Any,
    entities: Mapping[str, Entity],
    terms: Mapping[str, tuple[Term, ...]],
    source: str,
) -> tuple[LanguageFile | None, list[Surface], list[str]]:
    """Check one language file against the neutral files and flatten it into surfaces."""
    try:
        doc = LanguageFile.model_validate(raw)
    except ValidationError as error:
        return None, [], [f"{source}: {line}" for line in _describe(error)]
    problems: list[str] = []
    if source != f"{doc.lang}.yaml" and source.endswith(".yaml"):
        problems.append(f"{source}: lang is {doc.lang!r}, file name says otherwise")
    entries: list[Surface] = []
    for code, country in doc.countries.items():
        if code not in entities:
            problems.append(f"{source}: countries.{code}: unknown code")
            continue
        for field_name, kind in _KIND_OF_FIELD.items():
            entries += [Surface(form, code, kind) for form in getattr(country, field_name)]
        entries += [
            Surface(form, code, "name", guards=tuple(guards))
            for form, guards in country.guarded.items()
        ]
    for code in entities:
        if code not in doc.countries or not doc.countries[code].names:
            problems.append(f"{source}: countries.{code}: no names")
    for leader_id, names in doc.leaders.items():
        if leader_id not in terms:
            problems.append(f"{source}: leaders.{leader_id}: no entry in leaders.yaml")
            continue
        latest = terms[leader_id][-1].code
        entries += [Surface(name, latest, "leader", leader_id) for name in names]
    entries += [Surface(form, None, "group") for form in doc.groups]

    unique: dict[tuple[str, str | None, str, str | None], Surface] = {}
    seen: dict[str, list[Surface]] = {}
    for entry in entries:
        if not entry.form or entry.form != entry.form.strip():
            where = entry.leader_id or entry.code or "groups"
            problems.append(f"{source}: {where}: blank or padded form {entry.form!r}")
            continue
        unique.setdefault((entry.form, entry.code, entry.kind, entry.leader_id), entry)
        seen.setdefault(fold(entry.form), []).append(entry)
    for key, found in seen.items():
        codes = {entry.code or "groups" for entry in found}
        # A leader's forms must also point to one person, not just one state.
        people = {entry.leader_id for entry in found if entry.leader_id}
        if len(codes) > 1 or len(people) > 1:
            detail = ", ".join(sorted({_owner(entry) for entry in found}))
            problems.append(f"{source}: form {key!r} maps to more than one owner: {detail}")
    return doc, list(unique.values()), problems


def _owner(entry: Surface) -> str:
    owner = entry.code or "groups"
    return f"{owner}/{entry.kind}" + (f"/{entry.leader_id}" if entry.leader_id else "")


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def _neutral() -> tuple[dict[str, Entity], dict[str, tuple[Term, ...]]]:
    entities, problems = parse_entities(_read_yaml(GAZETTEER_DIR / "countries.yaml"))
    terms, term_problems = parse_terms(_read_yaml(GAZETTEER_DIR / "leaders.yaml"), entities)
    if problems or term_problems:
        raise GazetteerError(problems + term_problems)
    return entities, terms


def available_languages() -> list[str]:
    return sorted(
        path.stem for path in GAZETTEER_DIR.glob("*.yaml") if path.name not in _NEUTRAL_FILES
    )


@cache
def load_gazetteer(lang: str) -> Gazetteer:
    path = GAZETTEER_DIR / f"{lang}.yaml"
    if lang not in available_languages():
        known = ", ".join(available_languages())
        raise GazetteerError([f"{path.name}: no gazetteer for language {lang!r} (have: {known})"])
    entities, terms = _neutral()
    doc, entries, problems = build_entries(_read_yaml(path), entities, terms, path.name)
    if problems or doc is None:
        raise GazetteerError(problems)
    display = {code: forms.names[0] for code, forms in doc.countries.items()}
    return Gazetteer(lang, entities, terms, entries, display)


def leader_code(leader_id: str, on: dt.date | None = None) -> str | None:
    """State whose office the person held on that day; without a day, their latest one."""
    terms = _neutral()[1].get(leader_id, ())
    if not terms:
        return None
    if on is None:
        return terms[-1].code
    return next((term.code for term in reversed(terms) if term.covers(on)), None)


def country_name(code: str, lang: str) -> str:
    return load_gazetteer(lang).country_name(code)
