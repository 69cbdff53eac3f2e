"""What a table is: ``pipeline/data/schema.json`` read once, for every stage.

Every table hakusho publishes (the extract tables, editions, decisions, and the diff's changes,
agreement_timeline and mention_shares) is declared there once: columns, types, primary key, sort order,
which stage makes it, what its row ids are made of and which review decisions its rows take, and, for the
tables the diff compares, the diff rule. The extract stage's CSV writer, the dataset's collecting and
validation, the diff's comparisons and the datapackage all read it through this module, so a table or a
column added to the schema appears everywhere without a second declaration. The file documents its own
format (its ``_comment``); this module resolves the two generated field families (``fieldsPerTable``,
``fieldsPerValue``), the derived key fields (``partner``) and the row fields (``row_id`` first,
``decision`` last, added when a table is published), and gives each table as a ``Table``.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import HakushoError

SCHEMA_PATH = Path(__file__).parent / "data" / "schema.json"
STAGES = ("extract", "dataset", "diff")
FIELD_TYPES = ("string", "integer", "number")
# The row fields (schema.json "rowFields"), and the decisions table and its field of actions.
ROW_ID = "row_id"
DECISION = "decision"
DECISIONS = "decisions"
ACTION = "action"
# The actions (the action field's enum; tests check these are its values): named here, not in pipeline.decisions,
# so that the command line's parser (hakusho review ACTION) does not import what applies them.
ACCEPT = "accept"
REJECT = "reject"
CORRECT = "correct"
ADD = "add"
# What a reviewed table's rowId starts with: the edition, or the pair of editions of a diff table's path.
EDITION = "edition"
PAIR = "{old}-{new}"


@dataclass(frozen=True)
class Field:
    """One column: its Frictionless descriptor, and what the code needs of it."""

    descriptor: dict

    @property
    def name(self) -> str:
        return self.descriptor["name"]

    @property
    def is_int(self) -> bool:
        return self.descriptor["type"] == "integer"

    @property
    def is_number(self) -> bool:
        return self.descriptor["type"] == "number"

    @property
    def required(self) -> bool:
        return bool(self.descriptor.get("constraints", {}).get("required"))

    @property
    def values(self) -> tuple[str, ...]:
        """The enum of the field (its vocabulary, in the declared order); () when it has none."""
        return tuple(self.descriptor.get("constraints", {}).get("enum", ()))


@dataclass(frozen=True)
class Comparison:
    """One comparison of a diff rule (see schema.json's ``_comment``)."""

    key: tuple[str, ...]
    fields: tuple[str, ...]
    shows: str | None
    all_values: tuple[str, ...]
    largest: int | None = None  # report a change only for the N keys whose (numeric) field moved most…
    minimum: float = 0  # …and moved by at least this much


@dataclass(frozen=True)
class Table:
    """One table of schema.json, with its generated fields filled in."""

    name: str
    title: str
    description: str
    made_by: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    sort_key: tuple[str, ...]
    path_template: str
    diff_order: int | None
    comparisons: tuple[Comparison, ...]
    # The generated fields (fieldsPerTable, fieldsPerValue): {table or value: column}, and what they are of.
    family: dict[str, str]
    family_of: str
    # What a row id is made of (field names, derived fields, "{old}-{new}"); () when the table has no row_id.
    row_id: tuple[str, ...]
    # The review actions its rows take (decisions.csv); a table with some has a decision column.
    actions: tuple[str, ...]
    # The fields the publishing stage computes besides the row fields (decisions: state, detail).
    computed: tuple[str, ...]
    # The row fields it has (row_id, decision), added to ``fields`` when it is published.
    row_fields: tuple[str, ...]

    @property
    def columns(self) -> list[str]:
        """Its columns as published."""
        return [field.name for field in self.fields]

    @property
    def made_columns(self) -> list[str]:
        """The columns the stage that makes it writes: without the row fields, which publication adds."""
        return [name for name in self.columns if name not in self.row_fields]

    @property
    def int_columns(self) -> list[str]:
        return [field.name for field in self.fields if field.is_int]

    @property
    def number_columns(self) -> list[str]:
        return [field.name for field in self.fields if field.is_number]

    def field(self, name: str) -> Field:
        return next(field for field in self.fields if field.name == name)

    def primary_key_of(self, row: Mapping[str, str]) -> tuple[str, ...]:
        """The values of ``row``'s primary key (a derived field by its value: agreements' partner)."""
        return tuple(key_value(row, name) for name in self.primary_key)

    def path(self, **parts: str) -> str:
        """Where the table lands in OUTPUT, relative to it (``diff/2024-2025/changes.csv``)."""
        return self.path_template.format(**parts)

    def frictionless(self) -> dict:
        """The Frictionless Table Schema: the fields, the primary key in columns, empty cells as missing."""
        return {
            "fields": [copy.deepcopy(field.descriptor) for field in self.fields],  # frictionless edits what it is given
            "primaryKey": [column for name in self.primary_key for column in key_columns(name)],
            "missingValues": [""],
        }


@dataclass(frozen=True)
class Schema:
    """Every table (in the order of schema.json) and the derived key fields."""

    tables: dict[str, Table]
    derived: dict[str, tuple[str, ...]]
    # codeLists: {field name: (data file, its column)} a value given by hand must be in.
    code_lists: dict[str, tuple[str, str]]

    def made_by(self, stage: str) -> list[Table]:
        return [table for table in self.tables.values() if table.made_by == stage]

    def published_by_dataset(self) -> list[Table]:
        """What the dataset stage publishes (and the diff reads): the extract tables, then its own."""
        return self.made_by("extract") + self.made_by("dataset")

    def compared(self) -> list[Table]:
        """The tables with a diff rule, in their diff order."""
        return sorted((t for t in self.tables.values() if t.diff_order is not None), key=lambda t: t.diff_order)


@cache
def load() -> Schema:
    """schema.json, resolved (read once per process)."""
    document = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    derived = {name: tuple(spec["firstNonEmpty"]) for name, spec in document.get("derivedFields", {}).items()}
    row_fields = document.get("rowFields", {})
    raw = document["tables"]
    for name, spec in raw.items():
        _check(name, spec, raw, derived, row_fields)
    tables: dict[str, Table] = {}
    for name, spec in raw.items():
        fields = [copy.deepcopy(field) for field in spec["fields"]]
        family, family_of = {}, ""
        if "fieldsPerTable" in spec:
            family_of = spec["fieldsPerTable"]["madeBy"]
            made = [other for other, s in raw.items() if s["madeBy"] == family_of]
            family = {other: _filled(spec["fieldsPerTable"]["field"], table=other) for other in made}
        if "fieldsPerValue" in spec:
            family_of = spec["fieldsPerValue"]["of"]
            table_name, field_name = family_of.split(".")
            source = next(f for f in raw[table_name]["fields"] if f["name"] == field_name)
            family = {
                value: _filled(spec["fieldsPerValue"]["field"], value=value) for value in source["constraints"]["enum"]
            }
        fields += family.values()
        row_id = tuple(spec["rowId"] or ()) if "rowId" in spec else tuple(spec["primaryKey"])
        actions = tuple(spec.get("actions", ()))
        added = tuple(name for name, wanted in ((ROW_ID, row_id), (DECISION, actions)) if wanted and name in row_fields)
        if ROW_ID in added:
            fields.insert(0, copy.deepcopy(row_fields[ROW_ID]))
        if DECISION in added:
            fields.append(copy.deepcopy(row_fields[DECISION]))
        diff = spec.get("diff")
        tables[name] = Table(
            name=name,
            title=spec["title"],
            description=spec["description"],
            made_by=spec["madeBy"],
            fields=tuple(Field(field) for field in fields),
            primary_key=tuple(spec["primaryKey"]),
            sort_key=tuple(spec.get("sortKey", spec["primaryKey"])),
            path_template=spec.get("path", f"{name}.csv"),
            diff_order=diff["order"] if diff else None,
            comparisons=tuple(
                Comparison(
                    key=tuple(c["key"]),
                    fields=tuple(c["fields"]),
                    shows=c.get("shows"),
                    all_values=tuple(c.get("allValues", ())),
                    largest=c.get("largest"),
                    minimum=c.get("minimum", 0),
                )
                for c in (diff["comparisons"] if diff else ())
            ),
            family={key: field["name"] for key, field in family.items()},
            family_of=family_of,
            row_id=row_id if ROW_ID in added else (),
            actions=actions,
            computed=tuple(spec.get("computed", ())),
            row_fields=added,
        )
    code_lists = {name: (spec["file"], spec["column"]) for name, spec in document.get("codeLists", {}).items()}
    return Schema(tables, derived, code_lists)


def _check(name: str, spec: dict, tables: dict, derived: dict, row_fields: dict) -> None:
    """A one-line error for a table schema.json declares wrong (a key naming no field, an unknown stage…)."""

    def fail(what: str) -> None:
        raise HakushoError(f"{SCHEMA_PATH}: table {name}: {what}; fix the declaration (see its _comment)")

    missing = [key for key in ("title", "description", "madeBy", "fields", "primaryKey") if key not in spec]
    if missing:
        fail(f"no {', '.join(missing)}")
    if spec["madeBy"] not in STAGES:
        fail(f"madeBy is {spec['madeBy']!r}, not one of {', '.join(STAGES)}")
    fields = [field.get("name") for field in spec["fields"]]
    if len(set(fields)) != len(fields):
        fail("a field is declared twice")
    bad = [f.get("name") for f in spec["fields"] if f.get("type") not in FIELD_TYPES]
    if bad:
        fail(f"field {bad[0]}: type must be {', '.join(FIELD_TYPES[:-1])} or {FIELD_TYPES[-1]}")
    usable = set(fields) | {key for key, sources in derived.items() if set(sources) <= set(fields)}
    rule = spec.get("diff", {})
    named = [("primaryKey", spec["primaryKey"], usable), ("sortKey", spec.get("sortKey", ()), set(fields))]
    for i, comparison in enumerate(rule.get("comparisons", ())):
        named += [
            (f"diff comparison {i + 1} key", comparison.get("key", ()), usable),
            (f"diff comparison {i + 1} fields", comparison.get("fields", ()), set(fields)),
            (f"diff comparison {i + 1} shows", [comparison["shows"]] if "shows" in comparison else [], set(fields)),
            (f"diff comparison {i + 1} allValues", comparison.get("allValues", ()), set(fields)),
        ]
    for what, names, allowed in named:
        unknown = [n for n in names if n not in allowed]
        if unknown:
            fail(f"{what} names {unknown[0]}, which is not a field of the table (nor a derived field)")
    numeric = {f["name"] for f in spec["fields"] if f["type"] != "string"}
    for i, comparison in enumerate(rule.get("comparisons", ())):
        if "largest" in comparison and (
            not isinstance(comparison["largest"], int)
            or comparison["largest"] < 1
            or len(comparison.get("fields", ())) != 1
            or not set(comparison["fields"]) <= numeric
        ):
            fail(f"diff comparison {i + 1}: largest needs a positive integer and exactly one numeric field")
    if rule and (not isinstance(rule.get("order"), int) or not rule.get("comparisons")):
        fail("a diff rule needs an integer order and at least one comparison")
    earlier = list(tables)[: list(tables).index(name)]
    if rule and rule["order"] in [tables[other]["diff"]["order"] for other in earlier if "diff" in tables[other]]:
        fail(f"diff order {rule['order']} is an earlier table's too")
    _check_review(spec, tables, usable, fields, row_fields, fail)


def _check_review(spec: dict, tables: dict, usable: set, fields: list, row_fields: dict, fail) -> None:
    """rowId, actions and computed name what exists; a table with actions is reviewed per edition."""
    parts = set(re.findall(r"{(\w+)}", spec.get("path", "")))
    row_id = spec["rowId"] if "rowId" in spec else spec["primaryKey"]
    for entry in row_id or ():
        placeholders = re.findall(r"{(\w+)}", entry)
        known = set(placeholders) <= parts if placeholders else entry in usable
        if not known:
            fail(f"rowId names {entry}, which is not a field of the table (nor a derived field, nor a path part)")
    actions = spec.get("actions", ())
    gets = [row_fields[name]["name"] for name, wanted in ((ROW_ID, row_id), (DECISION, actions)) if wanted]
    clash = [name for name in gets if name in fields]
    if clash:
        fail(f"field {clash[0]} is a row field (rowFields), which publication adds: rename it")
    allowed = _actions(tables)
    unknown = [action for action in actions if action not in allowed]
    if unknown:
        fail(f"actions names {unknown[0]}, which is not one of {', '.join(allowed)} (the decisions table's action)")
    if actions and (not row_id or row_id[0] not in (EDITION, PAIR)):
        fail(f"a table with actions needs {EDITION} (or {PAIR}) first in its rowId: a decision belongs to an edition")
    unknown = [entry for entry in spec.get("computed", ()) if entry not in fields]
    if unknown:
        fail(f"computed names {unknown[0]}, which is not a field of the table")


def _actions(tables: dict) -> tuple[str, ...]:
    """The review actions: the enum of the decisions table's action field."""
    spec = tables.get(DECISIONS, {"fields": []})
    field = next((f for f in spec["fields"] if f.get("name") == ACTION), {})
    return tuple(field.get("constraints", {}).get("enum", ()))


def _filled(template: dict, **values: str) -> dict:
    """A generated field: ``{table}``/``{value}`` replaced in every string of the template."""
    text = json.dumps(template, ensure_ascii=False)
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return json.loads(text)


def table(name: str) -> Table:
    return load().tables[name]


def key_columns(name: str) -> tuple[str, ...]:
    """The columns a key field stands for: a derived field's sources, or the column itself."""
    return load().derived.get(name, (name,))


def key_value(row: Mapping[str, str], name: str) -> str:
    """The value of a key field in ``row``: a column, or a derived field (the first non-empty of its sources)."""
    sources = load().derived.get(name)
    if sources is None:
        return row[name]
    return next((row[source] for source in sources if row[source]), "")


def partner(row: Mapping[str, str]) -> str:
    """The partner's identity: its ISO3 code, or its name when it has none (schema.json ``derivedFields``)."""
    return key_value(row, "partner")
