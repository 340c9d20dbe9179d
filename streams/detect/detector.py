"""detect(article) → the events between states that the article reports.

Pure and rule-based: fold the text, look for triggers first (most articles have none),
and only in sentences with a trigger find the states and apply the trigger's frame.
Each finding keeps its sentence as evidence, in offsets of the original text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from models.events import Article, Event, EventType, Evidence, Status
from streams.detect.arabic import FoldedText, fold_arabic, fold_latin
from streams.detect.clauses import Sentence, clause_bounds, read_sentence
from streams.detect.dates import date_rules, find_date
from streams.detect.langid import article_language, supported_languages
from streams.detect.mentions import Mention, mention_matcher
from streams.detect.parties import Finding, lone_parties, parties_of
from streams.detect.roles import assign_roles
from streams.detect.rules import CompiledTrigger, LanguageRules, language_rules
from streams.detect.sentences import Sentences, split_sentences
from streams.detect.status import read_status
from streams.detect.triggers import Hit, find_hits

_CONFUSER_MARGIN = 0  # words beyond the clause where a confuser still spoils a trigger
_CARRIED_CERTAINTY = 0.7  # an actor taken from the sentence before


@dataclass
class _Candidate:
    type: EventType
    actor: str
    target: str
    status: Status
    confidence: float
    sentence: int
    date: str | None
    directed: bool  # the text says who acts, so the order is kept


def detect(article: Article) -> list[Event]:
    lang = article_language(article)
    if lang is None:
        return []
    rules = language_rules(lang)
    folded = (
        fold_arabic(article.text) if rules.lexicon.script == "arabic" else fold_latin(article.text)
    )
    text = folded.folded
    hits = find_hits(rules, text)
    if not hits:
        return []
    reader = _Reader(lang, rules, text, split_sentences(text), article.published_at)
    candidates: list[_Candidate] = []
    for hit in hits:
        candidates += reader.read(hit)
    return _events(article, lang, folded, reader.sentences, candidates)


def warm_up() -> tuple[str, ...]:
    """Read and compile every language's lexicon and gazetteer now (two seconds or so), so
    that no article waits for it; the languages ready."""
    languages = supported_languages()
    for lang in languages:
        language_rules(lang)
        mention_matcher(lang)
        date_rules(lang)
    return languages


class _Reader:
    """Reads triggers in context; caches each sentence's tokens and states."""

    def __init__(
        self,
        lang: str,
        rules: LanguageRules,
        text: str,
        sentences: Sentences,
        published: dt.date | None,
    ) -> None:
        self.lang = lang
        self.rules = rules
        self.text = text
        self.sentences = sentences
        self.published = published
        self.matcher = mention_matcher(lang)
        entities = self.matcher.gazetteer.entities
        self.blocs = frozenset(code for code, entity in entities.items() if entity.kind == "bloc")
        self._views: dict[int, Sentence] = {}
        self._lone_actors: dict[int, list[str]] = {}  # sentence → actors of a targetless sanction

    def view(self, index: int) -> Sentence:
        if index not in self._views:
            start, end = self.sentences.starts[index], self.sentences.ends[index]
            mentions = self.matcher.find(self.text, start, end, self.published)
            self._views[index] = read_sentence(
                self.text, start, end, mentions, self.rules.fold_case
            )
        return self._views[index]

    def read(self, hit: Hit) -> list[_Candidate]:
        index = self.sentences.index_at(hit.start)
        sentence = self.view(index)
        if not any(m.code or m.kind in ("pair", "self") for m in sentence.mentions):
            return []
        words = self.rules.words
        trigger = hit.trigger
        first = max(_token_index(sentence, hit.start), 0)
        last = max(first, _token_index(sentence, hit.end - 1))
        left, right = clause_bounds(sentence, first, last, words)
        if self._confused(trigger, sentence, left, right):
            return []
        arguments = assign_roles(sentence, (hit.start, hit.end), trigger.frame, words)
        resolve = partial(self._refer, index)
        findings = parties_of(trigger.trigger.type, arguments, resolve)
        if not findings and trigger.dimension == "sanction":
            findings = self._carry(index, trigger, lone_parties(arguments, resolve))
        if not findings:
            return []
        reading = read_status(self.rules, sentence, (hit.start, hit.end))
        date = find_date(
            self.text,
            self.sentences.starts[index],
            self.sentences.ends[index],
            hit.start,
            self.lang,
            self.published,
        )
        out: list[_Candidate] = []
        for finding in findings:
            confidence = round(trigger.trigger.strength * finding.certainty, 2)
            out.append(_candidate(trigger, finding, reading.status, confidence, index, date))
            if reading.presupposes_occurred:
                out.append(
                    _candidate(
                        trigger, finding, "occurred", round(confidence * 0.8, 2), index, date
                    )
                )
        return out

    def _carry(
        self, index: int, trigger: CompiledTrigger, lone: tuple[list[str], list[str]]
    ) -> list[Finding]:
        """Join a sanction named without its target to one named without its actor.

        "أعلنت الخزانة الأميركية توسيع قائمة العقوبات. وفرضت العقوبات على شركات إيرانية":
        a verb with no agent of its own, right after a sentence of the same paragraph
        whose sanction has an actor and no target, is that actor's.
        """
        actors, targets = lone
        if actors and not targets:
            self._lone_actors[index] = actors
            return []
        if not targets or actors or trigger.frame.subject == "none":
            return []
        carried = self._lone_actors.get(index)
        if carried is None and index > 0 and self._same_paragraph(index - 1, index):
            carried = self._lone_actors.get(index - 1)
        return [
            Finding(actor, target, _CARRIED_CERTAINTY, True)
            for actor in carried or ()
            for target in targets
            if actor != target
        ]

    def _same_paragraph(self, before: int, after: int) -> bool:
        return "\n" not in self.text[self.sentences.ends[before] : self.sentences.starts[after]]

    def _confused(
        self, trigger: CompiledTrigger, sentence: Sentence, left: int, right: int
    ) -> bool:
        regex = self.rules.confusers.get(trigger.dimension)
        if regex is None or not sentence.starts:
            return False
        low = sentence.starts[max(left - _CONFUSER_MARGIN, 0)]
        high = sentence.ends[min(right + _CONFUSER_MARGIN, len(sentence.ends) - 1)]
        return regex.search(self.text, low, high) is not None

    def _refer(self, index: int, mention: Mention) -> tuple[str, ...]:
        if mention.kind == "self":
            # "بلاده", "his country": the state the sentence opens with, its speaker's.
            for other in self.view(index).mentions:
                if other.start >= mention.start:
                    break
                if other.code:
                    return (other.code,)
            return ()
        return self._pair(index, mention) or ()

    def _venue(self, view: Sentence, position: int) -> bool:
        return _venue_of(view, position, self.rules.words.locatives)

    def _pair(self, index: int, pair: Mention) -> tuple[str, str] | None:
        """The two states "the two countries" stands for: the last two named before it."""
        codes: list[str] = []
        for back in range(index, max(index - 4, -1), -1):
            view = self.view(back)
            for position in range(len(view.mentions) - 1, -1, -1):
                mention = view.mentions[position]
                if back == index and mention.start >= pair.start:
                    continue
                if self._venue(view, position):
                    continue
                # "The two countries" are states; a bloc or the UN named nearby is a venue.
                if mention.code in self.blocs:
                    continue
                if mention.code and mention.code not in codes:
                    codes.append(mention.code)
                    if len(codes) == 2:
                        return codes[1], codes[0]
        return None


def _venue_of(view: Sentence, position: int, locatives: frozenset[str]) -> bool:
    """A capital after a preposition of place ("في أديس أبابا") is where, not who."""
    mention = view.mentions[position]
    if mention.kind != "capital":
        return False
    if mention.clitic and mention.clitic in locatives:
        return True
    token = view.first_token_of[position]
    return token > 0 and view.words[token - 1] in locatives


def _token_index(sentence: Sentence, position: int) -> int:
    from bisect import bisect_right

    return bisect_right(sentence.starts, position) - 1


def _candidate(
    trigger: CompiledTrigger,
    finding: Finding,
    status: Status,
    confidence: float,
    index: int,
    date: str | None,
) -> _Candidate:
    return _Candidate(
        trigger.trigger.type,
        finding.actor,
        finding.target,
        status,
        min(max(confidence, 0.0), 1.0),
        index,
        date,
        finding.directed,
    )


def _events(
    article: Article,
    lang: str,
    folded: FoldedText,
    sentences: Sentences,
    candidates: list[_Candidate],
) -> list[Event]:
    # Undirected findings follow the order the article first gave the pair, so one pair
    # never yields both X→Y and Y→X for relations and oil.
    orientation: dict[tuple[str, frozenset[str]], tuple[str, str]] = {}
    for candidate in sorted(candidates, key=lambda c: (not c.directed, c.sentence)):
        if candidate.type.startswith("sanction."):
            continue
        pair_key = (candidate.type, frozenset((candidate.actor, candidate.target)))
        orientation.setdefault(pair_key, (candidate.actor, candidate.target))
    best: dict[tuple[str, str, str, str], _Candidate] = {}
    for candidate in candidates:
        if not candidate.type.startswith("sanction."):
            pair = frozenset((candidate.actor, candidate.target))
            candidate.actor, candidate.target = orientation[(candidate.type, pair)]
        key = (candidate.type, candidate.actor, candidate.target, candidate.status)
        if key not in best or candidate.confidence > best[key].confidence:
            best[key] = candidate
    events: list[Event] = []
    for candidate in sorted(best.values(), key=lambda c: (c.sentence, c.type)):
        start, end = folded.span(
            sentences.starts[candidate.sentence], sentences.ends[candidate.sentence]
        )
        events.append(
            Event(
                article_id=article.id,
                type=candidate.type,
                actor=candidate.actor,
                target=candidate.target,
                status=candidate.status,
                date=candidate.date,
                confidence=candidate.confidence,
                lang=lang,
                evidence=Evidence(text=article.text[start:end], start=start, end=end),
            )
        )
    return events
