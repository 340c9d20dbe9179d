"""From scored candidate pairs to events: one per (type, pair, status) in an article.

A pair may be proposed by several sentences; the article's event is the best-scored
one, and it keeps that sentence as evidence and that trigger's date. Relations and oil
are between two states, so both orders of a pair are one event, told in the order of
the better-scored reading (the acting side first).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from models.events import Event, EventType, Evidence, Status
from models.vocabulary import VOCABULARY
from streams.detect.chains import find_chains
from streams.detect.easing import is_easing
from streams.detect.instances import Instance
from streams.detect.model import Model
from streams.detect.status_features import status_features

if TYPE_CHECKING:
    from streams.detect.detector import Reading
    from streams.detect.grammar import HitReading


@dataclass
class _Best:
    probability: float
    instance: Instance
    actor: str
    target: str
    backed: bool = False  # some sentence's frame rules name this very event


# The probability an event needs where a trigger pattern's frame rules name it (this
# type, these two states) in some sentence of the article. The rules alone are right
# 88% of the time on the labelled text and the model alone 81%, so the model's doubts
# about a rule's reading weigh less than its doubts about a pair no rule names. Below
# 0.2 the model is mostly right to overrule them (a dative read as the target).
BACKED_THRESHOLD = 0.2

# The status of a measure another report tells as in force before it.
_IN_FORCE = VOCABULARY.status_where(changes_state=True)


def directed(kind: str) -> bool:
    return VOCABULARY.is_directed(kind)


def pair_key(kind: str, actor: str, target: str) -> tuple[str, str, str]:
    """How an event is told apart: sanctions by direction, the rest by unordered pair."""
    if directed(kind):
        return (kind, actor, target)
    low, high = sorted((actor, target))
    return (kind, low, high)


def _exclusive(probabilities: dict[str, float]) -> dict[str, float]:
    """One sentence about one pair mostly reports one event of a dimension: imposing or
    lifting, cutting or restoring. A type below its dimension's strongest in the same
    sentence keeps its probability scaled by its share of the strongest's."""
    top: dict[str, float] = {}
    for kind, probability in probabilities.items():
        dimension = VOCABULARY.kind(kind).dimension
        top[dimension] = max(top.get(dimension, 0.0), probability)
    out: dict[str, float] = {}
    for kind, probability in probabilities.items():
        strongest = top[VOCABULARY.kind(kind).dimension]
        out[kind] = probability if probability >= strongest else probability**2 / strongest
    return out


def best_pairs(reading: Reading, model: Model) -> dict[tuple[str, str, str], _Best]:
    return _best_and_dated(reading, model)[0]


# Per event, its readings that tell a date and pass on their own: probability, date, sentence.
_Dated = dict[tuple[str, str, str], list[tuple[float, str, int]]]


def _best_and_dated(
    reading: Reading, model: Model
) -> tuple[dict[tuple[str, str, str], _Best], _Dated]:
    """The best reading of each event, and its readings that tell a date: a report names
    an event undated where it matters most ("lifted the arms embargo on Somalia") and
    dates it further on ("in 1992 the UN imposed an arms embargo on Somalia")."""
    best: dict[tuple[str, str, str], _Best] = {}
    dated: _Dated = {}
    backed = _backed(reading)
    for instance in reading.instances:
        kinds = instance.kinds
        scores = model.types.probabilities(instance.features)
        for kind, probability in _exclusive(scores).items():
            if kind not in kinds:
                continue
            key = pair_key(kind, instance.actor, instance.target)
            held = best.get(key)
            if held is None or _better(model, kind, probability, instance, held):
                best[key] = _Best(
                    probability, instance, instance.actor, instance.target, key in backed
                )
            date = _reading_of(instance, kind).date
            if date is not None and probability >= model.thresholds.get(kind, 0.5):
                dated.setdefault(key, []).append((probability, date, instance.sentence))
    return best, dated


def _date_elsewhere(dated: _Dated, key: tuple[str, str, str], not_in: int | None) -> str | None:
    """The date of the best dated reading of an event outside one sentence."""
    told = [(p, date) for p, date, sentence in dated.get(key, ()) if sentence != not_in]
    return max(told)[1] if told else None


def _reading_of(instance: Instance, kind: str) -> HitReading:
    """The trigger reading of a pair that stands for this type, else the nearest one."""
    return next(
        (r for r in instance.readings if r.hit.trigger.trigger.type == kind),
        instance.nearest(),
    )


def _hit_readings(reading: Reading) -> list[HitReading]:
    """Each trigger's reading once: every pair of a sentence carries all of its readings,
    so walking the pairs would meet a sentence's readings once per ordered pair."""
    seen: dict[int, HitReading] = {}
    for instance in reading.instances:
        for hit in instance.readings:
            seen.setdefault(id(hit), hit)
    return list(seen.values())


def _backed(reading: Reading) -> set[tuple[str, str, str]]:
    """The events that the frame rules of a whole trigger pattern (no loose anchor) name."""
    return {
        pair_key(finding.type, finding.actor, finding.target)
        for hit in _hit_readings(reading)
        if not hit.hit.loose
        for finding in hit.findings
    }


def _listed(reading: Reading, passing: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """The events a trigger's frame rules read beside one that passed, of its type, for
    the other states of a list: other actors on its target ("Latvia, Lithuania and Estonia
    expelled Russian diplomats"), or other targets of its actor where the two targets stand
    in one list ("expelled the ambassadors of Argentina, Chile, … and Uruguay"). The model
    weighs each state of a list apart and doubts those far from the trigger; the rules gave
    them one role. (Spreading to every other target of one actor, listed together or not,
    cost more precision than it gained recall on the labelled text.)"""
    out: set[tuple[str, str, str]] = set()
    lists: dict[int, dict[str, set[int]]] = {}  # per sentence, found when first needed
    for hit in _hit_readings(reading):
        if hit.hit.loose:
            continue
        for found in hit.findings:
            if pair_key(found.type, found.actor, found.target) not in passing:
                continue
            for other in hit.findings:
                if other.type != found.type:
                    continue
                if other.target == found.target and other.actor != found.actor:
                    out.add(pair_key(other.type, other.actor, other.target))
                elif other.actor == found.actor and other.target != found.target:
                    if hit.sentence not in lists:
                        lists[hit.sentence] = _lists(reading, hit.sentence)
                    chains = lists[hit.sentence]
                    if chains.get(other.target, set()) & chains.get(found.target, set()):
                        out.add(pair_key(other.type, other.actor, other.target))
    return out - passing


def _lists(reading: Reading, index: int) -> dict[str, set[int]]:
    """For each state a sentence names, the lists (chains of conjoined states) it is in."""
    view = reading.reader.view(index)
    chains = find_chains(view, list(range(len(view.mentions))), reading.reader.rules.words)
    out: dict[str, set[int]] = {}
    for number, chain in enumerate(chains):
        if len(chain) < 2:
            continue
        for position in chain:
            code = view.mentions[position].code
            if code:
                out.setdefault(code, set()).add(number)
    return out


def _passes(model: Model, kind: str, chosen: _Best) -> bool:
    threshold = model.thresholds.get(kind, 0.5)
    if chosen.backed:
        threshold = min(threshold, BACKED_THRESHOLD)
    return chosen.probability >= threshold


def _better(model: Model, kind: str, probability: float, instance: Instance, held: _Best) -> bool:
    """Whether this reading of an event beats the one held. Where both pass the threshold,
    a sentence whose trigger pattern names the type is better evidence (and has the better
    date) than one where only a loose anchor stands; otherwise the higher probability."""
    threshold = model.thresholds.get(kind, 0.5)
    if probability >= threshold and held.probability >= threshold:
        mine, theirs = kind in instance.patterned, kind in held.instance.patterned
        if mine != theirs:
            return mine
    return probability > held.probability


def _outranked(best: dict[tuple[str, str, str], _Best], key: tuple[str, str, str]) -> bool:
    """Sanctions between two states run one way in almost every report: the weaker
    direction gives way to the stronger one."""
    kind, actor, target = key
    other = best.get((kind, target, actor))
    return other is not None and other.probability > best[key].probability


def _orientation(kind: str, chosen: _Best) -> tuple[str, str]:
    """Who is told first in an unordered pair: the acting side where the frame of the
    evidence sentence says who acts, else the state that sentence names first. Another
    sentence's reading does not decide: "وقطعت فنزويلا والولايات المتحدة العلاقات" puts
    Venezuela first even where an earlier sentence read "US sanctions" beside the cut."""
    pair = {chosen.actor, chosen.target}
    for hit in chosen.instance.readings:
        for finding in hit.findings:
            if (
                finding.type == kind
                and finding.directed
                and {finding.actor, finding.target} == pair
            ):
                return finding.actor, finding.target
    if chosen.instance.actor_first:
        return chosen.actor, chosen.target
    return chosen.target, chosen.actor


def _behind(
    best: dict[tuple[str, str, str], _Best], passing: set[tuple[str, str, str]]
) -> dict[tuple[str, str, str], int]:
    """For each passing event that a passing one presupposes (the sanctions a lifting
    ends), the sentence of the presupposing one."""
    out: dict[tuple[str, str, str], int] = {}
    for key in passing:
        presupposed = VOCABULARY.kind(key[0]).presupposes
        if presupposed is not None:
            out[pair_key(presupposed, best[key].actor, best[key].target)] = best[
                key
            ].instance.sentence
    return out


def decide(reading: Reading, model: Model) -> list[Event]:
    events: list[Event] = []
    article = reading.article
    sentences = reading.reader.sentences
    best, dated = _best_and_dated(reading, model)
    passing = {key for key, chosen in best.items() if _passes(model, key[0], chosen)}
    passing |= _listed(reading, passing) & best.keys()
    behind = _behind(best, passing)
    for key, chosen in sorted(best.items(), key=lambda item: (item[1].instance.sentence, item[0])):
        kind = key[0]
        if key not in passing:
            continue
        if directed(kind) and _outranked(best, key):
            continue
        instance = chosen.instance
        actor, target = (
            (chosen.actor, chosen.target) if directed(kind) else _orientation(kind, chosen)
        )
        statuses = model.statuses.distribution(status_features(reading.reader, instance, kind))
        status = max(statuses, key=lambda s: statuses[s])
        hit = _reading_of(instance, kind)
        start, end = reading.folded.span(
            sentences.starts[instance.sentence], sentences.ends[instance.sentence]
        )
        evidence = Evidence(text=article.text[start:end], start=start, end=end)
        partial = VOCABULARY.kind(kind).partial is not None and is_easing(
            evidence.text, reading.lang
        )
        confidence = round(chosen.probability * statuses[status], 2)
        # Read in the very sentence that lifts it, a measure is the one in force until then.
        date = None if behind.get(key) == instance.sentence else hit.date
        if date is None:
            date = _date_elsewhere(dated, key, behind.get(key))
        told: list[tuple[str, str, str | None, bool]] = [(kind, status, date, partial)]
        # "Further sanctions are sought" reports the ones already in force as well.
        if status == "considered" and hit.status.presupposes_occurred:
            told.append((kind, "occurred", hit.date, partial))
        # "Lifted the sanctions on Syria" reports sanctions on Syria in force until then;
        # when they began the sentence does not say.
        presupposed = VOCABULARY.kind(kind).presupposes
        if presupposed is not None and pair_key(presupposed, actor, target) not in passing:
            told.append((presupposed, _IN_FORCE, None, False))
        for said_kind, said, date, eased in told:
            events.append(
                Event(
                    article_id=article.id,
                    type=cast(EventType, said_kind),
                    actor=actor,
                    target=target,
                    status=cast(Status, said),
                    date=date,
                    confidence=confidence,
                    lang=reading.lang,
                    evidence=evidence,
                    partial=eased,
                )
            )
    return events
