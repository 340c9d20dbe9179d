"""Whether a vocabulary holds together: the checks across its entries, and the tables
derived from them (which kind leads into each state, which dimension each family of codes
is), each returned with the problems found, so the loader can report them all at once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the entry shapes live with the loader, which imports this module
    from models.vocabulary import Dimension, Kind, Status


def check_dimensions(dimensions: Mapping[str, Dimension]) -> list[str]:
    problems = []
    for d in dimensions.values():
        if d.initial not in d.states:
            problems.append(
                f"dimensions.{d.name}: initial state {d.initial!r} not among its states"
            )
        if len(set(d.states)) != len(d.states):
            problems.append(f"dimensions.{d.name}: a state is listed twice")
    return problems


def check_statuses(statuses: Mapping[str, Status]) -> list[str]:
    problems = []
    # Rules and alerts ask "the status that changes the state" and "the one that opens a
    # signal": each must be exactly one, and a closure names one status.
    for flag in ("changes_state", "opens_signal"):
        holders = [s.name for s in statuses.values() if getattr(s, flag)]
        if statuses and len(holders) != 1:
            problems.append(f"statuses: exactly one must have {flag}, found {holders or 'none'}")
    # Every report that opens no signal answers an open one, so it must say how.
    problems += [
        f"statuses.{s.name}: neither opens a signal nor closes one (closes_signal_as)"
        for s in statuses.values()
        if not s.opens_signal and not s.closes_signal_as
    ]
    closures = [s.closes_signal_as for s in statuses.values() if s.closes_signal_as]
    if len(set(closures)) != len(closures):
        problems.append("statuses: two statuses close signals with the same name")
    return problems


def check_kinds(
    kinds: Mapping[str, Kind],
    dimensions: Mapping[str, Dimension],
    statuses: Mapping[str, Status],
    declared: Mapping[str, set[str]],
) -> list[str]:
    problems = []
    changing = {s.name for s in statuses.values() if s.changes_state}
    for k in kinds.values():
        where = f"kinds.{k.code}"
        if k.dimension not in declared["dimensions"]:
            problems.append(f"{where}: unknown dimension {k.dimension!r}")
        unknown = sorted(set(k.leads_to) - declared["statuses"])
        if unknown:
            problems.append(f"{where}: leads_to names unknown statuses {unknown}")
        missing = sorted(changing - set(k.leads_to))
        if missing:
            problems.append(f"{where}: leads_to gives no state for {missing}")
        idle = sorted(set(k.leads_to) & (declared["statuses"] - changing))
        if idle:
            problems.append(f"{where}: leads_to gives a state for {idle}, which change none")
        if k.presupposes is not None:
            presupposed = kinds.get(k.presupposes)
            if presupposed is None:
                problems.append(f"{where}: presupposes unknown kind {k.presupposes!r}")
            elif presupposed.code == k.code or presupposed.dimension != k.dimension:
                problems.append(
                    f"{where}: presupposes {k.presupposes!r}, not another kind of its dimension"
                )
        dimension = dimensions.get(k.dimension)
        if dimension is None:
            continue
        for state in [*k.leads_to.values(), *([k.partial] if k.partial else [])]:
            if state not in dimension.states:
                problems.append(f"{where}: {state!r} is not a state of {k.dimension}")
            elif state == dimension.initial:
                problems.append(f"{where}: leads back to the initial state {state!r}")
        # A directed kind on a track kept for the pair would lose who acted on whom.
        if k.directed != dimension.ordered:
            problems.append(
                f"{where}: directed is {k.directed}, the {k.dimension} track {dimension.track}"
            )
    return problems


def inverse_table(
    kinds: Mapping[str, Kind], dimensions: Mapping[str, Dimension]
) -> tuple[dict[tuple[str, str], str], list[str]]:
    """Which kind leads into each state: every state but the initial one needs exactly one."""
    into: dict[tuple[str, str], set[str]] = {}
    for k in kinds.values():
        for state in {*k.leads_to.values(), *([k.partial] if k.partial else [])}:
            into.setdefault((k.dimension, state), set()).add(k.code)
    problems = []
    table: dict[tuple[str, str], str] = {}
    for d in dimensions.values():
        for state in d.states:
            codes = sorted(into.get((d.name, state), set()))
            if state == d.initial:
                continue
            if not codes:
                problems.append(f"dimensions.{d.name}: no kind leads to state {state!r}")
            elif len(codes) > 1:
                problems.append(f"dimensions.{d.name}: state {state!r} is reached by {codes}")
            else:
                table[(d.name, state)] = codes[0]
    return table, problems


def family_table(kinds: Mapping[str, Kind]) -> tuple[dict[str, str], list[str]]:
    """A family of codes belongs to one dimension, and a dimension has one family."""
    table: dict[str, str] = {}
    problems = []
    for k in kinds.values():
        known = table.setdefault(k.family, k.dimension)
        if known != k.dimension:
            problems.append(
                f"kinds.{k.code}: family {k.family!r} belongs to {known}, not {k.dimension}"
            )
    by_dimension: dict[str, list[str]] = {}
    for family, dimension in table.items():
        by_dimension.setdefault(dimension, []).append(family)
    problems += [
        f"dimensions.{dimension}: kinds of several families {sorted(families)}"
        for dimension, families in by_dimension.items()
        if len(families) > 1
    ]
    return table, problems
