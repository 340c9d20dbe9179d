"""Stages do not import stages: each stage package of `streams/` reaches the others only
through topics, tables and the shared top-level modules, never by importing them."""

from __future__ import annotations

import ast
from pathlib import Path

STREAMS = Path(__file__).resolve().parents[2] / "streams"
STAGES = ("ingest", "detect", "state", "alerts", "api", "dashboard")


def imported_modules(source: str) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from streams.api import deps` imports the module deps; a name imported from
            # a module is that module.
            for alias in node.names:
                inner = f"{node.module}.{alias.name}"
                found.add(inner if is_module(inner) else node.module)
    return found


def is_module(dotted: str) -> bool:
    path = STREAMS.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "streams" and parts[1] in STAGES:
        return parts[1]
    return None


def crossings() -> list[str]:
    """`stage/file.py -> streams.other.module` for every import of another stage."""
    out = []
    for stage in STAGES:
        for path in sorted((STREAMS / stage).rglob("*.py")):
            for module in sorted(imported_modules(path.read_text(encoding="utf-8"))):
                other = stage_of(module)
                if other is not None and other != stage:
                    out.append(f"{path.relative_to(STREAMS)} -> {module}")
    return out


def test_the_walk_sees_every_form_of_import() -> None:
    source = (
        "import streams.detect.countries\n"
        "from streams.state import rules\n"
        "from streams.api.deps import EngineDep\n"
        "def later():\n"
        "    from streams.alerts.match import matches\n"
        "from . import sibling\n"
    )
    assert imported_modules(source) == {
        "streams.detect.countries",
        "streams.state.rules",
        "streams.api.deps",
        "streams.alerts.match",
    }


def test_no_stage_imports_another_stage() -> None:
    found = crossings()
    stages = sorted({line.split("/", 1)[0] for line in found})
    assert not found, f"stages importing other stages: {', '.join(stages)}\n  " + "\n  ".join(found)


def test_only_the_command_line_knows_the_local_stack() -> None:
    # The runtime path reads its services from resolved settings; the local stack (state
    # file, embedded broker and database) is the command line's business alone.
    allowed = {"cli.py"}
    found = []
    for path in sorted(STREAMS.rglob("*.py")):
        where = path.relative_to(STREAMS)
        if where.parts[0] == "devstack" or str(where) in allowed:
            continue
        for module in sorted(imported_modules(path.read_text(encoding="utf-8"))):
            if module == "streams.devstack" or module.startswith("streams.devstack."):
                found.append(f"{where} -> {module}")
    assert not found, "modules reaching into the local stack:\n  " + "\n  ".join(found)
