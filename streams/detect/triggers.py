"""Where an article's triggers are: anchors first, then patterns only around them.

Most articles name no sanction, embassy or oil trade at all; finding the lexicon's
literal anchors with str.find rules them out in microseconds. Trigger patterns then run
only in windows around the anchors they contain. Where one match lies within another, one
reading wins: a verb construction over a bare noun, a higher priority, then the longer
match; matches that merely share words are both kept.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from streams.detect.rules import CompiledTrigger, LanguageRules

# A trigger's text reaches this far around its anchor (a verb five words before "عقوبات").
_WINDOW_BEFORE = 110
_WINDOW_AFTER = 90


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    trigger: CompiledTrigger
    # Only the trigger's anchor word stands here, not a whole pattern: a weaker reading
    # the model may still take ("the ambassador ... left Tehran").
    loose: bool = False


@dataclass
class _Window:
    start: int
    end: int
    anchors: set[str]


Anchors = list[tuple[int, int, str]]  # (start, end, anchor) in text order


def anchor_positions(rules: LanguageRules, text: str) -> Anchors:
    """Where the anchors stand; str.find runs in C, far faster than a regex scan."""
    haystack = text.casefold() if rules.fold_case else text
    if len(haystack) != len(text):  # a case fold that changes length: let the regex do it
        found = [(m.start(), m.end(), m.group().casefold()) for m in rules.anchors.finditer(text)]
        return found
    positions: list[tuple[int, int, str]] = []
    for anchor in rules.anchor_words:
        start = haystack.find(anchor)
        while start != -1:
            positions.append((start, start + len(anchor), anchor))
            start = haystack.find(anchor, start + len(anchor))
    positions.sort()
    return positions


def has_anchor(rules: LanguageRules, text: str) -> bool:
    """Whether any anchor of the language stands in the text (str.find, no regex)."""
    haystack = text.casefold() if rules.fold_case else text
    return any(anchor in haystack for anchor in rules.anchor_words)


def _windows(text: str, anchors: Anchors) -> list[_Window]:
    """Stretches of text around anchors, merged, wide enough for a trigger's gaps."""
    windows: list[_Window] = []
    for start, end, anchor in anchors:
        start = max(start - _WINDOW_BEFORE, 0)
        end = min(end + _WINDOW_AFTER, len(text))
        if windows and start <= windows[-1].end:
            windows[-1].end = max(windows[-1].end, end)
            windows[-1].anchors.add(anchor)
        else:
            windows.append(_Window(start, end, {anchor}))
    return windows


def find_hits(rules: LanguageRules, text: str, anchors: Anchors) -> list[Hit]:
    """Trigger matches; where one lies within another, only the better-ranked one is kept.

    Two matches that only share words are two readings and both are kept: in "استأنفتا
    العلاقات التي قطعت بينهما" the restoration and the earlier cut share the relations noun.
    """
    windows = _windows(text, anchors)
    if not windows:
        return []
    found = [
        Hit(match.start(), match.end(), trigger)
        for trigger in rules.triggers
        for window in windows
        if not trigger.anchors or not trigger.anchors.isdisjoint(window.anchors)
        for match in trigger.regex.finditer(text, window.start, window.end)
    ]
    # A verb construction beats a bare noun, a higher priority a lower, a longer match a
    # shorter one ("طالب ... برفع العقوبات" is a lifting: lifting outranks imposing).
    found.sort(
        key=lambda hit: (
            hit.trigger.frame.subject == "none",
            -hit.trigger.trigger.priority,
            hit.start - hit.end,
            hit.start,
        )
    )
    # A kept hit that nests with a new one starts at most `longest` characters before it,
    # or inside it: only that stretch of the kept hits, sorted by start, is compared.
    kept: list[Hit] = []
    starts: list[int] = []
    longest = 0
    for hit in found:
        low = bisect_left(starts, hit.start - longest)
        high = bisect_right(starts, hit.end)
        if any(_nested(hit, other) for other in kept[low:high]):
            continue
        at = bisect_right(starts, hit.start)
        kept.insert(at, hit)
        starts.insert(at, hit.start)
        longest = max(longest, hit.end - hit.start)
    return kept


def _nested(one: Hit, other: Hit) -> bool:
    """Whether either match lies within the other (the same span included)."""
    return (other.start <= one.start and one.end <= other.end) or (
        one.start <= other.start and other.end <= one.end
    )


def find_loose_hits(rules: LanguageRules, anchors: Anchors, hits: list[Hit]) -> list[Hit]:
    """A loose anchor outside every pattern match, read as each type it belongs to.

    News words an event in more ways than any list of patterns holds; a specific
    anchor ("sanctions", "سفير", "oil") still says which kinds of event may be meant.
    """
    if not rules.loose:
        return []
    # The text the hits cover, as disjoint stretches in text order: one neighbour check
    # per anchor.
    covered = _union(hits)
    starts = [start for start, _ in covered]
    out: list[Hit] = []
    for start, end, anchor in anchors:
        kinds = rules.loose.get(anchor)
        if not kinds:
            continue
        at = bisect_right(starts, start)
        if at > 0 and covered[at - 1][1] > start:
            continue
        if at < len(covered) and covered[at][0] < end:
            continue
        out += [Hit(start, end, trigger, loose=True) for trigger in kinds]
    return out


def _union(hits: list[Hit]) -> list[tuple[int, int]]:
    """Merged (start, end) stretches of hits sorted by start."""
    merged: list[tuple[int, int]] = []
    for hit in hits:
        if merged and hit.start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hit.end))
        else:
            merged.append((hit.start, hit.end))
    return merged
