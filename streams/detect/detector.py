"""detect(article) → the events between states that the article reports.

Pure. Fold the text and look for triggers first (most articles have none); only in
sentences with a trigger read the grammar's frames (`grammar`), propose every pair of
states there as a candidate (`instances`), and let the learned model (`model`) decide
which pairs hold which event and with which status (`decide`). Each finding keeps its
sentence as evidence, in offsets of the original text.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.events import Article, Event
from streams.detect.arabic import FoldedText, fold_arabic, fold_latin
from streams.detect.dates import date_rules, dateline_day
from streams.detect.decide import decide
from streams.detect.grammar import Reader
from streams.detect.instances import Instance, read_instances
from streams.detect.langid import (
    identify,
    languages_of_script,
    script_of,
    supported_languages,
    tagged_language,
)
from streams.detect.mentions import mention_matcher
from streams.detect.model import Model, shipped_model
from streams.detect.rules import language_rules
from streams.detect.sentences import split_sentences
from streams.detect.triggers import (
    Hit,
    anchor_positions,
    find_hits,
    find_loose_hits,
    has_anchor,
)


@dataclass
class Reading:
    """An article as the detector reads it, before any decision."""

    article: Article
    lang: str
    folded: FoldedText
    reader: Reader
    instances: list[Instance]


def read_article(article: Article) -> Reading | None:
    """The candidates of an article, or None when it has no trigger or no language."""
    lang = tagged_language(article)
    folded: FoldedText | None = None
    script: str | None = None
    if lang is None:
        # Telling languages apart costs more than finding that no language of the script
        # has an anchor in the text, which is what most articles show.
        script = script_of(article.text)
        if script is None:
            return None
        folded = _fold(article.text, script)
        # A language none of whose anchors stands in the text can report nothing here.
        possible = [
            other
            for other in languages_of_script(script)
            if has_anchor(language_rules(other), folded.folded)
        ]
        if not possible:
            return None
        lang = identify(article.text, script, possible)
        if lang is None:
            return None
    rules = language_rules(lang)
    if folded is None or script != rules.lexicon.script:
        folded = _fold(article.text, rules.lexicon.script)
    text = folded.folded
    anchors = anchor_positions(rules, text)  # found once, for patterns and loose hits alike
    hits = find_hits(rules, text, anchors)
    loose = find_loose_hits(rules, anchors, hits)
    if not hits and not loose:
        return None
    published = article.published_day or dateline_day(text, lang)
    reader = Reader(lang, rules, text, split_sentences(text), published)
    # A loose anchor is read once per sentence and type, where the sentence names two
    # states or more.
    seen: set[tuple[int, str]] = set()
    states: dict[int, int] = {}
    for hit in loose:
        index = reader.sentences.index_at(hit.start)
        place = (index, hit.trigger.trigger.type)
        if place in seen:
            continue
        seen.add(place)
        if index not in states:
            states[index] = _states_in(reader, hit)
        if states[index] >= 2:
            hits.append(hit)
    # Reading costs per hit: a text made of triggers would otherwise hold the stage for
    # a minute. Real articles stay far below (the corpora's busiest has 437 hits).
    instances = read_instances(reader, [reader.read(hit) for hit in hits[:MAX_HITS]])
    if not instances:
        return None
    return Reading(article, lang, folded, reader, instances)


MAX_HITS = 600  # hits read per article, in text order: pattern hits first, then loose ones
_LOOSE_REACH = 200  # characters around a loose anchor where its two states must stand


def _fold(text: str, script: str) -> FoldedText:
    return fold_arabic(text) if script == "arabic" else fold_latin(text)


def _states_in(reader: Reader, hit: Hit) -> int:
    """States named near a loose anchor in its sentence: a cheap gate before reading it."""
    index = reader.sentences.index_at(hit.start)
    start = max(reader.sentences.starts[index], hit.start - _LOOSE_REACH)
    end = min(reader.sentences.ends[index], hit.end + _LOOSE_REACH)
    mentions = reader.matcher.find(reader.text, start, end, reader.published)
    return len({mention.code for mention in mentions if mention.code})


def detect(article: Article, model: Model | None = None) -> list[Event]:
    reading = read_article(article)
    if reading is None:
        return []
    return decide(reading, model or shipped_model())


def warm_up() -> tuple[str, ...]:
    """Read and compile every language's lexicon and gazetteer and the model now (two
    seconds or so), so that no article waits for it; the languages ready."""
    languages = supported_languages()
    for lang in languages:
        language_rules(lang)
        mention_matcher(lang)
        date_rules(lang)
    shipped_model()
    return languages
