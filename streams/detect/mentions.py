"""Where a text names a state: one regex per language built from the gazetteer.

Gazetteer forms are written as news writes them; here they are folded like the text
and compiled into one alternation (longest form first, so "كوريا الشمالية" wins over
"كوريا"). Arabic glues clitics to names ("وللصين", "بالولايات المتحدة"); rather than
stemming, which mangles names, the regex allows the lexicon's clitics before a form and
keeps them, because a glued preposition ("لفنزويلا") tells the state's role. A suffix
the lexicon lists after a name (Turkish case endings "Rusya'ya", "ABD'nin"; English "'s")
tells it just as well, so it is kept the same way. Languages whose case mapping is not
Unicode's (Turkish İ/ı) declare their letter pairs, and names are matched in capitals too.
Languages that decline names ("Россия", "России", "Россию") declare their case endings
in the lexicon (`inflections`); each word of a form then matches in any of its cases.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from streams.detect.arabic import fold_latin, fold_word
from streams.detect.countries import Gazetteer, Surface, load_gazetteer
from streams.detect.lexicon import Lexicon, load_lexicon


@dataclass(frozen=True)
class Mention:
    """A state (or a group word, or "the two countries") named at a span of the folded text."""

    start: int
    end: int
    code: str | None  # None: a group word naming no single state, or a reference word
    kind: str  # gazetteer kind, "pair" ("the two countries") or "self" ("his country")
    clitic: str = ""  # glued preposition ("ب", "ل"), empty when none
    conjoined: bool = False  # glued conjunction ("و"): continues the mention before it
    # The clitic is a case ending after the name ("Fransa'ya"), not a preposition before it.
    ending: bool = False


@dataclass(frozen=True)
class _Form:
    surface: Surface
    definite: bool  # the form starts with the article ("الصين"): the text must carry it
    guards: frozenset[str] = frozenset()  # folded words the form must follow, if any


@dataclass(frozen=True)
class MentionMatcher:
    lexicon: Lexicon
    gazetteer: Gazetteer
    pattern: re.Pattern[str]
    pairs: re.Pattern[str] | None
    selves: re.Pattern[str] | None
    forms: dict[str, list[_Form]]
    # An inflected word → the words of gazetteer forms it may be a case of.
    bases: dict[str, frozenset[str]] = field(default_factory=dict)

    def find(self, text: str, start: int, end: int, on: dt.date | None) -> list[Mention]:
        found: list[Mention] = []
        for match in self.pattern.finditer(text, start, end):
            mention = self._mention(match, on)
            if mention is not None:
                found.append(mention)
        for kind, pattern in (("pair", self.pairs), ("self", self.selves)):
            if pattern is None:
                continue
            for match in pattern.finditer(text, start, end):
                clitic, conjoined = self._clitic(match.group("pre") or "")
                found.append(Mention(match.start(), match.end(), None, kind, clitic, conjoined))
        found.sort(key=lambda mention: mention.start)
        return found

    def _mention(self, match: re.Match[str], on: dt.date | None) -> Mention | None:
        prefix = match.group("pre") or ""
        stem = match.group("stem")
        key = stem if self.lexicon.names_case_sensitive else case_folder(self.lexicon)(stem)
        key = self._base(" ".join(key.split()))
        article = self.lexicon.article
        definite = bool(article) and (prefix.endswith(article) or prefix.endswith("لل"))
        suffix = match.group("suf") or ""
        for form in self.forms.get(key, []):
            if form.definite and not definite:
                continue
            if form.guards and (prefix or not self._guarded(match, form.guards)):
                continue
            if (
                suffix
                and suffix not in self.lexicon.name_suffixes
                and form.surface.kind != "demonym"
            ):
                continue
            surface = form.surface
            code = surface.code
            if surface.leader_id is not None:
                code = leader_state(self.gazetteer, surface.leader_id, on)
            clitic, conjoined = self._clitic(prefix)
            ending = False
            if not clitic and suffix in self.lexicon.name_suffixes:
                # "Rusya'ya": the case ending marks the role as a glued preposition would.
                clitic, ending = suffix.strip(), True
            return Mention(
                match.start(), match.end(), code, surface.kind, clitic, conjoined, ending
            )
        return None

    def _base(self, key: str) -> str:
        """The gazetteer form an inflected match is a case of ("южной кореи" → "южная корея")."""
        if key in self.forms or not self.bases:
            return key
        options = [sorted(self.bases.get(word, {word})) for word in key.split()]
        for words in itertools.product(*options):
            candidate = " ".join(words)
            if candidate in self.forms:
                return candidate
        return key

    def _guarded(self, match: re.Match[str], guards: frozenset[str]) -> bool:
        """The word before the match (a glued conjunction aside) is one of `guards`."""
        before = match.string[max(match.start() - 24, 0) : match.start()].split()
        if not before:
            return False
        word = before[-1]
        for conjunction in self.lexicon.conjunction_clitics:
            if word.startswith(conjunction) and word[len(conjunction) :] in guards:
                return True
        return word in guards

    def _clitic(self, prefix: str) -> tuple[str, bool]:
        """Split glued clitics into a conjunction flag and a preposition ("وبال" → "ب", True)."""
        conjoined = False
        for conjunction in self.lexicon.conjunction_clitics:
            if prefix.startswith(conjunction):
                conjoined = True
                prefix = prefix[len(conjunction) :]
                break
        article = self.lexicon.article
        if article and prefix.endswith(article):
            prefix = prefix[: -len(article)]
        if prefix.startswith("لل"):
            prefix = "ل"
        return prefix, conjoined


def leader_state(gazetteer: Gazetteer, leader_id: str, on: dt.date | None) -> str | None:
    """State a leader acts for: the office held on the day, else the nearest term.

    A former leader's administration still speaks for its state ("إدارة ترمب فرضت" in a
    2022 article reports what the US did), so a name out of office keeps its last state.
    """
    code = gazetteer.leader_code(leader_id, on)
    if code is not None or on is None:
        return code
    terms = gazetteer.terms.get(leader_id, ())
    earlier = [term for term in terms if term.start <= on]
    chosen = earlier[-1] if earlier else (terms[0] if terms else None)
    return chosen.code if chosen is not None else None


def case_folder(lexicon: Lexicon) -> Callable[[str], str]:
    """Case folding with the language's own letter pairs ("IRAK" → "ırak", not "irak")."""
    pairs: dict[str, str | int | None] = {up: low for low, up in lexicon.case_pairs.items()}
    lower = str.maketrans(pairs)
    return lambda text: text.translate(lower).casefold()


def upper_case(text: str, lexicon: Lexicon) -> str:
    """Capitals with the language's own letter pairs ("Türkiye" → "TÜRKİYE")."""
    pairs: dict[str, str | int | None] = dict(lexicon.case_pairs)
    return text.translate(str.maketrans(pairs)).upper()


def _alternation(
    forms: list[str], case_sensitive: bool, cases: dict[str, list[str]] | None = None
) -> str:
    ordered = sorted(set(forms), key=lambda form: (-len(form), form))
    parts = [r"\s+".join(_word(word, cases) for word in form.split()) for form in ordered]
    body = "|".join(parts)
    return body if case_sensitive else f"(?i:{body})"


def _word(word: str, cases: dict[str, list[str]] | None) -> str:
    variants = (cases or {}).get(word)
    if not variants:
        return re.escape(word)
    ordered = sorted({word, *variants}, key=lambda form: (-len(form), form))
    return "(?:" + "|".join(re.escape(form) for form in ordered) + ")"


def _cases(lexicon: Lexicon, keys: list[str]) -> dict[str, list[str]]:
    """Each word of the forms → its other cases, by the lexicon's inflections."""
    rules = sorted(lexicon.inflections, key=lambda rule: -len(rule.ending))
    cases: dict[str, list[str]] = {}
    for word in {word for key in keys for word in key.split()}:
        if len(word) < lexicon.inflect_min_length:
            continue
        for rule in rules:
            if rule.ending and word.endswith(rule.ending):
                stem = word[: -len(rule.ending)]
            elif not rule.ending and word[-1] in rule.after:
                stem = word
            else:
                continue
            cases[word] = [stem + ending for ending in rule.replace]
            break
    return cases


@cache
def mention_matcher(lang: str) -> MentionMatcher:
    lexicon = load_lexicon(lang)
    gazetteer = load_gazetteer(lang)
    arabic = lexicon.script == "arabic"
    article = lexicon.article
    forms: dict[str, list[_Form]] = {}
    fold = fold_word if arabic else case_folder(lexicon)
    for surface in gazetteer.entries:
        folded = (
            fold_word(surface.form) if arabic else " ".join(fold_latin(surface.form).folded.split())
        )
        starts_with_article = bool(article) and folded.startswith(article)
        strip = starts_with_article and len(folded) > len(article) + 1
        stem = folded[len(article) :] if strip else folded
        # A demonym takes the article by agreement only ("مسؤولين روس", "الروس").
        definite = strip and surface.kind != "demonym"
        key = stem if lexicon.names_case_sensitive else fold(stem)
        guards = frozenset(fold(word) for word in surface.guards)
        form = _Form(surface, definite, guards)
        forms.setdefault(key, []).append(form)
        if lexicon.case_pairs and lexicon.names_case_sensitive:
            # Headlines set names in capitals: "İRAN'A YAPTIRIM", "MISIR ile Türkiye".
            capitals = upper_case(key, lexicon)
            if capitals != key:
                forms.setdefault(capitals, []).append(form)
    # A definite form first, so "الجزائر" is preferred to a bare homograph of its stem.
    for entries in forms.values():
        entries.sort(key=lambda form: not form.definite)
    cases = _cases(lexicon, list(forms))
    bases: dict[str, set[str]] = {}
    for word, variants in cases.items():
        for variant in variants:
            bases.setdefault(variant, {variant}).add(word)
    stems = _alternation(list(forms), lexicon.names_case_sensitive, cases)
    suffixes = sorted(set(lexicon.demonym_suffixes) | set(lexicon.name_suffixes), key=len)
    suffix = "|".join(re.escape(s) for s in reversed(suffixes))
    clitics = lexicon.clitics or ""
    pattern = re.compile(
        rf"(?<!\w)(?P<pre>{clitics})(?P<stem>{stems})"
        + (rf"(?P<suf>{suffix})?" if suffix else "(?P<suf>)")
        + r"(?![\w])"
    )
    pairs = _reference(lexicon.pair_words, clitics, arabic)
    selves = _reference(lexicon.self_words, clitics, arabic)
    frozen = {word: frozenset(words) for word, words in bases.items()}
    return MentionMatcher(lexicon, gazetteer, pattern, pairs, selves, forms, frozen)


def _reference(words: list[str], clitics: str, arabic: bool) -> re.Pattern[str] | None:
    """Words that stand for states named elsewhere ("the two countries", "بلاده")."""
    if not words:
        return None
    forms = [fold_word(word) if arabic else fold_latin(word).folded for word in words]
    body = _alternation(forms, False)
    return re.compile(rf"(?<!\w)(?P<pre>{clitics})(?:{body})(?!\w)")
