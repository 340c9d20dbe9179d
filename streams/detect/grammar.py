"""The grammar's reading of one trigger: who the frame makes actor and target, and how.

For every trigger hit the frame rules assign roles to the states of its clause
(`assign_roles`), turn roles into (actor, target) findings (`parties_of`), read the
status cues and the date. The learned layer (`instances`, `model`) takes these readings
as evidence, beside the words themselves; it never has to agree with them.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from functools import partial

from models.events import EventType, Status
from models.vocabulary import VOCABULARY
from streams.detect.chains import Argument
from streams.detect.clauses import Sentence, clause_bounds, read_sentence
from streams.detect.dates import find_date
from streams.detect.mentions import Mention, mention_matcher
from streams.detect.parties import Finding, lone_parties, parties_of
from streams.detect.roles import assign_roles
from streams.detect.rules import CompiledTrigger, LanguageRules
from streams.detect.sentences import Sentences
from streams.detect.status import StatusReading, read_status
from streams.detect.triggers import Hit

_CONFUSER_MARGIN = 0  # words beyond the clause where a confuser still spoils a trigger
_CARRIED_CERTAINTY = 0.7  # an actor taken from the sentence before
_DATE_AFTER = 40  # characters after a date_follows construction where its own date stands


@dataclass(frozen=True)
class RuleFinding:
    """One (type, actor, target) the frame rules derive from a hit."""

    type: EventType
    actor: str
    target: str
    status: Status
    confidence: float
    directed: bool  # the text says who acts, so the order is kept


@dataclass(frozen=True)
class HitReading:
    hit: Hit
    sentence: int
    first_token: int
    last_token: int
    confused: bool  # a confuser of the trigger's dimension stands in its clause
    arguments: tuple[Argument, ...]
    findings: tuple[RuleFinding, ...]
    status: StatusReading
    date: str | None


class Reader:
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

    def read(self, hit: Hit) -> HitReading:
        index = self.sentences.index_at(hit.start)
        sentence = self.view(index)
        first = max(token_index(sentence, hit.start), 0)
        last = max(first, token_index(sentence, hit.end - 1))
        status = read_status(self.rules, sentence, (hit.start, hit.end))
        low, high = self.sentences.starts[index], self.sentences.ends[index]
        if hit.trigger.trigger.date_follows:
            low, high = hit.end, min(high, hit.end + _DATE_AFTER)
        date = find_date(self.text, low, high, hit.start, self.lang, self.published)
        reading = HitReading(hit, index, first, last, False, (), (), status, date)
        if not any(m.code or m.kind in ("pair", "self") for m in sentence.mentions):
            return reading
        trigger = hit.trigger
        left, right = clause_bounds(sentence, first, last, self.rules.words)
        confused = self._confused(trigger, sentence, left, right)
        arguments = assign_roles(sentence, (hit.start, hit.end), trigger.frame, self.rules.words)
        resolve = partial(self.refer, index)
        findings = parties_of(trigger.trigger.type, arguments, resolve)
        if not findings and VOCABULARY.is_directed(trigger.trigger.type):
            findings = self._carry(index, trigger, lone_parties(arguments, resolve))
        out: list[RuleFinding] = []
        if not confused:
            for finding in findings:
                confidence = round(trigger.trigger.strength * finding.certainty, 2)
                out.append(_finding(trigger, finding, status.status, confidence))
                if status.presupposes_occurred:
                    out.append(_finding(trigger, finding, "occurred", round(confidence * 0.8, 2)))
        return HitReading(
            hit, index, first, last, confused, tuple(arguments), tuple(out), status, date
        )

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
        if carried is None and index > 0 and self.same_paragraph(index - 1, index):
            carried = self._lone_actors.get(index - 1)
        return [
            Finding(actor, target, _CARRIED_CERTAINTY, True)
            for actor in carried or ()
            for target in targets
            if actor != target
        ]

    def same_paragraph(self, before: int, after: int) -> bool:
        return "\n" not in self.text[self.sentences.ends[before] : self.sentences.starts[after]]

    def _confused(
        self, trigger: CompiledTrigger, sentence: Sentence, left: int, right: int
    ) -> bool:
        regex = self.rules.confusers.get(VOCABULARY.kind(trigger.trigger.type).dimension)
        if regex is None or not sentence.starts:
            return False
        low = sentence.starts[max(left - _CONFUSER_MARGIN, 0)]
        high = sentence.ends[min(right + _CONFUSER_MARGIN, len(sentence.ends) - 1)]
        return regex.search(self.text, low, high) is not None

    def refer(self, index: int, mention: Mention) -> tuple[str, ...]:
        """The states a reference word stands for ("بلاده", "the two countries")."""
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
        return venue_of(view, position, self.rules.words.locatives)

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


def venue_of(view: Sentence, position: int, locatives: frozenset[str]) -> bool:
    """A capital after a preposition of place ("في أديس أبابا") is where, not who."""
    mention = view.mentions[position]
    if mention.kind != "capital":
        return False
    if mention.clitic and mention.clitic in locatives:
        return True
    token = view.first_token_of[position]
    return token > 0 and view.words[token - 1] in locatives


def token_index(sentence: Sentence, position: int) -> int:
    return bisect_right(sentence.starts, position) - 1


def _finding(
    trigger: CompiledTrigger, finding: Finding, status: Status, confidence: float
) -> RuleFinding:
    return RuleFinding(
        trigger.trigger.type,
        finding.actor,
        finding.target,
        status,
        min(max(confidence, 0.0), 1.0),
        finding.directed,
    )
