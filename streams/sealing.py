"""Webhook secrets at rest: sealed with Fernet (AES-CBC with an HMAC-SHA256 tag) under a key
from settings, so a copy of the database (a backup, a replica, a dump) cannot sign alerts
in our name. API keys and dashboard sessions need no key: they are kept as hashes.

The keys are DYADWATCH_SECRET_KEYS, Fernet keys separated by commas: the first seals, each
one opens, so a key is rotated by putting a new one first and running `dyadwatch
secrets reseal`. Without the setting, the key is a file in DYADWATCH_HOME, made on first use
with mode 0600 and shared by every process of that home (one machine's stack); processes on
several machines need the setting."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from streams.errors import ConfigError, DyadwatchError
from streams.settings import Settings

PREFIX = "sealed:v1:"
KEY_FILE = "secret.key"


class Unsealable(DyadwatchError):
    """A sealed secret that none of our keys opens."""


class Sealer:
    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise ConfigError("no key to seal secrets with")
        try:
            self._fernet = MultiFernet([Fernet(key) for key in keys])
        except ValueError:
            raise ConfigError(
                "DYADWATCH_SECRET_KEYS holds a key that is not a Fernet key "
                "(32 url-safe base64 bytes: dyadwatch secrets new-key prints one)"
            ) from None

    @classmethod
    def from_settings(cls, settings: Settings) -> Sealer:
        if settings.secret_keys is not None:
            listed = settings.secret_keys.get_secret_value().split(",")
            return cls([k.strip().encode() for k in listed if k.strip()])
        return cls([_home_key(settings.home)])

    def seal(self, secret: str) -> str:
        return PREFIX + self._fernet.encrypt(secret.encode("utf-8")).decode("ascii")

    def open(self, stored: str) -> str:
        """The secret; one stored before sealing began comes back as it is."""
        if not is_sealed(stored):
            return stored
        try:
            return self._fernet.decrypt(stored.removeprefix(PREFIX).encode("ascii")).decode()
        except InvalidToken:
            raise Unsealable(
                "sealed under a key this process does not have (DYADWATCH_SECRET_KEYS)"
            ) from None

    def reseal(self, stored: str) -> str:
        """Sealed again under the first key (clear text gets sealed)."""
        return self.seal(self.open(stored))


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def _home_key(home: Path) -> bytes:
    path = home / KEY_FILE
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        # Written aside, then linked into place: two processes starting together never
        # read a half-written key, and the one that links second takes the first's.
        draft = home / f".{KEY_FILE}.{os.getpid()}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(new_key())
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    return path.read_text().strip().encode("ascii")
