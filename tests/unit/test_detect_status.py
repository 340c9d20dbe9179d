"""The grammar's status from hedges and negations in the trigger's clause, in both languages.
The model takes this reading as its strongest evidence of status."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.grammar_support import rule_findings


def _statuses(text: str, lang: str) -> set[tuple[str, str, str, str]]:
    return rule_findings(text, lang, dt.date(2022, 3, 10))


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("فرضت الولايات المتحدة عقوبات على روسيا.", "occurred"),
        ("تدرس الولايات المتحدة فرض عقوبات على روسيا.", "considered"),
        ("يفكر الرئيس جو بايدن في فرض عقوبات على روسيا.", "considered"),
        ("لوحت واشنطن بفرض عقوبات على موسكو.", "considered"),
        ("قد تفرض الولايات المتحدة عقوبات على روسيا.", "considered"),
        ("ستفرض الولايات المتحدة عقوبات على روسيا.", "considered"),
        ("لن تفرض الولايات المتحدة عقوبات على روسيا.", "denied"),
        ("لم تفرض الولايات المتحدة عقوبات على روسيا.", "denied"),
        ("نفت واشنطن أن تكون فرضت عقوبات على روسيا.", "denied"),
        ("لم تستبعد واشنطن فرض عقوبات على روسيا.", "considered"),
        ("بحثت الولايات المتحدة أمس فرض عقوبات على روسيا.", "considered"),
        ("ناقش الكونغرس الأمريكي فرض عقوبات على روسيا.", "considered"),
    ],
)
def test_arabic_status(text: str, status: str) -> None:
    assert _statuses(text, "ar") == {("sanction.imposed", "US", "RU", status)}


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("The United States imposed sanctions on Russia.", "occurred"),
        ("The United States is considering sanctions on Russia.", "considered"),
        ("Washington threatened to impose sanctions on Moscow.", "considered"),
        ("The United States could impose sanctions on Russia.", "considered"),
        ("The United States plans to impose sanctions on Russia.", "considered"),
        ("The United States did not impose sanctions on Russia.", "denied"),
        ("Washington ruled out sanctions on Moscow.", "denied"),
        ("Washington denied that it had imposed sanctions on Moscow.", "denied"),
        ("Washington did not rule out sanctions on Moscow.", "considered"),
    ],
)
def test_english_status(text: str, status: str) -> None:
    assert _statuses(text, "en") == {("sanction.imposed", "US", "RU", status)}


def test_a_negation_in_another_clause_does_not_reach() -> None:
    text = "لم يعلق المسؤولون على الزيارة، وفرضت الولايات المتحدة عقوبات على روسيا."
    assert _statuses(text, "ar") == {("sanction.imposed", "US", "RU", "occurred")}


def test_hedged_further_sanctions_also_report_those_in_force() -> None:
    text = "تسعى الولايات المتحدة إلى فرض مزيد من العقوبات على روسيا."
    assert _statuses(text, "ar") == {
        ("sanction.imposed", "US", "RU", "considered"),
        ("sanction.imposed", "US", "RU", "occurred"),
    }
