"""Review decisions: the decisions file, read and checked, and applied to the tables in the dataset stage.

The rules always miss or misread some sentences; a person corrects a few rows by hand. An edit in
OUTPUT would be overwritten by the next run, so corrections live in a file of their own beside the
sources (``SOURCES/decisions.csv``, under version control), one decision per line, and the dataset
stage applies them to the extracted tables before they are validated and compared:

- ``accept``: the row (or a change of the diff) was checked and is right; it is marked ``accepted``;
- ``reject``: the row is wrong; it leaves the table;
- ``correct``: one cell takes a new value (``value``); the line keeps the value it replaced (``was``);
- ``add``: a row the rules missed, one line per column given.

A line names its row twice: by ``row_id`` and by ``key`` (``pipeline/rowids.py``). An id that does not
match its key is a mistake in the file (an error); a key no row has any more, or a corrected cell
whose extracted value is no longer ``was``, is a decision gone *stale*: it is not applied, and the run,
``hakusho review`` and the report list it until the user updates or removes it. Values given by hand
pass the checks of extracted values (the schema's types, vocabularies and patterns, and the code lists
of ``codeLists``), with the file and line named.

Which tables take which actions, and the file's columns, are declared in ``schema.json`` (``actions``,
the ``decisions`` table).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from . import rowids, schema
from .errors import HakushoError
from .files import write_bytes
from .formats import csv_bytes, read_csv, sort_rows
from .package import describe
from .schema import ACCEPT, ADD, CORRECT, REJECT
from .vocabulary import table as vocabulary

# The code lists of schema.json's codeLists (read under computed names: listed for the cache rule).
DATA_FILES = ("data/cow_codes.csv",)
# The decision column's value for each action (a rejected row is not published).
MARKS = {ACCEPT: "accepted", CORRECT: "corrected", ADD: "added"}
# The states of the published decisions table (its state enum).
APPLIED = "applied"
STALE = "stale"
DIFF = "diff"
# Columns a correction may not touch: which edition a row belongs to is part of what it is.
FIXED = (schema.EDITION,)
REMEDY = "fix or remove the line"


def _cell(name: str) -> property:
    """A Line's cell of the column ``name``, read as an attribute."""
    return property(lambda line: line.cells[name], doc=f"The line's {name}.")


@dataclass(frozen=True)
class Line:
    """One line of the decisions file: its cells (the file's columns) and its number (the header is line 1)."""

    number: int
    cells: dict[str, str]

    table = _cell("table")
    row_id = _cell(schema.ROW_ID)
    key = _cell("key")
    action = _cell(schema.ACTION)
    column = _cell("column")
    value = _cell("value")
    was = _cell("was")
    reason = _cell("reason")

    @property
    def group(self) -> tuple[str, str]:
        """The row it is about: (table, row_id)."""
        return self.table, self.row_id

    @property
    def identity(self) -> tuple[str, ...]:
        """What makes a line one decision: the decisions table's primary key."""
        return decisions_table().primary_key_of(self.cells)


def new_line(**cells: str) -> Line:
    """A line the commands write (number 0: not yet in the file); columns not given are empty."""
    return Line(0, {name: cells.get(name, "") for name in file_columns()})


def decisions_table() -> schema.Table:
    return schema.table(schema.DECISIONS)


def file_columns() -> list[str]:
    """The columns of the decisions file: the decisions table's, without those the dataset computes."""
    spec = decisions_table()
    return [name for name in spec.made_columns if name not in spec.computed]


def reviewed_tables() -> list[schema.Table]:
    """The tables whose rows take decisions."""
    return [table for table in schema.load().tables.values() if table.actions]


# --- reading and checking the file ------------------------------------------------------------------


def read(path: Path | None) -> list[Line]:
    """Every line of the decisions file, checked; no file (or None) is no decisions.

    A line that cannot be applied whatever the tables hold (an unknown table, an id that does not match
    its key, a column the table lacks, a value the schema refuses...) raises HakushoError naming the file
    and line.
    """
    if path is None or not Path(path).is_file():
        return []
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise HakushoError(f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    expected = file_columns()
    if header != expected:
        raise HakushoError(
            f"{path}: line 1: the columns are {', '.join(header or ['(none)'])}; "
            f"a decisions file has the columns {', '.join(expected)}"
        )
    lines, number = [], 2
    for cells in reader:
        if any(cell.strip() for cell in cells):
            if len(cells) != len(expected):
                raise HakushoError(f"{path}: line {number}: {len(cells)} cells, not {len(expected)}; {REMEDY}")
            lines.append(Line(number, dict(zip(expected, (cell.strip() for cell in cells), strict=True))))
        number = reader.line_num + 1
    for line in lines:
        problem = line_problem(line)
        if problem:
            raise HakushoError(f"{path}: line {line.number}: {problem}; {REMEDY}")
    problem = groups_problem(lines)
    if problem:
        raise HakushoError(f"{path}: {problem}")
    return lines


def line_problem(line: Line) -> str | None:
    """What is wrong with one line on its own, or None."""
    tables = schema.load().tables
    table = tables.get(line.table)
    if table is None or not table.actions:
        reviewed = ", ".join(t.name for t in reviewed_tables())
        what = "unknown table" if table is None else "no decisions are taken on table"
        return f"{what} {line.table!r} (tables that take decisions: {reviewed})"
    spec = decisions_table()
    for name, value in line.cells.items():
        problem = cell_problem(spec, name, value)
        if problem:
            return f"{name} {problem}"
    if line.action not in table.actions:
        if table.row_id[0] == schema.PAIR:  # a change of the diff
            return (
                f"{line.action} is not for a change: accept it or leave it open; to fix it, reject or correct "
                "the row it shows (its new_row_id, or old_row_id when removed)"
            )
        return f"action {line.action!r} is not one of {', '.join(table.actions)} (what {line.table} takes)"
    if rowids.digest(line.table, line.key) != rowids.base(line.row_id):
        return (
            f"unknown row id {line.row_id} for the key {line.key!r} of {line.table} (a row id is made from its key: "
            "one of the two is mistyped); copy both from hakusho review or the published table"
        )
    if not rowids.editions_of(table, line.key):
        return f"the key {line.key!r} does not start with an edition"
    if line.action in (ACCEPT, REJECT):
        if line.column or (line.action == REJECT and (line.value or line.was)):
            return f"{line.action} takes no column or value (it is about the whole row)"
    elif line.action in (CORRECT, ADD):
        if line.column not in table.made_columns:
            return f"{line.table} has no column {line.column!r} (its columns: {', '.join(table.made_columns)})"
        if line.action == CORRECT and line.column in FIXED:
            return f"the {line.column} of a row is not corrected: reject the row and add it to the right edition"
        problem = value_problem(table, line.column, line.value)
        if problem:
            return f"{line.table}.{line.column} {problem}"
    if line.action != ACCEPT and not line.reason:
        return f"{line.action} needs a reason (what is wrong, the source)"
    return None


def cell_problem(table: schema.Table, name: str, value: str) -> str | None:
    """Why ``value`` breaks the type or constraints of ``table.name`` (in the dataset's words), or None."""
    _, notes = _field(table.name, name).read_cell(value)
    if not notes:
        return None
    kind, note = next(iter(notes.items()))
    error = SimpleNamespace(type="type-error" if kind == "type" else "constraint-error", note=note)
    return f"{value!r} {describe(error)}"


@cache
def _field(table: str, name: str):
    """The frictionless field that validates a cell of ``table.name`` (as the dataset's validation does)."""
    from frictionless import Field

    return Field.from_descriptor(schema.table(table).field(name).descriptor)


def value_problem(table: schema.Table, name: str, value: str) -> str | None:
    """A value given by hand: the field's type and constraints, then its code list, if it has one."""
    problem = cell_problem(table, name, value)
    if problem or not value or name not in schema.load().code_lists:
        return problem
    file, column = schema.load().code_lists[name]
    if value not in _codes(file, column):
        return f"{value!r} is not a code of pipeline/data/{file} (column {column})"
    return None


@cache
def _codes(file: str, column: str) -> frozenset[str]:
    return frozenset(row[column] for row in vocabulary(file))


def groups_problem(lines: list[Line]) -> str | None:
    """What is wrong between lines (a line repeated, two actions on one row, an added row incomplete)."""
    seen: dict[tuple, Line] = {}
    actions: dict[tuple[str, str], Line] = {}
    for line in lines:
        if line.identity in seen:
            return f"line {line.number}: repeats line {seen[line.identity].number} (the same decision); {REMEDY}"
        seen[line.identity] = line
        first = actions.setdefault(line.group, line)
        if first.action != line.action:
            return (
                f"line {line.number}: row {line.row_id} already has a decision to {first.action} (line "
                f"{first.number}); a row is accepted, rejected, corrected or added: keep one"
            )
        if first.key != line.key:
            return f"line {line.number}: row {line.row_id} has another key on line {first.number}; {REMEDY}"
    for (table_name, row_id), first in actions.items():
        if first.action == ADD:
            given = [line for line in lines if line.group == (table_name, row_id)]
            problem = added_row_problem(schema.table(table_name), {line.column: line.value for line in given}, first)
            if problem:
                return f"line {first.number}: {problem}; {REMEDY}"
    return None


def added_row_problem(table: schema.Table, given: dict[str, str], line: Line) -> str | None:
    """An added row lacks a required column, or its columns give another key than its lines say."""
    row = added_row(table, given)
    missing = [f.name for f in table.fields if f.required and f.name in table.made_columns and not row[f.name]]
    if missing:
        return f"the row added to {table.name} gives no {missing[0]}, which is required (add a line for it)"
    if rowids.key(table, row) != line.key:
        return f"the row added to {table.name} has the key {rowids.key(table, row)!r}, not {line.key!r}"
    return None


def added_row(table: schema.Table, given: dict[str, str]) -> dict[str, str]:
    """The row an add decision gives: its columns, empty where not given."""
    return {name: given.get(name, "") for name in table.made_columns}


# --- writing the file ------------------------------------------------------------------------------


def write(path: Path, lines: list[Line]) -> None:
    """The decisions file, sorted like the published table (stable diffs in git), written atomically."""
    frame = pd.DataFrame([line.cells for line in lines], columns=file_columns(), dtype=str)
    write_bytes(Path(path), csv_bytes(sort_rows(frame, decisions_table())))


# --- applying them in the dataset stage --------------------------------------------------------------


@dataclass
class Outcome:
    """What became of one decision line: its state and, when stale, why."""

    line: Line
    state: str
    detail: str = ""


def apply(
    lines: list[Line], tables: dict[str, pd.DataFrame], years: list[str], path: Path | None
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The tables with the decisions about ``years`` applied, and the published decisions table.

    Each table of ``tables`` that takes decisions has its ``row_id`` column; it gets its ``decision``
    column here. Decisions about editions not in ``years`` are left aside (they are not about this
    dataset); an accepted change is left to the diff (state ``diff``).
    """
    tables = dict(tables)
    for table in reviewed_tables():
        if table.name in tables:
            tables[table.name] = tables[table.name].assign(**{schema.DECISION: ""})
    groups: dict[tuple[str, str], list[Line]] = {}
    for line in lines:
        groups.setdefault(line.group, []).append(line)
    outcomes: list[Outcome] = []
    for (table_name, _), group in groups.items():
        table = schema.table(table_name)
        if not set(rowids.editions_of(table, group[0].key)) <= set(years):
            continue
        if table_name not in tables:  # a table the diff makes: its decisions are the diff's
            outcomes += [Outcome(line, DIFF) for line in group]
            continue
        frame, found = _apply_group(table, tables[table_name], group, path)
        tables[table_name] = frame
        outcomes += found
    for table in reviewed_tables():
        if table.name in tables:
            _no_duplicate_keys(table, tables[table.name], path)
            tables[table.name] = sort_rows(tables[table.name], table)
    return tables, outcomes_frame(outcomes, path)


def _apply_group(
    table: schema.Table, frame: pd.DataFrame, group: list[Line], path: Path | None
) -> tuple[pd.DataFrame, list[Outcome]]:
    """One row's decisions applied to its table: (the table, what became of each line)."""
    first = group[0]
    matches = frame.index[frame[schema.ROW_ID] == first.row_id]
    position = matches[0] if len(matches) else None
    if position is not None and rowids.key(table, frame.loc[position]) != first.key:
        position = None  # the suffix now names another row with the same digest: the decided one is gone
    edition = rowids.editions_of(table, first.key)[0]
    if first.action == ADD:
        return _add(table, frame, group, position, path)
    if position is None:
        gone = f"no row of {table.name} has this key in the {edition} edition any more"
        return frame, [Outcome(line, STALE, gone) for line in group]
    if first.action == REJECT:
        return frame.drop(index=position), [Outcome(first, APPLIED)]
    if first.action == ACCEPT:
        frame.loc[position, schema.DECISION] = MARKS[ACCEPT]
        return frame, [Outcome(first, APPLIED)]
    outcomes = []
    for line in group:
        extracted = frame.loc[position, line.column]
        if extracted != line.was:
            now = "the corrected value itself" if extracted == line.value else f"{extracted!r}"
            detail = f"the rules now give {now} for {line.column}, not {line.was!r} as when it was corrected"
            outcomes.append(Outcome(line, STALE, detail))
            continue
        outcomes.append(Outcome(line, APPLIED))
    for outcome in outcomes:
        if outcome.state == APPLIED:
            line = outcome.line
            frame.loc[position, line.column] = line.value
            frame.loc[position, schema.DECISION] = MARKS[CORRECT]
            frame.loc[position, "_source"] = f"{path} line {line.number} ({CORRECT} {line.column})"
    return frame, outcomes


def _add(
    table: schema.Table, frame: pd.DataFrame, group: list[Line], position, path: Path | None
) -> tuple[pd.DataFrame, list[Outcome]]:
    """An added row joins its table, unless the rules now extract it (or a row with its primary key)."""
    first = group[0]
    row = added_row(table, {line.column: line.value for line in group})
    if position is not None:
        detail = "the rules now extract this row: remove the decision"
        return frame, [Outcome(line, STALE, detail) for line in group]
    primary = table.primary_key_of(row)
    clash = [r for r in frame.to_dict("records") if table.primary_key_of(r) == primary]
    if clash:
        detail = (
            f"the rules now extract a row with the same {', '.join(table.primary_key)} (row_id "
            f"{clash[0][schema.ROW_ID]}): correct that row instead, or remove the decision"
        )
        return frame, [Outcome(line, STALE, detail) for line in group]
    row |= {schema.ROW_ID: first.row_id, schema.DECISION: MARKS[ADD], "_source": f"{path} line {first.number} ({ADD})"}
    frame = pd.concat([frame, pd.DataFrame([row], columns=frame.columns, dtype=str)], ignore_index=True)
    return frame, [Outcome(line, APPLIED) for line in group]


def _no_duplicate_keys(table: schema.Table, frame: pd.DataFrame, path: Path | None) -> None:
    """A correction that gives a row another row's primary key is an error naming its line."""
    seen: dict[tuple[str, ...], dict] = {}
    for row in frame.to_dict("records"):
        primary = table.primary_key_of(row)
        if primary in seen:
            corrected = row if row[schema.DECISION] == MARKS[CORRECT] else seen[primary]
            other = seen[primary] if corrected is row else row
            raise HakushoError(
                f"{corrected['_source']}: the correction gives row {corrected[schema.ROW_ID]} of {table.name} the "
                f"{', '.join(table.primary_key)} of row {other[schema.ROW_ID]} ({' / '.join(primary)}); "
                f"reject one of the two rows instead"
            )
        seen[primary] = row


def outcomes_frame(outcomes: list[Outcome], path: Path | None) -> pd.DataFrame:
    """The published decisions table (with ``_source``: the line each row comes from)."""
    spec = decisions_table()
    rows = [
        outcome.line.cells
        | dict(zip(spec.computed, (outcome.state, outcome.detail), strict=True))
        | {"_source": f"{path} line {outcome.line.number}"}
        for outcome in outcomes
    ]
    frame = pd.DataFrame(rows, columns=[*spec.columns, "_source"], dtype=str)
    return sort_rows(frame, spec)


def change_problem(acceptance: Mapping[str, str], change: Mapping[str, str] | None) -> str | None:
    """Why the acceptance of a change is stale (the diff has no such change any more, or the change now reads
    other values than those accepted), or None when it holds."""
    if change is None:
        old, new = rowids.editions_of(schema.table(acceptance["table"]), acceptance["key"])
        return f"the diff of {old} and {new} has no such change any more"
    if (change["before"], change["after"]) != (acceptance["was"], acceptance["value"]):
        now, then = _reads(change["before"], change["after"]), _reads(acceptance["was"], acceptance["value"])
        return f"the change now reads {now}, not {then}"
    return None


def _reads(before: str, after: str) -> str:
    return f"{before or '(none)'} → {after or '(none)'}"


def published(output: Path) -> list[dict[str, str]]:
    """The decisions table as last published in ``output`` (none when there is none)."""
    path = Path(output) / decisions_table().path()
    return read_csv(path).to_dict("records") if path.is_file() else []
