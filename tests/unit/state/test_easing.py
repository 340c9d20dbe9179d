"""Which liftings are easings."""

from __future__ import annotations

import pytest

from streams.state.easing import is_easing


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Washington eased sanctions on Belarus's state airline Belavia.", "en", True),
        ("The US Treasury waived some sanctions on Syria for 180 days.", "en", True),
        (
            "The United States and the European Union lifted nuclear-related sanctions on Iran.",
            "en",
            False,
        ),
        ("قررت الولايات المتحدة تخفيف العقوبات على فنزويلا", "ar", True),
        ("رفعت الولايات المتحدة العقوبات عن سوريا", "ar", False),
        ("رفعت العقوبات فيما يتعلق بالطيران", "ar", False),
        ("Sanctions were eased.", "xx", False),
    ],
)
def test_is_easing(text: str, lang: str, expected: bool) -> None:
    assert is_easing(text, lang) is expected
