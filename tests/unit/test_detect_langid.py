"""Language of untagged articles, among the languages that have rules."""

from __future__ import annotations

from models.events import Article
from streams.detect.langid import identify, supported_languages, tagged_language


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


def test_cyrillic_is_russian() -> None:
    assert identify("Соединённые Штаты ввели новые санкции против России") == "ru"


def test_unsupported_text_is_none() -> None:
    assert identify("12345 !!!") is None
    assert identify("Die Vereinigten Staaten verhängen neue Sanktionen gegen Russland.") is None
    assert identify("美国对俄罗斯实施了新的制裁") is None
    german = (
        "Die Europäische Union hat am Montag beschlossen, die Sanktionen gegen Russland um "
        "weitere sechs Monate zu verlängern. Die Maßnahmen betreffen Banken, Energiekonzerne "
        "und mehrere hundert Personen aus dem Umfeld der Regierung in Moskau."
    )
    assert identify(german) is None


def test_a_supported_tag_is_trusted_and_an_unknown_one_ignored() -> None:
    english = "The United States imposed new sanctions on Russia."
    assert tagged_language(Article(id="a", text=english, lang="fr")) == "fr"
    assert tagged_language(Article(id="a", text=english, lang="en-GB")) == "en"
    assert tagged_language(Article(id="a", text=english, lang="de")) is None
    assert identify(english) == "en"


def test_persian_is_told_from_arabic_on_short_passages() -> None:
    # Persian letters (پ چ ژ گ) or Persian stopwords decide; Arabic stays Arabic.
    assert identify("هند خرید نفت از ایران را کاهش می‌دهد") == "fa"
    assert identify("تحریم‌های جدید آمریکا علیه ایران") == "fa"
    assert identify("پکن واردات نفت را افزایش داد") == "fa"
    assert identify("واشنطن تفرض عقوبات جديدة") == "ar"  # no stopword either way: Arabic
    assert identify("قطعت السعودية علاقاتها مع إيران في عام 2016") == "ar"


def test_a_script_no_lexicon_writes_is_unsupported() -> None:
    assert identify("Οι Ηνωμένες Πολιτείες επέβαλαν νέες κυρώσεις στη Ρωσία") is None
    assert identify("ארצות הברית הטילה סנקציות חדשות על רוסיה") is None


def test_a_language_with_letters_of_its_own_is_not_taken_for_a_supported_one() -> None:
    # Ukrainian (і, ї, є) is not Russian; Sorani Kurdish (ێ ۆ ڵ ڕ ە) is not Persian.
    ukrainian = "Сполучені Штати запровадили нові санкції проти Росії, які стосуються банків."
    assert identify(ukrainian) is None
    assert identify("ئەمریکا سزای نوێی بەسەر ئێراندا سەپاند و وەزارەتی دەرەوە ڕایگەیاند") != "fa"
    # A stretched word (tatweel) is still Persian.
    assert identify("وزارت خارجه روســیه در نظر دارد دیپلماتهــای آمریکایی را اخراج کند") == "fa"
