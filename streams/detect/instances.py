"""Candidate (actor, target) pairs around triggers, each described by what the grammar saw.

Every sentence with a trigger proposes every ordered pair of the states it names (with
"the two countries" and "his country" resolved, and the states of the sentence before
when it names fewer than two). A pair is described by strings: the trigger types near
it, the roles the frame rules gave each state, where each stands from the trigger, the
word before each, the words around the trigger and between the two. The model weighs
these; no decision is taken here. Nothing in this module knows a language: words come
from the text, roles from the lexicon's frames.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from models.events import EVENT_TYPES
from models.vocabulary import VOCABULARY
from streams.detect.clauses import Sentence
from streams.detect.grammar import HitReading, Reader

CONTEXT = 10  # words on each side of a trigger that describe it
_NEAR = 4  # words on each side whose adjacent pairs describe it too
_BETWEEN = 8  # words between the two states that describe them
_STEM = 5  # a word's first letters: a crude stem that carries across inflections
_LEAD = 2  # opening sentences of an article (a headline and its first line)
_CARRY_BACK = 1  # sentences back that may lend states to a sentence naming fewer than two


@dataclass(frozen=True)
class _Place:
    """One state at one place of a sentence (token -1: carried from a sentence before)."""

    code: str
    kind: str
    first: int
    last: int
    clitic: str
    mention: int  # index in the sentence's mentions, -1 when carried


@dataclass
class Instance:
    sentence: int
    actor: str
    target: str
    features: list[str]
    readings: list[HitReading] = field(default_factory=list)
    actor_first: bool = True  # the actor is named before the target in the sentence

    @property
    def kinds(self) -> frozenset[str]:
        """The event types the pair is scored for: every type of a dimension that a trigger
        or loose anchor of the sentence speaks of. A sentence about embassies says nothing
        of oil; within a dimension the model may still read the type the words say."""
        spoken = {
            VOCABULARY.kind(reading.hit.trigger.trigger.type).dimension for reading in self.readings
        }
        return frozenset(kind for kind in EVENT_TYPES if VOCABULARY.kind(kind).dimension in spoken)

    @property
    def patterned(self) -> frozenset[str]:
        """The event types a whole trigger pattern of the sentence names (no loose anchor)."""
        return frozenset(
            reading.hit.trigger.trigger.type for reading in self.readings if not reading.hit.loose
        )

    def nearest(self) -> HitReading:
        return self.readings[0]


def read_instances(reader: Reader, readings: Iterable[HitReading]) -> list[Instance]:
    by_sentence: dict[int, list[HitReading]] = {}
    for reading in readings:
        by_sentence.setdefault(reading.sentence, []).append(reading)
    out: list[Instance] = []
    for index, hits in sorted(by_sentence.items()):
        out += _sentence_instances(reader, index, hits)
    _add_article_features(out)
    return out


def _add_article_features(instances: list[Instance]) -> None:
    """How the article as a whole treats the pair: how often it comes back, and whether
    it stands in the opening sentences, where news states its main event."""
    sentences: dict[frozenset[str], set[int]] = {}
    for instance in instances:
        sentences.setdefault(frozenset((instance.actor, instance.target)), set()).add(
            instance.sentence
        )
    for instance in instances:
        seen = sentences[frozenset((instance.actor, instance.target))]
        instance.features.append(f"pair_sentences:{_bucket(len(seen))}")
        if instance.sentence < _LEAD:
            instance.features.append("lead")
        if min(seen) == instance.sentence:
            instance.features.append("pair_first")


def _places(reader: Reader, index: int) -> list[_Place]:
    view = reader.view(index)
    places: list[_Place] = []
    for position, mention in enumerate(view.mentions):
        first, last = view.first_token_of[position], view.last_token_of[position]
        codes: tuple[str, ...]
        if mention.code:
            codes = (mention.code,)
        elif mention.kind in ("pair", "self"):
            codes = reader.refer(index, mention)
        else:
            continue
        for code in codes:
            places.append(_Place(code, mention.kind, first, last, mention.clitic, position))
    return places


def _carried(reader: Reader, index: int, present: set[str]) -> list[_Place]:
    out: list[_Place] = []
    for back in range(index - 1, max(index - 1 - _CARRY_BACK, -1), -1):
        for place in _places(reader, back):
            if place.code not in present:
                present.add(place.code)
                out.append(_Place(place.code, place.kind, -1, -1, place.clitic, -1))
    return out


def _sentence_instances(reader: Reader, index: int, hits: list[HitReading]) -> list[Instance]:
    view = reader.view(index)
    places = _places(reader, index)
    codes = {place.code for place in places}
    carried: list[_Place] = []
    if len(codes) < 2:
        carried = _carried(reader, index, set(codes))
        places += carried
    by_code: dict[str, list[_Place]] = {}
    for place in places:
        by_code.setdefault(place.code, []).append(place)
    if len(by_code) < 2:
        return []
    shared = _sentence_features(reader, view, hits, len(by_code))
    # Each state stands where it is nearest a trigger, whichever pair it is taken in.
    closest = {code: _closest(code_places, hits) for code, code_places in by_code.items()}
    first_state = min((p.first for p in places if p.first >= 0), default=-1)
    out: list[Instance] = []
    for actor, a in closest.items():
        for target, b in closest.items():
            if actor == target:
                continue
            ordered = sorted(hits, key=lambda h: _distance(a, h) + _distance(b, h))
            features = shared + _pair_features(reader, view, a, b, ordered, places, first_state)
            first = a.first < b.first if a.first >= 0 and b.first >= 0 else a.first >= 0
            out.append(Instance(index, actor, target, features, ordered, first))
    return out


def _label(reading: HitReading) -> str:
    """A hit's type as features name it; a loose anchor's weighs apart from a pattern's."""
    kind = reading.hit.trigger.trigger.type
    return f"{kind}~" if reading.hit.loose else kind


def _distance(place: _Place, reading: HitReading) -> int:
    if place.first < 0:
        return 40
    if place.last < reading.first_token:
        return reading.first_token - place.last
    return max(place.first - reading.last_token, 0)


def _closest(places: list[_Place], hits: list[HitReading]) -> _Place:
    return min(places, key=lambda p: min(_distance(p, h) for h in hits))


def _bucket(distance: int) -> str:
    for limit, name in ((0, "0"), (2, "2"), (5, "5"), (10, "10"), (20, "20")):
        if distance <= limit:
            return name
    return "far"


def context_words(view: Sentence, low: int, high: int) -> list[str]:
    """The words (not punctuation) of tokens [low, high) of a sentence."""
    return [w for w in view.words[max(low, 0) : max(high, 0)] if w.isalnum() or len(w) > 1]


def _sentence_features(
    reader: Reader, view: Sentence, hits: list[HitReading], states: int
) -> list[str]:
    features = ["bias", f"states:{min(states, 5)}"]
    for reading in hits:
        kind = _label(reading)
        frame = reading.hit.trigger.trigger.frame
        features += [f"hit:{kind}", f"frame:{kind}:{frame}", f"st:{kind}:{reading.status.status}"]
        if reading.confused:
            features.append(f"confused:{kind}")
        low, high = reading.first_token - CONTEXT, reading.last_token + 1 + CONTEXT
        context = context_words(view, low, high)
        for word in context:
            features.append(f"w:{word}")
            if len(word) > _STEM + 1:
                features.append(f"s:{word[:_STEM]}")
        near = context_words(view, reading.first_token - _NEAR, reading.last_token + 1 + _NEAR)
        features += [f"w2:{a}_{b}" for a, b in itertools.pairwise(near)]
        for word in context_words(view, reading.first_token, reading.last_token + 1):
            features.append(f"t:{kind}:{word}")
    return sorted(set(features))


def _side(place: _Place, reading: HitReading) -> str:
    if place.first < 0:
        return "carried"
    if place.last < reading.first_token:
        return "before"
    if place.first > reading.last_token:
        return "after"
    return "inside"


def _pair_features(
    reader: Reader,
    view: Sentence,
    a: _Place,
    b: _Place,
    hits: list[HitReading],
    places: list[_Place],
    first_state: int,  # token of the sentence's first state
) -> list[str]:
    features: list[str] = []
    blocs = reader.blocs
    for name, place in (("A", a), ("B", b)):
        features.append(f"k{name}:{place.kind}")
        if place.code in blocs:
            features.append(f"bloc{name}")
        if place.first < 0:
            features.append(f"carried{name}")
            continue
        if place.clitic:
            features.append(f"c{name}:{place.clitic}")
        if place.first > 0:
            features.append(f"p{name}:{view.words[place.first - 1]}")
        if place.first > 1:
            features.append(f"pp{name}:{view.words[place.first - 2]}")
        if place.last + 1 < len(view.words):
            features.append(f"n{name}:{view.words[place.last + 1]}")
        if place.first == first_state:
            features.append(f"first{name}")
    if a.first >= 0 and b.first >= 0:
        features.append("order:AB" if a.first < b.first else "order:BA")
        low, high = sorted((a.last + 1, b.first)) if a.first < b.first else (b.last + 1, a.first)
        gap = context_words(view, low, high)
        features.append(f"gap:{_bucket(len(gap))}")
        if all(w in reader.rules.words.conjunctions or w in ",،" for w in gap) and gap:
            features.append("coordinated")
        for word in gap[:_BETWEEN]:
            features.append(f"g:{word}")
    seen: set[str] = set()
    for rank, reading in enumerate(hits):
        kind = _label(reading)
        if kind in seen:
            continue
        seen.add(kind)
        near = "near" if rank == 0 else "other"
        side_a, side_b = _side(a, reading), _side(b, reading)
        features += [
            f"{kind}|{near}",
            f"{kind}|A:{side_a}:{_bucket(_distance(a, reading))}",
            f"{kind}|B:{side_b}:{_bucket(_distance(b, reading))}",
            f"{kind}|AB:{side_a}:{side_b}",
        ]
        roles = {
            (argument.mention.start, argument.mention.code): (
                f"{argument.role}:{argument.source}",
                argument.chain,
            )
            for argument in reading.arguments
        }
        pair_roles: list[str] = []
        pair_chains: list[int | None] = []
        for name, place in (("A", a), ("B", b)):
            if place.first >= 0:
                if place.last < reading.first_token:
                    between = context_words(view, place.last + 1, reading.first_token)
                else:
                    between = context_words(view, reading.last_token + 1, place.first)
                features += [f"{name}>{word}" for word in between[:_BETWEEN]]
            role, chain = "carried", None
            if place.mention >= 0:
                mention = view.mentions[place.mention]
                role, chain = roles.get((mention.start, mention.code), ("none", None))
            features.append(f"{kind}|r{name}:{role}")
            pair_roles.append(role.split(":", 1)[0])
            pair_chains.append(chain)
        features.append(f"{kind}|rAB:{pair_roles[0]}:{pair_roles[1]}")
        if pair_chains[0] is not None and pair_chains[0] == pair_chains[1]:
            # Named together in one role ("to Hungary and Slovakia", "the US and the EU
            # imposed"): co-members, seldom each other's counterpart.
            features += [f"{kind}|one-chain:{role}", f"*|one-chain:{role}"]
        rule = _rule_features(kind, reading, a.code, b.code)
        features += rule
        # The same evidence without the type: what roles and rules say about who acts on
        # whom carries across types and across pattern and loose hits, where each type's
        # own features have seen few examples.
        features.append(f"*|rAB:{pair_roles[0]}:{pair_roles[1]}")
        features.append(f"*|AB:{side_a}:{side_b}")
        features += [f"*{feature[len(kind) :]}" for feature in rule]
    if a.first >= 0 and b.first >= 0:
        low, high = sorted((a.first, b.first))
        if any(low < p.first < high and p.code not in (a.code, b.code) for p in places):
            features.append("third_between")
    return features


def _rule_features(kind: str, reading: HitReading, a: str, b: str) -> list[str]:
    """What the frame rules made of this pair, and whether they paired either state
    with another one instead (a co-actor in a list is no party of the pair)."""
    features: list[str] = []
    for finding in reading.findings:
        pair = (finding.actor, finding.target)
        if pair == (a, b):
            features.append(f"{kind}|rule:fwd:{finding.status}")
        elif pair == (b, a):
            features.append(f"{kind}|rule:rev")
        else:
            if finding.actor == a:
                features.append(f"{kind}|rule:A-acts-on-other")
            if finding.target == b:
                features.append(f"{kind}|rule:other-acts-on-B")
            if finding.target == a:
                features.append(f"{kind}|rule:A-is-target")
            if finding.actor == b:
                features.append(f"{kind}|rule:B-is-actor")
            features.append(f"{kind}|rule:other")
    return features
