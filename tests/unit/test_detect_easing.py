"""Which liftings are easings: each language's lexicon decides."""

from __future__ import annotations

import pytest
import yaml

from streams.detect.easing import is_easing
from streams.detect.lexicon import LEXICON_DIR, LexiconError, parse_lexicon


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
        # "Sometimes" is not "some": English cues are whole words.
        ("Sometimes the United States lifted sanctions on Cuba.", "en", False),
        ("قررت الولايات المتحدة تخفيف العقوبات على فنزويلا", "ar", True),
        ("رفعت الولايات المتحدة العقوبات عن سوريا", "ar", False),
        ("رفعت العقوبات فيما يتعلق بالطيران", "ar", False),
        ("Estados Unidos flexibilizó las sanciones a Venezuela.", "es", True),
        ("Estados Unidos levantó las sanciones a Cuba.", "es", False),
        ("Les États-Unis ont assoupli les sanctions contre le Venezuela.", "fr", True),
        ("Les allégations de levée des sanctions contre l'Iran.", "fr", False),
        ("США смягчили санкции против Венесуэлы.", "ru", True),
        # "современный" (modern) holds "временн" but is no "temporary".
        ("США сняли санкции с современных заводов Венесуэлы.", "ru", False),
        ("ABD, Venezuela'ya yönelik yaptırımları kısmen kaldırdı.", "tr", True),
        ("ABD, Venezuela'ya yönelik yaptırımları kaldırdı.", "tr", False),
        ("آمریکا برخی تحریم‌های ونزوئلا را لغو کرد.", "fa", True),
        ("آمریکا تحریم‌های ونزوئلا را لغو کرد.", "fa", False),
    ],
)
def test_is_easing(text: str, lang: str, expected: bool) -> None:
    assert is_easing(text, lang) is expected


def test_a_lexicon_without_easing_cues_is_refused() -> None:
    raw = yaml.safe_load((LEXICON_DIR / "en.yaml").read_text(encoding="utf-8"))
    del raw["easing"]
    with pytest.raises(LexiconError, match="easing"):
        parse_lexicon(raw, "en.yaml")
    raw["easing"] = {"words": [], "stems": []}
    with pytest.raises(LexiconError, match="easing needs words or stems"):
        parse_lexicon(raw, "en.yaml")
