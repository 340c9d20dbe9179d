from __future__ import annotations

import pytest

from streams.cli import build_parser


def test_subscribe_takes_repeatable_filters_and_one_channel() -> None:
    filters = ["--pair", "US-VE", "--country", "IR", "--country", "RU"]
    channel = ["--webhook", "https://h.example/x", "--secret", "s"]
    args = build_parser().parse_args(
        ["subscribe", *filters, "--type", "relations.severed", *channel]
    )
    assert args.pair == ["US-VE"] and args.country == ["IR", "RU"]
    assert args.webhook == "https://h.example/x" and not args.sse


def test_subscribe_needs_a_channel_and_only_one() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["subscribe", "--pair", "US-VE"])
    with pytest.raises(SystemExit):
        build_parser().parse_args(["subscribe", "--sse", "--webhook", "https://h.example/x"])


def test_subscriptions_and_apikey_actions() -> None:
    assert build_parser().parse_args(["subscriptions", "delete", "abc"]).id == "abc"
    assert build_parser().parse_args(["apikey", "create", "--name", "me"]).name == "me"
