"""Trigger lexicons: one YAML file per language in ``lexicons/``, validated when loaded.

A lexicon says how a language reports each event type (trigger patterns), who is who
around a trigger (frames: which role an unmarked subject, a glued adjective or a state
after a given preposition takes), how it hedges or denies (status cues), what looks
like a trigger but is not (confusers), and how it writes dates. The rule engine holds no
words of any language; adding a language is adding this file and a gazetteer file.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from models.events import EventType
from models.vocabulary import VOCABULARY, DimensionName
from streams.errors import DataError

LEXICON_DIR = Path(__file__).with_name("lexicons")

Role = Literal["actor", "target", "party", "pair", "none"]


class LexiconError(DataError):
    """A lexicon file is missing or does not validate."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Frame(_Strict):
    """Roles of the states around a trigger.

    `subject`: nearest state before the trigger in its clause with no preposition;
    `inner`: a state inside the trigger's span (Arabic verb-subject order, "US imports of");
    `adjective`: a demonym or name glued to the trigger noun ("US sanctions", "عقوبات أميركية");
    `object`: a state right after the trigger with no preposition;
    `markers`: the word (or attached clitic) before a state → its role.
    `pair` makes a state one of two parties named together ("between X and Y").
    `inner_order`: the trigger holds verb, subject and object in that order, so a state
    inside it after another one takes the `inner_later` role (the target's, unless the
    object is a bystander: the state a waiver is granted to).
    """

    subject: Role = "actor"
    inner: Role = "actor"
    inner_order: bool = False
    inner_later: Role = "target"
    adjective: Role = "actor"
    object: Role = "none"
    markers: dict[str, Role] = {}


class Trigger(_Strict):
    type: EventType
    frame: str
    # How sure the construction alone makes us that the event is meant (0-1).
    strength: float = Field(ge=0.0, le=1.0)
    # Where matches overlap, higher priority wins, then the longer match: undoing
    # constructions ("رفع تجميد الأصول", "lift sanctions") embed the doing words.
    priority: int = 0
    # A construction that tells an earlier event inside the report of a later one ("resumed
    # … after a two-month halt"): the sentence's date is the later event's; only a date right
    # after the construction ("after a halt since March 2023") is its own.
    date_follows: bool = False
    patterns: list[str] = Field(min_length=1)


class StatusCues(_Strict):
    # Cues are regex phrases; the one nearest before the trigger (or inside it) decides.
    # "occurred" cues override a look-alike ("لا تزال" is "still", not a negation).
    occurred: list[str] = []
    considered: list[str]
    # Verbs of denial reach across a complement clause ("نفت ... أن تكون بكين فرضت");
    # negation particles only negate the verb next to them ("لن", "not").
    denied: list[str]
    negations: list[str] = []
    # "more", "further": hedged new measures presuppose ones already in force.
    more: list[str] = []
    # How many words before the trigger a cue may stand, within its clause.
    window: int = Field(default=12, ge=1, le=30)
    # Particles reach less far than hedges: "لم" three clauses back negates something else.
    negation_window: int = Field(default=5, ge=1, le=30)


class EasingCues(_Strict):
    """Words that make a reported lifting only an easing ("eased", "some", "temporarily").

    Whole words for languages whose words are whole between spaces; stems, matched inside
    words, where clitics or case endings attach ("تخفيف" in "وتخفيف", "смягч" in "смягчил").
    """

    words: list[str] = []
    stems: list[str] = []

    @model_validator(mode="after")
    def _some_cue(self) -> EasingCues:
        if not self.words and not self.stems:
            raise ValueError("easing needs words or stems")
        return self


Calendar = Literal["gregorian", "solar_hijri"]


class DateWords(_Strict):
    months: list[list[str]] = Field(min_length=12, max_length=12)
    # A second calendar the language's news dates by ("۱۵ اسفند ۱۴۰۱"): its month names,
    # first month first; a bare year in that calendar's range ("سال ۱۴۰۲") is one of its
    # years. Dates in it are converted to the Gregorian calendar.
    calendar: Calendar = "gregorian"
    calendar_months: list[list[str]] = []
    weekdays: list[list[str]] = Field(min_length=7, max_length=7)  # Monday first
    # Relative word → offset from publication: "days: -1", "months: -1", "years: -1".
    relative: dict[str, dict[Literal["days", "months", "years"], int]] = {}
    # Words that make a bare four-digit number a year ("in 2019", "عام 2019").
    year_words: list[str] = []
    # Whether the language's news writes numeric dates day first ("26-10-2018"); year-first
    # ones ("2024/12/23") are read in every language, month-first ones in none.
    numeric_day_first: bool = False

    @model_validator(mode="after")
    def _calendar_has_months(self) -> DateWords:
        if (self.calendar == "gregorian") != (not self.calendar_months):
            raise ValueError("calendar_months are given for a second calendar, and only then")
        if self.calendar_months and len(self.calendar_months) != 12:
            raise ValueError("calendar_months must name 12 months")
        return self


class Inflection(_Strict):
    """A word ending of a name and the endings that replace it in other cases.

    "ия" → ["ии", "ию", "ией"] makes "Россия" also match "России", "Россию", "Россией".
    An empty ending applies to words that end in one of the `after` letters.
    """

    ending: str
    after: str = ""
    replace: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _empty_ending_needs_letters(self) -> Inflection:
        if not self.ending and not self.after:
            raise ValueError("an empty ending needs the letters it may follow ('after')")
        return self


class Lexicon(_Strict):
    lang: str = Field(pattern=r"^[a-z]{2,3}$")
    script: Literal["arabic", "latin", "cyrillic"]
    names_case_sensitive: bool
    # Regex of clitics glued before a word (Arabic و ف ب ل ك ال); empty for spaced languages.
    clitics: str = ""
    conjunction_clitics: list[str] = []
    article: str = ""
    demonym_suffixes: list[str] = []
    name_suffixes: list[str] = []
    stopwords: list[str] = Field(min_length=10)
    # Letters that tell this language from others written in its script (Persian پ چ ژ گ
    # among Arabic-script texts); language identification weighs them with the stopwords.
    letters: list[str] = []
    # The letters the language writes, when its script is shared with languages that have
    # letters of their own (Ukrainian і ї є, Serbian ј љ њ, Kurdish ێ ۆ ڵ): a text with
    # more than a trace of other letters of the script is not in this language.
    alphabet: str = ""
    # Case endings of names, demonyms and capitals, applied to every gazetteer form
    # ("Москва" → "Москвы", "Москве"); words shorter than `inflect_min_length` keep theirs.
    inflections: list[Inflection] = []
    inflect_min_length: int = Field(default=4, ge=1)
    conjunctions: list[str]
    # "His country" (بلاده): the state of whoever the sentence is about, its first state.
    self_words: list[str] = []
    # Prepositions that keep a state out of any role unless a frame names them as markers.
    prepositions: list[str] = []
    # Prepositions of place: a capital after one is a venue ("talks in Moscow"), so it
    # never stands for one of "the two countries".
    locatives: list[str] = []
    # Prepositions a frame's marker still reaches through ("on the central bank of Iran").
    reach_through: list[str] = []
    determiners: list[str] = []
    clause_breaks: list[str]
    # Relative pronouns end a clause looking back ("the deal which lifts sanctions" has
    # no state subject) but not looking ahead ("crude it supplies to Chinese refiners").
    relatives: list[str] = []
    # Words opening a clause after a comma that goes on with the previous clause's subject
    # ("استدعت الجزائر السفير، ثم سحبت سفيرها"); a glued conjunction clitic does too.
    carry_words: list[str] = []
    # Pronouns that open such a clause with a subject of its own ("وهو ما", "and it").
    new_subjects: list[str] = []
    pair_words: list[str]
    adjective_side: Literal["before", "after"]
    # Words that may sit between a trigger noun and its glued adjective ("new", "الاقتصادية").
    adjective_gap: list[str] = []
    # Literal stems, one of which every trigger contains ("عقوب", "sanction"): a cheap
    # first pass that lets most articles go without running any trigger pattern.
    anchors: list[str] = Field(min_length=1)
    # Anchors specific enough to propose an event with no pattern around them ("sanction",
    # "سفير", "oil"); common ones ("relations", "assets") only serve their patterns.
    loose_anchors: list[str] = []
    macros: dict[str, str] = {}
    frames: dict[str, Frame]
    triggers: list[Trigger] = Field(min_length=1)
    status: StatusCues
    easing: EasingCues
    # Keyed by dimension; the files write the kinds' family ("sanction"), read as its
    # dimension ("sanctions").
    confusers: dict[DimensionName, list[str]] = {}
    dates: DateWords
    # Lower → upper letters where the language's case mapping differs from Unicode's
    # default (Turkish i → İ, ı → I). A language that declares them also has its
    # case-sensitive names matched in capitals ("İRAN'A", "MISIR"), and its
    # case-insensitive ones folded with them.
    case_pairs: dict[str, str] = {}

    @field_validator("confusers", mode="before")
    @classmethod
    def _confusers_by_dimension(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        return {VOCABULARY.family_dimension.get(str(k), k): v for k, v in value.items()}

    @model_validator(mode="after")
    def _loose_anchors_are_anchors(self) -> Lexicon:
        stray = sorted(set(self.loose_anchors) - set(self.anchors))
        if stray:
            raise ValueError(f"loose_anchors not among the anchors: {', '.join(stray)}")
        return self

    @model_validator(mode="after")
    def _frames_exist(self) -> Lexicon:
        unknown = sorted({t.frame for t in self.triggers} - set(self.frames))
        if unknown:
            raise ValueError(f"triggers name unknown frames: {', '.join(unknown)}")
        return self


def _check_patterns(lexicon: Lexicon) -> list[str]:
    problems: list[str] = []
    for index, trigger in enumerate(lexicon.triggers):
        for pattern in trigger.patterns:
            try:
                re.compile(expand_macros(pattern, lexicon.macros))
            except (re.error, KeyError) as error:
                problems.append(f"triggers[{index}] ({trigger.type}): {pattern!r}: {error}")
    return problems


_MACRO = re.compile(r"<([a-z_][a-z0-9_]*)>")
_GAP = re.compile(r"gap(\d{1,2})")


def expand_macros(pattern: str, macros: dict[str, str]) -> str:
    """Replace `<name>` by its macro; `<gapN>` lets up to N words stand in between."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        gap = _GAP.fullmatch(name)
        if gap:
            # Commas may stand inside: Arabic news sets the day off as "، الاثنين،".
            return rf"(?:\s+[^\s.;:!?؟]+){{0,{gap.group(1)}}}"
        if name not in macros:
            raise KeyError(f"unknown macro <{name}>")
        return "(?:" + expand_macros(macros[name], macros) + ")"

    return _MACRO.sub(one, pattern)


def available_lexicons() -> list[str]:
    return sorted(path.stem for path in LEXICON_DIR.glob("*.yaml"))


def parse_lexicon(raw: object, source: str) -> Lexicon:
    """Validate one lexicon document; every problem is reported with its key."""
    try:
        lexicon = Lexicon.model_validate(raw)
    except ValidationError as error:
        lines = [
            ".".join(str(part) for part in item["loc"]) + f": {item['msg']}"
            for item in error.errors()
        ]
        raise LexiconError(f"{source} is invalid:\n  " + "\n  ".join(lines)) from error
    problems = _check_patterns(lexicon)
    if problems:
        raise LexiconError(f"{source} is invalid:\n  " + "\n  ".join(problems))
    return lexicon


@cache
def load_lexicon(lang: str) -> Lexicon:
    path = LEXICON_DIR / f"{lang}.yaml"
    if not path.exists():
        raise LexiconError(f"{path.name}: no lexicon for language {lang!r}")
    try:
        with path.open(encoding="utf-8") as handle:
            raw = yaml.safe_load(handle)
    except yaml.YAMLError as error:
        raise LexiconError(f"{path.name} is not valid YAML: {error}") from error
    lexicon = parse_lexicon(raw, path.name)
    if lexicon.lang != lang:
        raise LexiconError(
            f"{path.name} is invalid:\n  lang is {lexicon.lang!r}, file says {lang!r}"
        )
    return lexicon
