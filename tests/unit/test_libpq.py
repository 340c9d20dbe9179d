"""`dyadwatch db-url` prints what psql takes; `--sqlalchemy` the driver form."""

from __future__ import annotations

import pytest

from streams.cli import main
from streams.libpq import libpq_url
from streams.settings import get_settings

DRIVER_URL = "postgresql+psycopg://dyad:p%40ss@127.0.0.1:5433/dyadwatch?sslmode=disable"
LIBPQ_URL = "postgresql://dyad:p%40ss@127.0.0.1:5433/dyadwatch?sslmode=disable"


def test_the_driver_goes_and_everything_else_stays() -> None:
    assert libpq_url(DRIVER_URL) == LIBPQ_URL
    assert libpq_url(LIBPQ_URL) == LIBPQ_URL


@pytest.mark.parametrize(
    ("flags", "printed"),
    [([], LIBPQ_URL), (["--libpq"], LIBPQ_URL), (["--sqlalchemy"], DRIVER_URL)],
)
def test_db_url_prints_the_form_asked_for(
    flags: list[str],
    printed: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DYADWATCH_DATABASE_URL", DRIVER_URL)
    get_settings.cache_clear()
    try:
        assert main(["db-url", *flags]) == 0
    finally:
        get_settings.cache_clear()
    assert capsys.readouterr().out == printed + "\n"


def test_the_two_forms_cannot_both_be_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["db-url", "--libpq", "--sqlalchemy"])
    assert "not allowed with" in capsys.readouterr().err
