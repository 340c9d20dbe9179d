from __future__ import annotations

from typing import Any

from streams.settings import Settings
from streams.web.contract import absent_is_null, working_limits


def _document(parameter: dict[str, Any]) -> dict[str, Any]:
    return {"paths": {"/v1/x": {"get": {"parameters": [parameter]}}}}


def test_an_optional_parameter_is_stated_without_its_null() -> None:
    optional = {
        "name": "cursor",
        "in": "query",
        "required": False,
        "schema": {"anyOf": [{"type": "string", "pattern": "^a$"}, {"type": "null"}], "title": "C"},
    }
    (parameter,) = absent_is_null(_document(optional))["paths"]["/v1/x"]["get"]["parameters"]
    assert parameter["schema"] == {"type": "string", "pattern": "^a$", "title": "C"}


def test_a_required_or_truly_mixed_parameter_is_left_as_it_is() -> None:
    either = {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}
    for parameter in (
        {"name": "a", "in": "query", "required": True, "schema": {**either}},
        {"name": "b", "in": "query", "required": False, "schema": {**either}},
    ):
        (seen,) = absent_is_null(_document(parameter))["paths"]["/v1/x"]["get"]["parameters"]
        assert seen["schema"] == either


def test_the_document_states_the_deployments_filter_limit() -> None:
    document = {
        "components": {
            "schemas": {"Filters": {"properties": {"countries": {"maxItems": 10_000}, "pairs": {}}}}
        }
    }
    limited = working_limits(document, Settings(max_filter_items=7))
    properties = limited["components"]["schemas"]["Filters"]["properties"]
    assert properties["countries"]["maxItems"] == properties["pairs"]["maxItems"] == 7
