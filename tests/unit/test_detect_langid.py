"""Language of untagged articles, among the languages that have rules."""

from __future__ import annotations

from models.events import Article
from streams.detect.langid import article_language, identify, supported_languages


def test_supported_languages_have_both_lexicon_and_gazetteer() -> None:
    assert {"ar", "en", "es", "fr", "tr"} <= set(supported_languages())


def test_script_and_stopwords_decide() -> None:
    assert identify("فرضت الولايات المتحدة عقوبات جديدة على روسيا يوم الخميس") == "ar"
    assert identify("The United States imposed new sanctions on Russia on Thursday.") == "en"
    assert identify("Les États-Unis ont imposé de nouvelles sanctions à la Russie.") == "fr"
    assert (
        identify("Estados Unidos impuso el jueves nuevas sanciones a Rusia por la guerra.") == "es"
    )
    assert identify("ABD, Rusya'ya yönelik yeni yaptırımlar uyguladığını açıkladı.") == "tr"


def test_spanish_and_french_share_words_but_not_their_mix() -> None:
    # "la", "de", "en", "que" are both French and Spanish; the rest of each list decides.
    assert identify("La Unión Europea decidió que las sanciones contra Irán se mantengan.") == "es"
    assert identify("La France a décidé que les sanctions contre l'Iran restent en place.") == "fr"


def test_unsupported_text_is_none() -> None:
    assert identify("Соединённые Штаты ввели санкции") is None
    assert identify("12345 !!!") is None


def test_a_supported_tag_is_trusted_and_an_unknown_one_ignored() -> None:
    english = "The United States imposed new sanctions on Russia."
    assert article_language(Article(id="a", text=english, lang="fr")) == "fr"
    assert article_language(Article(id="a", text=english, lang="en-GB")) == "en"
    assert article_language(Article(id="a", text=english, lang="de")) == "en"
