"""Training reads the golden cases: a party that YAML did not read as a code is named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bench.learning import _check_parties

_CASE = "id: en-x-1\nexpect:\n  - {{type: relations.downgraded, actor: {actor}, target: RU}}\n"


def test_an_unquoted_norway_is_named_not_crashed_on() -> None:
    case = yaml.safe_load(_CASE.format(actor="NO"))
    with pytest.raises(ValueError, match=r"golden/en.yaml case en-x-1: actor .* got False"):
        _check_parties(Path("en.yaml"), case)


def test_quoted_codes_pass() -> None:
    _check_parties(Path("en.yaml"), yaml.safe_load(_CASE.format(actor='"NO"')))
