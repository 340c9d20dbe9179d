"""Who acts on whom around one trigger: the frame's rules applied to one clause.

States joined by "and" (or a glued "و") form a chain that takes one role together.
A chain's role comes, in order of strength, from a marker the frame knows (the word or
clitic before it: "on", "على", "by", "بقيادة", or "-led" after it), from standing inside
the trigger's span, from a marker a few words back ("على الأفراد المرتبطين بحكومة مادورو"),
from being glued to the trigger noun as an adjective, or from its position: the nearest
unmarked state before the trigger is its subject, the first after it its object.
A state behind a preposition the frame does not know takes no role.
"""

from __future__ import annotations

from dataclasses import dataclass

from streams.detect.clauses import (
    COMMAS,
    MAX_CLAUSE,
    Sentence,
    Words,
    clause_bounds,
    reach_left,
    strip_conjunction,
    token_at,
)
from streams.detect.lexicon import Frame, Role
from streams.detect.mentions import Mention

_MAX_TARGET_GAP = 6  # words between a trigger and the marker of a state after it
_MAX_SUBJECT_GAP = 12  # words between a subject and its trigger
_VERB_JOIN = 2  # an "and" this close before a trigger joins predicates, not phrases
_MAX_REACH = 6  # words a marker may stand before the state it introduces
_CARRY_HEAD = 4  # words from a clause's start within which its subject stands


@dataclass
class Argument:
    mention: Mention
    role: Role
    source: str  # "marker", "inner", "reach", "adjective", "subject", "object"
    distance: int  # words between the trigger and the state


def _chains(sentence: Sentence, indexes: list[int], words: Words) -> list[list[int]]:
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


def _marker_before(sentence: Sentence, token: int, low: int, words: Words) -> list[str]:
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


def assign_roles(
    sentence: Sentence, trigger: tuple[int, int], frame: Frame, words: Words
) -> list[Argument]:
    """Roles of the states in the trigger's clause, per the frame."""
    span_start, span_end = trigger
    first = token_at(sentence.starts, span_start)
    last = max(first, token_at(sentence.starts, span_end - 1))
    left, right = clause_bounds(sentence, first, last, words)
    inside = [
        i
        for i in range(len(sentence.mentions))
        if sentence.first_token_of[i] >= left and sentence.last_token_of[i] <= right
    ]
    chains = _chains(sentence, inside, words)
    # Subjects are searched from the trigger outwards, so walk the left chains backwards.
    ordered = [c for c in reversed(chains) if sentence.last_token_of[c[-1]] < first] + [
        c for c in chains if sentence.last_token_of[c[-1]] >= first
    ]
    arguments: list[Argument] = []
    taken: set[str] = set()
    for chain in ordered:
        role, source = _chain_role(sentence, chain, frame, words, (first, last, left))
        if source == "subject" and _coordinated(sentence, chain, first, words):
            # "ضعف الاقتصاد الصيني واحتمال زيادة صادرات النفط": a conjunction between
            # them puts the state in another phrase than the trigger's.
            continue
        if source in ("subject", "object"):
            if source in taken:
                continue
            taken.add(source)
        if role == "none":
            continue
        head_first = sentence.first_token_of[chain[0]]
        tail_last = sentence.last_token_of[chain[-1]]
        distance = first - tail_last - 1 if tail_last < first else max(head_first - last - 1, 0)
        arguments += [Argument(sentence.mentions[i], role, source, distance) for i in chain]
    if frame.subject != "none" and not any(
        a.source == "subject" or a.role == "actor" for a in arguments
    ):
        bounds = (first, last, left)
        arguments += _subject_beyond(sentence, bounds, frame, words) or _carried_subject(
            sentence, bounds, frame, words
        )
    # A marked or glued actor ("US sanctions", "by the EU") outranks a bare subject, which
    # is then more likely the one reacting ("Iran condemned US sanctions").
    if any(a.role == "actor" and a.source in ("marker", "adjective", "inner") for a in arguments):
        arguments = [a for a in arguments if not (a.role == "actor" and a.source == "subject")]
    # Likewise a marked target outranks a subject the frame makes one: in "India's economy
    # was hurt by US sanctions on Russia" India only suffers them.
    if any(a.role == "target" and a.source in ("marker", "reach") for a in arguments):
        arguments = [a for a in arguments if not (a.role == "target" and a.source == "subject")]
    return arguments


def _inside_mention(sentence: Sentence, token: int) -> bool:
    return any(
        first <= token <= last
        for first, last in zip(sentence.first_token_of, sentence.last_token_of, strict=True)
    )


def _coordinated(sentence: Sentence, chain: list[int], first: int, words: Words) -> bool:
    """A conjunction joins another phrase between a state and the trigger after it.

    "ضعف الاقتصاد الصيني واحتمال زيادة صادرات النفط" joins two noun phrases; but an
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


def _subject_beyond(
    sentence: Sentence, bounds: tuple[int, int, int], frame: Frame, words: Words
) -> list[Argument]:
    """A dropped subject is the one of the clause that governs this one.

    "نفت الخارجية الجزائرية أن تكون قد طردت السفير" and "Russia said it would cut supplies"
    name their actor before the complementizer; look past clause words, not punctuation.
    """
    first, last, left = bounds
    if left > 0 and sentence.words[left - 1] in words.relatives:
        return []  # a relative clause's subject is its head noun, never a state before it
    outer = reach_left(sentence, left, MAX_CLAUSE)
    indexes = [
        i
        for i in range(len(sentence.mentions))
        if sentence.first_token_of[i] >= outer and sentence.last_token_of[i] < left
    ]
    # The governing clause's first subject: "Germany declined X but imposed an embargo".
    for chain in _chains(sentence, indexes, words):
        role, source = _chain_role(sentence, chain, frame, words, (first, last, outer))
        if source != "subject" or role == "none" or _coordinated(sentence, chain, left, words):
            continue
        distance = first - sentence.last_token_of[chain[-1]] - 1
        return [Argument(sentence.mentions[i], role, "subject", distance) for i in chain]
    return []


def _carried_subject(
    sentence: Sentence, bounds: tuple[int, int, int], frame: Frame, words: Words
) -> list[Argument]:
    """A clause after a comma that opens with "ثم", "and" or a glued "و" and names no
    subject goes on with the previous clause's: "استدعت الخارجية الهولندية السفير،
    وفي اليوم التالي طردت دبلوماسيين". Only a subject standing at that clause's head
    carries over; a state further in is more likely its object.
    """
    first, last, left = bounds
    if left < 2 or sentence.words[left - 1] not in COMMAS:
        return []
    opener = sentence.words[left]
    bare = strip_conjunction(opener, words)
    if opener in words.carry_words:
        following = sentence.words[left + 1] if left + 1 < len(sentence.words) else ""
        bare = strip_conjunction(following, words)
    elif bare == opener:
        return []
    if bare in words.new_subjects or bare in words.clause_breaks:
        return []  # "، وهو ما يمهد لرفع العقوبات": the clause has a subject of its own
    comma = left - 1
    outer = reach_left(sentence, comma, MAX_CLAUSE)
    indexes = [
        i
        for i in range(len(sentence.mentions))
        if sentence.first_token_of[i] >= outer and sentence.last_token_of[i] < comma
    ]
    chains = _chains(sentence, indexes, words)
    if not chains:
        return []
    if bare in words.relatives:
        # "مجلس الأمن، والذي فرض عقوبات": a relative's subject is the noun before the comma.
        chain = chains[-1]
        if sentence.last_token_of[chain[-1]] != comma - 1:
            return []
    elif sentence.first_token_of[chains[0][0]] - outer > _CARRY_HEAD:
        return []
    else:
        chain = chains[0]
    role, source = _chain_role(sentence, chain, frame, words, (first, last, outer))
    if source != "subject" or role == "none" or _coordinated(sentence, chain, comma, words):
        return []
    distance = first - sentence.last_token_of[chain[-1]] - 1
    return [Argument(sentence.mentions[i], role, "subject", distance) for i in chain]


def _chain_role(
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
    named = sum(1 for i in range(last + 1, head_first) if _inside_mention(sentence, i))
    if head_first - last - 1 - named > _MAX_TARGET_GAP:
        # Far after the trigger a state belongs to another predicate
        # ("sanctions on Iranian firms it accuses of supplying drones for attacks on Ukraine").
        return "none", "far"
    keys = [mention.clitic] if mention.clitic else []
    keys += _marker_before(sentence, head_first, left, words)
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
        return frame.inner, "inner"
    if after_trigger:
        gap = sentence.words[last + 1 : head_first]
        if words.adjective_after and all(word in words.adjective_gap for word in gap):
            return frame.adjective, "adjective"
        return frame.object, "object"
    gap = sentence.words[tail_last + 1 : first]
    if not words.adjective_after and all(word in words.adjective_gap for word in gap):
        return frame.adjective, "adjective"
    if len(gap) > _MAX_SUBJECT_GAP:
        return "none", "far"
    return frame.subject, "subject"
