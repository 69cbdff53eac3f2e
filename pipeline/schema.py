"""What a table is: ``pipeline/data/schema.json`` read once, for every stage.

Every table hakusho publishes (the five extract tables, editions, changes, agreement_timeline) is
declared there once: columns, types, primary key, sort order, which stage makes it and, for the tables
the diff compares, the diff rule. The extract stage's CSV writer, the dataset's collecting and
validation, the diff's comparisons and the datapackage all read it through this module, so a table or a
column added to the schema appears everywhere without a second declaration. The file documents its own
format (its ``_comment``); this module resolves the two generated field families (``fieldsPerTable``,
``fieldsPerValue``) and the derived key fields (``partner``), and gives each table as a ``Table``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SCHEMA_PATH = Path(__file__).parent / "data" / "schema.json"
# Our own keys in schema.json; they are left out of datapackage.json.
OWN_TABLE_KEYS = ("madeBy", "sortKey", "path", "diff", "fieldsPerTable", "fieldsPerValue")
STAGES = ("extract", "dataset", "diff")


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

    @property
    def columns(self) -> list[str]:
        return [field.name for field in self.fields]

    @property
    def int_columns(self) -> list[str]:
        return [field.name for field in self.fields if field.is_int]

    def field(self, name: str) -> Field:
        return next(field for field in self.fields if field.name == name)

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

    def made_by(self, stage: str) -> list[Table]:
        return [table for table in self.tables.values() if table.made_by == stage]

    def compared(self) -> list[Table]:
        """The tables with a diff rule, in their diff order."""
        return sorted((t for t in self.tables.values() if t.diff_order is not None), key=lambda t: t.diff_order)


@cache
def load() -> Schema:
    """schema.json, resolved (read once per process)."""
    document = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    derived = {name: tuple(spec["firstNonEmpty"]) for name, spec in document.get("derivedFields", {}).items()}
    raw = document["tables"]
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
                )
                for c in (diff["comparisons"] if diff else ())
            ),
            family={key: field["name"] for key, field in family.items()},
            family_of=family_of,
        )
    return Schema(tables, derived)


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
