"""``hakusho review``: what is left to review in an edition, and the commands that write the decisions file.

The yearly routine: ``make extract`` on the new edition, then ``hakusho review`` lists what is open
(the decisions gone stale, the new edition's review items and its changes since the previous edition
that nobody has accepted or corrected yet, each with its row id), then ``hakusho review accept ID``,
``reject``, ``correct``, ``add`` and ``forget`` record decisions in ``SOURCES/decisions.csv``
(``pipeline/decisions.py``), which the next run applies.

The commands read what the last run published in OUTPUT (the rows and their ids, the states of the
decisions) and the decisions file as it is now; they check a decision as the dataset stage will
(the table takes the action, the column exists, the value passes the schema) before writing it, and
write the file atomically, sorted, so that its history in git reads well.
"""

from __future__ import annotations

import argparse
import datetime
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import decisions, rowids, schema
from .cache import OUTPUT_STAMP, file_inputs, read_record
from .cli import FORGET
from .decisions import ACCEPT, ADD, APPLIED, CORRECT, DIFF, REJECT, STALE, Line
from .editions import DECISIONS_FILE
from .errors import HakushoError
from .formats import read_csv

# How much of a review item's sentence a line of the list shows.
TEXT_CHARS = 50
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
RERUN = "run `make extract` (or `hakusho run`)"
RUN_HINT = f"{RERUN} to apply it"
PARTY_NAMES = ("country", "party")  # the columns that name a party: its codes (iso3, cow, party_type) follow


def decisions_path(sources: Path, decisions_file: Path | None) -> Path:
    """The decisions file: ``--decisions``, else ``SOURCES/decisions.csv``."""
    return Path(decisions_file) if decisions_file else Path(sources) / DECISIONS_FILE


# --- what OUTPUT holds ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """A published row a decision can name: its table, id, key and cells (``pair``: a change's editions)."""

    table: schema.Table
    row_id: str
    key: str
    row: dict
    pair: tuple[str, str] | None = None

    @property
    def group(self) -> tuple[str, str]:
        """The (table, row_id) its decisions are grouped by (``Line.group``)."""
        return self.table.name, self.row_id


class Published:
    """The rows of OUTPUT that take decisions, by row id, and the decisions' states of the last run."""

    def __init__(self, output: Path):
        self.output = Path(output)
        editions = self.output / schema.table("editions").path()
        if not editions.is_file():
            raise HakushoError(f"{editions}: missing; {RERUN} first")
        self.editions = sorted(read_csv(editions)["edition"])
        self.states = {Line(0, row).identity: row for row in decisions.published(self.output)}

    @cached_property
    def items(self) -> dict[str, list[Item]]:
        """Every published row that takes decisions, by row id (read when first needed: the tables are large);
        the changes are those of ``changes``, read once."""
        found = self._read([table for table in decisions.reviewed_tables() if table.row_id[0] != schema.PAIR])
        for row_id, items in self.changes.items():
            found.setdefault(row_id, []).extend(items)
        return found

    @cached_property
    def changes(self) -> dict[str, list[Item]]:
        """The rows of the pairs' tables (the changes), by row id: all a run's summary needs."""
        return self._read([table for table in decisions.reviewed_tables() if table.row_id[0] == schema.PAIR])

    def _read(self, tables: list[schema.Table]) -> dict[str, list[Item]]:
        found: dict[str, list[Item]] = {}
        for table in tables:
            for path, pair in self._files(table):
                frame = read_csv(path)
                if schema.ROW_ID not in frame.columns:
                    raise HakushoError(f"{path}: no row ids (an older hakusho published it); {RERUN}")
                for row in frame.to_dict("records"):
                    parts = dict(zip(("old", "new"), pair, strict=True)) if pair else {}
                    item = Item(table, row[schema.ROW_ID], rowids.key(table, row, **parts), row, pair)
                    found.setdefault(item.row_id, []).append(item)
        return found

    def _files(self, table: schema.Table) -> list[tuple[Path, tuple[str, str] | None]]:
        """The table's published files, with the pair of editions of each (changes: one per pair)."""
        if "{" not in table.path_template:
            path = self.output / table.path()
            return [(path, None)] if path.is_file() else []
        from .diff import pair_folders

        found = [(self.output / table.path(old=old, new=new), (old, new)) for old, new in pair_folders(self.output)]
        return [(path, pair) for path, pair in found if path.is_file()]

    def item(self, row_id: str, book: list[Line], path: Path) -> Item:
        """The published row ``row_id`` names; an error saying why when there is none."""
        found = self.items.get(row_id, [])
        if len(found) == 1:
            return found[0]
        if found:
            tables = ", ".join(item.table.name for item in found)
            raise HakushoError(f"row id {row_id} names rows of {tables}; decide in the decisions file by hand")
        rejected = [line for line in book if line.row_id == row_id and line.action == REJECT]
        if rejected:
            raise HakushoError(
                f"row {row_id} is rejected ({path} line {rejected[0].number}), so it is not in {self.output}; "
                f"`hakusho review forget {row_id}` first"
            )
        for table in schema.load().tables.values():
            if table.row_id and not table.actions and any(row_id in _ids(path) for path, _ in self._files(table)):
                raise HakushoError(
                    f"row {row_id} is a row of {table.name}, which takes no decisions (it is made from other "
                    "tables: decide about their rows)"
                )
        raise HakushoError(
            f"no row of {self.output} has the id {row_id}; copy it from `hakusho review`, the report or a table "
            "(run `make extract` first if the rows are new)"
        )


def _ids(path: Path) -> set[str]:
    return set(read_csv(path).get(schema.ROW_ID, []))


# --- what is open -------------------------------------------------------------------------------------


def stale(published: Published, book: list[Line]) -> list[tuple[Line, str]]:
    """The decisions of the file that the last run left stale, with why (a change no diff finds included)."""
    found = []
    for line in book:
        if not _published(published, line):
            continue  # about another edition, or not applied yet: the file changed since the last run
        state = published.states[line.identity]
        if state["state"] == STALE:
            found.append((line, state["detail"]))
        elif state["state"] == DIFF:
            problem = _change_problem(published, line)
            if problem:
                found.append((line, problem))
    return found


def _published(published: Published, line: Line) -> bool:
    """Whether the last run published this very line (its state is then known)."""
    state = published.states.get(line.identity)
    return state is not None and all(state[name] == value for name, value in line.cells.items())


def _change_problem(published: Published, line: Line) -> str | None:
    """Why an accepted change is stale, from the changes the last run published, or None."""
    items = [item for item in published.changes.get(line.row_id, []) if item.key == line.key]
    return decisions.change_problem(line.cells, items[0].row if items else None)


def open_items(published: Published, book: list[Line], edition: str) -> tuple[list[Item], list[Item], int]:
    """(review items, changes) of ``edition`` that nobody has decided about, in the file or in OUTPUT, and how
    many changes are left out as the report lists them apart (mentions without an event: not counted)."""
    decided = {line.row_id for line in book}

    def is_open(item: Item, *related: str) -> bool:
        return not item.row.get(schema.DECISION) and not decided & {item.row_id, *related}

    items = [item for found in published.items.values() for item in found]
    review = [i for i in items if i.table.name == "review" and i.row["edition"] == edition and is_open(i)]
    changes = [
        item for item in items if item.pair and item.pair[1] == edition and is_open(item, _shown_row_id(item.row))
    ]
    listed = [item for item in changes if not _apart(published, item)]
    return review, listed, len(changes) - len(listed)  # in their tables' order (changes: the diff's order)


def _apart(published: Published, change: Item) -> bool:
    """Whether the report lists the change apart, by the row it shows (``diff/labels.py``)."""
    from .diff.labels import apart

    shown = published.items.get(_shown_row_id(change.row), [])  # none: a table without decisions (mention_shares)
    return bool(shown) and apart(shown[0].row)


def _shown_row_id(change: dict) -> str:
    """The row a change shows: the later edition's, or the earlier one's for a removal."""
    return change["new_row_id"] or change["old_row_id"]


def list_open(published: Published, book: list[Line], path: Path, edition: str | None) -> int:
    """Print what is open in ``edition`` (default: the newest); the number of open items."""
    if not published.editions:
        raise HakushoError(f"{published.output}: no editions; run `make extract` first")
    edition = edition or published.editions[-1]
    if edition not in published.editions:
        raise HakushoError(f"no edition {edition} in {published.output} (present: {', '.join(published.editions)})")
    gone = stale(published, book)
    review, changes, aside = open_items(published, book, edition)
    index = published.editions.index(edition)
    pair = f"{published.editions[index - 1]} → {edition}" if index else f"before {edition} (its first edition)"
    total = len(gone) + len(review) + len(changes)
    print(f"{edition} edition ({published.output}, decisions: {path}): {total} open item(s)")
    if _file_changed(published.output, path):
        print(f"  {path} changed since the last run: {RUN_HINT}; states below are the last run's")
    print(f"\nStale decisions ({len(gone)}): update them, or remove them with `hakusho review forget ID`")
    for line, detail in gone:
        column = f" {line.column}" if line.column else ""
        print(f"  {line.row_id}  {line.action} {line.table}{column}  {line.key}: {detail} ({path} line {line.number})")
    print(f"\nReview items of {edition} without a decision ({len(review)}): accept (seen) or reject (not a problem)")
    for item in review:
        row = item.row
        text = row["text"][:TEXT_CHARS] + ("…" if len(row["text"]) > TEXT_CHARS else "")
        print(f"  {item.row_id}  {row['table']}: {row['reason']} — {text} ({_page(row)})")
    apart = f"; not counting {aside} mention(s) the report lists apart" if aside else ""
    print(f"\nChanges {pair} not yet accepted or corrected ({len(changes)}{apart}): accept, or fix the row shown")
    for item in changes:
        row = item.row
        print(f"  {item.row_id}  {row['table']}  {row['key']}  {_change(row)} (row {_shown_row_id(row)})")
    return total


def _change(row: dict) -> str:
    """What a change says, in a few words: ``added concluded``, ``status signed → concluded``."""
    if row["change"] == "changed":
        return f"{row['field']} {row['before'] or '(none)'} → {row['after'] or '(none)'}"
    value = row["after"] or row["before"]
    return f"{row['change']}" + (f" ({row['field']} {value})" if value else "")


def _page(row: dict) -> str:
    printed = f"p.{row['printed_page']}, " if row.get("printed_page") else ""
    return f"{row['edition']} {printed}PDF p.{row['page']} of {row['file']}"


def _file_changed(output: Path, path: Path) -> bool:
    """Whether the decisions file differs from the one the last published dataset was made with."""
    record = read_record(output / OUTPUT_STAMP, "dataset") or {}
    recorded = (record.get("inputs") or {}).get(DECISIONS_FILE)
    return recorded is not None and recorded != file_inputs({DECISIONS_FILE: path})[DECISIONS_FILE]


def decisions_summary(output: Path, path: Path) -> tuple[list[str], str]:
    """After a run: one warning per stale decision of the publication, and a line counting the decisions."""
    book = decisions.read(path)
    if not book or not (Path(output) / schema.table("editions").path()).is_file():
        return [], ""
    published = Published(output)
    found = stale(published, book)
    warnings = [
        f"warning: {path}: line {line.number}: {line.action} {line.table} {line.row_id} ({line.key}) is stale: "
        f"{detail}; update or remove it (hakusho review lists it)"
        for line, detail in found
    ]
    stale_units = {_unit(line) for line, _ in found}
    units = {_unit(line) for line in book}
    published_units = {_unit(line) for line in book if _published(published, line)}
    applied, aside = len(published_units - stale_units), len(units - published_units)
    counts = f"decisions: {applied} applied, {len(stale_units)} stale"
    return warnings, counts + (f", {aside} about editions not in {output}" if aside else "") + f" ({path})"


def _unit(line: Line) -> tuple[str, ...]:
    """One decision: a line, or the lines of one added row together."""
    return (*line.group, line.action, "" if line.action == ADD else line.column)


# --- writing decisions ------------------------------------------------------------------------------------


def record(path: Path, book: list[Line], new: list[Line]) -> None:
    """``new`` written into the file: each replaces the line with its identity (a decision made again)."""
    for line in new:
        other = next((old for old in book if old.group == line.group and old.action != line.action), None)
        if other is not None:
            raise HakushoError(
                f"row {line.row_id} already has a decision to {other.action} ({path} line {other.number}); "
                f"`hakusho review forget {line.row_id}` first to decide again"
            )
    identities = {line.identity for line in new}
    lines = [line for line in book if line.identity not in identities] + new
    problem = decisions.groups_problem(lines)
    if problem:
        raise HakushoError(f"{path}: {problem}")
    decisions.write(path, lines)
    for line in new:
        column = f" {line.column} = {line.value!r}" if line.action in (CORRECT, ADD) else ""
        print(f"{path}: {line.action} {line.table} {line.row_id} ({line.key}){column}")
    print(f"{RUN_HINT}.")


def _line(item: Item, action: str, args: argparse.Namespace, **cells: str) -> Line:
    line = decisions.new_line(
        table=item.table.name,
        **{schema.ROW_ID: item.row_id, schema.ACTION: action},
        key=item.key,
        reason=args.reason or "",
        date=_date(args),
        **cells,
    )
    problem = decisions.line_problem(line)
    if problem:
        raise HakushoError(f"{action} {item.row_id}: {problem}")
    return line


def _date(args: argparse.Namespace) -> str:
    if args.date and not DATE.match(args.date):
        raise HakushoError(f"--date {args.date}: not a day (YYYY-MM-DD)")
    return args.date or datetime.date.today().isoformat()


def accept(published: Published, book: list[Line], path: Path, args: argparse.Namespace) -> None:
    lines = []
    for row_id in args.ids:
        item = published.item(row_id, book, path)
        values = {"was": item.row["before"], "value": item.row["after"]} if item.pair else {}
        lines.append(_line(item, ACCEPT, args, **values))
    record(path, book, lines)


def reject(published: Published, book: list[Line], path: Path, args: argparse.Namespace) -> None:
    record(path, book, [_line(published.item(row_id, book, path), REJECT, args) for row_id in args.ids])


def correct(published: Published, book: list[Line], path: Path, args: argparse.Namespace) -> None:
    """A cell takes a new value; a party's name brings its codes (iso3, cow, party_type) when it is known."""
    item = published.item(args.id, book, path)
    if args.column not in item.table.made_columns:
        columns = ", ".join(item.table.made_columns)
        raise HakushoError(f"{item.table.name} has no column {args.column!r} (its columns: {columns})")
    extracted = _as_extracted(item, args.column, book, published)
    if args.value == extracted:
        raise HakushoError(
            f"{item.row_id}: {args.column} is {extracted!r} as extracted; `hakusho review accept` the row instead"
        )
    lines = [_line(item, CORRECT, args, column=args.column, value=args.value, was=extracted)]
    for column, value in _codes_of_name(item.table, args.column, args.value).items():
        if value != (was := _as_extracted(item, column, book, published)):
            lines.append(_line(item, CORRECT, args, column=column, value=value, was=was))
    record(path, book, lines)


def _as_extracted(item: Item, column: str, book: list[Line], published: Published) -> str:
    """The value the rules gave a cell: the published one, or the one an applied correction replaced."""
    extracted = item.row[column]
    for line in book:
        same = (line.group, line.action, line.column) == (item.group, CORRECT, column)
        if same and published.states.get(line.identity, {}).get("state") == APPLIED:
            extracted = line.was  # the published cell holds this earlier correction
    return extracted


def _codes_of_name(table: schema.Table, column: str, name: str) -> dict[str, str]:
    """The code columns a corrected party name sets in ``table`` (none when ``column`` is not a name, or the
    name is not in the vocabulary: the codes are then the user's to correct)."""
    from .countries import UNKNOWN

    if column not in PARTY_NAMES:
        return {}
    codes = _party_codes(table, name)
    return {} if codes.get("party_type") == UNKNOWN else codes


def _party_codes(table: schema.Table, name: str) -> dict[str, str]:
    """The columns of ``table`` among iso3, cow and party_type, as the vocabulary gives them for ``name``."""
    from .countries import resolve

    party = resolve(name)
    codes = {"iso3": party.iso3, "cow": party.cow, "party_type": party.party_type}
    return {column: value for column, value in codes.items() if column in table.made_columns}


def add(published: Published, book: list[Line], path: Path, args: argparse.Namespace) -> None:
    table = schema.load().tables.get(args.table)
    if table is None or ADD not in table.actions:
        takes = ", ".join(t.name for t in decisions.reviewed_tables() if ADD in t.actions)
        raise HakushoError(f"rows are added to {takes}, not to {args.table!r}")
    given = {}
    for field in args.field:
        name, sep, value = field.partition("=")
        if not sep:
            raise HakushoError(f"--field {field}: write it as column=value (e.g. --field page=12)")
        given[name.strip()] = value.strip()
    if not given:
        raise HakushoError(f"give the row's columns: --field COLUMN=VALUE for each ({', '.join(table.made_columns)})")
    given = _filled(table, given, published)
    row = decisions.added_row(table, given)
    key = rowids.key(table, row)
    row_id = rowids.digest(table.name, key)
    if row_id in published.items:
        raise HakushoError(f"{table.name} already has this row ({row_id}, {key}); accept or correct it instead")
    primary = table.primary_key_of(row)
    for other in (item for found in published.items.values() for item in found if item.table is table):
        if table.primary_key_of(other.row) == primary:
            raise HakushoError(
                f"{table.name} already has a row with this {', '.join(table.primary_key)} ({other.row_id}, "
                f"{other.key}); correct it instead"
            )
    item = Item(table, row_id, key, row)
    lines = [_line(item, ADD, args, column=name, value=value) for name, value in given.items() if value]
    problem = decisions.added_row_problem(table, given, lines[0])
    if problem:
        raise HakushoError(problem)
    record(path, book, lines)


def _filled(table: schema.Table, given: dict[str, str], published: Published) -> dict[str, str]:
    """What an added row may leave out: a party's codes (from its name), the file of a one-file edition."""
    unknown = [name for name in given if name not in table.made_columns]
    if unknown:
        raise HakushoError(f"{table.name} has no column {unknown[0]!r} (its columns: {', '.join(table.made_columns)})")
    name = next((given[n] for n in PARTY_NAMES if given.get(n) and n in table.made_columns), "")
    if name:
        given = _party_codes(table, name) | given
    if "file" in table.made_columns and not given.get("file") and given.get(schema.EDITION):
        editions = read_csv(published.output / schema.table("editions").path())
        files = editions.loc[editions[schema.EDITION] == given[schema.EDITION], "files"]
        names = [entry.split(":", 1)[0] for entry in ";".join(files).split(";") if entry]
        if len(names) == 1:
            given = {"file": names[0]} | given
    return {name: given[name] for name in table.made_columns if name in given}


def forget(book: list[Line], path: Path, args: argparse.Namespace) -> None:
    gone = [line for line in book if line.row_id in args.ids]
    missing = [row_id for row_id in args.ids if row_id not in {line.row_id for line in gone}]
    if missing:
        raise HakushoError(f"{path}: no decision about {', '.join(missing)}")
    decisions.write(path, [line for line in book if line.row_id not in args.ids])
    for line in gone:
        print(f"{path}: line {line.number} removed ({line.action} {line.table} {line.row_id}, {line.key})")
    print(f"{RUN_HINT}.")


# --- the command (its arguments: cli._review_options) ---------------------------------------------------

# The actions that write a decision about a published row.
ACTIONS = {ACCEPT: accept, REJECT: reject, CORRECT: correct, ADD: add}


def run(args: argparse.Namespace) -> int:
    path = decisions_path(args.sources, args.decisions)
    book = decisions.read(path)
    if args.action == FORGET:  # needs no published dataset
        forget(book, path, args)
    elif args.action is None:
        list_open(Published(args.output), book, path, args.edition)
    else:
        ACTIONS[args.action](Published(args.output), book, path, args)
    return 0
