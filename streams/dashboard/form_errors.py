"""A request model's complaints about a form, as one sentence a person can act on."""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

SHOWN = 3  # complaints named; the rest wait until these are mended


def validation_sentence(exc: ValidationError, model: type[BaseModel]) -> str:
    """One clause per field. A pattern's regular expression says nothing to a person, so a
    field that does not match it is told what the field's description asks for."""
    problems = []
    for error in exc.errors()[:SHOWN]:
        path = [str(p) for p in error["loc"] if not isinstance(p, int)]
        where = ".".join(path).removeprefix("filters.") or "form"
        message = error["msg"]
        field = model.model_fields.get(path[0]) if len(path) == 1 else None
        if error["type"] == "string_pattern_mismatch" and field and field.description:
            message = f"expected {field.description}"
        problems.append(f"{where.replace('_', ' ')}: {message}")
    return "; ".join(problems)
