"""From roles to (actor, target) pairs, with how sure each pair is.

Sanctions are directed: every actor with every target. Relations and oil are between
two parties: the acting side first when the text marks one, else the order of mention;
two states acting together ("قطعت فنزويلا والولايات المتحدة العلاقات") are the pair.
"The two countries" stands for the last two states named before it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from models.vocabulary import VOCABULARY
from streams.detect.chains import Argument
from streams.detect.mentions import Mention

# How far a state's wording is from a plain name: each step is one more inference.
_KIND_CERTAINTY = {
    "name": 1.0,
    "capital": 0.95,
    "seat": 0.95,
    "demonym": 0.95,
    "firm": 0.85,
    "leader": 0.9,
    "pair": 0.85,
    "self": 0.8,
}
_SOURCE_CERTAINTY = {
    "marker": 1.0,
    "inner": 0.95,
    "adjective": 0.95,
    "subject": 0.9,
    "reach": 0.85,
    "object": 0.85,
}
_DISTANCE_FREE = 3  # words between trigger and state that cost nothing
_DISTANCE_STEP = 0.02


@dataclass(frozen=True)
class Finding:
    actor: str
    target: str
    certainty: float
    directed: bool


@dataclass(frozen=True)
class _Party:
    code: str
    certainty: float


def _certainty(argument: Argument) -> float:
    far = max(argument.distance - _DISTANCE_FREE, 0) * _DISTANCE_STEP
    kind = _KIND_CERTAINTY.get(argument.mention.kind, 0.9)
    return max(kind * _SOURCE_CERTAINTY.get(argument.source, 0.85) - far, 0.1)


def parties_of(
    event_type: str,
    arguments: list[Argument],
    resolve: Callable[[Mention], tuple[str, ...]],
) -> list[Finding]:
    actors: list[_Party] = []
    targets: list[_Party] = []
    together: list[_Party] = []  # parties named as a pair, order of mention
    chains: dict[int, list[_Party]] = {}  # the named parties by the chain they stand in
    pair_word = False  # "the two countries" among the parties
    marked = True  # every named party stands behind a marker of the frame's
    for argument in arguments:
        certainty = _certainty(argument)
        code = argument.mention.code
        if argument.mention.kind == "pair":
            if argument.role != "none":
                together += [_Party(c, certainty) for c in resolve(argument.mention)]
                pair_word = True
            continue
        if argument.mention.kind == "self":
            code = next(iter(resolve(argument.mention)), None)
        if code is None:
            # A group word in a role ("Western sanctions") names no state: no finding,
            # and no other state takes its place.
            if argument.role == "actor":
                actors.append(_Party("", 0.0))
            continue
        party = _Party(code, certainty)
        if argument.role == "actor":
            actors.append(party)
        elif argument.role == "target":
            targets.append(party)
        elif argument.role in ("party", "pair"):
            together.append(party)
            chains.setdefault(argument.chain, []).append(party)
            marked &= argument.role == "party" and argument.source == "marker"
    if VOCABULARY.is_directed(event_type):
        return _cross(actors, targets, directed=True)
    if any(not party.code for party in actors):
        return []
    if actors and (targets or together):
        return _cross(actors, _unique(targets + together), directed=True)
    if targets and together:
        return _cross(_unique(together), targets, directed=False)
    if not actors and not pair_word:
        if len(chains) == 2:
            # "oil shipments from Kazakhstan to Austria and Slovenia": each side may be a list.
            first, second = chains.values()
            return _cross(_unique(first), _unique(second), directed=False)
        # States that only share a marker ("علاقات مع الصين وروسيا", "oil flows to Hungary
        # and Slovakia") are not a pair: each is the counterpart of a party named elsewhere.
        if len(chains) == 1 and len(together) > 1 and marked:
            return []
    named = _unique(actors + together)
    if len(named) == 2:
        return _cross(named[:1], named[1:], directed=False)
    return []


def lone_parties(
    arguments: list[Argument], resolve: Callable[[Mention], tuple[str, ...]]
) -> tuple[list[str], list[str]]:
    """Named actors and targets of a trigger, for pairing across sentences.

    A group word among the actors ("Western sanctions") stands for no state, so it
    yields no actors at all rather than letting another state take its place.
    """
    actors: list[str] = []
    targets: list[str] = []
    for argument in arguments:
        mention = argument.mention
        code = mention.code
        if mention.kind == "self":
            code = next(iter(resolve(mention)), None)
        if argument.role == "actor":
            if code is None:
                return [], []
            actors.append(code)
        elif argument.role == "target" and code is not None:
            targets.append(code)
    return list(dict.fromkeys(actors)), list(dict.fromkeys(targets))


def _unique(parties: list[_Party]) -> list[_Party]:
    seen: dict[str, _Party] = {}
    for party in parties:
        if party.code not in seen or party.certainty > seen[party.code].certainty:
            seen[party.code] = party
    return list(seen.values())


def _cross(actors: list[_Party], targets: list[_Party], directed: bool) -> list[Finding]:
    findings: list[Finding] = []
    for actor in _unique(actors):
        for target in _unique(targets):
            if actor.code and target.code and actor.code != target.code:
                findings.append(
                    Finding(
                        actor.code, target.code, min(actor.certainty, target.certainty), directed
                    )
                )
    return findings
