"""How states are named for people, from the detector's gazetteer: the name a report or a
page shows, and every way a language writes a state, for marking the parties in evidence.

The reports and the dashboard reach the gazetteer through here only, so neither depends on
the detect stage's modules."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache


@cache
def country_name(code: str, lang: str = "en") -> str:
    try:
        from streams.detect.countries import country_name as gazetteer_name

        return gazetteer_name(code, lang)
    except Exception:  # a code the gazetteer lacks, or no gazetteer: the code still reads
        return code


def party_names(lang: str, codes: Iterable[str]) -> list[tuple[str, str]]:
    """The gazetteer's ways of writing these states in a language; none for an unknown one."""
    from streams.detect.countries import available_languages, load_gazetteer

    if lang not in available_languages():
        return []
    wanted = set(codes)
    gazetteer = load_gazetteer(lang)
    return [(e.form, e.code) for e in gazetteer.entries if e.code in wanted]
