"""Draw a first draft of the gazetteer from pycountry and CLDR (via babel).

Run as ``python -m streams.detect.draft --out DIR``. The draft is only a starting
point for review: the checked-in files under ``gazetteer/`` are hand-extended with
spelling variants, demonyms, capitals, seats, firms and leaders that no standard
source carries. This module is the only one that needs the ``draft`` extra; the
service never imports it.
"""

from __future__ import annotations

import argparse
import gettext
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

# The 193 UN member states. No machine-readable standard marks membership, so the
# list is fixed here and checked against its expected size below.
_UN_MEMBER_CODES = """
AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT BW BY BZ
CA CD CF CG CH CI CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI
FJ FM FR GA GB GD GE GH GM GN GQ GR GT GW GY HN HR HT HU ID IE IL IN IQ IR IS IT JM
JO JP KE KG KH KI KM KN KP KR KW KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MG
MH MK ML MM MN MR MT MU MV MW MX MY MZ NA NE NG NI NL NO NP NR NZ OM PA PE PG PH PK
PL PT PW PY QA RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR SS ST SV SY SZ TD
TG TH TJ TL TM TN TO TR TT TV TZ UA UG US UY UZ VC VE VN VU WS YE ZA ZM ZW
"""
UN_MEMBERS: frozenset[str] = frozenset(_UN_MEMBER_CODES.split())

# Observer states and states with limited recognition that show up in relations news.
OTHER_STATES: dict[str, str] = {"PS": "PSE", "VA": "VAT", "TW": "TWN", "XK": "XKX"}
BLOCS: tuple[str, ...] = ("EU", "UN")
LANGUAGES: tuple[str, ...] = ("ar", "en", "es", "fr", "tr")


def state_codes() -> list[str]:
    if len(UN_MEMBERS) != 193:
        raise RuntimeError(f"UN member list has {len(UN_MEMBERS)} codes, expected 193")
    return sorted(UN_MEMBERS | OTHER_STATES.keys())


def iso3(code: str) -> str:
    import pycountry

    if code in OTHER_STATES:
        return OTHER_STATES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        raise KeyError(code)
    return str(country.alpha_3)


def draft_entities() -> list[dict[str, Any]]:
    entities: list[dict[str, Any]] = [
        {"code": code, "kind": "state", "iso3": iso3(code)} for code in state_codes()
    ]
    entities.extend({"code": code, "kind": "bloc"} for code in BLOCS)
    return entities


# Arabic harakat and shadda: news text rarely carries them and the detector strips them.
_HARAKAT = re.compile("[\u064b-\u0652\u0670]")


def _unique(forms: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for form in forms:
        form = _HARAKAT.sub("", form).strip()
        # Catalogue shapes ("Congo - Kinshasa", "Iran, Islamic Republic of") never occur
        # in running text.
        if form and " - " not in form and "(" not in form and not {",", "،"} & set(form):
            seen.setdefault(form, None)
    return list(seen)


def draft_names(lang: str) -> dict[str, list[str]]:
    import pycountry
    from babel import Locale

    locale = Locale(lang)
    translate = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True
    ).gettext
    names: dict[str, list[str]] = {}
    for code in [*state_codes(), *BLOCS]:
        forms = [locale.territories.get(code, "")]
        country = pycountry.countries.get(alpha_2=code)
        if country is not None:
            for attr in ("common_name", "name", "official_name"):
                value = getattr(country, attr, None)
                if value:
                    forms.append(translate(value))
        names[code] = _unique(forms) or [forms[0] or code]
    return names


def _dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def write_draft(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "countries.yaml").write_text(_dump(draft_entities()), "utf-8")
    for lang in LANGUAGES:
        countries = {code: {"names": forms} for code, forms in draft_names(lang).items()}
        doc = {"lang": lang, "countries": countries, "leaders": {}, "groups": []}
        (out / f"{lang}.yaml").write_text(_dump(doc), "utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the draft files")
    write_draft(parser.parse_args(argv).out)


if __name__ == "__main__":
    main()
