"""The detector's version: code version plus a digest of its data files and model, so a
lexicon edit or a retrained model is a new version without anyone bumping a number."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

DATA_DIRS = ("lexicons", "gazetteer", "model")


@lru_cache(maxsize=1)
def detector_version() -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in DATA_DIRS:
        for path in sorted((here / name).rglob("*")):
            if path.suffix not in (".yaml", ".gz"):
                continue
            digest.update(path.relative_to(here).as_posix().encode())
            digest.update(path.read_bytes())
    try:
        code = version("dyadwatch")
    except PackageNotFoundError:
        code = "0"
    return f"{code}+{digest.hexdigest()[:12]}"
