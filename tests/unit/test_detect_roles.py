"""The grammar's roles: subjects carried over a comma and from the sentence before, marked
targets. These pin the frame rules, whose findings the model weighs as evidence."""

from __future__ import annotations

import pytest

from tests.unit.grammar_support import rule_findings


def _found(text: str, lang: str) -> set[tuple[str, str, str]]:
    return {(kind, actor, target) for kind, actor, target, _ in rule_findings(text, lang)}


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # The clause after the comma opens with a glued "و" or "ثم" and names no subject.
        (
            "استدعت الخارجية الكندية القائم بالأعمال الروسي، ثم أغلقت سفارتها في موسكو.",
            "ar",
            {("relations.downgraded", "CA", "RU")},
        ),
        (
            "Germany summoned the Iranian envoy, and later expelled two Iranian diplomats.",
            "en",
            {("relations.downgraded", "DE", "IR")},
        ),
        # The antecedent of a relative after the comma is the state just before it.
        (
            "أعلن الوزير أن مجلس الأمن، والذي فرض عقوبات على كوريا الشمالية، سيجتمع غدا.",
            "ar",
            {("sanction.imposed", "UN", "KP")},
        ),
    ],
)
def test_a_dropped_subject_is_carried_over_a_comma(
    text: str, lang: str, expected: set[tuple[str, str, str]]
) -> None:
    assert _found(text, lang) == expected


def test_a_pronoun_after_the_comma_is_a_subject_of_its_own() -> None:
    text = "وافق الاتحاد الأوروبي على الاتفاق، وهو ما يمهد لرفع العقوبات المفروضة على إيران."
    assert not any(actor == "EU" for _, actor, _ in _found(text, "ar"))


def test_a_targetless_sanction_lends_its_actor_to_the_next_sentence() -> None:
    text = (
        "أعلنت الحكومة اليابانية تشديد العقوبات. وفرضت العقوبات الجديدة على مصارف روسية.\n"
        "وفرضت العقوبات على شركات سورية."
    )
    # The third sentence is another paragraph: nothing carries into it.
    assert _found(text, "ar") == {("sanction.imposed", "JP", "RU")}


def test_a_marked_target_outranks_a_suffering_subject() -> None:
    text = "Turkey's economy has been hurt by EU sanctions on Russia."
    assert _found(text, "en") == {("sanction.imposed", "EU", "RU")}


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # A supply verb governed by an agreement, its oil object far behind it.
        (
            "وقعت الكويت والأردن اتفاقا تورد بموجبه الكويت للأردن كميات من النفط الخام.",
            "ar",
            {("oil.resumed", "KW", "JO")},
        ),
        (
            "Pakistan signed an agreement with Kuwait's state oil firm last week to buy "
            "two million barrels of crude.",
            "en",
            {("oil.resumed", "PK", "KW")},
        ),
        # Establishing ties for the first time restores nothing, diplomatic or only good.
        ("أقامت السعودية علاقات دبلوماسية مع جزر القمر.", "ar", set()),
        ("تسعى مصر إلى إقامة علاقات طيبة مع السودان.", "ar", set()),
    ],
)
def test_deals_and_established_ties(
    text: str, lang: str, expected: set[tuple[str, str, str]]
) -> None:
    found = {(t, *sorted((a, b))) for t, a, b in _found(text, lang)}
    assert found == {(t, *sorted((a, b))) for t, a, b in expected}


def test_a_subject_pressing_another_state_is_not_the_actor() -> None:
    text = "مارست الولايات المتحدة ضغوطا كبيرة على ألمانيا لفرض عقوبات على إيران."
    assert ("sanction.imposed", "US", "IR") not in _found(text, "ar")


def test_an_and_after_the_state_between_keeps_the_subject() -> None:
    text = "Bolivia cut ties with Israel and gave Israeli diplomats two days to leave."
    assert ("relations.downgraded", "BO", "IL") in _found(text, "en")


def test_two_readings_that_share_words_are_both_read() -> None:
    # The restoration and the earlier cut share the relations noun; neither holds the other.
    text = "واستأنفت المغرب وإيران العلاقات الدبلوماسية التي قطعت بينهما عام 2018."
    found = {(t, *sorted((a, b))) for t, a, b in _found(text, "ar")}
    assert found == {("relations.restored", "IR", "MA"), ("relations.severed", "IR", "MA")}


def test_a_list_behind_one_marker_pairs_with_the_other_side_not_within() -> None:
    text = "Crude shipments from Kazakhstan to Austria and Slovenia have been halted."
    assert {(a, b) for _, a, b in _found(text, "en")} == {("KZ", "AT"), ("KZ", "SI")}


def test_states_that_only_share_a_marker_are_no_pair() -> None:
    assert _found("Oil flows to Hungary and Slovakia have been halted.", "en") == set()


def test_a_long_list_of_states_stays_within_the_clause() -> None:
    text = (
        "Caracas announced the expulsion of the ambassadors of Argentina, Chile, Costa Rica,"
        " Peru, Panama, the Dominican Republic and Uruguay after the vote."
    )
    targets = {b for kind, _, b in _found(text, "en") if kind == "relations.downgraded"}
    assert targets == {"AR", "CL", "CR", "PE", "PA", "DO", "UY"}


def test_verb_subject_object_inside_one_trigger_is_read_in_that_order() -> None:
    # The listing frame's finite verbs hold subject and object; the masdar holds only the
    # listed state, whose actor stands outside.
    finite = "صنفت الولايات المتحدة سوريا دولة راعية للإرهاب منذ عام 1979."
    assert _found(finite, "ar") == {("sanction.imposed", "US", "SY")}
    masdar = "قررت الولايات المتحدة رفع سوريا من قائمة الدول الراعية للإرهاب."
    assert _found(masdar, "ar") == {("sanction.lifted", "US", "SY")}
