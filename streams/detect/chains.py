"""Chains of states and the role one chain takes around a trigger, per the frame.

States joined by "and" (or a glued "و") form a chain that takes one role together.
See `roles` for the order in which a chain's role is decided.
"""

from __future__ import annotations

from dataclasses import dataclass

from streams.detect.clauses import Sentence, Words, strip_conjunction
from streams.detect.lexicon import Frame, Role
from streams.detect.mentions import Mention

MAX_TARGET_GAP = 6  # words between a trigger and the marker of a state after it
MAX_SUBJECT_GAP = 12  # words between a subject and its trigger
_VERB_JOIN = 2  # an "and" this close before a trigger joins predicates, not phrases
_MAX_REACH = 6  # words a marker may stand before the state it introduces


@dataclass
class Argument:
    mention: Mention
    role: Role
    source: str  # "marker", "inner", "reach", "adjective", "subject", "object"
    distance: int  # words between the trigger and the state
    chain: int  # the sentence's index of the chain's first state: states named together share it


def find_chains(sentence: Sentence, indexes: list[int], words: Words) -> list[list[int]]:
    """Group mentions joined by a conjunction (or a list comma) into chains."""
    chains: list[list[int]] = []
    for index in indexes:
        mention = sentence.mentions[index]
        first = sentence.first_token_of[index]
        if chains:
            previous_last = sentence.last_token_of[chains[-1][-1]]
            between = [
                word
                for word in sentence.words[previous_last + 1 : first]
                if word not in words.determiners
            ]
            joined = (mention.conjoined and not between) or (
                len(between) == 1 and (between[0] in words.conjunctions or between[0] in ",،")
            )
            if joined:
                chains[-1].append(index)
                continue
        chains.append([index])
    return chains


def marker_before(sentence: Sentence, token: int, low: int, words: Words) -> list[str]:
    """Candidate marker keys before a token: two words, then one, skipping determiners."""
    index = token - 1
    while index >= low and sentence.words[index] in words.determiners:
        index -= 1
    if index < low:
        return []
    one = strip_conjunction(sentence.words[index], words)
    keys = [one, sentence.words[index]]
    if index - 1 >= low:
        keys.insert(0, f"{strip_conjunction(sentence.words[index - 1], words)} {one}")
    return keys


def inside_mention(sentence: Sentence, token: int) -> bool:
    return any(
        first <= token <= last
        for first, last in zip(sentence.first_token_of, sentence.last_token_of, strict=True)
    )


def coordinated(sentence: Sentence, chain: list[int], first: int, words: Words) -> bool:
    """A conjunction joins another phrase between a state and the trigger after it.

    "ركود الاقتصاد الياباني واحتمال خفض واردات النفط" joins two noun phrases; but an
    "and" right before the trigger's verb joins two predicates of one subject
    ("Germany summoned the ambassador and later expelled two diplomats").
    """
    between = sentence.words[sentence.last_token_of[chain[-1]] + 1 : first]
    for position, word in enumerate(between):
        if word in words.conjunctions:
            if len(between) - position <= _VERB_JOIN:
                continue
            return True
        if any(word.startswith(c) and len(word) > len(c) + 2 for c in words.conjunction_clitics):
            return True
    return False


def chain_role(
    sentence: Sentence,
    chain: list[int],
    frame: Frame,
    words: Words,
    bounds: tuple[int, int, int],
) -> tuple[Role, str]:
    first, last, left = bounds
    mention = sentence.mentions[chain[0]]
    head_first = sentence.first_token_of[chain[0]]
    tail_last = sentence.last_token_of[chain[-1]]
    after = sentence.text[sentence.mentions[chain[-1]].end : sentence.mentions[chain[-1]].end + 8]
    for key, role in frame.markers.items():
        if key.startswith("-") and after.casefold().startswith(key):
            return role, "marker"
    named = sum(1 for i in range(last + 1, head_first) if inside_mention(sentence, i))
    if head_first - last - 1 - named > MAX_TARGET_GAP:
        # Far after the trigger a state belongs to another predicate
        # ("sanctions on Iranian firms it accuses of supplying drones for attacks on Ukraine").
        return "none", "far"
    keys = [mention.clitic] if mention.clitic else []
    tail = sentence.mentions[chain[-1]]
    if not keys and tail.ending:
        # A case ending on the last state marks the whole list, as a preposition before
        # the first one does ("Almanya, İspanya ve Fransa'ya").
        keys = [tail.clitic]
    keys += marker_before(sentence, head_first, left, words)
    for key in keys:
        if key in frame.markers:
            role = frame.markers[key]
            if tail_last < first and role in ("target", "party"):
                # A target marker before the trigger belongs to an earlier predicate
                # ("رفع الأمر إلى الأمم المتحدة وسحب السفير").
                return "none", "preposition"
            return role, "marker"
    after_trigger = head_first > last
    blocked = any(k in words.prepositions and k not in words.reach_through for k in keys)
    if after_trigger and not blocked:
        # "على الأفراد المرتبطين بحكومة مادورو", "on the central bank of Iran": the
        # frame's marker a few words back still governs the state.
        low = max(last + 1, head_first - _MAX_REACH)
        for index in range(head_first - 1, low - 1, -1):
            if index in sentence.last_token_of:
                break
            word = strip_conjunction(sentence.words[index], words)
            if word in frame.markers:
                return frame.markers[word], "reach"
            if word in words.clause_breaks:
                break
    gap_before = sentence.words[tail_last + 1 : first]
    if (
        not after_trigger
        and not words.adjective_after
        and tail_last < first
        and all(word in words.adjective_gap for word in gap_before)
    ):
        # A glued adjective belongs to the trigger's noun phrase, whatever governs it
        # ("of Russian diplomats were expelled").
        return frame.adjective, "adjective"
    if any(key in words.prepositions for key in keys):
        return "none", "preposition"
    if head_first >= first and tail_last <= last:
        if frame.inner_order and any(inside_mention(sentence, i) for i in range(first, head_first)):
            # Verb, subject, object inside one trigger ("أدرجت واشنطن كوبا على القائمة"):
            # a state after another inside the span is acted on.
            return frame.inner_later, "inner"
        return frame.inner, "inner"
    if after_trigger:
        gap = sentence.words[last + 1 : head_first]
        if words.adjective_after and all(word in words.adjective_gap for word in gap):
            return frame.adjective, "adjective"
        return frame.object, "object"
    gap = sentence.words[tail_last + 1 : first]
    if not words.adjective_after and all(word in words.adjective_gap for word in gap):
        return frame.adjective, "adjective"
    if len(gap) > MAX_SUBJECT_GAP:
        return "none", "far"
    return frame.subject, "subject"
