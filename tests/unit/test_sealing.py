from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import SecretStr

from streams.errors import ConfigError
from streams.sealing import KEY_FILE, PREFIX, Sealer, Unsealable, is_sealed, new_key
from streams.settings import Settings

SECRET = "whsec_a-secret-that-signs-alerts"


def test_a_sealed_secret_opens_and_shows_nothing_of_itself() -> None:
    sealer = Sealer([new_key().encode()])
    stored = sealer.seal(SECRET)
    assert is_sealed(stored) and stored.startswith(PREFIX)
    assert SECRET not in stored and "a-secret" not in stored
    assert sealer.open(stored) == SECRET
    # Sealing twice gives two different texts (a fresh IV each time).
    assert sealer.seal(SECRET) != stored


def test_a_secret_stored_before_sealing_opens_as_it_is_and_reseals() -> None:
    sealer = Sealer([new_key().encode()])
    assert sealer.open(SECRET) == SECRET
    assert sealer.open(sealer.reseal(SECRET)) == SECRET


def test_keys_rotate_the_first_seals_every_one_opens() -> None:
    old, fresh = new_key().encode(), new_key().encode()
    under_old = Sealer([old]).seal(SECRET)
    rotated = Sealer([fresh, old])
    assert rotated.open(under_old) == SECRET
    resealed = rotated.reseal(under_old)
    assert Sealer([fresh]).open(resealed) == SECRET
    with pytest.raises(Unsealable):
        Sealer([old]).open(resealed)


def test_settings_keys_or_else_one_key_file_per_home(tmp_path: Path) -> None:
    key = new_key()
    listed = Settings(home=tmp_path / "a", secret_keys=SecretStr(f" {key} ,{new_key()}"))
    assert Sealer([key.encode()]).open(Sealer.from_settings(listed).seal(SECRET)) == SECRET
    assert not (tmp_path / "a" / KEY_FILE).exists()
    home = Settings(home=tmp_path / "b")
    first = Sealer.from_settings(home).seal(SECRET)
    path = tmp_path / "b" / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # Another process of the same home reads the same key.
    assert Sealer.from_settings(Settings(home=tmp_path / "b")).open(first) == SECRET
    assert [p.name for p in (tmp_path / "b").iterdir()] == [KEY_FILE]


def test_a_key_that_is_not_a_fernet_key_is_refused_at_once(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Fernet"):
        Sealer.from_settings(Settings(home=tmp_path, secret_keys=SecretStr("hunter2")))
