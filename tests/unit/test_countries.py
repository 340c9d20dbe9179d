"""The gazetteer files hold together, and the loader rejects broken data with useful errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from streams.detect.countries import (
    GazetteerError,
    available_languages,
    build_entries,
    country_name,
    leader_code,
    load_gazetteer,
    parse_entities,
    parse_terms,
)

# Fixed here rather than imported from the draft module, so the test stands on its own.
_UN_MEMBER_CODES = """
    AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT BW BY BZ
    CA CD CF CG CH CI CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI
    FJ FM FR GA GB GD GE GH GM GN GQ GR GT GW GY HN HR HT HU ID IE IL IN IQ IR IS IT JM
    JO JP KE KG KH KI KM KN KP KR KW KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MG
    MH MK ML MM MN MR MT MU MV MW MX MY MZ NA NE NG NI NL NO NP NR NZ OM PA PE PG PH PK
    PL PT PW PY QA RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR SS ST SV SY SZ TD
    TG TH TJ TL TM TN TO TR TT TV TZ UA UG US UY UZ VC VE VN VU WS YE ZA ZM ZW
"""
UN_MEMBERS = set(_UN_MEMBER_CODES.split())
_KEY_STATE_CODES = """
    US RU CN IR VE SA AE QA TR IL PS SY IQ EG KP KR JP IN PK AF UA BY DE FR GB IT ES CA AU
    BR MX CU NI LB YE LY SD DZ MA TN JO KW BH OM NG AO ET KZ AZ AM GE PL HU NL BE SE NO CH
"""
KEY_STATES = set(_KEY_STATE_CODES.split())


def codes_of(lang: str, kind: str) -> set[str]:
    return {e.code for e in load_gazetteer(lang).entries if e.kind == kind and e.code}


def test_un_members_count() -> None:
    assert len(UN_MEMBERS) == 193


@pytest.mark.parametrize("lang", ["ar", "en", "fr"])
def test_every_entity_is_named(lang: str) -> None:
    gazetteer = load_gazetteer(lang)
    assert set(gazetteer.entities) == UN_MEMBERS | {"PS", "VA", "TW", "XK", "EU", "UN"}
    assert codes_of(lang, "name") == set(gazetteer.entities)


def test_blocs_have_no_iso3() -> None:
    entities = load_gazetteer("en").entities
    assert entities["EU"].kind == entities["UN"].kind == "bloc"
    assert entities["EU"].iso3 is None
    assert entities["XK"].iso3 == "XKX"
    assert entities["NO"].iso3 == "NOR"


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_key_states_are_fully_described(lang: str) -> None:
    assert codes_of(lang, "demonym") >= KEY_STATES
    assert codes_of(lang, "leader") >= KEY_STATES


def test_french_has_demonyms_for_key_states() -> None:
    assert codes_of("fr", "demonym") >= KEY_STATES


def test_languages_are_discovered_from_files() -> None:
    assert {"ar", "en", "fr"} <= set(available_languages())
    assert "countries" not in available_languages()


def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(GazetteerError, match="no gazetteer for language 'xx'"):
        load_gazetteer("xx")


@pytest.mark.parametrize(
    ("lang", "form", "code", "kind"),
    [
        ("ar", "الولايات المتحدة", "US", "name"),
        ("ar", "أميركيون", "US", "demonym"),
        ("ar", "الروس", "RU", "demonym"),
        ("ar", "كراكاس", "VE", "capital"),
        ("ar", "البيت الأبيض", "US", "seat"),
        ("ar", "أرامكو", "SA", "firm"),
        ("ar", "الأمم المتحدة", "UN", "name"),
        ("en", "U.S.", "US", "name"),
        ("en", "Britain", "GB", "name"),
        ("en", "Russians", "RU", "demonym"),
        ("en", "PDVSA", "VE", "firm"),
        ("en", "Security Council", "UN", "seat"),
        ("fr", "États-Unis", "US", "name"),
    ],
)
def test_known_forms(lang: str, form: str, code: str, kind: str) -> None:
    found = {(e.code, e.kind) for e in load_gazetteer(lang).entries if e.form == form}
    assert (code, kind) in found


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_group_words_have_no_code(lang: str) -> None:
    groups = [e for e in load_gazetteer(lang).entries if e.kind == "group"]
    assert groups
    assert all(e.code is None and e.leader_id is None for e in groups)


def test_seed_article_names_resolve() -> None:
    forms = {e.form: e for e in load_gazetteer("ar").entries}
    assert forms["ترمب"].leader_id == "trump"
    assert forms["مادورو"].code == "VE"
    assert forms["فلاديمير بوتين"].code == "RU"
    assert forms["أميركا اللاتينية"].kind == "group"


@pytest.mark.parametrize(
    ("leader_id", "on", "code"),
    [
        ("trump", dt.date(2019, 6, 1), "US"),
        ("trump", dt.date(2022, 3, 1), None),
        ("trump", dt.date(2025, 6, 1), "US"),
        ("trump", None, "US"),
        ("putin", dt.date(2010, 1, 1), "RU"),
        ("donald_tusk", dt.date(2016, 1, 1), "EU"),
        ("donald_tusk", dt.date(2024, 1, 1), "PL"),
        ("donald_tusk", None, "PL"),
        ("biden", dt.date(2025, 1, 20), None),
        ("nobody", None, None),
    ],
)
def test_leader_code_by_date(leader_id: str, on: dt.date | None, code: str | None) -> None:
    assert leader_code(leader_id, on) == code
    assert load_gazetteer("en").leader_code(leader_id, on) == code


def test_country_name_for_display() -> None:
    assert country_name("US", "en") == "United States"
    assert country_name("RU", "ar") == "روسيا"
    assert country_name("DE", "fr") == "Allemagne"


# --- validation on in-memory data

ENTITIES = [
    {"code": "US", "kind": "state", "iso3": "USA"},
    {"code": "RU", "kind": "state", "iso3": "RUS"},
    {"code": "EU", "kind": "bloc"},
]
TERMS = [
    {
        "id": "biden",
        "code": "US",
        "role": "head_of_state",
        "from": dt.date(2021, 1, 20),
        "to": dt.date(2025, 1, 20),
    },
]


def language(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "lang": "en",
        "countries": {
            "US": {"names": ["United States"], "demonyms": ["American"]},
            "RU": {"names": ["Russia"]},
            "EU": {"names": ["European Union"]},
        },
        "leaders": {"biden": ["Biden"]},
        "groups": ["the West"],
    }
    doc.update(changes)
    return doc


def problems_of(doc: dict[str, Any]) -> list[str]:
    entities, entity_problems = parse_entities(ENTITIES)
    terms, term_problems = parse_terms(TERMS, entities)
    assert not entity_problems and not term_problems
    return build_entries(doc, entities, terms, "en.yaml")[2]


def test_valid_document_has_no_problems() -> None:
    assert problems_of(language()) == []


def test_all_problems_are_reported_with_file_and_key() -> None:
    countries = language()["countries"] | {"XX": {"names": ["Nowhere"]}}
    countries["RU"] = {"names": ["Russia", "america"]}
    doc = language(countries=countries, leaders={"biden": ["Biden"], "nixon": ["Nixon"]})
    problems = problems_of(doc)
    assert "en.yaml: countries.XX: unknown code" in problems
    assert "en.yaml: leaders.nixon: no entry in leaders.yaml" in problems
    assert not any("america" in p for p in problems)
    assert len(problems) == 2


def test_same_form_for_two_codes_is_rejected() -> None:
    countries = language()["countries"]
    countries["RU"] = {"names": ["Russia"], "capitals": ["UNITED STATES"]}
    problems = problems_of(language(countries=countries))
    assert len(problems) == 1
    assert "'united states' maps to more than one owner" in problems[0]
    assert "RU/capital" in problems[0] and "US/name" in problems[0]


def test_arabic_forms_collide_after_folding() -> None:
    countries = language()["countries"]
    countries["US"] = {"names": ["أمريكا"]}
    countries["RU"] = {"names": ["امريكا"]}
    assert len(problems_of(language(countries=countries))) == 1


def test_arabic_article_is_folded_away() -> None:
    countries = language()["countries"]
    countries["RU"] = {"names": ["الروسيا"]}
    leaders = {"biden": ["روسيا"]}
    problems = problems_of(language(countries=countries, leaders=leaders))
    assert len(problems) == 1 and "'روسيا'" in problems[0]


def test_group_word_may_not_name_a_state() -> None:
    problems = problems_of(language(groups=["Russia"]))
    assert problems and "groups" in problems[0]


def test_missing_names_and_bad_shapes() -> None:
    countries = language()["countries"]
    del countries["EU"]
    countries["RU"] = {"names": ["Russia"], "nicknames": ["Rus"]}
    problems = problems_of(language(countries=countries))
    assert any("countries.RU.nicknames" in p for p in problems)


def test_missing_entity_names() -> None:
    countries = language()["countries"]
    del countries["EU"]
    assert problems_of(language(countries=countries)) == ["en.yaml: countries.EU: no names"]


def test_padded_form() -> None:
    problems = problems_of(language(groups=[" the West"]))
    assert problems == ["en.yaml: groups: blank or padded form ' the West'"]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda t: t.update(code="XX"), "unknown code XX"),
        (lambda t: t.update(role="king"), "role"),
        (lambda t: t.update(to=dt.date(2020, 1, 1)), "'to' must come after 'from'"),
    ],
)
def test_term_problems(mutate: Callable[[dict[str, Any]], None], expected: str) -> None:
    entities, _ = parse_entities(ENTITIES)
    term = dict(TERMS[0])
    mutate(term)
    problems = parse_terms([term], entities)[1]
    assert len(problems) == 1 and expected in problems[0]
    assert problems[0].startswith("leaders.yaml[0]")


def test_overlapping_terms_in_one_office() -> None:
    entities, _ = parse_entities(ENTITIES)
    later = dict(TERMS[0], **{"from": dt.date(2024, 1, 1), "to": None})
    problems = parse_terms([TERMS[0], later], entities)[1]
    assert problems == ["leaders.yaml (biden): overlapping terms as head_of_state of US"]


def test_entity_problems() -> None:
    broken = [
        *ENTITIES,
        {"code": "US", "kind": "state", "iso3": "USA"},
        {"code": "EU", "kind": "bloc", "iso3": "EUR"},
    ]
    problems = parse_entities(broken)[1]
    assert "countries.yaml[3]: code US listed twice" in problems
    assert any(p.startswith("countries.yaml[4]") and "iso3" in p for p in problems)


def test_gazetteer_error_lists_every_problem() -> None:
    error = GazetteerError(["a.yaml: one", "b.yaml: two"])
    assert error.problems == ["a.yaml: one", "b.yaml: two"]
    assert "a.yaml: one" in str(error) and "b.yaml: two" in str(error)
